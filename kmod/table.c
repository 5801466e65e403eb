// SPDX-License-Identifier: GPL-2.0
/*
 * The source table of one netns: a hash of tracked sources keyed by
 * (rule, masked source address) with jhash under a random secret of the
 * table (jhash's initval), since the addresses are the attacker's choice
 * (bg_hash()). Should the secret ever be found out, a chain that fills
 * with sources that must stay makes the table rehash itself with a new
 * one (bg_rehash_request()).
 *
 * Readers (the packet path, /proc, netlink dumps) walk chains under RCU.
 * Inserts take one of a set of hashed chain locks, never a global one.
 * The bucket word of an entry is updated with cmpxchg, so a known source
 * costs no lock at all. Removal is always hlist_del_rcu + call_rcu.
 *
 * Bound: at most max_sources entries and BG_CHAIN_MAX per chain. When a
 * new source finds no room, it may take the place of an entry in its own
 * chain or the next few (BG_EVICT_CHAINS) that is idle or was never
 * refused, the least recently seen first. A throttled or banned source is
 * never evicted, so spoofed floods cannot wash a real attacker out.
 *
 * A full table is not an off switch: an attempt that gets no entry of its
 * own (no room, or no memory) is judged against an overflow slot, one of a
 * fixed array of bucket words allocated with the table and picked by the
 * same keyed hash, under the source's own rule limit, bans included. All
 * sources that overflow into one slot share its bucket, so a flood into a
 * full table can cost a new client that shares its slot a refusal, never
 * more than the limit allows one source (counted: overflow,
 * overflow_refused).
 *
 * Structure changes other than the packet path's (GC, forget, flush,
 * resize) are serialised by bn->conf_mutex.
 */
#include <linux/err.h>
#include <linux/jhash.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/netlink.h>
#include <linux/moduleparam.h>
#include <linux/percpu_counter.h>
#include <linux/random.h>
#include <linux/rculist.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <net/ipv6.h>
#include "internal.h"

/* Sources idle this long with a full bucket are reclaimed by GC. */
#define BG_GC_IDLE_NS		(2 * NSEC_PER_SEC)
#define BG_LOAD_FACTOR		4	/* average chain length when full */
#define BG_EVICT_CHAINS		8	/* chains searched for a victim */
#define BG_REHASH_GAP		(10 * HZ)	/* between two rehashes at most */

/* What a resize saw of an entry when it copied it (see bg_table_resized). */
struct bg_copied {
	u64 tat;
	u32 attempts;		/* 0: not copied (live entries have >= 1) */
	u32 drops;
};

struct bg_entry {
	struct hlist_node node;
	/*
	 * The snapshot is written only while the entry is linked, under its
	 * chain lock; the rcu_head only once it is unlinked (under the same
	 * lock), so the two never meet.
	 */
	union {
		struct rcu_head rcu;
		struct bg_copied copied;
	};
	u64 tat;		/* bucket word: see bucket.h */
	u64 last_ns;		/* time of the last attempt */
	atomic_t attempts;
	atomic_t drops;
	struct bg_key key;	/* last: IPv4 entries are allocated short */
};

#define BG_ENTRY4_SIZE	(offsetof(struct bg_entry, key) + BG_KEY4_SIZE)
#define BG_ENTRY6_SIZE	sizeof(struct bg_entry)

struct bg_table {
	u32 mask;		/* chains - 1, also overflow slots - 1 */
	u32 chain_secret;	/* jhash initval of bg_hash() */
	u32 slot_secret;	/* jhash initval of bg_slot(), kept by rehash */
	u64 slots_until;	/* ns: no slot is in debt or banned after */
	unsigned int lock_mask;
	spinlock_t *locks;
	u64 *slots;		/* overflow bucket words, mask + 1 of them */
	bool budgeted;		/* its entries count in bg_budget_used */
	/*
	 * Written by every insert and removal, on any CPU: a line of their
	 * own, away from the fields every lookup reads.
	 */
	atomic_t count ____cacheline_aligned_in_smp;
	atomic_t gen;
	struct hlist_head chains[] ____cacheline_aligned_in_smp;
};

/*
 * The sources tracked by all namespaces but the initial one, against the
 * module parameter netns_budget. A per-CPU counter: an insert writes a
 * word of its own CPU's, and the budget is read without summing, so it
 * holds to within BG_BUDGET_BATCH sources per online CPU. Only a new
 * source's insert checks it; moving sources between the tables of one
 * namespace (resize, rehash) counts them but never refuses one.
 */
static struct percpu_counter bg_budget_used;
#define BG_BUDGET_BATCH	32

static void bg_budget_add(const struct bg_table *t, s64 n)
{
	if (t->budgeted)
		percpu_counter_add_batch(&bg_budget_used, n, BG_BUDGET_BATCH);
}

static struct kmem_cache *bg_cache4 __read_mostly;
static struct kmem_cache *bg_cache6 __read_mostly;

