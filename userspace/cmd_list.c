// SPDX-License-Identifier: GPL-2.0
/* allow|deny add|del|list|flush: the prefix lists. */
#include <stdlib.h>
#include <string.h>

#include "burstctl.h"

static int list_show(struct ctx *c, int list, int argc)
{
	struct plist *pl;
	unsigned int i, n;
	char a[64];

	if (argc > 2)
		return fail(c, "list takes no arguments");
	pl = calloc(1, sizeof(*pl));
	if (!pl)
		return fail(c, "out of memory");
	if (get_prefixes(c, list, pl)) {
		free(pl);
		return 1;
	}
	n = list == BG_LIST_ALLOW ? pl->nallow : pl->ndeny;
	print_open_array(NULL);
	for (i = 0; i < n; i++)
		print_string(PRINT_ANY, NULL, "%s\n",
			     format_prefix(list == BG_LIST_ALLOW ?
					   &pl->allow[i] : &pl->deny[i],
					   a, sizeof(a)));
	print_end();
	free(pl);
	return 0;
}

static int list_cmd(struct ctx *c, int list, int argc, char *argv[])
{
	const char *sub = argc > 1 ? argv[1] : "list";
	enum { ADD, DEL, FLUSH } op;
	struct prefix p;
	char what[32];
	int err;

	snprintf(what, sizeof(what), "%s %s", argv[0], sub);
	if (!strcmp(sub, "list"))
		return list_show(c, list, argc);
	if (!strcmp(sub, "add") || !strcmp(sub, "del") ||
	    !strcmp(sub, "delete")) {
		if (argc != 3)
			return fail(c, "usage: %s %s PREFIX", argv[0], sub);
		if (parse_prefix(argv[2], &p))
			return fail(c, "invalid prefix '%s': expected an IPv4 or IPv6 address or CIDR prefix",
				    argv[2]);
		op = !strcmp(sub, "add") ? ADD : DEL;
	} else if (!strcmp(sub, "flush")) {
		if (argc != 2)
			return fail(c, "flush takes no arguments");
		op = FLUSH;
	} else {
		return fail(c, "unknown subcommand '%s': expected add, del, list or flush",
			    sub);
	}
	if (!ctx_client(c))
		return 1;
	err = op == ADD ? client_add_prefix(c->cl, list, &p) :
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
