/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Interfaces shared between the module's files. Nothing here is uapi.
 *
 * Who owns what:
 *   conf.c    struct bg_conf: the settings of a netns, an immutable RCU
 *             snapshot replaced as a whole under bn->conf_mutex; rule ids,
 *             rules added and deleted.
 *   lists.c   the allow and deny lists (struct bg_plist): per-length hash
 *             lookup under RCU, entries with expiry, kept outside the
 *             snapshot and changed in place under bn->conf_mutex.
 *   table.c   the source table: lookup, insert, eviction, GC, walks. It
 *             returns decisions and calls nothing above it.
 *   hook.c    the netfilter hooks (the packet path); announces what the
 *             table's decisions changed.
 *   events.c  throttled/banned/released/table-full announcements.
 *   proc.c    /proc/net/burstguard/{stats,sources,config}.
 *   pernet.c  creation and teardown of the above per netns; the GC tick.
 *   params.c  module parameters: the settings of every new netns.
 *   netlink.c the generic netlink family; handlers in nl_conf.c and
 *             nl_source.c (nl.h).
 */
#ifndef BG_INTERNAL_H
#define BG_INTERNAL_H

#include <linux/cache.h>
#include <linux/in6.h>
#include <linux/mutex.h>
#include <linux/netfilter.h>
#include <linux/ratelimit.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include "burstguard.h"
#include "bucket.h"

struct proc_dir_entry;
struct netlink_ext_ack;

#define BG_CHAIN_MAX		16	/* entries per hash chain, hard bound */

/*
 * The shared bucket of a rule's aggregate limit: one GCRA word all CPUs
 * update by compare-and-swap, only for attempts their source's own bucket
 * allowed. Shared by every snapshot that has the rule (one reference
 * each), freed with the last of them, after a grace period.
 */
struct bg_total {
	atomic64_t tat;
	atomic64_t refused;	/* attempts it refused */
	refcount_t ref;
} ____cacheline_aligned_in_smp;

/* One rate limit: the default of a netns, or a port rule's. */
struct bg_limit {
	u32 rate;		/* attempts per @period seconds, >= 1 */
	u32 period;		/* seconds: 1, 60 or 3600 */
	u32 burst;		/* bucket size, >= 1 */
	u32 ban;		/* seconds, 0: no ban */
	u32 ban_max;		/* seconds: bans double per strike up to it; 0: off */
	u8 mode;		/* enum bg_mode */
	u32 total_rate;		/* aggregate of all sources, 0: none */
	u32 total_period;
	u32 total_burst;
	/* Derived by bg_limit_prepare(); what the packet path reads. */
	u64 interval_ns;	/* time for one token to come back */
	u64 window_ns;		/* burst * interval_ns */
	u64 ban_ns;
	u64 total_interval_ns;
	u64 total_window_ns;
	/* The aggregate's bucket (bg_conf_commit()), NULL without one. */
	struct bg_total *total;
};

/* An address prefix; @addr is masked to @len. IPv4 uses addr.s6_addr32[0]. */
struct bg_prefix {
	struct in6_addr addr;
	u8 family;		/* AF_INET or AF_INET6 */
	u8 len;
};

/* A per-destination-port limit; sources are counted per rule. */
struct bg_rule {
	u16 id;			/* 1..65535, unique in the netns; 0 = default */
	u16 port_min;
	u16 port_max;
	struct bg_limit limit;
};

/* The settings of one netns. Never changed once published. */
struct bg_conf {
	struct rcu_head rcu;
	struct bg_limit limit;	/* the default rule, id 0 */
	u8 prefix4;		/* IPv4 sources are counted per /prefix4 */
	u8 prefix6;		/* IPv6 sources are counted per /prefix6 */
	u32 max_sources;
	u8 forward;		/* 1: SYNs this netns forwards are attempts too */
	u32 strikes_forget;	/* seconds a strike counts after its ban */
	u16 next_rule_id;	/* next id to try for a new rule */
	u32 nrules;
	struct bg_rule *rules;	/* first match wins, in this order */
};

struct bg_plist;

