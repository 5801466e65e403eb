// SPDX-License-Identifier: GPL-2.0
/*
 * The packet path. Runs for every packet entering a netns (PRE_ROUTING,
 * before conntrack and its defragmentation), so anything that is not a
 * connection attempt leaves after a few loads, and an attempt costs one
 * RCU table lookup and one cmpxchg. Netfilter calls hooks under
 * rcu_read_lock() with bottom halves off.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/tcp.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/netfilter/ipv4/nf_reject.h>
#include <net/netfilter/ipv6/nf_reject.h>
#include "internal.h"

/* Before defrag (-400) and conntrack (-200): an attempt we refuse never
 * costs a reassembly queue or a conntrack entry.
 */
#define BG_HOOK_PRIORITY	(NF_IP_PRI_CONNTRACK_DEFRAG - 10)

static const struct bg_limit *bg_pick_rule(const struct bg_conf *c, u16 port,
					   u16 *id)
{
	u32 i;

	for (i = 0; i < c->nrules; i++) {
		if (port >= c->rules[i].port_min &&
		    port <= c->rules[i].port_max) {
			*id = c->rules[i].id;
			return &c->rules[i].limit;
		}
	}
	*id = 0;
	return &c->limit;
}

static bool bg_listed(const struct bg_prefix *list, u32 n, u8 family,
		      const struct in6_addr *src)
{
	u32 i;

	for (i = 0; i < n; i++)
		if (bg_prefix_match(&list[i], family, src))
			return true;
	return false;
}

static void bg_reject(struct sk_buff *skb, const struct nf_hook_state *state,
		      u8 family)
{
	if (family == AF_INET)
		nf_send_reset(state->net, state->sk, skb, state->hook);
	else
		nf_send_reset6(state->net, state->sk, skb, state->hook);
}

/* Refuse an attempt the way @lim says; returns the netfilter verdict. */
static unsigned int bg_refuse(struct bg_net *bn, struct sk_buff *skb,
			      const struct nf_hook_state *state, u8 family,
			      const struct bg_limit *lim, bool banned)
{
	switch (lim->mode) {
	case BG_MODE_MONITOR:
		bg_count(bn, BG_STAT_WOULD_DROP);
		return NF_ACCEPT;
	case BG_MODE_REJECT:
		bg_count(bn, banned ? BG_STAT_BANNED : BG_STAT_REJECTED);
		bg_reject(skb, state, family);
		return NF_DROP;
	default:
		bg_count(bn, banned ? BG_STAT_BANNED : BG_STAT_DROPPED);
		return NF_DROP;
	}
}

/* One connection attempt from @src to TCP port @dport. */
static unsigned int bg_attempt(struct sk_buff *skb,
			       const struct nf_hook_state *state, u8 family,
			       const struct in6_addr *src, u16 dport)
{
	struct bg_net *bn = bg_pernet(state->net);
	const struct bg_conf *c = rcu_dereference(bn->conf);
	const struct bg_limit *lim;
	struct bg_prefix p;
	struct bg_key key;
	int d;

	bg_count(bn, BG_STAT_ATTEMPTS);
	if ((state->in && (state->in->flags & IFF_LOOPBACK)) ||
	    bg_listed(c->allow, c->nallow, family, src)) {
		bg_count(bn, BG_STAT_ALLOWLISTED);
		return NF_ACCEPT;
	}
	if (bg_listed(c->deny, c->ndeny, family, src)) {
		bg_count(bn, BG_STAT_DENIED);
		return NF_DROP;
	}

	lim = bg_pick_rule(c, dport, &key.rule);
	p.family = family;
	p.len = family == AF_INET ? c->prefix4 : c->prefix6;
	p.addr = *src;
	bg_prefix_mask(&p);
	key.family = family;
	key.plen = p.len;
	key.addr.v6 = p.addr;	/* IPv4 lives in s6_addr32[0] */

	d = bg_table_account(bn, &key, lim, c->max_sources);
	switch (d) {
	case BG_ALLOW:
	case BG_ALLOW_RELEASED:
		bg_count(bn, BG_STAT_ALLOWED);
		return NF_ACCEPT;
	case BG_REFUSE_BANNED:
		return bg_refuse(bn, skb, state, family, lim, true);
	default:
		return bg_refuse(bn, skb, state, family, lim, false);
	}
}

/* SYN without ACK (and without RST, which no stack answers) opens. */
static bool bg_is_attempt(const struct tcphdr *th)
{
	return th->syn && !th->ack && !th->rst;
}

static unsigned int bg_hook4(void *priv, struct sk_buff *skb,
			     const struct nf_hook_state *state)
{
	const struct iphdr *iph = ip_hdr(skb);
	struct in6_addr src = {};
	struct tcphdr _th;
	const struct tcphdr *th;

	if (iph->protocol != IPPROTO_TCP)
		return NF_ACCEPT;
	/* ip_rcv() has checked ihl, length and checksum of the IP header. */
	if (iph->frag_off & htons(IP_OFFSET))
		goto unparsable;
	th = skb_header_pointer(skb, ip_hdrlen(skb), sizeof(_th), &_th);
	if (!th || th->doff < sizeof(_th) / 4)
		goto unparsable;
	if (!bg_is_attempt(th))
		return NF_ACCEPT;
	src.s6_addr32[0] = iph->saddr;
	return bg_attempt(skb, state, AF_INET, &src, ntohs(th->dest));

unparsable:
	bg_count(bg_pernet(state->net), BG_STAT_UNPARSABLE);
	return NF_ACCEPT;
}

static unsigned int bg_hook6(void *priv, struct sk_buff *skb,
			     const struct nf_hook_state *state)
{
	const struct ipv6hdr *ip6h = ipv6_hdr(skb);
	u8 nexthdr = ip6h->nexthdr;
	struct tcphdr _th;
	const struct tcphdr *th;
	__be16 frag_off = 0;
	int off;

	/* Plain TCP, the common case, skips the extension header walk. */
	if (nexthdr != IPPROTO_TCP) {
		if (!ipv6_ext_hdr(nexthdr))
			return NF_ACCEPT;
		off = ipv6_skip_exthdr(skb, sizeof(*ip6h), &nexthdr,
				       &frag_off);
		if (off < 0 || (frag_off & htons(~0x7)))
			goto unparsable;
		if (nexthdr != IPPROTO_TCP)
			return NF_ACCEPT;
	} else {
		off = sizeof(*ip6h);
	}
	th = skb_header_pointer(skb, off, sizeof(_th), &_th);
	if (!th || th->doff < sizeof(_th) / 4)
		goto unparsable;
	if (!bg_is_attempt(th))
		return NF_ACCEPT;
	return bg_attempt(skb, state, AF_INET6, &ip6h->saddr,
			  ntohs(th->dest));

unparsable:
	bg_count(bg_pernet(state->net), BG_STAT_UNPARSABLE);
	return NF_ACCEPT;
}

static const struct nf_hook_ops bg_hook_ops[] = {
	{
		.hook = bg_hook4,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_PRE_ROUTING,
		.priority = BG_HOOK_PRIORITY,
	},
	{
		.hook = bg_hook6,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_PRE_ROUTING,
		.priority = BG_HOOK_PRIORITY,
	},
};

int bg_hooks_register(struct net *net)
{
	return nf_register_net_hooks(net, bg_hook_ops, ARRAY_SIZE(bg_hook_ops));
}

void bg_hooks_unregister(struct net *net)
{
	nf_unregister_net_hooks(net, bg_hook_ops, ARRAY_SIZE(bg_hook_ops));
}
