// SPDX-License-Identifier: GPL-2.0
/*
 * The allow and deny lists: up to BG_MAX_LIST_ENTRIES prefixes each, any
 * length, IPv4 and IPv6, each with an optional expiry.
 *
 * One hash table per list, keyed by (family, length, masked address) with
 * a per-list random seed, and a bitmap of the lengths present per family.
 * A lookup masks the address to each length present, longest first, and
 * probes the table once per length: its cost depends on how many lengths
 * are in use (at most 33 or 129), not on how many entries there are.
 *
 * Readers (the packet path) run under RCU without any lock. Writers run
 * in process context under bn->conf_mutex. The table grows by doubling:
 * every entry has two hash nodes, the new bucket array links the other
 * one, so readers still walking the old array are never misled; the old
 * array is freed after a grace period, and a second resize waits for the
 * grace period of the first (cond_synchronize_rcu) before reusing nodes.
 *
 * An entry whose expiry passed stops matching at once (the lookup checks
 * it) and is unlinked by the GC tick or by the next write of the list.
 */
#include <linux/bitmap.h>
#include <linux/bitops.h>
#include <linux/jhash.h>
#include <linux/random.h>
#include <linux/rculist.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <linux/vmalloc.h>
#include <linux/mm.h>
#include <net/ipv6.h>
#include "internal.h"

#define BG_LIST_MIN_BUCKETS	16

struct bg_lentry {
	struct hlist_node node[2];	/* node[tab->idx] links it in tab */
	struct rcu_head rcu;
	struct in6_addr addr;		/* masked to @len */
	u64 expires;			/* ktime_get_ns() deadline, 0: never */
	u8 family;
	u8 len;
};

struct bg_lbuckets {
	struct rcu_head rcu;
	u32 mask;			/* buckets - 1 */
	u8 idx;				/* which node of the entries */
	struct hlist_head b[];
};

struct bg_plist {
	struct bg_lbuckets __rcu *tab;
	u32 seed;
	u32 count;			/* entries linked, expired ones too */
	u32 ntimed;			/* of those, with an expiry */
	u64 next_expiry;		/* no timed entry expires before */
	bool live;			/* reachable by readers */
	unsigned long resize_cookie;	/* grace period of the last resize */
	u32 nlen[2][129];		/* entries per [v6][length] */
	/* Lengths present: bit L of IPv4 (0..32), of IPv6 (0..128). */
	unsigned long lens4[BITS_TO_LONGS(33)];
	unsigned long lens6[BITS_TO_LONGS(129)];
};

static inline struct bg_lentry *bg_lentry_of(struct hlist_node *n, u8 idx)
{
	return container_of(n - idx, struct bg_lentry, node[0]);
}

static inline struct bg_lbuckets *bg_list_tab(const struct bg_plist *l)
{
	/* Writers hold conf_mutex; readers use bg_list_match(). */
	return rcu_dereference_protected(l->tab, true);
}

static u32 bg_lhash(const struct bg_plist *l, u8 family, u8 len,
		    const struct in6_addr *a)
{
	u32 seed = l->seed ^ ((u32)family << 8 | len);

	if (family == AF_INET)
		return jhash_1word((__force u32)a->s6_addr32[0], seed);
	return jhash2((const u32 *)a->s6_addr32, 4, seed);
}

static struct bg_lbuckets *bg_lbuckets_alloc(u32 n, u8 idx)
{
	struct bg_lbuckets *t;
	u32 i;

	t = kvmalloc(struct_size(t, b, n), GFP_KERNEL_ACCOUNT);
	if (!t)
		return NULL;
	t->mask = n - 1;
	t->idx = idx;
	for (i = 0; i < n; i++)
		INIT_HLIST_HEAD(&t->b[i]);
	return t;
}

static void bg_lbuckets_free_rcu(struct rcu_head *head)
{
	kvfree(container_of(head, struct bg_lbuckets, rcu));
}

struct bg_plist *bg_list_alloc_sized(u32 hint)
{
	struct bg_plist *l = kzalloc(sizeof(*l), GFP_KERNEL_ACCOUNT);
	struct bg_lbuckets *t;
	u32 n = BG_LIST_MIN_BUCKETS;

	if (!l)
		return NULL;
	/* One bucket per entry expected, as growth would have made it. */
	hint = min(hint, BG_MAX_LIST_ENTRIES);
	while (n < hint)
		n *= 2;
	t = bg_lbuckets_alloc(n, 0);
	if (!t) {
		kfree(l);
		return NULL;
	}
	RCU_INIT_POINTER(l->tab, t);
	l->seed = get_random_u32();
	l->next_expiry = U64_MAX;
	l->resize_cookie = get_state_synchronize_rcu();
	return l;
}

struct bg_plist *bg_list_alloc(void)
{
	return bg_list_alloc_sized(0);
}

void bg_list_set_live(struct bg_plist *l)
{
	l->live = true;
}