/* What identifies a tracked source: the masked address and the rule. */
struct bg_key {
	u16 rule;
	u8 family;
	u8 plen;
	union {
		__be32 v4;
		struct in6_addr v6;
	} addr;			/* must stay last: IPv4 entries end early */
};

/* The bytes of an IPv4 key: table entries of IPv4 sources end there. */
#define BG_KEY4_SIZE	(offsetof(struct bg_key, addr) + sizeof(__be32))

/* Copy key @src into @dst; of an IPv4 key only its BG_KEY4_SIZE bytes. */
static __always_inline void bg_key_copy(struct bg_key *dst,
					const struct bg_key *src)
{
	if (src->family == AF_INET)
		memcpy(dst, src, BG_KEY4_SIZE);
	else
		*dst = *src;
}

/* The address of @key as an in6_addr (IPv4: in s6_addr32[0], rest 0). */
static inline void bg_key_addr(const struct bg_key *key, struct in6_addr *a)
{
	if (key->family == AF_INET) {
		memset(a, 0, sizeof(*a));
		a->s6_addr32[0] = key->addr.v4;
	} else {
		*a = key->addr.v6;
	}
}

/* Set the address of @key (of its family) from @a, bg_key_addr()'s form. */
static inline void bg_key_set_addr(struct bg_key *key, const struct in6_addr *a)
{
	if (key->family == AF_INET)
		key->addr.v4 = a->s6_addr32[0];
	else
		key->addr.v6 = *a;
}

/* A copy of one tracked source, for /proc and netlink dumps. */
struct bg_source {
	struct bg_key key;
	u32 tokens;
	u32 attempts;
	u32 drops;		/* refused attempts: dropped, rejected, banned */
	u8 state;		/* enum bg_state */
	u64 idle_ns;		/* since the last attempt */
	u64 ban_left_ns;
	u32 strikes;		/* bans that still count (strikes.c) */
};

struct bg_table;

struct bg_stats {
	u64 v[__BG_STAT_MAX];
};

/* Per network namespace state, reached with bg_pernet(net). */
struct bg_net {
	struct net *net;
	struct bg_conf __rcu *conf;
	struct mutex conf_mutex;	/* serialises writers of conf and table */
	struct bg_table __rcu *table;
	struct bg_stats __percpu *stats;
	struct delayed_work gc_work;
	struct delayed_work rehash_work;	/* a new hash secret (table.c) */
	unsigned long rehash_next;	/* jiffies: no rehash before */
	unsigned long flags;		/* BG_REHASH_PENDING */
	struct ratelimit_state event_rs;
	atomic64_t reject_tat;		/* GCRA word of the resets sent */
	struct bg_strikes *strikes;	/* strikes.c, fixed size */
	struct proc_dir_entry *proc_dir;
	struct nf_hook_ops hook_ops[2];	/* IPv4, IPv6; priv is this bg_net */
	/* [0] allow, [1] deny: never NULL; replaced whole under conf_mutex. */
	struct bg_plist __rcu *lists[2];
	u32 list_gen;			/* changes with every list write */
	/* An import under way (BG_CMD_IMPORT_*), under conf_mutex. */
	struct bg_plist *staging;
	u32 staging_portid;		/* its owner's netlink port */
	u8 staging_list;		/* enum bg_list */
};

static inline struct bg_plist *bg_list_locked(struct bg_net *bn, u8 list)
{
	return rcu_dereference_protected(bn->lists[list == BG_LIST_DENY],
					 lockdep_is_held(&bn->conf_mutex));
}

/* pernet.c */
extern unsigned int bg_net_id;
static inline struct bg_net *bg_pernet(const struct net *net)
{
	return net_generic(net, bg_net_id);
}

int bg_pernet_init(void);
void bg_pernet_exit(void);

/* params.c: the settings every new netns starts with. */
int bg_params_check(void);
void bg_params_limit(struct bg_limit *l, u8 *prefix4, u8 *prefix6,
		     u32 *max_sources);
u8 bg_params_forward(void);
u32 bg_params_strikes_forget(void);
u32 bg_params_strike_slots(void);

