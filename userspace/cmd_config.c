// SPDX-License-Identifier: GPL-2.0
/* show, set, save, restore: the settings of the netns as a whole. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "burstctl.h"

void settings_get(const struct nlattr *const *tb, struct settings *s)
{
	if (tb[BG_A_PORT_MIN] && tb[BG_A_PORT_MAX]) {
		s->port_min = mnl_attr_get_u16(tb[BG_A_PORT_MIN]);
		s->port_max = mnl_attr_get_u16(tb[BG_A_PORT_MAX]);
		s->have |= SET_PORT;
	}
	if (tb[BG_A_RATE] && tb[BG_A_PERIOD]) {
		s->rate = mnl_attr_get_u32(tb[BG_A_RATE]);
		s->period = mnl_attr_get_u32(tb[BG_A_PERIOD]);
		s->have |= SET_RATE;
	}
	if (tb[BG_A_BURST]) {
		s->burst = mnl_attr_get_u32(tb[BG_A_BURST]);
		s->have |= SET_BURST;
	}
	if (tb[BG_A_BAN]) {
		s->ban = mnl_attr_get_u32(tb[BG_A_BAN]);
		s->have |= SET_BAN;
	}
	if (tb[BG_A_MODE]) {
		s->mode = mnl_attr_get_u8(tb[BG_A_MODE]);
		s->have |= SET_MODE;
	}
	if (tb[BG_A_PREFIX4]) {
		s->prefix4 = mnl_attr_get_u8(tb[BG_A_PREFIX4]);
		s->have |= SET_PREFIX4;
	}
	if (tb[BG_A_PREFIX6]) {
		s->prefix6 = mnl_attr_get_u8(tb[BG_A_PREFIX6]);
		s->have |= SET_PREFIX6;
	}
	if (tb[BG_A_MAX_SOURCES]) {
		s->max_sources = mnl_attr_get_u32(tb[BG_A_MAX_SOURCES]);
		s->have |= SET_MAX_SOURCES;
	}
	if (tb[BG_A_FORWARD]) {
		s->forward = mnl_attr_get_u8(tb[BG_A_FORWARD]) ? 1 : 0;
		s->have |= SET_FORWARD;
	}
}

static int config_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[BG_A_MAX + 1];
	struct config *conf = data;

	if (nl_parse(nlh, tb))
		return MNL_CB_ERROR;
	settings_get(tb, &conf->s);
	if (tb[BG_A_RULE_COUNT])
		conf->nrules = mnl_attr_get_u32(tb[BG_A_RULE_COUNT]);
	if (tb[BG_A_ALLOW_COUNT])
		conf->nallow = mnl_attr_get_u32(tb[BG_A_ALLOW_COUNT]);
	if (tb[BG_A_DENY_COUNT])
		conf->ndeny = mnl_attr_get_u32(tb[BG_A_DENY_COUNT]);
	return MNL_CB_OK;
}

int get_config(struct ctx *c, struct config *conf)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	int err;

	memset(conf, 0, sizeof(*conf));
	if (ctx_nl(c))
		return -1;
	nlh = nl_msg(&c->nl, buf, BG_CMD_GET_CONFIG, 0);
	err = nl_request(&c->nl, nlh, config_cb, conf, NULL);
	if (err) {
		nl_perror(&c->nl, nlh, "reading the settings", err);
		return -1;
	}
	return 0;
}

static int stats_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[BG_A_MAX + 1], *a;
	uint64_t *stats = data;

	if (nl_parse(nlh, tb))
		return MNL_CB_ERROR;
	if (!tb[BG_A_STATS])
		return MNL_CB_OK;
	mnl_attr_for_each_nested(a, tb[BG_A_STATS]) {
		unsigned int t = mnl_attr_get_type(a);

		if (t < __BG_STAT_MAX && stat_name(t) &&
		    mnl_attr_validate(a, MNL_TYPE_U64) == 0)
			stats[t] = mnl_attr_get_u64(a);
	}
	return MNL_CB_OK;
}

int get_stats(struct ctx *c, uint64_t stats[__BG_STAT_MAX])
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	int err;

	memset(stats, 0, sizeof(uint64_t) * __BG_STAT_MAX);
	if (ctx_nl(c))
		return -1;
	nlh = nl_msg(&c->nl, buf, BG_CMD_GET_STATS, 0);
	err = nl_request(&c->nl, nlh, stats_cb, stats, NULL);
	if (err) {
		nl_perror(&c->nl, nlh, "reading the counters", err);
		return -1;
	}
	return 0;
}

static int rule_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[BG_A_MAX + 1];
	struct rules *rules = data;
	struct rule *r;

	if (nl_parse(nlh, tb))
		return MNL_CB_ERROR;
	if (rules->n >= sizeof(rules->r) / sizeof(rules->r[0]) ||
	    !tb[BG_A_RULE_ID])
		return MNL_CB_OK;
	r = &rules->r[rules->n++];
	memset(r, 0, sizeof(*r));
	r->id = mnl_attr_get_u16(tb[BG_A_RULE_ID]);
	settings_get(tb, &r->s);
	return MNL_CB_OK;
}

int get_rules(struct ctx *c, struct rules *rules)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	int err;

	rules->n = 0;
	if (ctx_nl(c))
		return -1;
	nlh = nl_msg(&c->nl, buf, BG_CMD_GET_RULE, NLM_F_DUMP);
	err = nl_request(&c->nl, nlh, rule_cb, rules, NULL);
	if (err) {
		nl_perror(&c->nl, nlh, "reading the rules", err);
		return -1;
	}
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
	if (c->json) {
		j_obj(NULL);
		j_uint("rate", conf.s.rate);
		j_uint("period", conf.s.period);
		j_str("rate_text", rate);
		j_uint("burst", conf.s.burst);
		j_uint("ban", conf.s.ban);
		j_str("mode", mode_name(conf.s.mode));
		j_uint("prefix4", conf.s.prefix4);
		j_uint("prefix6", conf.s.prefix6);
		j_uint("max_sources", conf.s.max_sources);
		if (conf.s.have & SET_FORWARD)
			j_bool("forward", conf.s.forward);
		j_uint("rules", conf.nrules);
		j_uint("allow", conf.nallow);
		j_uint("deny", conf.ndeny);
		j_obj("stats");
		for (s = 0; s < __BG_STAT_MAX; s++)
			if (show_stat(c, s))
				j_uint(stat_name(s), stats[s]);
		j_done();
		return 0;
	}
	printf("rate %s burst %u ban %s mode %s\n", rate, conf.s.burst, ban,
	       mode_name(conf.s.mode));
	printf("prefix4 %u prefix6 %u max-sources %u", conf.s.prefix4,
	       conf.s.prefix6, conf.s.max_sources);
	if (conf.s.have & SET_FORWARD)
		printf(" forward %s", conf.s.forward ? "on" : "off");
	printf("\nrules %u allow %u deny %u\n", conf.nrules, conf.nallow,
	       conf.ndeny);
	for (s = 0; s < __BG_STAT_MAX; s++)
		if (show_stat(c, s))
			printf("%s %llu\n", stat_name(s),
			       (unsigned long long)stats[s]);
	return 0;
}

int cmd_set(struct ctx *c, int argc, char *argv[])
{
	char buf[MNL_SOCKET_BUFFER_SIZE], err[256];
	struct settings s = { 0 };
	struct nlmsghdr *nlh;
	int ret;

	if (argc < 2)
		return fail(c, "nothing to set; keywords: rate burst ban mode prefix4 prefix6 max-sources forward");
	if (parse_keywords(argc - 1, argv + 1, KW_SET, &s, err, sizeof(err)))
		return fail(c, "%s", err);
	if (ctx_nl(c))
		return 1;
	nlh = nl_msg(&c->nl, buf, BG_CMD_SET_CONFIG, 0);
	settings_put(nlh, &s);
	ret = nl_request(&c->nl, nlh, NULL, NULL, NULL);
	if (ret) {
		nl_perror(&c->nl, nlh, "set", ret);
		return 1;
	}
	return 0;
}

static int plist_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[BG_A_MAX + 1];
	struct plist *pl = data;
	struct prefix p;

	if (nl_parse(nlh, tb))
		return MNL_CB_ERROR;
	if (!tb[BG_A_LIST] || prefix_get(tb, &p))
		return MNL_CB_OK;
	if (mnl_attr_get_u8(tb[BG_A_LIST]) == BG_LIST_ALLOW &&
	    pl->nallow < BC_MAX_PREFIXES * 2)
		pl->allow[pl->nallow++] = p;
	else if (mnl_attr_get_u8(tb[BG_A_LIST]) == BG_LIST_DENY &&
		 pl->ndeny < BC_MAX_PREFIXES * 2)
		pl->deny[pl->ndeny++] = p;
	return MNL_CB_OK;
}

int get_prefixes(struct ctx *c, int list, struct plist *pl)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	int err;

	pl->nallow = pl->ndeny = 0;
	if (ctx_nl(c))
		return -1;
	nlh = nl_msg(&c->nl, buf, BG_CMD_GET_PREFIX, NLM_F_DUMP);
	if (list)
		mnl_attr_put_u8(nlh, BG_A_LIST, (uint8_t)list);
	err = nl_request(&c->nl, nlh, plist_cb, pl, NULL);
	if (err) {
		nl_perror(&c->nl, nlh, "reading the lists", err);
		return -1;
	}
	return 0;
}

static void print_rule_line(FILE *f, const char *prefix,
			    const struct settings *s)
{
	char a[32], b[32], d[32];

	fprintf(f, "%s%s%s rate %s burst %u ban %s mode %s", prefix,
		(s->have & SET_PORT) ? " port " : "",
		(s->have & SET_PORT) ?
		format_ports(s->port_min, s->port_max, a, sizeof(a)) : "",
		format_rate(s->rate, s->period, b, sizeof(b)), s->burst,
		format_duration(s->ban, d, sizeof(d)), mode_name(s->mode));
}

int cmd_save(struct ctx *c, int argc, char *argv[])
{
	struct rules *rules = NULL;
	struct plist *pl = NULL;
	struct config conf;
	char a[64];
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
	print_rule_line(stdout, "set", &conf.s);
	printf(" prefix4 %u prefix6 %u max-sources %u", conf.s.prefix4,
	       conf.s.prefix6, conf.s.max_sources);
	/* an older module has no such setting: leave it out */
	if (conf.s.have & SET_FORWARD)
		printf(" forward %s", conf.s.forward ? "on" : "off");
	putchar('\n');
	for (i = 0; i < rules->n; i++) {
		print_rule_line(stdout, "rule add", &rules->r[i].s);
		putchar('\n');
	}
	for (i = 0; i < pl->nallow; i++)
		printf("allow add %s\n", format_prefix(&pl->allow[i], a,
							sizeof(a)));
	for (i = 0; i < pl->ndeny; i++)
		printf("deny add %s\n", format_prefix(&pl->deny[i], a,
						       sizeof(a)));
	ret = 0;
