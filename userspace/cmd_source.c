// SPDX-License-Identifier: GPL-2.0
/* sources, forget, flush: the tracked sources. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "burstctl.h"

static int source_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[BG_A_MAX + 1];
	struct sources *ss = data;
	struct source *s;

	if (nl_parse(nlh, tb))
		return MNL_CB_ERROR;
	if (ss->n == ss->cap) {
		size_t cap = ss->cap ? ss->cap * 2 : 1024;
		struct source *v = realloc(ss->v, cap * sizeof(*v));

		if (!v) {
			ss->oom = true;
			errno = ENOMEM;
			return MNL_CB_ERROR;
		}
		ss->v = v;
		ss->cap = cap;
	}
	s = &ss->v[ss->n];
	memset(s, 0, sizeof(*s));
	if (prefix_get(tb, &s->p))
		return MNL_CB_OK;
	if (tb[BG_A_RULE_ID])
		s->rule = mnl_attr_get_u16(tb[BG_A_RULE_ID]);
	if (tb[BG_A_STATE])
		s->state = mnl_attr_get_u8(tb[BG_A_STATE]);
	if (tb[BG_A_TOKENS])
		s->tokens = mnl_attr_get_u32(tb[BG_A_TOKENS]);
	if (tb[BG_A_ATTEMPTS])
		s->attempts = mnl_attr_get_u32(tb[BG_A_ATTEMPTS]);
	if (tb[BG_A_DROPS])
		s->drops = mnl_attr_get_u32(tb[BG_A_DROPS]);
	if (tb[BG_A_IDLE_NS])
		s->idle_ns = mnl_attr_get_u64(tb[BG_A_IDLE_NS]);
	if (tb[BG_A_BAN_LEFT_NS])
		s->ban_left_ns = mnl_attr_get_u64(tb[BG_A_BAN_LEFT_NS]);
	ss->n++;
	return MNL_CB_OK;
}

static int by_attempts(const void *a, const void *b)
{
	const struct source *x = a, *y = b;

	if (x->attempts != y->attempts)
		return x->attempts < y->attempts ? 1 : -1;
	if (x->drops != y->drops)
		return x->drops < y->drops ? 1 : -1;
	return 0;
}

const char *rule_word(const struct rules *rules, uint16_t id,
			     char *buf, size_t size)
{
	unsigned int i;

	if (!id)
		return "default";
	for (i = 0; i < rules->n; i++)
		if (rules->r[i].id == id)
			return format_ports(rules->r[i].s.port_min,
					    rules->r[i].s.port_max, buf, size);
	snprintf(buf, size, "#%u", id);
	return buf;
}

char *format_ns(uint64_t ns, char *buf, size_t size)
{
	uint64_t ms = ns / 1000000;

	if (ms < 10000)
		snprintf(buf, size, "%llu.%03llus", (unsigned long long)ms / 1000,
			 (unsigned long long)ms % 1000);
	else
		snprintf(buf, size, "%llus", (unsigned long long)ms / 1000);
	return buf;
}

#define DUMP_TRIES 3

int get_sources(struct ctx *c, struct sources *ss, bool *intr)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	int err, tries;

	if (ctx_nl(c))
		return -1;
	for (tries = 0; tries < DUMP_TRIES; tries++) {
		ss->n = 0;
		nlh = nl_msg(&c->nl, buf, BG_CMD_GET_SOURCE, NLM_F_DUMP);
		err = nl_request(&c->nl, nlh, source_cb, ss, intr);
		if (err) {
			nl_perror(&c->nl, nlh, "sources", err);
			return -1;
		}
		if (!*intr)
			break;
	}
	return 0;
}

int cmd_sources(struct ctx *c, int argc, char *argv[])
{
	struct sources ss = { 0 };
	struct rules *rules = NULL;
	char a[64], rb[16], i1[32], i2[32];
	uint32_t top = UINT32_MAX;
	bool intr = false;
	int ret = 1;
	size_t i, n;

	if (argc == 3 && !strcmp(argv[1], "top")) {
		if (parse_u32(argv[2], 1, UINT32_MAX, &top))
			return fail(c, "invalid top '%s': expected a positive number",
				    argv[2]);
	} else if (argc != 1) {
		return fail(c, "usage: sources [top N]");
	}
	rules = calloc(1, sizeof(*rules));
	if (!rules)
		return fail(c, "out of memory");
	if (get_rules(c, rules))
		goto cleanup;
	if (get_sources(c, &ss, &intr))
		goto cleanup;
	if (intr)
		fprintf(stderr, "burstctl: sources: the table kept changing during the dump; the list may miss or repeat sources\n");
	qsort(ss.v, ss.n, sizeof(*ss.v), by_attempts);
	n = ss.n < top ? ss.n : top;
	if (c->json) {
		j_obj(NULL);
		j_bool("interrupted", intr);
		j_uint("total", ss.n);
		j_arr("sources");
	} else if (n) {
		printf("%-43s %-11s %-9s %6s %9s %9s %9s %9s\n", "SOURCE",
		       "PORT", "STATE", "TOKENS", "ATTEMPTS", "DROPS", "IDLE",
		       "BAN");
	}
	for (i = 0; i < n; i++) {
		const struct source *s = &ss.v[i];
		const char *r = rule_word(rules, s->rule, rb, sizeof(rb));

		format_prefix(&s->p, a, sizeof(a));
		if (!c->json) {
			printf("%-43s %-11s %-9s %6u %9u %9u %9s %9s\n", a, r,
			       state_name(s->state), s->tokens, s->attempts,
			       s->drops, format_ns(s->idle_ns, i1, sizeof(i1)),
			       s->ban_left_ns ?
			       format_ns(s->ban_left_ns, i2, sizeof(i2)) : "-");
			continue;
		}
		j_obj(NULL);
		j_str("source", a);
		j_uint("rule", s->rule);
		j_str("port", r);
		j_str("state", state_name(s->state));
		j_uint("tokens", s->tokens);
		j_uint("attempts", s->attempts);
		j_uint("drops", s->drops);
		j_uint("idle_ms", s->idle_ns / 1000000);
		j_uint("ban_left_ms", s->ban_left_ns / 1000000);
		j_end();
	}
	if (c->json)
		j_done();
	ret = 0;
cleanup:
	free(ss.v);
	free(rules);
	return ret;
}

static int count_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[BG_A_MAX + 1];

	if (nl_parse(nlh, tb))
		return MNL_CB_ERROR;
	if (tb[BG_A_COUNT])
		*(uint32_t *)data = mnl_attr_get_u32(tb[BG_A_COUNT]);
	return MNL_CB_OK;
}

static int remove_sources(struct ctx *c, const struct prefix *p)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	uint32_t count = 0;
	int ret;

	if (ctx_nl(c))
		return 1;
	nlh = nl_msg(&c->nl, buf, p ? BG_CMD_FORGET : BG_CMD_FLUSH, 0);
	if (p)
		prefix_put(nlh, p);
	ret = nl_request(&c->nl, nlh, count_cb, &count, NULL);
	if (ret) {
		nl_perror(&c->nl, nlh, c->cmd, ret);
		return 1;
	}
	if (c->json) {
		j_obj(NULL);
		j_uint("removed", count);
		j_done();
	} else {
		printf("removed %u source%s\n", count, count == 1 ? "" : "s");
	}
	return 0;
}

int cmd_forget(struct ctx *c, int argc, char *argv[])
{
	struct prefix p;

	if (argc != 2)
		return fail(c, "usage: forget PREFIX");
	if (parse_prefix(argv[1], &p))
		return fail(c, "invalid prefix '%s': expected an IPv4 or IPv6 address or CIDR prefix",
			    argv[1]);
	return remove_sources(c, &p);
}

int cmd_flush(struct ctx *c, int argc, char *argv[])
{
	(void)argv;
	if (argc != 1)
		return fail(c, "takes no arguments");
	return remove_sources(c, NULL);
}