/*
 * strikes.c: the ban count of sources, kept beyond their table entry in
 * a fixed array of keyed-hash slots per netns (bn->strikes).
 */
struct bg_strikes;
int bg_strikes_alloc(struct bg_net *bn, u32 nslots);
void bg_strikes_free(struct bg_net *bn);
/* Strikes of @key that still count at @now. */
u32 bg_strikes_get(struct bg_net *bn, const struct bg_key *key, u64 now);
/*
 * A ban of @key under @lim starts at @now: its length in seconds (ban
 * doubled per strike, at most ban_max), and one strike more, counted
 * until @forget seconds after that ban ends. Packet path: no lock.
 */
u32 bg_strikes_ban(struct bg_net *bn, const struct bg_key *key,
		   const struct bg_limit *lim, u32 forget, u64 now);
void bg_strikes_clear(struct bg_net *bn, const struct bg_key *key);
void bg_strikes_flush(struct bg_net *bn);
/* Ceiling of max_sources outside the initial netns (netns_max_sources). */
u32 bg_params_netns_max_sources(void);
u32 bg_params_netns_budget(void);
/* Ceiling of list entries outside the initial netns (netns_max_list_entries). */
u32 bg_params_netns_max_list_entries(void);
/* The reset budget of a netns (module parameter reject_rate). */
extern u64 bg_reject_interval_ns;
extern u64 bg_reject_window_ns;

/* conf.c */
int bg_limit_prepare(struct bg_limit *l, struct netlink_ext_ack *extack);
struct bg_conf *bg_conf_new_default(void);
struct bg_conf *bg_conf_clone(const struct bg_conf *c);
void bg_conf_free(struct bg_conf *c);
/* Drop one reference to an aggregate's bucket (NULL: none). */
void bg_total_put(struct bg_total *t);
/* Attempts @l's aggregate refused so far (under rcu or conf_mutex). */
static inline u64 bg_limit_total_refused(const struct bg_limit *l)
{
	return l->total ? atomic64_read(&l->total->refused) : 0;
}
/*
 * Check @c, resize the table when max_sources needs it (keeping every
 * source), publish @c and free the old snapshot after a grace period.
 * Caller holds bn->conf_mutex. On error nothing changed and @c is still
 * the caller's to free.
 */
int bg_conf_commit(struct bg_net *bn, struct bg_conf *c,
		   struct netlink_ext_ack *extack);
static inline struct bg_conf *bg_conf_locked(struct bg_net *bn)
{
	return rcu_dereference_protected(bn->conf,
					 lockdep_is_held(&bn->conf_mutex));
}
bool bg_prefix_match(const struct bg_prefix *p, u8 family,
		     const struct in6_addr *addr);
void bg_prefix_mask(struct bg_prefix *p);

/*
 * The rules of a snapshot being built (a clone, under bn->conf_mutex).
 * Ids are 1..65535 and unique; 0 names the default limit.
 */
/* The rule of @rules with id @id (or ports @min-@max), or -ENOENT. */
int bg_rules_find(const struct bg_rule *rules, u32 n, u16 id);
int bg_rules_find_ports(const struct bg_rule *rules, u32 n, u16 min, u16 max);
/* Rule @id of @c, NULL when @c has none (always for 0, the default). */
const struct bg_rule *bg_conf_rule(const struct bg_conf *c, u16 id);
/* The limit of rule @id: the default for 0 or for a rule deleted since. */
const struct bg_limit *bg_conf_rule_limit(const struct bg_conf *c, u16 id);
/* May @c take a rule for ports @min-@max? -EEXIST, -ENOSPC or 0. */
int bg_conf_rule_room(const struct bg_conf *c, u16 min, u16 max);
/* Append @r under a new id, written back into @r; or -EEXIST, -ENOSPC, -ENOMEM. */
int bg_conf_rule_add(struct bg_conf *c, struct bg_rule *r);
/* Delete the rule at index @i (from bg_rules_find*()) of @c. */
void bg_conf_rule_del(struct bg_conf *c, unsigned int i);
/*
 * A rule set replacing @old's: the id a new rule for ports @min-@max
 * keeps (so it keeps its sources), that of @old's rule for the same ports
 * unless one of @rules[0..@n) has it already; 0 when none.
 */
