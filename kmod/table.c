// SPDX-License-Identifier: GPL-2.0
/*
 * The source table of one netns: a hash of tracked sources keyed by
 * (rule, masked source address) with a secret random jhash seed, since
 * the addresses are the attacker's choice (see bg_hash()).
 *
 * Readers (the packet path, /proc, netlink dumps) walk chains under RCU.
 * Inserts take one of a set of hashed bucket locks, never a global one.
 * The bucket word of an entry is updated with cmpxchg, so a known source
 * costs no lock at all. Removal is always hlist_del_rcu + call_rcu.
 *
 * Bound: at most max_sources entries and BG_CHAIN_MAX per chain. When a
 * new source finds no room, it may take the place of an entry in its own
 * chain or the next few (BG_EVICT_CHAINS) that is idle or was never
 * refused, the least recently seen first. A throttled or banned source is
 * never evicted, so spoofed floods cannot wash a real attacker out. If
 * there is no such entry the attempt is let through untracked and counted
 * as table_full: a full table never costs a legitimate client a refusal.
 *
 * Structure changes other than the packet path's (GC, forget, flush,
 * resize) are serialised by bn->conf_mutex.
 */
#include <linux/jhash.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/rculist.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <net/ipv6.h>
#include "internal.h"

/* Sources idle this long with a full bucket are reclaimed by GC. */
#define BG_GC_IDLE_NS		(2 * NSEC_PER_SEC)
#define BG_GC_PERIOD		HZ
#define BG_LOAD_FACTOR		4	/* average chain length when full */
#define BG_EVICT_CHAINS		8	/* chains searched for a victim */

struct bg_entry {
	struct hlist_node node;
	struct rcu_head rcu;
	u64 tat;		/* bucket word: see bucket.h */
	u64 last_ns;		/* time of the last attempt */
	atomic_t attempts;
	atomic_t drops;
	struct bg_key key;	/* last: IPv4 entries are allocated short */
};

#define BG_ENTRY4_SIZE	(offsetof(struct bg_entry, key.addr) + sizeof(__be32))
#define BG_ENTRY6_SIZE	sizeof(struct bg_entry)

struct bg_table {
	u32 mask;		/* buckets - 1 */
	unsigned int lock_mask;
	spinlock_t *locks;
	atomic_t count;
	atomic_t gen;
	struct hlist_head buckets[];
};

static struct kmem_cache *bg_cache4 __read_mostly;
static struct kmem_cache *bg_cache6 __read_mostly;

int bg_table_cache_init(void)
{
	/* One cache line per IPv4 source is a promise in the README. */
	BUILD_BUG_ON(BG_ENTRY4_SIZE > 64);
	bg_cache4 = kmem_cache_create("burstguard_src4", BG_ENTRY4_SIZE, 0,
				      0, NULL);
	if (!bg_cache4)
		return -ENOMEM;
	bg_cache6 = kmem_cache_create("burstguard_src6", BG_ENTRY6_SIZE, 0,
				      0, NULL);
	if (!bg_cache6) {
		kmem_cache_destroy(bg_cache4);
		return -ENOMEM;
	}
	return 0;
}

void bg_table_cache_exit(void)
{
	/* Wait for every call_rcu() free before the caches go away. */
	rcu_barrier();
	kmem_cache_destroy(bg_cache6);
	kmem_cache_destroy(bg_cache4);
}

static struct kmem_cache *bg_cache(u8 family)
{
	return family == AF_INET ? bg_cache4 : bg_cache6;
}

static void bg_entry_free_rcu(struct rcu_head *head)
{
	struct bg_entry *e = container_of(head, struct bg_entry, rcu);

	kmem_cache_free(bg_cache(e->key.family), e);
}

static u32 bg_nbuckets(u32 max_sources)
{
	return roundup_pow_of_two(max_t(u32, max_sources / BG_LOAD_FACTOR, 16));
}

struct bg_table *bg_table_alloc(u32 max_sources)
{
	u32 n = bg_nbuckets(max_sources);
	struct bg_table *t;