void bg_list_free(struct bg_plist *l)
{
	struct bg_lbuckets *t;
	struct hlist_node *n, *tmp;
	u32 i;

	if (!l)
		return;
	t = bg_list_tab(l);
	for (i = 0; i <= t->mask; i++) {
		for (n = t->b[i].first; n; n = tmp) {
			tmp = n->next;
			kfree(bg_lentry_of(n, t->idx));
		}
		if (!(i & 1023))
			cond_resched();
	}
	kvfree(t);
	kfree(l);
}

u32 bg_list_count(const struct bg_plist *l)
{
	return READ_ONCE(l->count);
}

/* The entry equal to @p, or NULL. Writers only. */
static struct bg_lentry *bg_list_find(struct bg_plist *l,
				      const struct bg_prefix *p)
{
	struct bg_lbuckets *t = bg_list_tab(l);
	u32 h = bg_lhash(l, p->family, p->len, &p->addr);
	struct hlist_node *n;
	struct bg_lentry *e;

	for (n = t->b[h & t->mask].first; n; n = n->next) {
		e = bg_lentry_of(n, t->idx);
		if (e->family == p->family && e->len == p->len &&
		    ipv6_addr_equal(&e->addr, &p->addr))
			return e;
	}
	return NULL;
}

/* Double the buckets when there are more entries than buckets. */
static int bg_list_grow(struct bg_plist *l)
{
	struct bg_lbuckets *t = bg_list_tab(l), *nt;
	struct hlist_node *n;
	struct bg_lentry *e;
	u32 i, h;

	if (l->count < t->mask + 1 || t->mask + 1 >= (1U << 21))
		return 0;
	nt = bg_lbuckets_alloc((t->mask + 1) * 2, !t->idx);
	if (!nt)
		return -ENOMEM;
	/* Readers of the array before @t may still walk node[nt->idx]. */
	if (l->live)
		cond_synchronize_rcu(l->resize_cookie);
	for (i = 0; i <= t->mask; i++) {
		for (n = t->b[i].first; n; n = n->next) {
			e = bg_lentry_of(n, t->idx);
			h = bg_lhash(l, e->family, e->len, &e->addr);
			hlist_add_head_rcu(&e->node[nt->idx],
					   &nt->b[h & nt->mask]);
		}
		if (!(i & 1023))
			cond_resched();
	}
	rcu_assign_pointer(l->tab, nt);
	if (l->live) {
		l->resize_cookie = get_state_synchronize_rcu();
		call_rcu(&t->rcu, bg_lbuckets_free_rcu);
	} else {
		kvfree(t);
	}
	return 0;
}

static void bg_list_unlink(struct bg_plist *l, struct bg_lentry *e)
{
	struct bg_lbuckets *t = bg_list_tab(l);
	int v6 = e->family == AF_INET6;

	hlist_del_rcu(&e->node[t->idx]);
	WRITE_ONCE(l->count, l->count - 1);
	if (e->expires)
		l->ntimed--;
	if (!--l->nlen[v6][e->len])
		clear_bit(e->len, v6 ? l->lens6 : l->lens4);
	if (l->live)
		kfree_rcu(e, rcu);
	else
		kfree(e);
}

int bg_list_add(struct bg_plist *l, const struct bg_prefix *p, u64 expires,
		bool update)
{
	struct bg_lentry *e = bg_list_find(l, p);
	struct bg_lbuckets *t;
	int v6 = p->family == AF_INET6;
	u32 h;
	int ret;

	if (e) {
		if (!update)
			return -EEXIST;
		if (!e->expires != !expires)
			l->ntimed += expires ? 1 : -1;
		WRITE_ONCE(e->expires, expires);
		if (expires && expires < l->next_expiry)
			l->next_expiry = expires;
		return 0;
	}
	if (l->count >= BG_MAX_LIST_ENTRIES)
		return -ENOSPC;
	ret = bg_list_grow(l);
	if (ret)
		return ret;
	e = kzalloc(sizeof(*e), GFP_KERNEL_ACCOUNT);
	if (!e)
		return -ENOMEM;
	e->addr = p->addr;
	e->family = p->family;
	e->len = p->len;
	e->expires = expires;
	if (expires) {
		l->ntimed++;
		if (expires < l->next_expiry)
			l->next_expiry = expires;
	}
	t = bg_list_tab(l);
	h = bg_lhash(l, p->family, p->len, &p->addr);
	hlist_add_head_rcu(&e->node[t->idx], &t->b[h & t->mask]);
	WRITE_ONCE(l->count, l->count + 1);
	if (!l->nlen[v6][p->len]++)
		set_bit(p->len, v6 ? l->lens6 : l->lens4);
	return 0;
}

int bg_list_del(struct bg_plist *l, const struct bg_prefix *p)
{
	struct bg_lentry *e = bg_list_find(l, p);

	if (!e)
		return -ENOENT;
	bg_list_unlink(l, e);
	return 0;
}

