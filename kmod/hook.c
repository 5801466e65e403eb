// SPDX-License-Identifier: GPL-2.0
/*
 * The packet path. Runs for every packet entering a netns (PRE_ROUTING,
 * after defragmentation, before conntrack), so anything that is not a
 * connection attempt leaves after a few loads, and an attempt costs a
 * local-address lookup, a checksum check (free when the device checked
 * it), one RCU table lookup and one cmpxchg (a new source: one insert
 * instead). Netfilter calls hooks under rcu_read_lock() with bottom
 * halves off.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/tcp.h>
#include <linux/timekeeping.h>
#include <net/addrconf.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/route.h>
#include <net/netfilter/ipv4/nf_reject.h>
#include <net/netfilter/ipv6/nf_reject.h>
#include "internal.h"

/*
 * After defrag (-400), which pernet.c enables in every netns: a SYN sent
 * in fragments, however small, out of order or duplicated, reaches us
 * reassembled and is judged like any other (overlapping fragments never
 * reassemble: the kernel drops the datagram). Before raw (-300) and
 * conntrack (-200): an attempt we refuse never costs a conntrack entry.
 * NF_IP6_PRI_* has the same values.
 */
#define BG_HOOK_PRIORITY	(NF_IP_PRI_CONNTRACK_DEFRAG + 50)

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

static void bg_reject(struct sk_buff *skb, const struct nf_hook_state *state,
		      u8 family)
{
	if (family == AF_INET)
		nf_send_reset(state->net, state->sk, skb, state->hook);
	else
		nf_send_reset6(state->net, state->sk, skb, state->hook);
}

/*
 * May this netns send one more reset? A GCRA word per netns, updated by
 * compare-and-swap: no lock, and a flood of forged sources gets at most
 * reject_rate resets out of the host.
 */
static bool bg_reject_allowed(struct bg_net *bn, u64 now)
{
	u64 tat, next;

	tat = atomic64_read(&bn->reject_tat);
	do {
		if (bg_bucket_decide(tat, now, bg_reject_interval_ns,
				     bg_reject_window_ns, 0, &next) >
		    BG_ALLOW_RELEASED)
			return false;
	} while (!atomic64_try_cmpxchg(&bn->reject_tat, &tat, next));
	return true;
}

/* Refuse an attempt the way @lim says; returns the netfilter verdict. */
static unsigned int bg_refuse(struct bg_net *bn, struct sk_buff *skb,
			      const struct nf_hook_state *state, u8 family,
			      const struct bg_limit *lim, bool banned, u64 now)
{
	switch (lim->mode) {
	case BG_MODE_MONITOR:
		bg_stat_inc(bn, BG_STAT_WOULD_DROP);
		return NF_ACCEPT;
	case BG_MODE_REJECT:
		if (unlikely(!bg_reject_allowed(bn, now))) {
			/* Over the reset budget: dropped without an answer. */
			bg_stat_inc(bn, BG_STAT_REJECT_LIMITED);
			bg_stat_inc(bn, banned ? BG_STAT_BANNED : BG_STAT_DROPPED);
			return NF_DROP;
		}
		bg_stat_inc(bn, banned ? BG_STAT_BANNED : BG_STAT_REJECTED);
		bg_reject(skb, state, family);
		return NF_DROP;
	default:
		bg_stat_inc(bn, banned ? BG_STAT_BANNED : BG_STAT_DROPPED);
		return NF_DROP;
	}
}

/*
 * Does the aggregate of @lim take one more attempt? Its one shared word,
 * by compare-and-swap like a source's; a refusal writes it only to mark
 * the episode or to cut a debt a loosened total left (best effort).
 */
static noinline bool bg_total_allow(const struct bg_limit *lim, u64 now)
{
	atomic64_t *w = &lim->total->tat;
	u64 tat = atomic64_read(w), next;

	do {
		if (bg_bucket_decide(tat, now, lim->total_interval_ns,
				     lim->total_window_ns, 0, &next) >
		    BG_ALLOW_RELEASED) {
			if (next != tat)
				atomic64_try_cmpxchg(w, &tat, next);
			atomic64_inc(&lim->total->refused);
			return false;
		}
	} while (!atomic64_try_cmpxchg(w, &tat, next));
	return true;
}

/* The netmask of a /@bits IPv4 prefix, @bits <= 32. */
static __always_inline __be32 bg_mask32(unsigned int bits)
{
	return bits ? htonl(~0U << (32 - bits)) : 0;
}

/* bg_prefix_mask() for an IPv6 address, inline: @bits <= 128. */
static __always_inline void bg_mask6(struct in6_addr *a, unsigned int bits)
{
	unsigned int i = bits / 32;

	if (i >= 4)
		return;
	a->s6_addr32[i] &= bg_mask32(bits % 32);
	while (++i < 4)
		a->s6_addr32[i] = 0;
}