	t = kvzalloc(struct_size(t, buckets, n), GFP_KERNEL);
	if (!t)
		return NULL;
	t->mask = n - 1;
	if (alloc_bucket_spinlocks(&t->locks, &t->lock_mask, n, 4,
				   GFP_KERNEL)) {
		kvfree(t);
		return NULL;
	}
	return t;
}

void bg_table_free(struct bg_table *t)
{
	struct bg_entry *e;
	struct hlist_node *tmp;
	u32 i;

	if (!t)
		return;
	for (i = 0; i <= t->mask; i++)
		hlist_for_each_entry_safe(e, tmp, &t->buckets[i], node)
			kmem_cache_free(bg_cache(e->key.family), e);
	free_bucket_spinlocks(t->locks);
	kvfree(t);
}

/*
 * jhash rather than hsiphash: a third of the instructions of a decision
 * went to hsiphash. This is safe here because
 *  - the seed is random and secret, per netns (from bn->hash_key, filled
 *    with get_random_bytes()), and the hash is never shown to anyone;
 *  - chains are capped at BG_CHAIN_MAX entries whatever the hash does, so
 *    a flood aimed at one chain costs a bounded walk per packet;
 *  - eviction never removes a throttled, banned or refused source, so
 *    even colliding sources cannot wash an attacker out of the table.
 */
static u32 bg_hash(const struct bg_net *bn, const struct bg_key *k)
{
	u32 seed = (u32)bn->hash_key.key[0];
	u32 meta = (u32)k->rule << 16 | (u32)k->family << 8 | k->plen;

	if (k->family == AF_INET)
		return jhash_2words(meta, (__force u32)k->addr.v4, seed);
	return jhash2((const u32 *)&k->addr.v6, 4, seed ^ meta);
}

static bool bg_key_eq(const struct bg_key *a, const struct bg_key *b)
{
	if (a->rule != b->rule || a->family != b->family || a->plen != b->plen)
		return false;
	if (a->family == AF_INET)
		return a->addr.v4 == b->addr.v4;
	return ipv6_addr_equal(&a->addr.v6, &b->addr.v6);
}

static spinlock_t *bg_lock(struct bg_table *t, u32 bucket)
{
	return &t->locks[bucket & t->lock_mask];
}

/* May this entry give its place to a new source? Lower is better. */
static int bg_evict_rank(const struct bg_entry *e, u64 now)
{
	u64 tat = READ_ONCE(e->tat);

	if (bg_bucket_idle(tat, now))
		return 0;
	if (!(tat & (BG_TAT_BANNED | BG_TAT_THROTTLED)) &&
	    !atomic_read(&e->drops))
		return 1;
	return -1;	/* throttled, banned, or refused before: keep it */
}

static struct bg_entry *bg_pick_victim(struct hlist_head *head, u64 now)
{
	struct bg_entry *e, *best = NULL;
	int rank, best_rank = 2;

	hlist_for_each_entry(e, head, node) {
		rank = bg_evict_rank(e, now);
		if (rank < 0)
			continue;
		if (rank < best_rank ||
		    (rank == best_rank &&
		     READ_ONCE(e->last_ns) < READ_ONCE(best->last_ns))) {
			best = e;
			best_rank = rank;
		}
	}
	return best;
}

/* Unlink @e from its chain; the caller holds its bucket lock. */
static void bg_entry_unlink(struct bg_table *t, struct bg_entry *e)
{
	hlist_del_rcu(&e->node);
	atomic_dec(&t->count);
	atomic_inc(&t->gen);
}

/* Take one more place in the table unless it holds max_sources already. */
static bool bg_count_get(struct bg_table *t, u32 max_sources)
{
	int c = atomic_read(&t->count);

	do {
		if (c >= (int)max_sources)
			return false;
	} while (!atomic_try_cmpxchg(&t->count, &c, c + 1));
	return true;
}