u16 bg_conf_rule_adopt(const struct bg_conf *old, const struct bg_rule *rules,
		       u32 n, u16 min, u16 max);
/*
 * Make @rules (kmalloc'ed, @c's from now on) the rules of @c; those with
 * id 0 get new ids, unlike any of @rules and of @old's.
 */
void bg_conf_rules_replace(struct bg_conf *c, const struct bg_conf *old,
			   struct bg_rule *rules, u32 n);
/*
 * lists.c. Writers (add, del, expire, clone, free) hold bn->conf_mutex or
 * own a list nobody else can reach; bg_list_match() and bg_list_walk()
 * run under rcu_read_lock().
 */
struct bg_plist *bg_list_alloc(void);
/* Buckets for about @hint entries at once (at most BG_MAX_LIST_ENTRIES). */
struct bg_plist *bg_list_alloc_sized(u32 hint);
/* From now on readers may reach @l: resizes and frees wait for them. */
void bg_list_set_live(struct bg_plist *l);
/* Free @l, which no reader can reach any more (after a grace period). */
void bg_list_free(struct bg_plist *l);
u32 bg_list_count(const struct bg_plist *l);
/*
 * Add @p (masked) with deadline @expires (ktime_get_ns(), 0: never).
 * An equal entry: -EEXIST, or with @update its expiry is replaced.
 * -ENOSPC beyond BG_MAX_LIST_ENTRIES, -ENOMEM.
 */
int bg_list_add(struct bg_plist *l, const struct bg_prefix *p, u64 expires,
		bool update);
/* -ENOENT when @p is not in @l. */
int bg_list_del(struct bg_plist *l, const struct bg_prefix *p);
/* Unlink the entries expired at @now; returns how many. */
u32 bg_list_expire(struct bg_plist *l, u64 now);
/*
 * A copy of @l without its entries expired at @now (not live), sized for
 * @extra more entries, or NULL.
 */
struct bg_plist *bg_list_clone(struct bg_plist *l, u64 now, u32 extra);
/* Does an unexpired entry of @l hold @src (IPv4 in s6_addr32[0])? */
bool bg_list_match(const struct bg_plist *l, u8 family,
		   const struct in6_addr *src, u64 now);
/*
 * Call @fn for each unexpired entry from cursor (*@bucket, *@pos) on,
 * advancing it; stops at @fn's first nonzero return (that entry is not
 * passed) and returns it; 0 at the end.
 */
int bg_list_walk(const struct bg_plist *l, u32 *bucket, u32 *pos, u64 now,
		 int (*fn)(const struct bg_prefix *p, u64 expires, void *arg),
		 void *arg);

/* table.c */
int bg_table_cache_init(void);
void bg_table_cache_exit(void);
/* @budgeted: its sources count toward netns_budget (not the init netns). */
struct bg_table *bg_table_alloc(u32 max_sources, bool budgeted);
/* Free a table nobody can reach any more (after a grace period). */
void bg_table_free(struct bg_table *t);
/*
 * A copy of the live table @old for the settings @c (GFP_KERNEL): sized
 * for c->max_sources, keys re-keyed to c's prefix lengths, sources of
 * deleted rules left out. ERR_PTR(-EBUSY) when the throttled and banned
 * sources alone exceed max_sources. After it is published and no packet
 * can reach @old any more, bg_table_catch_up() carries over what attempts
 * did to @old since the copy.
 */
struct bg_table *bg_table_resized(struct bg_net *bn, struct bg_table *old,
				  const struct bg_conf *c,
				  struct netlink_ext_ack *extack);
void bg_table_catch_up(struct bg_net *bn, struct bg_table *old,
		       struct bg_table *nt, const struct bg_conf *c);
bool bg_table_needs_rebuild(const struct bg_table *t, const struct bg_conf *old,
			    const struct bg_conf *c);
/*
 * After @c is published and a grace period passed: cut every source's
 * debt to its rule's window (a loosened limit) and forget the sources of
 * rules @c no longer has. Returns how many were forgotten.
 */