/* The decisions that change a source's state, announced below. */
#define BG_ANNOUNCED	(1U << BG_ALLOW_RELEASED | 1U << BG_REFUSE_THROTTLED | \
			 1U << BG_REFUSE_BAN_START)

/* Announce what decision @d of the table changed for @key under @lim. */
static noinline void bg_announce(struct bg_net *bn, const struct bg_conf *c,
				 const struct bg_key *key,
				 const struct bg_limit *lim, int d, u64 now)
{
	u32 ban = lim->ban;

	switch (d) {
	case BG_ALLOW_RELEASED:
		bg_event(bn, BG_EVENT_RELEASED, key, 0);
		break;
	case BG_REFUSE_THROTTLED:
		bg_event(bn, BG_EVENT_THROTTLED, key, 0);
		break;
	case BG_REFUSE_BAN_START:
		/*
		 * Escalating bans: a strike more, and a ban doubled per
		 * earlier strike (the table started it at ban; lengthen it).
		 */
		if (lim->ban_max > lim->ban) {
			ban = bg_strikes_ban(bn, key, lim, c->strikes_forget,
					     now);
			if (ban > lim->ban)
				bg_table_extend_ban(bn, key,
						    now + (u64)ban * NSEC_PER_SEC);
		}
		bg_event(bn, BG_EVENT_BANNED, key, ban);
		break;
	}
}

/*
 * One connection attempt of the source in @key (family and unmasked
 * address filled in) to TCP port @dport, under the settings @c.
 */
static __always_inline unsigned int bg_attempt(struct bg_net *bn,
					       const struct bg_conf *c,
					       struct sk_buff *skb,
					       const struct nf_hook_state *state,
					       struct bg_key *key, u16 dport)
{
	const struct bg_limit *lim;
	u64 now;
	int d;

	bg_stat_inc(bn, BG_STAT_ATTEMPTS);
	now = ktime_get_ns();
	/* The allowlist first: an allowed /32 inside a denied /16 is let in. */
	if ((state->in && (state->in->flags & IFF_LOOPBACK)) ||
	    bg_list_match(rcu_dereference(bn->lists[0]), key->family,
			  &key->addr.v6, now)) {
		bg_stat_inc(bn, BG_STAT_ALLOWLISTED);
		return NF_ACCEPT;
	}
	if (bg_list_match(rcu_dereference(bn->lists[1]), key->family,
			  &key->addr.v6, now)) {
		bg_stat_inc(bn, BG_STAT_DENIED);
		return NF_DROP;
	}

	lim = bg_pick_rule(c, dport, &key->rule);
	if (key->family == AF_INET) {
		key->plen = c->prefix4;
		key->addr.v4 &= bg_mask32(key->plen);
	} else {
		key->plen = c->prefix6;
		bg_mask6(&key->addr.v6, key->plen);
	}

	d = bg_table_account(bn, key, lim, c->max_sources, now);
	if (unlikely(d & BG_UNTRACKED)) {
		/* Its overflow slot decided: no state of its own changed. */
		if (d & BG_UNTRACKED_FULL)
			bg_event(bn, BG_EVENT_TABLE_FULL, key, 0);
		d = BG_DECISION(d);
	} else if (unlikely(BG_ANNOUNCED & (1U << d))) {
		bg_announce(bn, c, key, lim, d, now);
	}
	switch (d) {
	case BG_ALLOW:
	case BG_ALLOW_RELEASED:
		/* Within its own limit; now the rule's total, if it has one. */
		if (unlikely(lim->total) && !bg_total_allow(lim, now)) {
			bg_stat_inc(bn, BG_STAT_TOTAL_REFUSED);
			return bg_refuse(bn, skb, state, key->family, lim,
					 false, now);
		}
		bg_stat_inc(bn, BG_STAT_ALLOWED);
		return NF_ACCEPT;
	case BG_REFUSE_BANNED:
		return bg_refuse(bn, skb, state, key->family, lim, true, now);
	default:
		return bg_refuse(bn, skb, state, key->family, lim, false, now);
	}
}

/* A SYN that is not an attempt: counted in @s only, let through. */
static unsigned int bg_not_attempt(struct bg_net *bn, enum bg_stat s)
{
	bg_stat_inc(bn, s);
	return NF_ACCEPT;
}

