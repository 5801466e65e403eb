// SPDX-License-Identifier: GPL-2.0
/*
 * The per-packet decision of burstguard in userspace: kmod/table.c and
 * kmod/bucket.h compiled unchanged against kshim.h, driven like the hook
 * drives them (bg_table_account under the default limit, 20/s burst 40,
 * the time read by the caller as the hook does).
 * Run under valgrind --tool=callgrind --toggle-collect=bg_table_account to
 * count instructions per decision (see Makefile, 'make callgrind').
 *
 *   micro W1|W2|W3|W4 [N]
 * W1: one IPv4 source, N attempts 10 us apart (mostly refused);
 * W2: 65,536 IPv4 sources, two attempts each (insert, then hit);
 * W3: N distinct IPv4 sources into a table of 131,072 (evictions);
 * W4: 65,536 IPv6 /64 sources, two attempts each.
 */
#include <stdio.h>
#include "internal.h"

u64 micro_now = 1000000000ULL;
static struct bg_stats stats;

/* Never called by the workloads (no rules, no resize): link stand-ins. */
void bg_prefix_mask(struct bg_prefix *p) {}
const struct bg_rule *bg_conf_rule(const struct bg_conf *c, u16 id)
{
	return NULL;
}
const struct bg_limit *bg_conf_rule_limit(const struct bg_conf *c, u16 id)
{
	return &c->limit;
}
bool bg_prefix_match(const struct bg_prefix *p, u8 family, const struct in6_addr *a)
{
	return false;
}

int main(int argc, char **argv)
{
	const char *w = argc > 1 ? argv[1] : "W1";
	u32 n = argc > 2 ? strtoul(argv[2], NULL, 0) : 100000, max = 131072, i;
	struct bg_net bn = { .stats = &stats };
	struct bg_limit lim = { .rate = 20, .period = 1, .burst = 40 };
	struct bg_key k = { .rule = 0, .family = AF_INET, .plen = 32 };
	u32 refused = 0, calls = 0;
	int d;

	lim.interval_ns = bg_interval_ns(lim.rate, lim.period);
	lim.window_ns = bg_window_ns(lim.interval_ns, lim.burst);
	if (bg_table_cache_init())
		return 1;
	bn.table = bg_table_alloc(max);
	if (!strcmp(w, "W2") || !strcmp(w, "W4"))
		n = 2 * 65536;
	for (i = 0; i < n; i++) {
		micro_now += 10000;	/* 10 us per packet */
		switch (w[1]) {
		case '1': k.addr.v4 = 0x0101010a; break;
		case '2': k.addr.v4 = 0x0000400a | (i & 0xffff) << 16; break;
		case '3': k.addr.v4 = 0x00004064 + i; break;
		case '4':
			k.family = AF_INET6;
			k.plen = 64;
			k.addr.v6.s6_addr32[0] = 0x000002fd;
			k.addr.v6.s6_addr32[1] = i & 0xffff;
			break;
		}
		d = bg_table_account(&bn, &k, &lim, max, micro_now);
		refused += BG_DECISION(d) >= BG_REFUSE;
		calls++;
	}
	printf("%s decisions %u refused %u sources %u\n", w, calls, refused,
	       bg_table_nsources(&bn));
	return 0;
}