/* The per-source counters saturate at U32_MAX (include/burstguard.h). */
static __always_inline void bg_sat_inc(atomic_t *v)
{
	atomic_add_unless(v, 1, -1);
}

/* A new entry for @key; the caller fills in the bucket and the counters. */
static struct bg_entry *bg_entry_new(const struct bg_key *key, gfp_t gfp)
{
	struct bg_entry *e = kmem_cache_alloc(bg_cache(key->family), gfp);

	if (!e)
		return NULL;
	if (key->family == AF_INET)
		memcpy(&e->key, key, offsetof(struct bg_key, addr) +
				     sizeof(key->addr.v4));
	else
		e->key = *key;
	return e;
}

/*
 * The table is full: evict the best victim among a few chains starting at
 * @b, one lock at a time (never nested). Another CPU may take the freed
 * place first; the caller then counts table_full. Returns true on success.
 */
static bool bg_make_room(struct bg_net *bn, struct bg_table *t, u32 b,
			 u64 now)
{
	struct bg_entry *victim;
	unsigned int i;
	u32 x;

	for (i = 0; i < BG_EVICT_CHAINS; i++) {
		x = (b + i) & t->mask;
		if (hlist_empty(&t->buckets[x]))
			continue;
		spin_lock(bg_lock(t, x));
		victim = bg_pick_victim(&t->buckets[x], now);
		if (victim)
			bg_entry_unlink(t, victim);
		spin_unlock(bg_lock(t, x));
		if (victim) {
			call_rcu(&victim->rcu, bg_entry_free_rcu);
			bg_count(bn, BG_STAT_EVICTED);
			return true;
		}
	}
	return false;
}

/*
 * Insert @key into chain @b with its first attempt already decided in
 * *@d, or find it there if another CPU was faster (*@d is then -1: the
 * caller decides on the entry found). Returns NULL when the attempt stays
 * untracked (counted here).
 */
static struct bg_entry *bg_insert(struct bg_net *bn, struct bg_table *t,
				  u32 b, const struct bg_key *key,
				  const struct bg_limit *lim, u64 now,
				  u32 max_sources, int *d)
{
	struct hlist_head *head = &t->buckets[b];
	struct bg_entry *e, *n, *victim = NULL;
	unsigned int len = 0;
	u64 tat;

	n = bg_entry_new(key, GFP_ATOMIC | __GFP_NOWARN);
	if (!n) {
		bg_count(bn, BG_STAT_ALLOC_FAILED);
		return NULL;
	}
	/*
	 * The first attempt goes straight into the new entry before anyone
	 * can see it (the RCU publication below orders these stores): no
	 * cmpxchg round trip for a new source.
	 */
	*d = bg_bucket_decide(0, now, lim->interval_ns, lim->window_ns,
			      lim->ban_ns, &tat);
	n->tat = tat;
	n->last_ns = now;
	atomic_set(&n->attempts, 1);
	atomic_set(&n->drops, *d >= BG_REFUSE);
	if (atomic_read(&t->count) >= (int)max_sources)
		bg_make_room(bn, t, b, now);

	spin_lock(bg_lock(t, b));
	hlist_for_each_entry(e, head, node) {
		if (bg_key_eq(&e->key, key))
			goto found;
		len++;
	}
	if (len >= BG_CHAIN_MAX) {
		/* A long chain is a hash attack or bad luck: stay bounded. */
		victim = bg_pick_victim(head, now);
		if (!victim)
			goto full;
		hlist_replace_rcu(&victim->node, &n->node);
		bg_count(bn, BG_STAT_EVICTED);
	} else if (bg_count_get(t, max_sources)) {
		hlist_add_head_rcu(&n->node, head);
	} else {
		goto full;
	}
	atomic_inc(&t->gen);
	spin_unlock(bg_lock(t, b));

	if (victim)
		call_rcu(&victim->rcu, bg_entry_free_rcu);
	bg_count(bn, BG_STAT_CREATED);
	return n;

found:
	spin_unlock(bg_lock(t, b));
	kmem_cache_free(bg_cache(key->family), n);
	*d = -1;
	return e;
full:
	spin_unlock(bg_lock(t, b));
	kmem_cache_free(bg_cache(key->family), n);
	bg_count(bn, BG_STAT_TABLE_FULL);
	bg_event(bn, BG_EVENT_TABLE_FULL, key);
	return NULL;
}

