// SPDX-License-Identifier: GPL-2.0
/* allow|deny add|del|list|flush|import: the prefix lists. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "burstctl.h"

static int list_show(struct ctx *c, int list, int argc)
{
	struct plist *pl;
	unsigned int i, n;
	const struct lentry *e;
	char a[64], t[32];

	if (argc > 2)
		return fail(c, "list takes no arguments");
	pl = calloc(1, sizeof(*pl));
	if (!pl)
		return fail(c, "out of memory");
	if (get_prefixes(c, list, pl)) {
		plist_free(pl);
		return 1;
	}
	n = list == BG_LIST_ALLOW ? pl->nallow : pl->ndeny;
	print_open_array(NULL);
	for (i = 0; i < n; i++) {
		e = list == BG_LIST_ALLOW ? &pl->allow[i] : &pl->deny[i];
		format_prefix(&e->p, a, sizeof(a));
		if (print_is_json()) {
			print_open_object(NULL);
			print_string(PRINT_JSON, "prefix", NULL, a);
			if (e->timeout)
				print_uint(PRINT_JSON, "timeout", NULL,
					   e->timeout);
			print_close_object();
		} else if (e->timeout) {
			printf("%s timeout %s\n", a,
			       format_duration(e->timeout, t, sizeof(t)));
		} else {
			printf("%s\n", a);
		}
	}
	print_end();
	plist_free(pl);
	return 0;
}

/* "timeout D" at @argv[0..@argc), or none; -1 after an error message. */
static int parse_entry_timeout(struct ctx *c, int argc, char *argv[],
			       uint32_t *timeout)
{
	*timeout = 0;
	if (!argc)
		return 0;
	if (argc != 2 || strcmp(argv[0], "timeout")) {
		fail(c, "expected 'timeout D' after the prefix, not '%s'",
		     argv[0]);
		return -1;
	}
	if (parse_timeout(argv[1], timeout)) {
		fail(c, "invalid timeout '%s': expected a duration from 1s to %us (30, 45s, 10m, 4h, 7d)",
		     argv[1], BG_LIST_TIMEOUT_MAX_S);
		return -1;
	}
	return 0;
}

/* Entries of an import file, with the line of each. */
struct import {
	struct lentry *v;
	unsigned int *line;
	size_t n, cap;
};

/*
 * One line of an import file: "PREFIX [timeout D]", a '#' comment or
 * blank. Returns 0, or -1 with @err set.
 */
static int import_line(struct import *im, char *line, unsigned int lineno,
		       char *err, size_t errlen)
{
	char *w[4], *save = NULL, *t;
	struct lentry e = { 0 };
	int n = 0;

	for (t = strtok_r(line, " \t\r\n", &save); t;
	     t = strtok_r(NULL, " \t\r\n", &save)) {
		if (*t == '#')
			break;
		if (n == 4) {
			snprintf(err, errlen, "line %u: too many words", lineno);
			return -1;
		}
		w[n++] = t;
	}
	if (!n)
		return 0;
	if (parse_prefix(w[0], &e.p)) {
		snprintf(err, errlen, "line %u: invalid prefix '%s'", lineno,
			 w[0]);
		return -1;
	}
	if (n == 3 && !strcmp(w[1], "timeout")) {
		if (parse_timeout(w[2], &e.timeout)) {
			snprintf(err, errlen, "line %u: invalid timeout '%s'",
				 lineno, w[2]);
			return -1;
		}
	} else if (n != 1) {
		snprintf(err, errlen, "line %u: expected 'PREFIX [timeout D]'",
			 lineno);
		return -1;
	}
	if (im->n == BG_MAX_LIST_ENTRIES) {
		snprintf(err, errlen, "line %u: more than %u entries", lineno,
			 BG_MAX_LIST_ENTRIES);
		return -1;
	}
	if (im->n == im->cap) {
		size_t cap = im->cap ? im->cap * 2 : 4096;
		struct lentry *v = realloc(im->v, cap * sizeof(*v));
		unsigned int *l;

		if (v)
			im->v = v;
		l = v ? realloc(im->line, cap * sizeof(*l)) : NULL;
		if (!l) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		im->line = l;
		im->cap = cap;
	}
	im->line[im->n] = lineno;
	im->v[im->n++] = e;
	return 0;
}