/*
 * The attempt paths stay out of line: the hooks themselves then have no
 * stack buffer (no canary, nothing to zero) for the packets that are not
 * attempts, which are nearly all of them.
 *
 * Only real attempts count (include/burstguard.h): a SYN to an address
 * that is not this netns' own is forwarded traffic (a container's or a
 * VM's outgoing connection, a router's transit), judged only with
 * forward on; a SYN whose TCP checksum is wrong is left for TCP to drop
 * and never touches the bucket of the address it claims. nf_checksum()
 * is what conntrack uses at this hook: free for CHECKSUM_UNNECESSARY and
 * PARTIAL, a compare for COMPLETE, else one pass over the segment whose
 * result the skb keeps, so TCP does not sum it again. @thoff: the TCP
 * header's offset from the network header; @frag: a first fragment that
 * defrag let pass (raw notrack before defrag), whose checksum covers
 * bytes we do not have: judged without it.
 */
static noinline unsigned int bg_attempt4(struct bg_net *bn,
					 struct sk_buff *skb,
					 const struct nf_hook_state *state,
					 unsigned int thoff, u16 dport)
{
	const struct bg_conf *c = rcu_dereference(bn->conf);
	struct bg_key key = { .family = AF_INET };
	const struct iphdr *iph = ip_hdr(skb);

	if (!c->forward &&
	    inet_addr_type_dev_table(state->net, state->in, iph->daddr) !=
	    RTN_LOCAL)
		return bg_not_attempt(bn, BG_STAT_FORWARDED);
	if (likely(!(iph->frag_off & htons(IP_MF))) &&
	    nf_checksum(skb, state->hook, thoff, IPPROTO_TCP, AF_INET))
		return bg_not_attempt(bn, BG_STAT_BAD_CHECKSUM);
	key.addr.v4 = ip_hdr(skb)->saddr;
	return bg_attempt(bn, c, skb, state, &key, dport);
}

static noinline unsigned int bg_attempt6(struct bg_net *bn,
					 struct sk_buff *skb,
					 const struct nf_hook_state *state,
					 unsigned int thoff, u16 dport,
					 bool frag)
{
	const struct bg_conf *c = rcu_dereference(bn->conf);
	struct bg_key key = { .family = AF_INET6 };
	const struct ipv6hdr *ip6h = ipv6_hdr(skb);

	/* Any address of the input device's L3 domain; not tentative ones. */
	if (!c->forward &&
	    !ipv6_chk_addr_and_flags(state->net, &ip6h->daddr, state->in,
				     true, 0, IFA_F_TENTATIVE))
		return bg_not_attempt(bn, BG_STAT_FORWARDED);
	if (likely(!frag) &&
	    nf_checksum(skb, state->hook, thoff, IPPROTO_TCP, AF_INET6))
		return bg_not_attempt(bn, BG_STAT_BAD_CHECKSUM);
	key.addr.v6 = ipv6_hdr(skb)->saddr;
	return bg_attempt(bn, c, skb, state, &key, dport);
}

static noinline unsigned int bg_unparsable(struct bg_net *bn)
{
	bg_stat_inc(bn, BG_STAT_UNPARSABLE);
	return NF_ACCEPT;
}

/*
 * What the TCP header at @th is: BG_TCP_BAD (data offset below 5 words),
 * BG_TCP_ATTEMPT (SYN without ACK, and without RST, which no stack
 * answers, opens a connection) or BG_TCP_OTHER. Two byte loads.
 */
enum { BG_TCP_OTHER, BG_TCP_ATTEMPT, BG_TCP_BAD };
#define BG_TH_SYN	0x02
#define BG_TH_RST	0x04
#define BG_TH_ACK	0x10

static __always_inline int bg_tcp_kind(const u8 *th)
{
	/* byte 12: data offset << 4; byte 13: CWR ECE URG ACK PSH RST SYN FIN */
	if (unlikely(th[12] < (sizeof(struct tcphdr) / 4) << 4))
		return BG_TCP_BAD;
	return (th[13] & (BG_TH_SYN | BG_TH_ACK | BG_TH_RST)) == BG_TH_SYN;
}

/* A TCP header that is not all in the linear area: copy it out. */
static noinline unsigned int bg_hook4_copy(struct bg_net *bn,
					   struct sk_buff *skb,
					   const struct nf_hook_state *state,
					   unsigned int off)
{
	struct tcphdr _th;
	const struct tcphdr *th;

	th = skb_header_pointer(skb, off, sizeof(_th), &_th);
	if (!th)
		return bg_unparsable(bn);
	switch (bg_tcp_kind((const u8 *)th)) {
	case BG_TCP_ATTEMPT:
		return bg_attempt4(bn, skb, state, off, ntohs(th->dest));
	case BG_TCP_BAD:
		return bg_unparsable(bn);
	default:
		return NF_ACCEPT;
	}
}

/*
 * The hooks run for every packet: what is not a connection attempt leaves
 * after the protocol, the fragment offset and two bytes of the TCP header,
 * read in place. @priv is this netns' struct bg_net.
 */
