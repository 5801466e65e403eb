/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Just enough of the kernel's API for kmod/table.c to compile and run in
 * userspace, single-threaded: RCU and locks are no-ops, slabs are malloc.
 * Included before every file (-include) with empty stand-ins for the
 * <linux/...> and <net/...> headers in shim/; shim/linux/jhash.h is the
 * kernel's jhash, the one copy in tests/tools/bgutil.h.
 */
#ifndef BG_KSHIM_H
#define BG_KSHIM_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef uint8_t u8; typedef uint16_t u16; typedef uint32_t u32; typedef uint64_t u64;
typedef int32_t s32; typedef u16 __be16; typedef u32 __be32; typedef unsigned int gfp_t;
#define __u8 u8
#define __u16 u16
#define __u32 u32
#define __u64 u64
#define __force
#define __rcu
#define __percpu
#define __read_mostly
#define fallthrough __attribute__((fallthrough))
#define GFP_KERNEL 0
#define GFP_ATOMIC 0
#define GFP_KERNEL_ACCOUNT 0
#define U32_MAX 0xffffffffU
#define __packed __attribute__((packed))
#define noinline __attribute__((noinline))
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define module_param(n, t, p)
#define MODULE_PARM_DESC(n, d)
#define get_random_u32() 0x5a5a5a5aU
#define test_and_set_bit(n, p) ({ int _o = (*(p) >> (n)) & 1; *(p) |= 1UL << (n); _o; })
#define clear_bit(n, p) (*(p) &= ~(1UL << (n)))
#define time_before(a, b) ((long)((a) - (b)) < 0)
#define jiffies 0UL
#define system_unbound_wq NULL
#define synchronize_net() do { } while (0)
#define rcu_assign_pointer(p, v) ((p) = (v))
#define IS_ERR(p) ((unsigned long)(p) >= (unsigned long)-4095)
#define NL_SET_ERR_MSG(e, m) ((void)(e))
#define ERR_PTR(e) ((void *)(long)(e))
#define max(a, b) ((a) > (b) ? (a) : (b))
#define spin_lock_bh(l) do { } while (0)
#define spin_unlock_bh(l) do { } while (0)
#define kvcalloc(n, s, g) calloc(n, s)
#define __GFP_NOWARN 0
#define AF_INET 2
#define AF_INET6 10
#define NSEC_PER_SEC 1000000000ULL
#define HZ 250
#define ENOMEM 12
#define ENOENT 2
#define EBUSY 16
#define container_of(p, t, m) ((t *)((char *)(p) - offsetof(t, m)))
#define READ_ONCE(x) (*(volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))
#define BUILD_BUG_ON(c) _Static_assert(!(c), #c)
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define min(a, b) ((a) < (b) ? (a) : (b))
#define max_t(t, a, b) ((t)(a) > (t)(b) ? (t)(a) : (t)(b))
#define struct_size(p, m, n) (sizeof(*(p)) + sizeof((p)->m[0]) * (n))
#define rcu_dereference(p) (p)
#define rcu_dereference_protected(p, c) (p)
#define lockdep_is_held(x) 1
#define rcu_read_lock() do { } while (0)
#define rcu_read_unlock() do { } while (0)
#define cond_resched() do { } while (0)
#define smp_rmb() __sync_synchronize()
#define rcu_barrier() do { } while (0)
#define synchronize_rcu() do { } while (0)
#define cmpxchg64(p, o, n) __sync_val_compare_and_swap(p, o, n)

struct in6_addr { union { u8 s6_addr[16]; u32 s6_addr32[4]; }; };
static inline bool ipv6_addr_equal(const struct in6_addr *a, const struct in6_addr *b)
{
	return ((a->s6_addr32[0] ^ b->s6_addr32[0]) | (a->s6_addr32[1] ^ b->s6_addr32[1]) |
		(a->s6_addr32[2] ^ b->s6_addr32[2]) | (a->s6_addr32[3] ^ b->s6_addr32[3])) == 0;
}

typedef struct { int counter; } atomic_t;
#define atomic_read(a) READ_ONCE((a)->counter)
#define atomic_set(a, v) ((a)->counter = (v))
#define atomic_inc(a) __sync_fetch_and_add(&(a)->counter, 1)
#define atomic_dec(a) __sync_fetch_and_sub(&(a)->counter, 1)
static inline bool atomic_add_unless(atomic_t *a, int v, int u)
{
	int c = atomic_read(a);

	while (c != u) {
		int p = __sync_val_compare_and_swap(&a->counter, c, c + v);
		if (p == c)
			return true;
		c = p;
	}
	return false;
}
typedef struct { long long counter; } atomic64_t;
#define atomic64_read(a) READ_ONCE((a)->counter)
#define atomic64_set(a, v) ((a)->counter = (v))