/* Announce what decision @d changed for @e, if anything. */
static void bg_entry_announce(struct bg_net *bn, struct bg_entry *e, int d)
{
	switch (d) {
	case BG_ALLOW:
		break;
	case BG_ALLOW_RELEASED:
		bg_event(bn, BG_EVENT_RELEASED, &e->key);
		break;
	case BG_REFUSE_THROTTLED:
		bg_event(bn, BG_EVENT_THROTTLED, &e->key);
		break;
	case BG_REFUSE_BAN_START:
		bg_event(bn, BG_EVENT_BANNED, &e->key);
		break;
	}
}

/* Apply one attempt to the bucket of @e; lock-free. */
static int bg_entry_decide(struct bg_net *bn, struct bg_entry *e,
			   const struct bg_limit *lim, u64 now)
{
	u64 old = READ_ONCE(e->tat), next, prev;
	int d, tries = 0;

	bg_sat_inc(&e->attempts);
	WRITE_ONCE(e->last_ns, now);
	for (;;) {
		d = bg_bucket_decide(old, now, lim->interval_ns, lim->window_ns,
				     lim->ban_ns, &next);
		if (next == old)
			break;
		prev = cmpxchg64(&e->tat, old, next);
		if (prev == old)
			break;
		/* Another CPU moved the bucket: decide again on its word. */
		old = prev;
		if (++tries > 16)
			break;
	}

	if (d >= BG_REFUSE)
		bg_sat_inc(&e->drops);
	if (d != BG_ALLOW)
		bg_entry_announce(bn, e, d);
	return d;
}

int bg_table_account(struct bg_net *bn, const struct bg_key *key,
		     const struct bg_limit *lim, u32 max_sources)
{
	struct bg_table *t = rcu_dereference(bn->table);
	u64 now = ktime_get_ns();
	struct bg_entry *e;
	u32 b = bg_hash(bn, key) & t->mask;
	int d;

	hlist_for_each_entry_rcu(e, &t->buckets[b], node)
		if (bg_key_eq(&e->key, key))
			return bg_entry_decide(bn, e, lim, now);

	e = bg_insert(bn, t, b, key, lim, now, max_sources, &d);
	if (!e)
		return BG_ALLOW;
	if (d < 0)
		return bg_entry_decide(bn, e, lim, now);
	if (d != BG_ALLOW)
		bg_entry_announce(bn, e, d);
	return d;
}

u32 bg_table_count(struct bg_net *bn)
{
	u32 n;

	rcu_read_lock();
	n = atomic_read(&rcu_dereference(bn->table)->count);
	rcu_read_unlock();
	return n;
}

u32 bg_table_gen(struct bg_net *bn)
{
	u32 g;

	rcu_read_lock();
	g = atomic_read(&rcu_dereference(bn->table)->gen);
	rcu_read_unlock();
	return g;
}

static const struct bg_limit *bg_rule_limit(const struct bg_conf *c, u16 id)
{
	u32 i;

	for (i = 0; i < c->nrules; i++)
		if (c->rules[i].id == id)
			return &c->rules[i].limit;
	return &c->limit;	/* the default, or a rule deleted since */
}