cleanup:
	free(rules);
	free(pl);
	return ret;
}

/* What one restore input holds, with the line of every item. */
struct restore {
	struct settings conf;
	unsigned int conf_line;
	struct rule rules[BC_MAX_RULES];
	unsigned int rule_line[BC_MAX_RULES], nrules;
	struct prefix pfx[2][BC_MAX_PREFIXES];
	unsigned int pfx_line[2][BC_MAX_PREFIXES], npfx[2];
	/* Offsets of the items in the request, to name a rejected line. */
	uint32_t rule_off[BC_MAX_RULES + 1];
	uint32_t pfx_off[2][BC_MAX_PREFIXES + 1];
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

static int restore_line(struct ctx *c, struct restore *r, char *line,
			unsigned int lineno)
{
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
		r->conf_line = lineno;
		return 0;
	}
	if (n >= 2 && !strcmp(w[0], "rule") && !strcmp(w[1], "add")) {
		if (parse_keywords(n - 2, w + 2, KW_RULE, &s, err, sizeof(err)))
			return fail(c, "line %u: %s", lineno, err);
		if (!(s.have & SET_PORT))
			return fail(c, "line %u: rule add needs port P[-Q]",
				    lineno);
		if (r->nrules == BC_MAX_RULES)
			return fail(c, "line %u: more than %d rules", lineno,
				    BC_MAX_RULES);
		r->rule_line[r->nrules] = lineno;
		r->rules[r->nrules++].s = s;
		return 0;
	}
	list = !strcmp(w[0], "allow") ? 0 : !strcmp(w[0], "deny") ? 1 : -1;
	if (list >= 0 && n == 3 && !strcmp(w[1], "add")) {
		struct prefix *p = &r->pfx[list][r->npfx[list]];

		if (r->npfx[list] == BC_MAX_PREFIXES)
			return fail(c, "line %u: more than %d prefixes in the %s list",
				    lineno, BC_MAX_PREFIXES, w[0]);
		if (parse_prefix(w[2], p))
			return fail(c, "line %u: invalid prefix '%s'", lineno,
				    w[2]);
		r->pfx_line[list][r->npfx[list]++] = lineno;
		return 0;
	}
	return fail(c, "line %u: expected 'set ...', 'rule add ...', 'allow add PREFIX' or 'deny add PREFIX', not '%s'",
		    lineno, w[0]);
}