static inline bool atomic_try_cmpxchg(atomic_t *a, int *old, int n)
{
	int p = __sync_val_compare_and_swap(&a->counter, *old, n);
	bool ok = p == *old;
	*old = p;
	return ok;
}

typedef int spinlock_t;
#define spin_lock(l) do { } while (0)
#define spin_unlock(l) do { } while (0)
static inline int alloc_bucket_spinlocks(spinlock_t **l, unsigned int *mask, size_t n,
					 unsigned int f, gfp_t g)
{
	*l = calloc(1, sizeof(**l));
	*mask = 0;
	return !*l;
}
#define free_bucket_spinlocks(l) free(l)
struct mutex { int x; };
#define mutex_lock(m) do { } while (0)
#define mutex_unlock(m) do { } while (0)
struct ratelimit_state { int x; };
struct work_struct { int x; };
struct delayed_work { struct work_struct work; };
#define to_delayed_work(w) container_of(w, struct delayed_work, work)
#define queue_delayed_work(q, w, d) ((void)(q), (void)(w), (void)(d))
#define system_power_efficient_wq NULL
struct net { int x; };
#define net_generic(net, id) ((void)(net), (void)(id), (void *)0)

struct hlist_node { struct hlist_node *next, **pprev; };
struct hlist_head { struct hlist_node *first; };
#define hlist_empty(h) (!(h)->first)
static inline void hlist_add_head_rcu(struct hlist_node *n, struct hlist_head *h)
{
	n->next = h->first;
	n->pprev = &h->first;
	if (h->first)
		h->first->pprev = &n->next;
	h->first = n;
}
static inline void hlist_del_rcu(struct hlist_node *n)
{
	*n->pprev = n->next;
	if (n->next)
		n->next->pprev = n->pprev;
}
#define hlist_add_head hlist_add_head_rcu
static inline void hlist_replace_rcu(struct hlist_node *o, struct hlist_node *n)
{
	n->next = o->next;
	n->pprev = o->pprev;
	*n->pprev = n;
	if (n->next)
		n->next->pprev = &n->next;
}
#define hlist_entry_safe(p, t, m) ({ __typeof__(p) ____p = (p); ____p ? container_of(____p, t, m) : NULL; })
#define hlist_for_each_entry(pos, head, member) \
	for (pos = hlist_entry_safe((head)->first, __typeof__(*(pos)), member); pos; \
	     pos = hlist_entry_safe((pos)->member.next, __typeof__(*(pos)), member))
#define hlist_for_each_entry_rcu hlist_for_each_entry
#define hlist_for_each_entry_safe(pos, n, head, member) \
	for (pos = hlist_entry_safe((head)->first, __typeof__(*pos), member); \
	     pos && ({ n = pos->member.next; 1; }); \
	     pos = hlist_entry_safe(n, __typeof__(*pos), member))

struct rcu_head { void *next; void (*func)(struct rcu_head *); };
static inline void call_rcu(struct rcu_head *h, void (*f)(struct rcu_head *)) { f(h); }

struct kmem_cache { size_t size; };
static inline struct kmem_cache *kmem_cache_create(const char *n, size_t s, size_t a,
						   unsigned long f, void *c)
{
	struct kmem_cache *k = malloc(sizeof(*k));
	k->size = s;
	return k;
}
#define kmem_cache_destroy(k) free(k)
#define kmem_cache_alloc(k, g) malloc((k)->size)
#define kmem_cache_free(k, p) free(p)
#define kvzalloc(s, g) calloc(1, s)
#define kvfree(p) free(p)
static inline u32 roundup_pow_of_two(u32 n) { u32 r = 1; while (r < n) r <<= 1; return r; }

/* ktime_get_ns: the benchmark's clock, set by the driver. */
extern u64 micro_now;
static inline u64 ktime_get_ns(void) { return micro_now; }

/* Per-CPU counters: one CPU. */
#define this_cpu_inc(x) ((x)++)
#define per_cpu_ptr(p, c) (p)
#define for_each_possible_cpu(c) for ((c) = 0; (c) < 1; (c)++)
struct proc_dir_entry;
struct netlink_ext_ack;
#endif
