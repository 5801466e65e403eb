// SPDX-License-Identifier: GPL-2.0
/* show, set, save, restore: the settings of the netns as a whole. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "burstctl.h"

int get_config(struct ctx *c, struct config *conf)
{
	if (!ctx_client(c))
		return -1;
	return ctx_check(c, "reading the settings",
			 client_get_config(c->cl, conf));
}

int get_stats(struct ctx *c, uint64_t stats[__BG_STAT_MAX])
{
	if (!ctx_client(c))
		return -1;
	return ctx_check(c, "reading the counters",
			 client_get_stats(c->cl, stats));
}

int get_rules(struct ctx *c, struct rules *rules)
{
	if (!ctx_client(c))
		return -1;
	return ctx_check(c, "reading the rules",
			 client_get_rules(c->cl, rules));
}

/* Sorted: the kernel's order is its hash's, new with every list. */
int get_prefixes(struct ctx *c, int list, struct plist *pl)
{
	if (!ctx_client(c))
		return -1;
	if (ctx_check(c, "reading the lists",
		      client_get_prefixes(c->cl, list, pl, NULL)))
		return -1;
	plist_sort(pl);
	return 0;
}

/* The key counters of "show" (all of them with -s). */
static const unsigned int key_stats[] = {
	BG_STAT_SOURCES, BG_STAT_ATTEMPTS, BG_STAT_ALLOWED, BG_STAT_DROPPED,
	BG_STAT_REJECTED, BG_STAT_WOULD_DROP, BG_STAT_BANNED, BG_STAT_DENIED,
};

static bool show_stat(const struct ctx *c, unsigned int s)
{
	size_t i;

	if (!stat_name(s))
		return false;
	if (c->stats)
		return true;
	for (i = 0; i < sizeof(key_stats) / sizeof(key_stats[0]); i++)
		if (key_stats[i] == s)
			return true;
	return false;
}

int cmd_show(struct ctx *c, int argc, char *argv[])
{
	uint64_t stats[__BG_STAT_MAX];
	struct config conf;
	char rate[32], ban[32];
	unsigned int s;

	(void)argv;
	if (argc > 1)
		return fail(c, "takes no arguments");
	if (get_config(c, &conf) || get_stats(c, stats))
		return 1;
	format_rate(conf.s.rate, conf.s.period, rate, sizeof(rate));
	format_duration(conf.s.ban, ban, sizeof(ban));
	print_open_object(NULL);
	print_uint(PRINT_JSON, "rate", NULL, conf.s.rate);
	print_uint(PRINT_JSON, "period", NULL, conf.s.period);
	print_string(PRINT_ANY, "rate_text", "rate %s", rate);
	print_uint(PRINT_ANY, "burst", " burst %u", conf.s.burst);
	print_uint(PRINT_JSON, "ban", NULL, conf.s.ban);
	print_string(PRINT_FP, NULL, " ban %s", ban);
	if (conf.s.ban_max) {
		format_duration(conf.s.ban_max, ban, sizeof(ban));
		print_string(PRINT_FP, NULL, " max %s", ban);
	}
	print_uint(PRINT_JSON, "ban_max", NULL, conf.s.ban_max);
	print_string(PRINT_ANY, "mode", " mode %s", mode_name(conf.s.mode));
	/* an older module has no total: leave it out */
	if (conf.s.have & SET_TOTAL)
		print_total(&conf.s, conf.total_refused);
	print_string(PRINT_FP, NULL, "%s", "\n");
	print_uint(PRINT_ANY, "prefix4", "prefix4 %u", conf.s.prefix4);
	print_uint(PRINT_ANY, "prefix6", " prefix6 %u", conf.s.prefix6);
	print_uint(PRINT_ANY, "max_sources", " max-sources %u",
		   conf.s.max_sources);
	/* an older module has no such setting: leave it out */
	if (conf.s.have & SET_FORWARD)
		print_bool(PRINT_ANY, "forward", " forward %s", conf.s.forward);
	if (conf.s.have & SET_STRIKES) {
		format_duration(conf.s.strikes_forget, ban, sizeof(ban));
		print_uint(PRINT_JSON, "strikes_forget", NULL,
			   conf.s.strikes_forget);
		print_string(PRINT_FP, NULL, " strikes forget %s", ban);
	}
	print_uint(PRINT_ANY, "rules", "\nrules %u", conf.nrules);
	print_uint(PRINT_ANY, "allow", " allow %u", conf.nallow);
	print_uint(PRINT_ANY, "deny", " deny %u\n", conf.ndeny);
	print_open_object("stats");
	for (s = 0; s < __BG_STAT_MAX; s++)
		if (show_stat(c, s)) {
			print_string(PRINT_FP, NULL, "%s ", stat_name(s));
			print_u64(PRINT_ANY, stat_name(s), "%llu\n", stats[s]);
		}
	print_end();
	return 0;
}

