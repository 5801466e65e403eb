// SPDX-License-Identifier: GPL-2.0
/* rule add|del|list: per-destination-port limits. */
#include <stdlib.h>
#include <string.h>

#include "burstctl.h"

void print_total(const struct settings *s, uint64_t refused)
{
	char r[32];

	print_uint(PRINT_JSON, "total_rate", NULL, s->total_rate);
	print_uint(PRINT_JSON, "total_period", NULL, s->total_period);
	print_uint(PRINT_JSON, "total_burst", NULL, s->total_burst);
	print_u64(PRINT_JSON, "total_refused", NULL, refused);
	if (!s->total_rate || print_is_json())
		return;
	printf(" total %s burst %u refused %llu",
	       format_rate(s->total_rate, s->total_period, r, sizeof(r)),
	       s->total_burst, (unsigned long long)refused);
}

static int rule_add(struct ctx *c, int argc, char *argv[])
{
	struct settings s = { 0 };
	uint16_t id;
	char err[256];

	if (parse_keywords(argc, argv, KW_RULE, &s, err, sizeof(err)))
		return fail(c, "%s", err);
	if (!(s.have & SET_PORT))
		return fail(c, "add needs port P[-Q]");
	if (!ctx_client(c) ||
	    ctx_check(c, "rule add", client_add_rule(c->cl, &s, &id)))
		return 1;
	print_open_object(NULL);
	print_uint(PRINT_JSON, "id", NULL, id);
	print_end();
	return 0;
}

static int rule_del(struct ctx *c, int argc, char *argv[])
{
	struct settings s = { 0 };
	char msg[256];
	uint32_t id;
	int err;

	if (argc != 2)
		return fail(c, "usage: rule del port P[-Q] | rule del id N");
	if (!ctx_client(c))
		return 1;
	if (!strcmp(argv[0], "port")) {
		/* the keyword of rule add, its word and its error */
		if (parse_keywords(argc, argv, KW_RULE, &s, msg, sizeof(msg)))
			return fail(c, "%s", msg);
		err = client_del_rule_ports(c->cl, s.port_min, s.port_max);
	} else if (!strcmp(argv[0], "id")) {
		if (parse_u32(argv[1], 1, 65535, &id))
			return fail(c, "invalid id '%s': expected 1..65535",
				    argv[1]);
		err = client_del_rule_id(c->cl, (uint16_t)id);
	} else {
		return fail(c, "unknown keyword '%s': expected port or id",
			    argv[0]);
	}
	return ctx_check(c, "rule del", err) ? 1 : 0;
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
	print_open_array(NULL);
	if (rules->n && !print_is_json())	/* the columns' heads */
		printf("%-5s %-11s %-14s %-8s %-6s %s\n", "ID", "PORT", "RATE",
		       "BURST", "BAN", "MODE");
	for (i = 0; i < rules->n; i++) {
		const struct settings *s = &rules->r[i].s;

		format_ports(s->port_min, s->port_max, p, sizeof(p));
		format_rate(s->rate, s->period, r, sizeof(r));
		format_duration(s->ban, b, sizeof(b));
		print_open_object(NULL);
		print_uint(PRINT_ANY, "id", "%-5u ", rules->r[i].id);
		print_uint(PRINT_JSON, "port_min", NULL, s->port_min);
		print_uint(PRINT_JSON, "port_max", NULL, s->port_max);
		print_string(PRINT_FP, NULL, "%-11s ", p);
		print_uint(PRINT_JSON, "rate", NULL, s->rate);
		print_uint(PRINT_JSON, "period", NULL, s->period);
		print_string(PRINT_ANY, "rate_text", "%-14s ", r);
		print_uint(PRINT_ANY, "burst", "%-8u ", s->burst);
		print_uint(PRINT_JSON, "ban", NULL, s->ban);
		print_uint(PRINT_JSON, "ban_max", NULL, s->ban_max);
		print_string(PRINT_FP, NULL, "%-6s ", b);
		print_string(PRINT_ANY, "mode", "%s", mode_name(s->mode));
		if (s->have & SET_TOTAL)
			print_total(s, rules->r[i].total_refused);
		print_string(PRINT_FP, NULL, "%s", "\n");
		print_close_object();
	}
	print_end();
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
