// SPDX-License-Identifier: GPL-2.0
/* rule add|del|list: per-destination-port limits. */
#include <stdlib.h>
#include <string.h>

#include "burstctl.h"

static int added_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[BG_A_MAX + 1];
	uint16_t *id = data;

	if (nl_parse(nlh, tb))
		return MNL_CB_ERROR;
	if (tb[BG_A_RULE_ID])
		*id = mnl_attr_get_u16(tb[BG_A_RULE_ID]);
	return MNL_CB_OK;
}

static int rule_add(struct ctx *c, int argc, char *argv[])
{
	char buf[MNL_SOCKET_BUFFER_SIZE], err[256];
	struct settings s = { 0 };
	struct nlmsghdr *nlh;
	uint16_t id = 0;
	int ret;

	if (parse_keywords(argc, argv, KW_RULE, &s, err, sizeof(err)))
		return fail(c, "%s", err);
	if (!(s.have & SET_PORT))
		return fail(c, "add needs port P[-Q]");
	if (ctx_nl(c))
		return 1;
	nlh = nl_msg(&c->nl, buf, BG_CMD_ADD_RULE, 0);
	settings_put(nlh, &s);
	ret = nl_request(&c->nl, nlh, added_cb, &id, NULL);
	if (ret) {
		nl_perror(&c->nl, nlh, "rule add", ret);
		return 1;
	}
	if (c->json) {
		j_obj(NULL);
		j_uint("id", id);
		j_done();
	}
	return 0;
}

static int rule_del(struct ctx *c, int argc, char *argv[])
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	uint16_t lo, hi;
	uint32_t id;
	int ret;

	if (argc != 2)
		return fail(c, "usage: rule del port P[-Q] | rule del id N");
	if (ctx_nl(c))
		return 1;
	nlh = nl_msg(&c->nl, buf, BG_CMD_DEL_RULE, 0);
	if (!strcmp(argv[0], "port")) {
		if (parse_ports(argv[1], &lo, &hi))
			return fail(c, "invalid port '%s': expected P or P-Q, 1..65535",
				    argv[1]);
		mnl_attr_put_u16(nlh, BG_A_PORT_MIN, lo);
		mnl_attr_put_u16(nlh, BG_A_PORT_MAX, hi);
	} else if (!strcmp(argv[0], "id")) {
		if (parse_u32(argv[1], 1, 65535, &id))
			return fail(c, "invalid id '%s': expected 1..65535",
				    argv[1]);
		mnl_attr_put_u16(nlh, BG_A_RULE_ID, (uint16_t)id);
	} else {
		return fail(c, "unknown keyword '%s': expected port or id",
			    argv[0]);
	}
	ret = nl_request(&c->nl, nlh, NULL, NULL, NULL);
	if (ret) {
		nl_perror(&c->nl, nlh, "rule del", ret);
		return 1;
	}
	return 0;
}

static int rule_list(struct ctx *c)
{
	struct rules *rules = calloc(1, sizeof(*rules));
	char p[16], r[32], b[32];
	unsigned int i;
	int ret = 1;

	if (!rules)
		return fail(c, "out of memory");
	if (get_rules(c, rules))
		goto cleanup;
	if (c->json)
		j_arr(NULL);
	else if (rules->n)
		printf("%-5s %-11s %-14s %-8s %-6s %s\n", "ID", "PORT", "RATE",
		       "BURST", "BAN", "MODE");
	for (i = 0; i < rules->n; i++) {
		const struct settings *s = &rules->r[i].s;

		format_ports(s->port_min, s->port_max, p, sizeof(p));
		format_rate(s->rate, s->period, r, sizeof(r));
		format_duration(s->ban, b, sizeof(b));
		if (!c->json) {
			printf("%-5u %-11s %-14s %-8u %-6s %s\n",
			       rules->r[i].id, p, r, s->burst, b,
			       mode_name(s->mode));
			continue;
		}
		j_obj(NULL);
		j_uint("id", rules->r[i].id);
		j_uint("port_min", s->port_min);
		j_uint("port_max", s->port_max);
		j_uint("rate", s->rate);
		j_uint("period", s->period);
		j_str("rate_text", r);
		j_uint("burst", s->burst);
		j_uint("ban", s->ban);
		j_str("mode", mode_name(s->mode));
		j_end();
	}
	if (c->json)
		j_done();
	ret = 0;
cleanup:
	free(rules);
	return ret;
}

int cmd_rule(struct ctx *c, int argc, char *argv[])
{
	if (argc < 2 || !strcmp(argv[1], "list")) {
		if (argc > 2)
			return fail(c, "list takes no arguments");
		return rule_list(c);
	}
	if (!strcmp(argv[1], "add"))
		return rule_add(c, argc - 2, argv + 2);
	if (!strcmp(argv[1], "del") || !strcmp(argv[1], "delete"))
		return rule_del(c, argc - 2, argv + 2);
	return fail(c, "unknown subcommand '%s': expected add, del or list",
		    argv[1]);
}