static void bg_entry_info(const struct bg_entry *e, const struct bg_conf *c,
			  u64 now, struct bg_source *s)
{
	const struct bg_limit *lim = bg_rule_limit(c, e->key.rule);
	u64 tat = READ_ONCE(e->tat), last = READ_ONCE(e->last_ns);

	memset(s, 0, sizeof(*s));
	if (e->key.family == AF_INET)
		memcpy(&s->key, &e->key, BG_ENTRY4_SIZE -
		       offsetof(struct bg_entry, key));
	else
		s->key = e->key;
	s->attempts = atomic_read(&e->attempts);
	s->drops = atomic_read(&e->drops);
	s->tokens = bg_bucket_tokens(tat, now, lim->interval_ns,
				     lim->window_ns);
	s->ban_left_ns = bg_bucket_ban_left(tat, now);
	s->idle_ns = now > last ? now - last : 0;
	if (s->ban_left_ns)
		s->state = BG_STATE_BANNED;
	else if (!s->tokens)
		s->state = BG_STATE_THROTTLED;
	else
		s->state = BG_STATE_OK;
}

int bg_table_walk(struct bg_net *bn, unsigned long *bucket,
		  unsigned long *skip,
		  int (*fn)(const struct bg_source *s, void *arg), void *arg)
{
	const struct bg_conf *c;
	struct bg_table *t;
	struct bg_entry *e;
	struct bg_source s;
	unsigned long n;
	u64 now = ktime_get_ns();
	int ret = 0;

	rcu_read_lock();
	c = rcu_dereference(bn->conf);
	t = rcu_dereference(bn->table);
	for (; *bucket <= t->mask; (*bucket)++, *skip = 0) {
		n = 0;
		hlist_for_each_entry_rcu(e, &t->buckets[*bucket], node) {
			if (n++ < *skip)
				continue;
			bg_entry_info(e, c, now, &s);
			if (fn(&s, arg)) {
				*skip = n - 1;
				ret = 1;
				goto out;
			}
		}
	}
out:
	rcu_read_unlock();
	return ret;
}

int bg_table_walk_bucket(struct bg_net *bn, unsigned long bucket,
			 int (*fn)(const struct bg_source *s, void *arg),
			 void *arg)
{
	const struct bg_conf *c;
	struct bg_table *t;
	struct bg_entry *e;
	struct bg_source s;
	u64 now = ktime_get_ns();
	int ret = -ENOENT;

	rcu_read_lock();
	c = rcu_dereference(bn->conf);
	t = rcu_dereference(bn->table);
	if (bucket <= t->mask) {
		ret = 0;
		hlist_for_each_entry_rcu(e, &t->buckets[bucket], node) {
			bg_entry_info(e, c, now, &s);
			ret = fn(&s, arg);
			if (ret)
				break;
		}
	}
	rcu_read_unlock();
	return ret;
}

unsigned long bg_table_nbuckets(struct bg_net *bn)
{
	unsigned long n;

	rcu_read_lock();
	n = rcu_dereference(bn->table)->mask + 1UL;
	rcu_read_unlock();
	return n;
}

/* Idle with a full bucket for BG_GC_IDLE_NS: GC may forget it. */
static bool bg_entry_expired(const struct bg_entry *e, u64 now)
{
	return bg_bucket_idle(READ_ONCE(e->tat), now) &&
	       now - READ_ONCE(e->last_ns) >= BG_GC_IDLE_NS;
}

/* Unlink @e from its chain (bucket lock held) and free it after readers. */
static void bg_entry_remove(struct bg_table *t, struct bg_entry *e)
{
	bg_entry_unlink(t, e);
	call_rcu(&e->rcu, bg_entry_free_rcu);
}

/* Does some entry of @head look expired? Lockless, under RCU. */
static bool bg_chain_expired(struct hlist_head *head, u64 now)
{
	struct bg_entry *e;
	bool ret = false;

	rcu_read_lock();
	hlist_for_each_entry_rcu(e, head, node) {
		if (bg_entry_expired(e, now)) {
			ret = true;
			break;
		}
	}
	rcu_read_unlock();
	return ret;
}

/*
 * Remove every entry for which @match says so, bucket by bucket, with a
 * chance to reschedule between buckets. Returns how many went.
 *
 * GC passes @dead: only chains where an entry looks expired are locked
 * (a pass that expires nothing takes no lock and disables no bottom
 * half), and the removed entries are chained on *@dead through their
 * rcu_head for the caller to free after one grace period, instead of
 * one call_rcu() each.
 */