u32 bg_table_apply_conf(struct bg_net *bn, const struct bg_conf *c);
/*
 * Packet path, under rcu_read_lock(): one attempt of @key under @lim at
 * @now (ktime_get_ns()). Returns an enum bg_decision, or'ed with
 * BG_UNTRACKED when the source got no entry of its own and its overflow
 * slot decided (a decision that changes no source's state), and then
 * also with BG_UNTRACKED_FULL when that was for want of room rather than
 * of memory. The caller, which knows the limit, announces what changed.
 */
#define BG_UNTRACKED		0x100
#define BG_UNTRACKED_FULL	0x200
#define BG_DECISION(d)		((d) & 0xff)
int bg_table_account(struct bg_net *bn, const struct bg_key *key,
		     const struct bg_limit *lim, u32 max_sources, u64 now);
/* How many sources the table tracks now. */
u32 bg_table_nsources(struct bg_net *bn);
/* Bumped on every insert and removal: netlink dump consistency. */
u32 bg_table_gen(struct bg_net *bn);
/*
 * Visit sources from cursor (*chain, *skip) under rcu; @fn returns
 * nonzero to stop, and the cursor then points at that source again.
 * Returns 0 when the whole table was walked, 1 when @fn stopped it.
 */
int bg_table_walk(struct bg_net *bn, unsigned long *chain,
		  unsigned long *skip,
		  int (*fn)(const struct bg_source *s, void *arg), void *arg);
/* Visit the sources of one hash chain under rcu; -ENOENT past the end. */
/* Make the running ban of @key end at @end_ns if that is later. */
void bg_table_extend_ban(struct bg_net *bn, const struct bg_key *key,
			 u64 end_ns);
int bg_table_walk_chain(struct bg_net *bn, unsigned long chain,
			 int (*fn)(const struct bg_source *s, void *arg),
			 void *arg);
unsigned long bg_table_nchains(struct bg_net *bn);
/*
 * Remove sources whose prefix overlaps @p (any rule); returns how many.
 * Callers of forget and flush hold bn->conf_mutex, like GC and resize.
 */
u32 bg_table_forget(struct bg_net *bn, const struct bg_prefix *p);
u32 bg_table_flush(struct bg_net *bn);
/*
 * GC: forget the sources idle with a full bucket for a while; @released
 * hears of each one that was throttled or banned until it went quiet.
 */
void bg_table_expire(struct bg_net *bn,
		     void (*released)(struct bg_net *bn,
				      const struct bg_key *key));
#define BG_REHASH_PENDING	0
void bg_rehash_work(struct work_struct *work);

/* Sum the per-CPU counters and fill the gauges. */
void bg_stats_read(struct bg_net *bn, u64 out[__BG_STAT_MAX]);
/* Count one of @s on this CPU: no atomic, no lock. */
static inline void bg_stat_inc(struct bg_net *bn, enum bg_stat s)
{
	this_cpu_inc(bn->stats->v[s]);
}

/*
 * events.c: rate-limited log line plus multicast notification. @ban: the
 * ban length in seconds a BG_EVENT_BANNED announces (else unused).
 */
void bg_event(struct bg_net *bn, enum bg_event ev, const struct bg_key *key,
	      u32 ban);
/* At unload, before the genl family goes: no notification after this. */
void bg_events_stop(void);

/* hook.c */
int bg_hooks_register(struct net *net);
void bg_hooks_unregister(struct net *net);

/* proc.c */
int bg_proc_init(struct bg_net *bn);
void bg_proc_exit(struct bg_net *bn);
/* "10.0.0.0/24" or "2001:db8::/64" into @buf; returns the length. */
int bg_key_format(const struct bg_key *key, char *buf, size_t size);

/* netlink.c */
int bg_genl_init(void);
void bg_genl_exit(void);
/* Multicast one event to listeners in bn's netns (atomic context). */
void bg_genl_notify(struct bg_net *bn, enum bg_event ev,
		    const struct bg_key *key, u32 ban);

#endif /* BG_INTERNAL_H */