static unsigned int bg_hook4(void *priv, struct sk_buff *skb,
			     const struct nf_hook_state *state)
{
	const struct iphdr *iph = ip_hdr(skb);
	unsigned int off;
	const u8 *th;
	int kind;

	if (iph->protocol != IPPROTO_TCP)
		return NF_ACCEPT;
	/*
	 * ip_rcv() has checked ihl, length and checksum of the IP header.
	 * Defrag has reassembled fragments before us; one that still comes
	 * here was let through undefragmented (raw notrack before defrag).
	 */
	if (unlikely(iph->frag_off & htons(IP_OFFSET)))
		return bg_unparsable(priv);
	off = ip_hdrlen(skb);
	if (unlikely(skb_headlen(skb) < off + sizeof(struct tcphdr)))
		return bg_hook4_copy(priv, skb, state, off);
	th = skb->data + off;
	kind = bg_tcp_kind(th);
	if (likely(kind == BG_TCP_OTHER))
		return NF_ACCEPT;
	if (kind == BG_TCP_BAD)
		return bg_unparsable(priv);
	return bg_attempt4(priv, skb, state, off,
			   ntohs(((const struct tcphdr *)th)->dest));
}

/* IPv6 with extension headers, or a TCP header not all linear. */
static noinline unsigned int bg_hook6_slow(struct bg_net *bn,
					   struct sk_buff *skb,
					   const struct nf_hook_state *state)
{
	u8 nexthdr = ipv6_hdr(skb)->nexthdr;
	struct tcphdr _th;
	const struct tcphdr *th;
	/* A fragment header's offset field, as ipv6_skip_exthdr() found it. */
	__be16 frag_off = 0;
	int off;

	if (nexthdr != IPPROTO_TCP) {
		if (!ipv6_ext_hdr(nexthdr))
			return NF_ACCEPT;
		off = ipv6_skip_exthdr(skb, sizeof(struct ipv6hdr), &nexthdr,
				       &frag_off);
		if (off < 0 || (frag_off & htons(~0x7)))
			return bg_unparsable(bn);
		if (nexthdr != IPPROTO_TCP)
			return NF_ACCEPT;
	} else {
		off = sizeof(struct ipv6hdr);
	}
	th = skb_header_pointer(skb, off, sizeof(_th), &_th);
	if (!th)
		return bg_unparsable(bn);
	switch (bg_tcp_kind((const u8 *)th)) {
	case BG_TCP_ATTEMPT:
		/* a first fragment that defrag let pass: see bg_attempt6() */
		return bg_attempt6(bn, skb, state, off, ntohs(th->dest),
				   frag_off & htons(IP6_MF));
	case BG_TCP_BAD:
		return bg_unparsable(bn);
	default:
		return NF_ACCEPT;
	}
}

static unsigned int bg_hook6(void *priv, struct sk_buff *skb,
			     const struct nf_hook_state *state)
{
	const struct ipv6hdr *ip6h = ipv6_hdr(skb);
	const u8 *th;
	int kind;

	/* Plain TCP, the common case, skips the extension header walk. */
	if (ip6h->nexthdr != IPPROTO_TCP) {
		if (!ipv6_ext_hdr(ip6h->nexthdr))
			return NF_ACCEPT;
		return bg_hook6_slow(priv, skb, state);
	}
	if (unlikely(skb_headlen(skb) <
		     sizeof(*ip6h) + sizeof(struct tcphdr)))
		return bg_hook6_slow(priv, skb, state);
	th = skb->data + sizeof(*ip6h);
	kind = bg_tcp_kind(th);
	if (likely(kind == BG_TCP_OTHER))
		return NF_ACCEPT;
	if (kind == BG_TCP_BAD)
		return bg_unparsable(priv);
	return bg_attempt6(priv, skb, state, sizeof(*ip6h),
			   ntohs(((const struct tcphdr *)th)->dest), false);
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

/*
 * Each netns registers its own copy of the hooks, with its struct bg_net
 * as priv: the packet path needs no net_generic() lookup. The copies live
 * in struct bg_net, which outlives the hooks (see pernet.c).
 */
int bg_hooks_register(struct net *net)
{
	struct bg_net *bn = bg_pernet(net);
	unsigned int i;

	BUILD_BUG_ON(ARRAY_SIZE(bn->hook_ops) != ARRAY_SIZE(bg_hook_ops));
	for (i = 0; i < ARRAY_SIZE(bg_hook_ops); i++) {
		bn->hook_ops[i] = bg_hook_ops[i];
		bn->hook_ops[i].priv = bn;
	}
	return nf_register_net_hooks(net, bn->hook_ops,
				     ARRAY_SIZE(bn->hook_ops));
}

void bg_hooks_unregister(struct net *net)
{
	struct bg_net *bn = bg_pernet(net);

	nf_unregister_net_hooks(net, bn->hook_ops, ARRAY_SIZE(bn->hook_ops));
}