/* The line a rejected attribute at @off came from, or 0. */
static unsigned int restore_err_line(const struct restore *r, uint32_t off)
{
	unsigned int i, l;

	for (i = 0; i < r->nrules; i++)
		if (off >= r->rule_off[i] && off < r->rule_off[i + 1])
			return r->rule_line[i];
	for (l = 0; l < 2; l++)
		for (i = 0; i < r->npfx[l]; i++)
			if (off >= r->pfx_off[l][i] &&
			    off < r->pfx_off[l][i + 1])
				return r->pfx_line[l][i];
	return r->conf_line;
}

static void restore_put(struct nlmsghdr *nlh, struct restore *r)
{
	static const int list_attr[2] = { BG_A_ALLOW, BG_A_DENY };
	struct nlattr *nest, *item;
	unsigned int i, l;

	settings_put(nlh, &r->conf);
	nest = mnl_attr_nest_start(nlh, BG_A_RULES);
	for (i = 0; i < r->nrules; i++) {
		r->rule_off[i] = nlh->nlmsg_len;
		item = mnl_attr_nest_start(nlh, (uint16_t)(i + 1));
		settings_put(nlh, &r->rules[i].s);
		mnl_attr_nest_end(nlh, item);
	}
	r->rule_off[i] = nlh->nlmsg_len;
	mnl_attr_nest_end(nlh, nest);
	for (l = 0; l < 2; l++) {
		nest = mnl_attr_nest_start(nlh, (uint16_t)list_attr[l]);
		for (i = 0; i < r->npfx[l]; i++) {
			r->pfx_off[l][i] = nlh->nlmsg_len;
			item = mnl_attr_nest_start(nlh, (uint16_t)(i + 1));
			prefix_put(nlh, &r->pfx[l][i]);
			mnl_attr_nest_end(nlh, item);
		}
		r->pfx_off[l][i] = nlh->nlmsg_len;
		mnl_attr_nest_end(nlh, nest);
	}
}