int cmd_set(struct ctx *c, int argc, char *argv[])
{
	struct settings s = { 0 };
	char err[256];

	if (argc < 2)
		return fail(c, "nothing to set; keywords: %s",
			    keyword_list(KW_SET, err, sizeof(err)));
	if (parse_keywords(argc - 1, argv + 1, KW_SET, &s, err, sizeof(err)))
		return fail(c, "%s", err);
	if (!ctx_client(c) ||
	    ctx_check(c, "set", client_set_config(c->cl, &s)))
		return 1;
	return 0;
}

/* "allow add PREFIX [timeout Ns]": the time left, so restore keeps it. */
static void save_entry(const char *list, const struct lentry *e)
{
	char a[64];

	format_prefix(&e->p, a, sizeof(a));
	if (e->timeout)
		printf("%s add %s timeout %us\n", list, a, e->timeout);
	else
		printf("%s add %s\n", list, a);
}

int cmd_save(struct ctx *c, int argc, char *argv[])
{
	struct rules *rules = NULL;
	struct plist *pl = NULL;
	struct config conf;
	char line[512];
	unsigned int i;
	int ret = 1;

	(void)argv;
	if (argc > 1)
		return fail(c, "takes no arguments");
	rules = calloc(1, sizeof(*rules));
	pl = calloc(1, sizeof(*pl));
	if (!rules || !pl) {
		fail(c, "out of memory");
		goto cleanup;
	}
	if (get_config(c, &conf) || get_rules(c, rules) ||
	    get_prefixes(c, 0, pl))
		goto cleanup;
	printf("# burstguard settings; apply with: burstctl restore FILE\n");
	printf("set%s\n", format_settings(KW_SET, &conf.s, line,
					   sizeof(line)));
	for (i = 0; i < rules->n; i++)
		printf("rule add%s\n", format_settings(KW_RULE, &rules->r[i].s,
							line, sizeof(line)));
	for (i = 0; i < pl->nallow; i++)
		save_entry("allow", &pl->allow[i]);
	for (i = 0; i < pl->ndeny; i++)
		save_entry("deny", &pl->deny[i]);
	ret = 0;
cleanup:
	free(rules);
	plist_free(pl);
	return ret;
}

/* What one restore input holds, with the line of every item. */
struct restore {
	struct replace r;
	unsigned int conf_line;
	unsigned int rule_line[BG_MAX_RULES];
	unsigned int *pfx_line[2];	/* grow with r.pfx[] */
	unsigned int cap[2];
};

#define MAX_WORDS 32

/* Split @line into words; returns how many, or -1 when too many. */
static int split(char *line, char *w[MAX_WORDS])
{
	char *save = NULL, *t;
	int n = 0;

	for (t = strtok_r(line, " \t\r\n", &save); t;
	     t = strtok_r(NULL, " \t\r\n", &save)) {
		if (*t == '#')
			break;
		if (n == MAX_WORDS)
			return -1;
		w[n++] = t;
	}
	return n;
}

static int restore_line(struct ctx *c, struct restore *rs, char *line,
			unsigned int lineno)
{
	struct replace *r = &rs->r;
	char *w[MAX_WORDS], err[256];
	struct settings s = { 0 };
	int n = split(line, w), list;

	if (n < 0)
		return fail(c, "line %u: too many words", lineno);
	if (!n)
		return 0;
	if (!strcmp(w[0], "set")) {
		s = r->conf;
		if (parse_keywords(n - 1, w + 1, KW_SET, &s, err, sizeof(err)))
			return fail(c, "line %u: %s", lineno, err);
		r->conf = s;
		rs->conf_line = lineno;
		return 0;
	}
	if (n >= 2 && !strcmp(w[0], "rule") && !strcmp(w[1], "add")) {
		if (parse_keywords(n - 2, w + 2, KW_RULE, &s, err, sizeof(err)))
			return fail(c, "line %u: %s", lineno, err);
		if (!(s.have & SET_PORT))
			return fail(c, "line %u: rule add needs port P[-Q]",
				    lineno);
		if (r->nrules == BG_MAX_RULES)
			return fail(c, "line %u: more than %d rules", lineno,
				    BG_MAX_RULES);
		rs->rule_line[r->nrules] = lineno;
		r->rules[r->nrules++].s = s;
		return 0;
	}
	list = !strcmp(w[0], "allow") ? 0 : !strcmp(w[0], "deny") ? 1 : -1;
	if (list >= 0 && (n == 3 || (n == 5 && !strcmp(w[3], "timeout"))) &&
	    !strcmp(w[1], "add")) {
		struct lentry *e;

		if (r->npfx[list] == BG_MAX_LIST_ENTRIES)
			return fail(c, "line %u: more than %u prefixes in the %s list",
				    lineno, BG_MAX_LIST_ENTRIES, w[0]);
		if (r->npfx[list] == rs->cap[list]) {
			unsigned int cap = rs->cap[list] ? rs->cap[list] * 2 : 256;
			struct lentry *v = realloc(r->pfx[list],
						   cap * sizeof(*v));
			unsigned int *ln;

			if (v)
				r->pfx[list] = v;
			ln = v ? realloc(rs->pfx_line[list], cap * sizeof(*ln)) : NULL;
			if (!ln)
				return fail(c, "out of memory");
			rs->pfx_line[list] = ln;
			rs->cap[list] = cap;
		}
		e = &r->pfx[list][r->npfx[list]];
		memset(e, 0, sizeof(*e));
		if (parse_prefix(w[2], &e->p))
			return fail(c, "line %u: invalid prefix '%s'", lineno,
				    w[2]);
		if (n == 5 && parse_timeout(w[4], &e->timeout))
			return fail(c, "line %u: invalid timeout '%s'", lineno,
				    w[4]);
		rs->pfx_line[list][r->npfx[list]++] = lineno;
		return 0;
	}
	return fail(c, "line %u: expected 'set ...', 'rule add ...', 'allow add PREFIX [timeout D]' or 'deny add PREFIX [timeout D]', not '%s'",
		    lineno, w[0]);
}

