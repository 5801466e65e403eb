// SPDX-License-Identifier: GPL-2.0
/* sources, forget, flush: the tracked sources. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "burstctl.h"

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

int get_sources(struct ctx *c, struct sources *ss, bool *intr)
{
	if (!ctx_client(c))
		return -1;
	return ctx_check(c, "sources", client_get_sources(c->cl, ss, intr));
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
	print_open_object(NULL);
	print_bool(PRINT_JSON, "interrupted", NULL, intr);
	print_u64(PRINT_JSON, "total", NULL, ss.n);
	print_open_array("sources");
	if (n && !print_is_json())	/* the columns' heads */
		printf("%-43s %-11s %-9s %6s %9s %9s %9s %9s %7s\n", "SOURCE",
		       "PORT", "STATE", "TOKENS", "ATTEMPTS", "DROPS", "IDLE",
		       "BAN", "STRIKES");
	for (i = 0; i < n; i++) {
		const struct source *s = &ss.v[i];

		print_open_object(NULL);
		print_string(PRINT_ANY, "source", "%-43s ",
			     format_prefix(&s->p, a, sizeof(a)));
		print_uint(PRINT_JSON, "rule", NULL, s->rule);
		print_string(PRINT_ANY, "port", "%-11s ",
			     rule_word(rules, s->rule, rb, sizeof(rb)));
		print_string(PRINT_ANY, "state", "%-9s ", state_name(s->state));
		print_uint(PRINT_ANY, "tokens", "%6u ", s->tokens);
		print_uint(PRINT_ANY, "attempts", "%9u ", s->attempts);
		print_uint(PRINT_ANY, "drops", "%9u ", s->drops);
		print_string(PRINT_FP, NULL, "%9s ",
			     format_ns(s->idle_ns, i1, sizeof(i1)));
		print_u64(PRINT_JSON, "idle_ms", NULL, s->idle_ns / 1000000);
		print_string(PRINT_FP, NULL, "%9s ", s->ban_left_ns ?
			     format_ns(s->ban_left_ns, i2, sizeof(i2)) : "-");
		print_uint(PRINT_ANY, "strikes", "%7u\n", s->strikes);
		print_u64(PRINT_JSON, "ban_left_ms", NULL,
			  s->ban_left_ns / 1000000);
		print_close_object();
	}
	print_end();
	ret = 0;
cleanup:
	free(ss.v);
	free(rules);
	return ret;
}

static int remove_sources(struct ctx *c, const struct prefix *p)
{
	uint32_t count;

	if (!ctx_client(c) ||
	    ctx_check(c, c->cmd, p ? client_forget(c->cl, p, &count) :
		      client_flush(c->cl, &count)))
		return 1;
	print_open_object(NULL);
	print_uint(PRINT_ANY, "removed", "removed %u", count);
	print_string(PRINT_FP, NULL, " %s\n", count == 1 ? "source" : "sources");
	print_end();
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