int bg_table_cache_init(void)
{
	/* One cache line per IPv4 source is a promise in the README. */
	BUILD_BUG_ON(BG_ENTRY4_SIZE > 64);
	if (percpu_counter_init(&bg_budget_used, 0, GFP_KERNEL))
		return -ENOMEM;
	bg_cache4 = kmem_cache_create("burstguard_src4", BG_ENTRY4_SIZE, 0,
				      0, NULL);
	if (!bg_cache4)
		goto err_cache4;
	bg_cache6 = kmem_cache_create("burstguard_src6", BG_ENTRY6_SIZE, 0,
				      0, NULL);
	if (!bg_cache6)
		goto err_cache6;
	return 0;

err_cache6:
	kmem_cache_destroy(bg_cache4);
err_cache4:
	percpu_counter_destroy(&bg_budget_used);
	return -ENOMEM;
}

void bg_table_cache_exit(void)
{
	/* Wait for every call_rcu() free before the caches go away. */
	rcu_barrier();
	kmem_cache_destroy(bg_cache6);
	kmem_cache_destroy(bg_cache4);
	percpu_counter_destroy(&bg_budget_used);
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

/*
 * TEST ONLY: the first table of every new netns hashes with secret 0
 * instead of a random one, so that a test can compute sources that collide in one
 * chain (tests/bg_collide). Settable only when the module is loaded
 * (CAP_SYS_MODULE in the init namespace); never set it in production. A
 * rehash still draws a random secret.
 */
static bool test_zero_hash_seed;
module_param(test_zero_hash_seed, bool, 0444);
MODULE_PARM_DESC(test_zero_hash_seed, "TEST ONLY: a known hash seed (0) in every new netns, so tests can aim at one chain");

static u32 bg_nchains(u32 max_sources)
{
	return roundup_pow_of_two(max_t(u32, max_sources / BG_LOAD_FACTOR, 16));
}

struct bg_table *bg_table_alloc(u32 max_sources, bool budgeted)
{
	u32 n = bg_nchains(max_sources);
	struct bg_table *t;

	t = kvzalloc(struct_size(t, chains, n), GFP_KERNEL_ACCOUNT);
	if (!t)
		return NULL;
	t->mask = n - 1;
	t->budgeted = budgeted;
	t->chain_secret = test_zero_hash_seed ? 0 : get_random_u32();
	t->slot_secret = get_random_u32();
	/* One overflow slot per chain: 8 bytes per 4 sources at most. */
	t->slots = kvcalloc(n, sizeof(*t->slots), GFP_KERNEL_ACCOUNT);
	if (!t->slots)
		goto err;
	if (alloc_bucket_spinlocks(&t->locks, &t->lock_mask, n, 4,
				   GFP_KERNEL))
		goto err;
	return t;
err:
	kvfree(t->slots);
	kvfree(t);
	return NULL;
}

void bg_table_free(struct bg_table *t)
{
	struct bg_entry *e;
	struct hlist_node *tmp;
	u32 i;

	if (!t)
		return;
	for (i = 0; i <= t->mask; i++)
		hlist_for_each_entry_safe(e, tmp, &t->chains[i], node)
			kmem_cache_free(bg_cache(e->key.family), e);
	bg_budget_add(t, -atomic_read(&t->count));
	free_bucket_spinlocks(t->locks);
	kvfree(t->slots);
	kvfree(t);
}

/*
 * jhash rather than hsiphash: hsiphash cost 94 more instructions per
 * IPv4 decision, 51 per IPv6 one (bench/micro, callgrind), which the
 * bench targets cannot afford. That is safe here because
 *  - the initval is random and secret, per table, and no hash value is ever
 *    shown to anyone;
 *  - chains are capped at BG_CHAIN_MAX entries whatever the hash does, so
 *    a flood aimed at one chain costs a bounded walk per packet;
 *  - eviction never removes a throttled, banned or refused source, and an
 *    attempt that finds no room is judged by its overflow slot, so even
 *    colliding sources neither wash an attacker out nor pass unjudged;
 *  - a chain full of sources that must stay (which a random secret makes
 *    about impossible by chance) makes the table rehash with a new one,
 *    so even a secret found out stops working at once.
 */
static __always_inline u32 bg_jhash(const struct bg_key *k, u32 secret)
{
	u32 meta = (u32)k->rule << 16 | (u32)k->family << 8 | k->plen;

	if (k->family == AF_INET)
		return jhash_2words(meta, (__force u32)k->addr.v4, secret);
	return jhash2((const u32 *)&k->addr.v6, 4, secret ^ meta);
}

static u32 bg_hash(const struct bg_table *t, const struct bg_key *k)
{
	return bg_jhash(k, t->chain_secret);
}

/*
 * The overflow slot of @k: a hash of its own, under a secret that a rehash
 * keeps, so a source finds the same slot before and after (and a slot
 * hash does not depend on the table's size: see bg_fold_slots()).
 */
static u64 *bg_slot(const struct bg_table *t, const struct bg_key *k)
{
	return &t->slots[bg_jhash(k, t->slot_secret) & t->mask];
}

/* Note that a slot word runs until @tat (time part): see bg_insert(). */
static void bg_slots_note(struct bg_table *t, u64 tat)
{
	u64 until = tat & BG_TAT_TIME;

	/* Rounded up a second, so a flood writes this once a second. */
	if (until > READ_ONCE(t->slots_until))
		WRITE_ONCE(t->slots_until, until + NSEC_PER_SEC);
}

static bool bg_key_eq(const struct bg_key *a, const struct bg_key *b)
{
	if (a->rule != b->rule || a->family != b->family || a->plen != b->plen)
		return false;
	if (a->family == AF_INET)
		return a->addr.v4 == b->addr.v4;
	return ipv6_addr_equal(&a->addr.v6, &b->addr.v6);
}

static spinlock_t *bg_lock(struct bg_table *t, u32 chain)
{
	return &t->locks[chain & t->lock_mask];
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

/* Unlink @e from its chain; the caller holds its chain lock. */
static void bg_entry_unlink(struct bg_table *t, struct bg_entry *e)
{
	hlist_del_rcu(&e->node);
	atomic_dec(&t->count);
	bg_budget_add(t, -1);
	atomic_inc(&t->gen);
}

/* Have the namespaces under netns_budget used it up? */
static bool bg_budget_spent(const struct bg_table *t)
{
	return t->budgeted &&
	       percpu_counter_read(&bg_budget_used) >= bg_params_netns_budget();
}

/* Take one more place in the table unless it holds max_sources already. */
static bool bg_table_reserve(struct bg_table *t, u32 max_sources)
{
	int c = atomic_read(&t->count);

	do {
		if (c >= (int)max_sources)
			return false;
	} while (!atomic_try_cmpxchg(&t->count, &c, c + 1));
	bg_budget_add(t, 1);
	return true;
}

/* Give back a place bg_table_reserve() took. */
static void bg_table_unreserve(struct bg_table *t)
{
	atomic_dec(&t->count);
	bg_budget_add(t, -1);
}

/* The per-source counters saturate at U32_MAX (include/burstguard.h). */
static __always_inline void bg_sat_inc(atomic_t *v)
{
	atomic_add_unless(v, 1, -1);
}

/* A new entry for @key; the caller fills in the bucket and the counters. */
static __always_inline struct bg_entry *bg_entry_new(const struct bg_key *key,
						      gfp_t gfp)
{
	struct bg_entry *e = kmem_cache_alloc(bg_cache(key->family), gfp);

	if (!e)
		return NULL;
	e->copied.attempts = 0;
	bg_key_copy(&e->key, key);
	return e;
}

/*
 * The table is full and chain @b has no victim: evict the best victim
 * among the next few chains, one lock at a time (never nested). Another
 * CPU may take the freed place first. Returns true on success.
 */
static bool bg_make_room(struct bg_net *bn, struct bg_table *t, u32 b,
			 u64 now)
{
	struct bg_entry *victim;
	unsigned int i;
	u32 x;

	for (i = 1; i < BG_EVICT_CHAINS; i++) {
		x = (b + i) & t->mask;
		if (hlist_empty(&t->chains[x]))
			continue;
		spin_lock(bg_lock(t, x));
		victim = bg_pick_victim(&t->chains[x], now);
		if (victim)
			bg_entry_unlink(t, victim);
		spin_unlock(bg_lock(t, x));
		if (victim) {
			call_rcu(&victim->rcu, bg_entry_free_rcu);
			bg_stat_inc(bn, BG_STAT_EVICTED);
			return true;
		}
	}
	return false;
}

/*
 * A chain is full of sources that must stay: with a random secret that is
 * about impossible by chance, so the secret may be known. Rehash the table
 * with a new one, at most once per BG_REHASH_GAP.
 */
/* bg_insert() to bg_table_account(): call bg_rehash_request() (not uapi). */
#define BG_REHASH_WANTED	0x400

static void bg_rehash_request(struct bg_net *bn)
{
	unsigned long next, delay = 0;

	if (test_and_set_bit(BG_REHASH_PENDING, &bn->flags))
		return;
	next = READ_ONCE(bn->rehash_next);
	if (time_before(jiffies, next))
		delay = next - jiffies;
	queue_delayed_work(system_unbound_wq, &bn->rehash_work, delay);
}

/*
 * Insert @key into chain @b with its first attempt decided in *@d, or
 * find it there if another CPU was faster (*@d is then -1: the caller
 * decides on the entry found). The entry is allocated only once its place
 * is known, so a table full of sources that must stay costs no
 * allocation. Returns NULL when the attempt gets no entry (counted here):
 * the caller judges it by its overflow slot, and *@d says why
 * (BG_UNTRACKED, with BG_UNTRACKED_FULL when there was no room).
 */
static struct bg_entry *bg_insert(struct bg_net *bn, struct bg_table *t,
				  u32 h, const struct bg_key *key,
				  const struct bg_limit *lim, u64 now,
				  u32 max_sources, int *d)
{
	u32 b = h & t->mask;
	struct hlist_head *head = &t->chains[b];
	struct bg_entry *e, *n, *victim;
	bool tried = false;
	unsigned int len;
	u64 tat;

	spin_lock(bg_lock(t, b));
again:
	len = 0;
	victim = NULL;
	hlist_for_each_entry(e, head, node) {
		if (bg_key_eq(&e->key, key))
			goto found;
		len++;
	}
	/*
	 * Over the host budget no new entry is made, and none is evicted
	 * for one: the place an eviction frees may still read as spent.
	 */
	if (len < BG_CHAIN_MAX && unlikely(bg_budget_spent(t)))
		goto full;
	/* A long chain is bad luck (the key is secret): stay bounded. */
	if (len >= BG_CHAIN_MAX || !bg_table_reserve(t, max_sources)) {
		victim = bg_pick_victim(head, now);
		if (!victim) {
			if (len >= BG_CHAIN_MAX || tried)
				goto full;
			/* Full table: look for a victim next door, once. */
			spin_unlock(bg_lock(t, b));
			tried = bg_make_room(bn, t, b, now);
			spin_lock(bg_lock(t, b));
			if (!tried)
				goto full;
			goto again;
		}
	}
	n = bg_entry_new(key, GFP_ATOMIC | __GFP_NOWARN);
	if (!n) {
		if (!victim)
			bg_table_unreserve(t);
		spin_unlock(bg_lock(t, b));
		bg_stat_inc(bn, BG_STAT_ALLOC_FAILED);
		*d = BG_UNTRACKED;
		return NULL;
	}
	/*
	 * The first attempt goes straight into the new entry before anyone
	 * can see it (the RCU publication below orders these stores): no
	 * cmpxchg round trip for a new source. It starts from its overflow
	 * slot's word (a full bucket unless the table overflowed lately):
	 * whatever the source took from the slot while it had no entry
	 * still counts, so coming and going from the table gains it nothing.
	 */
	tat = 0;
	if (unlikely(READ_ONCE(t->slots_until) > now))
		tat = READ_ONCE(*bg_slot(t, key));
	if (likely(bg_bucket_idle(tat, now)))
		*d = bg_bucket_decide(0, now, lim->interval_ns, lim->window_ns,
				      lim->ban_ns, &tat);
	else
		*d = bg_bucket_decide(tat, now, lim->interval_ns,
				      lim->window_ns, lim->ban_ns, &tat);
	n->tat = tat;
	n->last_ns = now;
	atomic_set(&n->attempts, 1);
	atomic_set(&n->drops, *d >= BG_REFUSE);
	if (victim) {
		hlist_replace_rcu(&victim->node, &n->node);
		bg_stat_inc(bn, BG_STAT_EVICTED);
	} else {
		hlist_add_head_rcu(&n->node, head);
	}
	atomic_inc(&t->gen);
	spin_unlock(bg_lock(t, b));

	if (victim)
		call_rcu(&victim->rcu, bg_entry_free_rcu);
	bg_stat_inc(bn, BG_STAT_CREATED);
	return n;

found:
	spin_unlock(bg_lock(t, b));
	*d = -1;
	return e;
full:
	spin_unlock(bg_lock(t, b));
	bg_stat_inc(bn, BG_STAT_TABLE_FULL);
	*d = BG_UNTRACKED | BG_UNTRACKED_FULL;
	if (len >= BG_CHAIN_MAX)
		*d |= BG_REHASH_WANTED;
	return NULL;
}

/*
 * One attempt against the bucket word at @w, lock-free. The decision
 * returned is always the one whose word was stored (or that needed no
 * store): a failed cmpxchg means another CPU's attempt went in, so the
 * loop always makes progress and ends.
 */
static __always_inline int bg_word_decide(u64 *w, const struct bg_limit *lim, u64 now)
{
	u64 old = READ_ONCE(*w), next, prev;
	int d;

	for (;;) {
		d = bg_bucket_decide(old, now, lim->interval_ns, lim->window_ns,
				     lim->ban_ns, &next);
		if (next == old)
			return d;
		prev = cmpxchg64(w, old, next);
		if (prev == old)
			return d;
		old = prev;
	}
}

/* Apply one attempt to the bucket of @e; lock-free. */
static int bg_entry_decide(struct bg_entry *e, const struct bg_limit *lim,
			   u64 now)
{
	int d;

	bg_sat_inc(&e->attempts);
	WRITE_ONCE(e->last_ns, now);
	d = bg_word_decide(&e->tat, lim, now);
	if (d >= BG_REFUSE)
		bg_sat_inc(&e->drops);
	return d;
}

/* An attempt without an entry of its own: its overflow slot decides. */
static noinline int bg_overflow_decide(struct bg_net *bn, struct bg_table *t,
				       const struct bg_key *key,
				       const struct bg_limit *lim, u64 now)
{
	u64 *w = bg_slot(t, key);
	int d = bg_word_decide(w, lim, now);

	bg_slots_note(t, READ_ONCE(*w));
	bg_stat_inc(bn, BG_STAT_OVERFLOW);
	if (d >= BG_REFUSE)
		bg_stat_inc(bn, BG_STAT_OVERFLOW_REFUSED);
	return d;
}

/* The entry of @key in @t, whose hash is @h, or NULL. Under RCU. */
static __always_inline struct bg_entry *bg_lookup(struct bg_table *t,
						   const struct bg_key *key,
						   u32 h)
{
	struct bg_entry *e;

	hlist_for_each_entry_rcu(e, &t->chains[h & t->mask], node)
		if (bg_key_eq(&e->key, key))
			return e;
	return NULL;
}

int bg_table_account(struct bg_net *bn, const struct bg_key *key,
		     const struct bg_limit *lim, u32 max_sources, u64 now)
{
	struct bg_table *t = rcu_dereference(bn->table);
	struct bg_entry *e;
	u32 h = bg_hash(t, key);
	int d;

	e = bg_lookup(t, key, h);
	if (e)
		return bg_entry_decide(e, lim, now);

	e = bg_insert(bn, t, h, key, lim, now, max_sources, &d);
	if (!e) {
		int o = bg_overflow_decide(bn, t, key, lim, now);

		/*
		 * Only now, after the slot took this attempt: a rehash that
		 * started before would fold the slot without it, and the
		 * source's entry in the new table would start from a slot
		 * that never saw it (one more token for the attacker).
		 */
		if (d & BG_REHASH_WANTED)
			bg_rehash_request(bn);
		return o | (d & ~BG_REHASH_WANTED);
	}
	if (d < 0)
		return bg_entry_decide(e, lim, now);
	return d;
}

u32 bg_table_nsources(struct bg_net *bn)
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

static void bg_entry_info(const struct bg_entry *e, const struct bg_conf *c,
			  u64 now, struct bg_source *s)
{
	const struct bg_limit *lim = bg_conf_rule_limit(c, e->key.rule);
	u64 tat = READ_ONCE(e->tat), last = READ_ONCE(e->last_ns);

	memset(s, 0, sizeof(*s));
	bg_key_copy(&s->key, &e->key);
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

int bg_table_walk(struct bg_net *bn, unsigned long *chain,
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
	for (; *chain <= t->mask; (*chain)++, *skip = 0) {
		n = 0;
		hlist_for_each_entry_rcu(e, &t->chains[*chain], node) {
			if (n++ < *skip)
				continue;
			bg_entry_info(e, c, now, &s);
			s.strikes = bg_strikes_get(bn, &s.key, now);
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

int bg_table_walk_chain(struct bg_net *bn, unsigned long chain,
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
	if (chain <= t->mask) {
		ret = 0;
		hlist_for_each_entry_rcu(e, &t->chains[chain], node) {
			bg_entry_info(e, c, now, &s);
			s.strikes = bg_strikes_get(bn, &s.key, now);
			ret = fn(&s, arg);
			if (ret)
				break;
		}
	}
	rcu_read_unlock();
	return ret;
}

unsigned long bg_table_nchains(struct bg_net *bn)
{
	unsigned long n;

	rcu_read_lock();
	n = rcu_dereference(bn->table)->mask + 1UL;
	rcu_read_unlock();
	return n;
}

/*
 * Idle with a full bucket for BG_GC_IDLE_NS: GC may forget it. A packet
 * may set last_ns after @now was read: that entry is not idle.
 */
static bool bg_entry_expired(const struct bg_entry *e, u64 now)
{
	u64 last = READ_ONCE(e->last_ns);

	return bg_bucket_idle(READ_ONCE(e->tat), now) && last <= now &&
	       now - last >= BG_GC_IDLE_NS;
}

/* Unlink @e from its chain (chain lock held) and free it after readers. */
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
 * Remove every entry for which @match says so, chain by chain, with a
 * chance to reschedule between chains. Returns how many went.
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
		if (hlist_empty(&t->chains[b]))
			goto next;
		if (dead && !bg_chain_expired(&t->chains[b], now))
			goto next;
		spin_lock_bh(bg_lock(t, b));
		hlist_for_each_entry_safe(e, tmp, &t->chains[b], node) {
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

struct bg_expire_arg {
	void (*released)(struct bg_net *bn, const struct bg_key *key);
};

static bool bg_match_expired(struct bg_net *bn, struct bg_entry *e,
			     const void *arg, u64 now)
{
	const struct bg_expire_arg *a = arg;
	u64 tat = READ_ONCE(e->tat);

	if (!bg_entry_expired(e, now))
		return false;
	/* A source that was refused until it went quiet is released now. */
	if (tat & (BG_TAT_BANNED | BG_TAT_THROTTLED))
		a->released(bn, &e->key);
	bg_stat_inc(bn, BG_STAT_EXPIRED);
	return true;
}

void bg_table_expire(struct bg_net *bn,
		     void (*released)(struct bg_net *bn,
				      const struct bg_key *key))
{
	const struct bg_expire_arg arg = { .released = released };
	struct rcu_head *dead = NULL, *next;
	unsigned int n = 0;

	mutex_lock(&bn->conf_mutex);
	bg_table_prune(bn, bg_match_expired, &arg, &dead);
	mutex_unlock(&bn->conf_mutex);
	if (!dead)
		return;
	/* One grace period for the whole pass; then nobody sees them. */
	synchronize_rcu();
	for (; dead; dead = next) {
		next = dead->next;
		bg_entry_free_rcu(dead);
		if (!(++n & 255))
			cond_resched();
	}
}

static bool bg_match_prefix(struct bg_net *bn, struct bg_entry *e,
			    const void *arg, u64 now)
{
	const struct bg_prefix *p = arg;
	struct bg_prefix q = { .family = p->family };
	struct in6_addr a;

	if (e->key.family != p->family)
		return false;
	/* Overlap: the shorter of the two prefixes holds the other. */
	q.len = min(p->len, e->key.plen);
	q.addr = p->addr;
	bg_prefix_mask(&q);
	bg_key_addr(&e->key, &a);
	if (!bg_prefix_match(&q, p->family, &a))
		return false;
	/* Its strikes go with it. */
	bg_strikes_clear(bn, &e->key);
	return true;
}

/*
 * The strikes of the source that holds @p (when @p is no shorter than
 * the key prefix), under every rule: they outlive table entries, so the
 * entry may be gone already. Shorter prefixes: only the strikes of the
 * sources still tracked (bg_match_prefix()).
 */
static void bg_forget_strikes(struct bg_net *bn, const struct bg_prefix *p)
{
	const struct bg_conf *c = bg_conf_locked(bn);
	struct bg_key key = { .family = p->family };
	u8 plen = p->family == AF_INET ? c->prefix4 : c->prefix6;
	struct bg_prefix q = *p;
	u32 i;

	if (p->len < plen)
		return;
	q.len = plen;
	bg_prefix_mask(&q);
	key.plen = plen;
	bg_key_set_addr(&key, &q.addr);
	for (i = 0; i <= c->nrules; i++) {
		key.rule = i < c->nrules ? c->rules[i].id : 0;
		bg_strikes_clear(bn, &key);
	}
}

u32 bg_table_forget(struct bg_net *bn, const struct bg_prefix *p)
{
	bg_forget_strikes(bn, p);
	return bg_table_prune(bn, bg_match_prefix, p, NULL);
}

void bg_table_extend_ban(struct bg_net *bn, const struct bg_key *key,
			 u64 end_ns)
{
	struct bg_table *t = rcu_dereference(bn->table);
	struct bg_entry *e = bg_lookup(t, key, bg_hash(t, key));
	u64 old, prev;

	if (!e)
		return;
	old = READ_ONCE(e->tat);
	for (;;) {
		if (!(old & BG_TAT_BANNED) || (old & BG_TAT_TIME) >= end_ns)
			return;
		prev = cmpxchg64(&e->tat, old, BG_TAT_BANNED | end_ns);
		if (prev == old)
			return;
		old = prev;
	}
}

static bool bg_match_all(struct bg_net *bn, struct bg_entry *e,
			 const void *arg, u64 now)
{
	return true;
}

u32 bg_table_flush(struct bg_net *bn)
{
	struct bg_table *t = rcu_dereference_protected(bn->table,
			lockdep_is_held(&bn->conf_mutex));
	u32 i;

	/* Every source's state goes, also what the overflow slots hold. */
	for (i = 0; i <= t->mask; i++)
		WRITE_ONCE(t->slots[i], 0);
	WRITE_ONCE(t->slots_until, 0);
	bg_strikes_flush(bn);
	return bg_table_prune(bn, bg_match_all, NULL, NULL);
}

/* Is rule @id (0: the default) one of @c's? */
static bool bg_conf_has_rule(const struct bg_conf *c, u16 id)
{
	return !id || bg_conf_rule(c, id);
}

bool bg_table_needs_rebuild(const struct bg_table *t, const struct bg_conf *old,
			    const struct bg_conf *c)
{
	return t->mask + 1 != bg_nchains(c->max_sources) ||
	       atomic_read(&t->count) > (int)c->max_sources ||
	       old->prefix4 != c->prefix4 || old->prefix6 != c->prefix6;
}

/*
 * @k under the prefix lengths of @c: a shorter prefix holds the old one,
 * so the source is re-keyed to it (and merged with its neighbours); a
 * longer one cannot be told from the masked address, so the source is
 * dropped (false), as is one whose rule is gone.
 */
static bool bg_rekey(struct bg_key *k, const struct bg_conf *c)
{
	u8 p = k->family == AF_INET ? c->prefix4 : c->prefix6;
	struct bg_prefix q = { .family = k->family, .len = p };

	if (!bg_conf_has_rule(c, k->rule) || p > k->plen)
		return false;
	if (p == k->plen)
		return true;
	bg_key_addr(k, &q.addr);
	bg_prefix_mask(&q);
	bg_key_set_addr(k, &q.addr);
	k->plen = p;
	return true;
}

/* What one old record brings to the new table (bg_absorb()). */
struct bg_gift {
	struct bg_key key;
	u64 tat;		/* the old word, whole */
	u64 last_ns;
	u32 attempts;
	u32 drops;
	bool charge;		/* found: charge @debt instead of merging @tat */
	u64 debt;
	u64 window;
};

static void bg_sat_add(atomic_t *v, u32 n)
{
	int c = atomic_read(v);
	u32 sum;

	do {
		sum = (u32)c + n < (u32)c ? U32_MAX : (u32)c + n;
	} while (!atomic_try_cmpxchg(v, &c, (int)sum));
}

/* Store @f(@w) with cmpxchg: the packet path may update @w meanwhile. */
static void bg_word_update(u64 *w, const struct bg_gift *g, u64 now)
{
	u64 old = READ_ONCE(*w), next, prev;

	for (;;) {
		if (g->charge)
			next = bg_bucket_charge(old, now, g->debt, g->window) |
			       (g->tat & BG_TAT_THROTTLED);
		else
			next = bg_bucket_merge(old, g->tat, now);
		if (next == old)
			return;
		prev = cmpxchg64(w, old, next);
		if (prev == old)
			return;
		old = prev;
	}
}

/*
 * Put @g into @nt: into the entry with the same key if there is one, else
 * into a new entry if there is room, else into the key's overflow slot,
 * so that no refusal is forgotten. @nt may be live (packets may use it):
 * chain lock, cmpxchg. Process context, bn->conf_mutex held.
 */
static void bg_absorb(struct bg_net *bn, struct bg_table *nt,
		      const struct bg_gift *g, u32 max_sources, u64 now)
{
	u32 b = bg_hash(nt, &g->key) & nt->mask;
	struct bg_entry *e, *n;
	unsigned int len = 0;

	n = bg_entry_new(&g->key, GFP_KERNEL_ACCOUNT);
	spin_lock_bh(bg_lock(nt, b));
	hlist_for_each_entry(e, &nt->chains[b], node) {
		if (bg_key_eq(&e->key, &g->key)) {
			bg_word_update(&e->tat, g, now);
			bg_sat_add(&e->attempts, g->attempts);
			bg_sat_add(&e->drops, g->drops);
			if (g->last_ns > READ_ONCE(e->last_ns))
				WRITE_ONCE(e->last_ns, g->last_ns);
			goto out;
		}
		len++;
	}
	if (n && len < BG_CHAIN_MAX && bg_table_reserve(nt, max_sources)) {
		n->tat = g->tat;
		n->last_ns = g->last_ns;
		atomic_set(&n->attempts, g->attempts);
		atomic_set(&n->drops, g->drops);
		hlist_add_head_rcu(&n->node, &nt->chains[b]);
		atomic_inc(&nt->gen);
		n = NULL;
	} else if (g->drops || (g->tat & (BG_TAT_BANNED | BG_TAT_THROTTLED))) {
		struct bg_gift s = *g;

		/*
		 * No entry for a source that must stay: its slot keeps the
		 * stricter of the two words. Others are let go, as eviction
		 * would, and burden no slot that innocent sources share.
		 */
		s.charge = false;
		bg_word_update(bg_slot(nt, &g->key), &s, now);
		bg_slots_note(nt, READ_ONCE(*bg_slot(nt, &g->key)));
	}
out:
	spin_unlock_bh(bg_lock(nt, b));
	if (n)
		kmem_cache_free(bg_cache(g->key.family), n);
}

static void bg_gift_fill(struct bg_gift *g, const struct bg_entry *e)
{
	memset(&g->key, 0, sizeof(g->key));
	bg_key_copy(&g->key, &e->key);
	/*
	 * Counters before the word: an attempt in flight (it counts itself
	 * before it stores the word) is then charged twice by the catch-up,
	 * never not at all.
	 */
	g->attempts = atomic_read(&e->attempts);
	g->drops = atomic_read(&e->drops);
	smp_rmb();	/* pairs with the order of bg_entry_decide() */
	g->tat = READ_ONCE(e->tat);
	g->last_ns = READ_ONCE(e->last_ns);
	g->charge = false;
}

/*
 * Copy the entries of chain @b of the live table @old into @nt: in pass
 * 0 those that must stay tracked (throttled, banned, refused before), so
 * a smaller table keeps them, in pass 1 all others not copied yet. What
 * was copied is recorded in the entry (e->copied, under the chain lock) so
 * that bg_table_catch_up() can carry over what attempts did to it later.
 */
static void bg_copy_chain(struct bg_net *bn, struct bg_table *old, u32 b,
			  struct bg_table *nt, const struct bg_conf *c,
			  int pass, u64 now)
{
	struct bg_gift g[BG_CHAIN_MAX];
	struct bg_entry *e;
	unsigned int n = 0, i;

	spin_lock_bh(bg_lock(old, b));
	hlist_for_each_entry(e, &old->chains[b], node) {
		if (e->copied.attempts ||
		    (pass == 0 && bg_evict_rank(e, now) >= 0))
			continue;
		if (n == ARRAY_SIZE(g))
			break;
		bg_gift_fill(&g[n], e);
		e->copied.tat = g[n].tat;
		e->copied.attempts = g[n].attempts;
		e->copied.drops = g[n].drops;
		n++;
	}
	spin_unlock_bh(bg_lock(old, b));

	for (i = 0; i < n; i++)
		if (bg_rekey(&g[i].key, c))
			bg_absorb(bn, nt, &g[i], c->max_sources, now);
}

/* The overflow slots of @old folded into @nt's (index bits: bg_slot()). */
static void bg_fold_slots(struct bg_table *old, struct bg_table *nt, u64 now)
{
	struct bg_gift g = {};
	u32 i, n = max(old->mask, nt->mask) + 1;

	for (i = 0; i < n; i++) {
		g.tat = READ_ONCE(old->slots[i & old->mask]);
		if (g.tat)
			bg_word_update(&nt->slots[i & nt->mask], &g, now);
	}
	if (READ_ONCE(old->slots_until) > READ_ONCE(nt->slots_until))
		WRITE_ONCE(nt->slots_until, READ_ONCE(old->slots_until));
}

/* Sources that may not be dropped: throttled, banned or refused before. */
static u32 bg_table_pinned(struct bg_table *t, u64 now)
{
	struct bg_entry *e;
	u32 b, n = 0;

	for (b = 0; b <= t->mask; b++) {
		rcu_read_lock();
		hlist_for_each_entry_rcu(e, &t->chains[b], node)
			n += bg_evict_rank(e, now) < 0;
		rcu_read_unlock();
		if ((b & 255) == 255)
			cond_resched();
	}
	return n;
}

static struct bg_table *bg_table_rebuild(struct bg_net *bn,
					 struct bg_table *old,
					 const struct bg_conf *c,
					 struct netlink_ext_ack *extack,
					 bool new_secret)
{
	u64 now = ktime_get_ns();
	struct bg_table *nt;
	int pass;
	u32 b, pinned;

	if (atomic_read(&old->count) > (int)c->max_sources) {
		pinned = bg_table_pinned(old, now);
		if (pinned > c->max_sources) {
			NL_SET_ERR_MSG(extack,
				       "more throttled or banned sources than max_sources: forget some first");
			return ERR_PTR(-EBUSY);
		}
	}
	nt = bg_table_alloc(c->max_sources, old->budgeted);
	if (!nt) {
		NL_SET_ERR_MSG(extack, "no memory for the source table");
		return ERR_PTR(-ENOMEM);
	}
	nt->chain_secret = new_secret ? get_random_u32() : old->chain_secret;
	nt->slot_secret = old->slot_secret;
	/*
	 * A dump that spans the swap must see the generation move: half the
	 * counter away, so no number of changes in the old table during the
	 * dump can land on it.
	 */
	atomic_set(&nt->gen, atomic_read(&old->gen) + (1U << 31));
	for (pass = 0; pass < 2; pass++) {
		for (b = 0; b <= old->mask; b++) {
			if (!hlist_empty(&old->chains[b]))
				bg_copy_chain(bn, old, b, nt, c, pass, now);
			if ((b & 255) == 255)
				cond_resched();
		}
	}
	bg_fold_slots(old, nt, now);
	return nt;
}

struct bg_table *bg_table_resized(struct bg_net *bn, struct bg_table *old,
				  const struct bg_conf *c,
				  struct netlink_ext_ack *extack)
{
	return bg_table_rebuild(bn, old, c, extack, false);
}

void bg_table_catch_up(struct bg_net *bn, struct bg_table *old,
		       struct bg_table *nt, const struct bg_conf *c)
{
	u64 now = ktime_get_ns();
	struct bg_entry *e;
	struct bg_gift g;
	u32 b, allowed;

	for (b = 0; b <= old->mask; b++) {
		/* Nobody else reaches @old any more. */
		hlist_for_each_entry(e, &old->chains[b], node) {
			bg_gift_fill(&g, e);
			if (!bg_rekey(&g.key, c))
				continue;
			if (e->copied.attempts) {
				if (g.tat == e->copied.tat &&
				    g.attempts == e->copied.attempts &&
				    g.drops == e->copied.drops)
					continue;
				/* Only what happened after the copy. */
				g.attempts -= e->copied.attempts;
				g.drops -= e->copied.drops;
				if (!((g.tat | e->copied.tat) & BG_TAT_BANNED)) {
					const struct bg_limit *lim =
						bg_conf_rule_limit(c, g.key.rule);

					allowed = g.attempts > g.drops ?
						  g.attempts - g.drops : 0;
					g.charge = true;
					g.window = lim->window_ns;
					g.debt = allowed > lim->window_ns /
							   lim->interval_ns ?
						 lim->window_ns :
						 allowed * lim->interval_ns;
					if (e->copied.tat & BG_TAT_THROTTLED)
						g.tat &= ~BG_TAT_THROTTLED;
				}
			}
			bg_absorb(bn, nt, &g, c->max_sources, now);
		}
		if ((b & 255) == 255)
			cond_resched();
	}
	bg_fold_slots(old, nt, now);
}

void bg_rehash_work(struct work_struct *work)
{
	struct bg_net *bn = container_of(to_delayed_work(work), struct bg_net,
					 rehash_work);
	struct bg_table *t, *nt;
	const struct bg_conf *c;

	mutex_lock(&bn->conf_mutex);
	c = bg_conf_locked(bn);
	t = rcu_dereference_protected(bn->table,
				      lockdep_is_held(&bn->conf_mutex));
	/* Same size, same keys: only -ENOMEM can stop it; try again later. */
	nt = bg_table_rebuild(bn, t, c, NULL, true);
	if (!IS_ERR(nt)) {
		rcu_assign_pointer(bn->table, nt);
		synchronize_net();
		bg_table_catch_up(bn, t, nt, c);
		bg_table_free(t);
		bg_stat_inc(bn, BG_STAT_REHASHED);
	}
	WRITE_ONCE(bn->rehash_next, jiffies + BG_REHASH_GAP);
	mutex_unlock(&bn->conf_mutex);
	clear_bit(BG_REHASH_PENDING, &bn->flags);
}

/* Cut the debt of @e to its rule's window in @arg; drop a deleted rule's. */
static bool bg_match_conf(struct bg_net *bn, struct bg_entry *e,
			  const void *arg, u64 now)
{
	const struct bg_conf *c = arg;
	const struct bg_limit *lim;
	u64 old, next, prev;

	if (!bg_conf_has_rule(c, e->key.rule))
		return true;
	lim = bg_conf_rule_limit(c, e->key.rule);
	old = READ_ONCE(e->tat);
	for (;;) {
		next = bg_bucket_clamp(old, now, lim->window_ns);
		if (next == old)
			return false;
		prev = cmpxchg64(&e->tat, old, next);
		if (prev == old)
			return false;
		old = prev;
	}
}

u32 bg_table_apply_conf(struct bg_net *bn, const struct bg_conf *c)
{
	return bg_table_prune(bn, bg_match_conf, c, NULL);
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
	out[BG_STAT_SOURCES] = bg_table_nsources(bn);
	rcu_read_lock();
	c = rcu_dereference(bn->conf);
	out[BG_STAT_MAX_SOURCES] = c->max_sources;
	rcu_read_unlock();
}