u32 bg_list_expire(struct bg_plist *l, u64 now)
{
	struct bg_lbuckets *t;
	struct hlist_node *n, *tmp;
	struct bg_lentry *e;
	u64 next = U64_MAX;
	u32 i, gone = 0;

	if (!l->ntimed || l->next_expiry > now)
		return 0;
	t = bg_list_tab(l);
	for (i = 0; i <= t->mask; i++) {
		for (n = t->b[i].first; n; n = tmp) {
			tmp = n->next;
			e = bg_lentry_of(n, t->idx);
			if (!e->expires)
				continue;
			if (e->expires <= now) {
				bg_list_unlink(l, e);
				gone++;
			} else if (e->expires < next) {
				next = e->expires;
			}
		}
		if (!(i & 1023))
			cond_resched();
	}
	l->next_expiry = next;
	return gone;
}

struct bg_plist *bg_list_clone(struct bg_plist *l, u64 now, u32 extra)
{
	struct bg_plist *c = bg_list_alloc_sized(l->count + min(extra,
							 BG_MAX_LIST_ENTRIES));
	struct bg_lbuckets *t = bg_list_tab(l);
	struct hlist_node *n;
	struct bg_lentry *e;
	struct bg_prefix p;
	u32 i;

	if (!c)
		return NULL;
	for (i = 0; i <= t->mask; i++) {
		for (n = t->b[i].first; n; n = n->next) {
			e = bg_lentry_of(n, t->idx);
			if (e->expires && e->expires <= now)
				continue;
			memset(&p, 0, sizeof(p));
			p.addr = e->addr;
			p.family = e->family;
			p.len = e->len;
			if (bg_list_add(c, &p, e->expires, false)) {
				bg_list_free(c);
				return NULL;
			}
		}
		if (!(i & 1023))
			cond_resched();
	}
	return c;
}

/* Is there an unexpired entry of family @family, length @len, for @a? */
static bool bg_list_probe(const struct bg_plist *l,
			  const struct bg_lbuckets *t, u8 family, u8 len,
			  const struct in6_addr *a, u64 now)
{
	u32 h = bg_lhash(l, family, len, a);
	struct hlist_node *n;
	struct bg_lentry *e;
	u64 exp;

	for (n = rcu_dereference(hlist_first_rcu(&t->b[h & t->mask])); n;
	     n = rcu_dereference(hlist_next_rcu(n))) {
		e = bg_lentry_of(n, t->idx);
		if (e->len != len || e->family != family ||
		    !ipv6_addr_equal(&e->addr, a))
			continue;
		exp = READ_ONCE(e->expires);
		return !exp || exp > now;
	}
	return false;
}

/* The netmask of a /@bits IPv4 prefix, @bits <= 32. */
static inline __be32 bg_lmask32(unsigned int bits)
{
	return bits ? htonl(~0U << (32 - bits)) : 0;
}

bool bg_list_match(const struct bg_plist *l, u8 family,
		   const struct in6_addr *src, u64 now)
{
	const struct bg_lbuckets *t = rcu_dereference(l->tab);
	const unsigned long *lens = family == AF_INET ? l->lens4 : l->lens6;
	unsigned int nbits = family == AF_INET ? 33 : 129;
	unsigned int w, len, i;
	struct in6_addr a;
	unsigned long m;

	if (!READ_ONCE(l->count))
		return false;
	for (w = BITS_TO_LONGS(nbits); w-- > 0;) {
		m = READ_ONCE(lens[w]);
		while (m) {
			len = w * BITS_PER_LONG + __fls(m);
			m &= ~(1UL << __fls(m));
			if (len >= nbits)
				continue;
			a = *src;
			if (family == AF_INET) {
				a.s6_addr32[0] &= bg_lmask32(len);
			} else {
				i = len / 32;
				if (i < 4) {
					a.s6_addr32[i] &= bg_lmask32(len % 32);
					while (++i < 4)
						a.s6_addr32[i] = 0;
				}
			}
			if (bg_list_probe(l, t, family, len, &a, now))
				return true;
		}
	}
	return false;
}

int bg_list_walk(const struct bg_plist *l, u32 *bucket, u32 *pos, u64 now,
		 int (*fn)(const struct bg_prefix *p, u64 expires, void *arg),
		 void *arg)
{
	const struct bg_lbuckets *t = rcu_dereference(l->tab);
	struct hlist_node *n;
	struct bg_lentry *e;
	struct bg_prefix p;
	u64 exp;
	u32 k;
	int ret;

	for (; *bucket <= t->mask; (*bucket)++, *pos = 0) {
		k = 0;
		for (n = rcu_dereference(hlist_first_rcu(&t->b[*bucket])); n;
		     n = rcu_dereference(hlist_next_rcu(n)), k++) {
			if (k < *pos)
				continue;
			e = bg_lentry_of(n, t->idx);
			exp = READ_ONCE(e->expires);
			if (exp && exp <= now) {
				(*pos)++;
				continue;
			}
			memset(&p, 0, sizeof(p));
			p.addr = e->addr;
			p.family = e->family;
			p.len = e->len;
			ret = fn(&p, exp, arg);
			if (ret)
				return ret;
			(*pos)++;
		}
	}
	return 0;
}