/* The line of the item the kernel rejected, or 0. */
static unsigned int restore_err_line(const struct restore *rs,
				     const struct replace_err *where)
{
	switch (where->what) {
	case REPLACE_ERR_RULE:
		return rs->rule_line[where->index];
	case REPLACE_ERR_PREFIX:
		return rs->pfx_line[where->list][where->index];
	case REPLACE_ERR_CONF:
		return rs->conf_line;
	case REPLACE_ERR_NONE:
		break;
	}
	return 0;
}

int cmd_restore(struct ctx *c, int argc, char *argv[])
{
	const char *path = argc > 1 ? argv[1] : "-";
	struct restore *rs = NULL;
	struct replace_err where;
	unsigned int lineno = 0, l;
	char *line = NULL;
	size_t cap = 0;
	FILE *f = stdin;
	int ret = 1, err;

	if (argc > 2)
		return fail(c, "takes at most one FILE");
	if (strcmp(path, "-")) {
		f = fopen(path, "r");
		if (!f)
			return fail(c, "%s: %s", path, strerror(errno));
	}
	rs = calloc(1, sizeof(*rs));
	if (!rs) {
		fail(c, "out of memory");
		goto cleanup;
	}
	while (getline(&line, &cap, f) > 0)
		if (restore_line(c, rs, line, ++lineno))
			goto cleanup;
	if (ferror(f)) {
		fail(c, "%s: read error", path);
		goto cleanup;
	}
	if (!ctx_client(c))
		goto cleanup;
	/*
	 * A list too large for one message: the settings and rules first
	 * (what the kernel is likeliest to refuse), then each list by an
	 * import of its own, atomic, never empty meanwhile.
	 */
	rs->r.keep_lists = rs->r.npfx[0] > REPLACE_MAX_PREFIXES ||
			   rs->r.npfx[1] > REPLACE_MAX_PREFIXES;
	err = client_replace_config(c->cl, &rs->r, &where);
	if (err) {
		unsigned int ln = restore_err_line(rs, &where);
		char what[64];

		if (ln)
			snprintf(what, sizeof(what), "restore: line %u", ln);
		else
			snprintf(what, sizeof(what), "restore");
		/* a line number says more than the attribute's name */
		client_perror(c->cl, what, err, !ln);
		goto cleanup;
	}
	for (l = 0; rs->r.keep_lists && l < 2; l++) {
		static const char *const name[2] = { "allow", "deny" };
		uint32_t count;
		long bad;

		err = client_import(c->cl, l ? BG_LIST_DENY : BG_LIST_ALLOW,
				    rs->r.pfx[l], rs->r.npfx[l], false,
				    &count, &bad);
		if (err) {
			const char *done = l ? "settings, rules and the allow list restored"
					     : "settings and rules restored";
			char what[160];

			if (bad >= 0)
				snprintf(what, sizeof(what),
					 "restore: line %u (%s; the %s list unchanged)",
					 rs->pfx_line[l][bad], done, name[l]);
			else
				snprintf(what, sizeof(what),
					 "restore: the %s list (%s; the %s list unchanged)",
					 name[l], done, name[l]);
			client_perror(c->cl, what, err, bad < 0);
			goto cleanup;
		}
	}
	ret = 0;
cleanup:
	free(line);
	if (rs) {
		for (l = 0; l < 2; l++) {
			free(rs->r.pfx[l]);
			free(rs->pfx_line[l]);
		}
	}
	free(rs);
	if (f != stdin)
		fclose(f);
	return ret;
}