static int list_import(struct ctx *c, int list, int argc, char *argv[])
{
	struct import im = { 0 };
	const char *path = NULL;
	unsigned int lineno = 0;
	char *line = NULL, err[256];
	bool merge = false;
	size_t cap = 0;
	FILE *f = NULL;
	uint32_t count;
	int i, ret = 1, e;
	long bad;

	for (i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--merge"))
			merge = true;
		else if (!path)
			path = argv[i];
		else
			return fail(c, "usage: %s import [--merge] FILE|-",
				    argv[0]);
	}
	if (!path)
		return fail(c, "usage: %s import [--merge] FILE|-", argv[0]);
	f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	if (!f)
		return fail(c, "%s: %s", path, strerror(errno));
	/* The whole file first: a bad line changes nothing. */
	while (getline(&line, &cap, f) > 0)
		if (import_line(&im, line, ++lineno, err, sizeof(err))) {
			fail(c, "%s: %s", path, err);
			goto out;
		}
	if (ferror(f)) {
		fail(c, "%s: read error", path);
		goto out;
	}
	if (!ctx_client(c))
		goto out;
	e = client_import(c->cl, list, im.v, im.n, merge, &count, &bad);
	if (e) {
		char what[96];

		if (bad >= 0)
			snprintf(what, sizeof(what), "%s import: %s line %u",
				 argv[0], path, im.line[bad]);
		else
			snprintf(what, sizeof(what), "%s import", argv[0]);
		ctx_check(c, what, e);
		goto out;
	}
	(void)count;
	ret = 0;
out:
	free(line);
	free(im.v);
	free(im.line);
	if (f && f != stdin)
		fclose(f);
	return ret;
}

static int list_cmd(struct ctx *c, int list, int argc, char *argv[])
{
	const char *sub = argc > 1 ? argv[1] : "list";
	enum { ADD, DEL, FLUSH } op;
	uint32_t timeout = 0;
	struct prefix p;
	char what[32];
	int err;

	snprintf(what, sizeof(what), "%s %s", argv[0], sub);
	if (!strcmp(sub, "list"))
		return list_show(c, list, argc);
	if (!strcmp(sub, "import"))
		return list_import(c, list, argc, argv);
	if (!strcmp(sub, "add")) {
		if (argc != 3 && argc != 5)
			return fail(c, "usage: %s add PREFIX [timeout D]",
				    argv[0]);
		if (parse_entry_timeout(c, argc - 3, argv + 3, &timeout))
			return 1;
		op = ADD;
	} else if (!strcmp(sub, "del") || !strcmp(sub, "delete")) {
		if (argc != 3)
			return fail(c, "usage: %s %s PREFIX", argv[0], sub);
		op = DEL;
	} else if (!strcmp(sub, "flush")) {
		if (argc != 2)
			return fail(c, "flush takes no arguments");
		op = FLUSH;
	} else {
		return fail(c, "unknown subcommand '%s': expected add, del, list, flush or import",
			    sub);
	}
	if (op != FLUSH && parse_prefix(argv[2], &p))
		return fail(c, "invalid prefix '%s': expected an IPv4 or IPv6 address or CIDR prefix",
			    argv[2]);
	if (!ctx_client(c))
		return 1;
	err = op == ADD ? client_add_prefix(c->cl, list, &p, timeout) :
	      op == DEL ? client_del_prefix(c->cl, list, &p) :
	      client_flush_prefixes(c->cl, list);
	return ctx_check(c, what, err) ? 1 : 0;
}

int cmd_allow(struct ctx *c, int argc, char *argv[])
{
	return list_cmd(c, BG_LIST_ALLOW, argc, argv);
}

int cmd_deny(struct ctx *c, int argc, char *argv[])
{
	return list_cmd(c, BG_LIST_DENY, argc, argv);
}