static u32 bg_table_prune(struct bg_net *bn,
			  bool (*match)(struct bg_net *bn, struct bg_entry *e,
					const void *arg, u64 now),
			  const void *arg, struct rcu_head **dead)
{
	struct bg_table *t = rcu_dereference_protected(bn->table,
			lockdep_is_held(&bn->conf_mutex));
	struct hlist_node *tmp;
	struct bg_entry *e;
	u64 now = ktime_get_ns();
	u32 b, removed = 0;

	/* Most namespaces track nobody: GC then skips the walk. */
	if (dead && !atomic_read(&t->count))
		return 0;
	for (b = 0; b <= t->mask; b++) {
		if (hlist_empty(&t->buckets[b]))
			goto next;
		if (dead && !bg_chain_expired(&t->buckets[b], now))
			goto next;
		spin_lock_bh(bg_lock(t, b));
		hlist_for_each_entry_safe(e, tmp, &t->buckets[b], node) {
			if (!match(bn, e, arg, now))
				continue;
			if (dead) {
				bg_entry_unlink(t, e);
				e->rcu.next = *dead;
				*dead = &e->rcu;
			} else {
				bg_entry_remove(t, e);
			}
			removed++;
		}
		spin_unlock_bh(bg_lock(t, b));
next:
		if ((b & 255) == 255)
			cond_resched();
	}
	return removed;
}

static bool bg_match_expired(struct bg_net *bn, struct bg_entry *e,
			     const void *arg, u64 now)
{
	u64 tat = READ_ONCE(e->tat);

	if (!bg_entry_expired(e, now))
		return false;
	/* A source that was refused until it went quiet is released now. */
	if (tat & (BG_TAT_BANNED | BG_TAT_THROTTLED))
		bg_event(bn, BG_EVENT_RELEASED, &e->key);
	bg_count(bn, BG_STAT_EXPIRED);
	return true;
}

void bg_gc_work(struct work_struct *work)
{
	struct bg_net *bn = container_of(to_delayed_work(work), struct bg_net,
					 gc_work);
	struct rcu_head *dead = NULL, *next;
	unsigned int n = 0;

	mutex_lock(&bn->conf_mutex);
	bg_table_prune(bn, bg_match_expired, NULL, &dead);
	mutex_unlock(&bn->conf_mutex);
	if (dead) {
		/* One grace period for the whole pass; then nobody sees them. */
		synchronize_rcu();
		for (; dead; dead = next) {
			next = dead->next;
			bg_entry_free_rcu(dead);
			if (!(++n & 255))
				cond_resched();
		}
	}
	queue_delayed_work(system_power_efficient_wq, &bn->gc_work,
			   BG_GC_PERIOD);
}

static bool bg_match_prefix(struct bg_net *bn, struct bg_entry *e,
			    const void *arg, u64 now)
{
	const struct bg_prefix *p = arg;
	struct bg_prefix q = { .family = p->family };
	struct in6_addr a = {};

	if (e->key.family != p->family)
		return false;
	/* Overlap: the shorter of the two prefixes holds the other. */
	q.len = min(p->len, e->key.plen);
	q.addr = p->addr;
	bg_prefix_mask(&q);
	if (p->family == AF_INET)
		a.s6_addr32[0] = e->key.addr.v4;
	else
		a = e->key.addr.v6;
	return bg_prefix_match(&q, p->family, &a);
}

u32 bg_table_forget(struct bg_net *bn, const struct bg_prefix *p)
{
	return bg_table_prune(bn, bg_match_prefix, p, NULL);
}

static bool bg_match_all(struct bg_net *bn, struct bg_entry *e,
			 const void *arg, u64 now)
{
	return true;
}

u32 bg_table_flush(struct bg_net *bn)
{
	return bg_table_prune(bn, bg_match_all, NULL, NULL);
}