int cmd_restore(struct ctx *c, int argc, char *argv[])
{
	const char *path = argc > 1 ? argv[1] : "-";
	struct restore *r = NULL;
	unsigned int lineno = 0;
	struct nlmsghdr *nlh;
	char *buf = NULL, *line = NULL;
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
	r = calloc(1, sizeof(*r));
	buf = malloc(NL_REQSIZE);
	if (!r || !buf) {
		fail(c, "out of memory");
		goto cleanup;
	}
	while (getline(&line, &cap, f) > 0)
		if (restore_line(c, r, line, ++lineno))
			goto cleanup;
	if (ferror(f)) {
		fail(c, "%s: read error", path);
		goto cleanup;
	}
	if (ctx_nl(c))
		goto cleanup;
	nlh = nl_msg(&c->nl, buf, BG_CMD_REPLACE_CONFIG, 0);
	restore_put(nlh, r);
	err = nl_request(&c->nl, nlh, NULL, NULL, NULL);
	if (err) {
		unsigned int l = c->nl.erroff ?
				 restore_err_line(r, c->nl.erroff) : 0;
		char what[64];

		if (l)
			snprintf(what, sizeof(what), "restore: line %u", l);
		else
			snprintf(what, sizeof(what), "restore");
		/* a line number says more than the attribute's name */
		nl_perror(&c->nl, l ? NULL : nlh, what, err);
		goto cleanup;
	}
	ret = 0;
cleanup:
	free(line);
	free(buf);
	free(r);
	if (f != stdin)
		fclose(f);
	return ret;
}