bool bg_table_needs_resize(const struct bg_table *t, u32 max_sources)
{
	return t->mask + 1 != bg_nbuckets(max_sources) ||
	       atomic_read(&t->count) > (int)max_sources;
}

/* A source copied out of the old table, so allocation may sleep. */
struct bg_snap {
	u64 tat;
	u64 last_ns;
	u32 attempts;
	u32 drops;
	struct bg_key key;
};

/*
 * Copy the entries of one chain of @old whose keep-rank is @pass (0:
 * entries that must survive, 1: the rest) into @nt, up to max_sources.
 */
static void bg_copy_chain(struct bg_net *bn, struct bg_table *old, u32 b,
			  struct bg_table *nt, u32 max_sources, int pass,
			  u64 now)
{
	struct bg_snap snap[BG_CHAIN_MAX];
	struct bg_entry *e;
	unsigned int n = 0, i;

	rcu_read_lock();
	hlist_for_each_entry_rcu(e, &old->buckets[b], node) {
		if ((bg_evict_rank(e, now) < 0) != (pass == 0))
			continue;
		if (n == ARRAY_SIZE(snap))
			break;
		snap[n].tat = READ_ONCE(e->tat);
		snap[n].last_ns = READ_ONCE(e->last_ns);
		snap[n].attempts = atomic_read(&e->attempts);
		snap[n].drops = atomic_read(&e->drops);
		/* An IPv4 entry ends after addr.v4: read no further. */
		memset(&snap[n].key, 0, sizeof(snap[n].key));
		if (e->key.family == AF_INET)
			memcpy(&snap[n].key, &e->key,
			       offsetof(struct bg_key, addr) +
			       sizeof(e->key.addr.v4));
		else
			snap[n].key = e->key;
		n++;
	}
	rcu_read_unlock();

	for (i = 0; i < n; i++) {
		u32 nb = bg_hash(bn, &snap[i].key) & nt->mask;
		unsigned int len = 0;
		struct bg_entry *x;

		hlist_for_each_entry(x, &nt->buckets[nb], node)
			len++;
		if (len >= BG_CHAIN_MAX || !bg_count_get(nt, max_sources))
			continue;
		e = bg_entry_new(&snap[i].key, GFP_KERNEL);
		if (!e) {
			atomic_dec(&nt->count);
			continue;
		}
		e->tat = snap[i].tat;
		e->last_ns = snap[i].last_ns;
		atomic_set(&e->attempts, snap[i].attempts);
		atomic_set(&e->drops, snap[i].drops);
		hlist_add_head(&e->node, &nt->buckets[nb]);
	}
}

struct bg_table *bg_table_resized(struct bg_net *bn, struct bg_table *old,
				  u32 max_sources)
{
	struct bg_table *nt = bg_table_alloc(max_sources);
	u64 now = ktime_get_ns();
	int pass;
	u32 b;

	if (!nt)
		return NULL;
	/* A dump that spans the swap must see the generation move. */
	atomic_set(&nt->gen, atomic_read(&old->gen) + 1);
	/* Sources that must stay tracked first, so a smaller table keeps them. */
	for (pass = 0; pass < 2; pass++) {
		for (b = 0; b <= old->mask; b++) {
			bg_copy_chain(bn, old, b, nt, max_sources, pass, now);
			cond_resched();
		}
	}
	return nt;
}

void bg_stats_read(struct bg_net *bn, u64 out[__BG_STAT_MAX])
{
	const struct bg_conf *c;
	int cpu, i;

	memset(out, 0, sizeof(u64) * __BG_STAT_MAX);
	for_each_possible_cpu(cpu) {
		const struct bg_stats *s = per_cpu_ptr(bn->stats, cpu);

		for (i = 0; i < __BG_STAT_MAX; i++)
			out[i] += READ_ONCE(s->v[i]);
	}
	out[BG_STAT_SOURCES] = bg_table_count(bn);
	rcu_read_lock();
	c = rcu_dereference(bn->conf);
	out[BG_STAT_MAX_SOURCES] = c->max_sources;
	rcu_read_unlock();
}
