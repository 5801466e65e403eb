/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Just enough of the kernel's API for kmod/table.c to compile and run in
 * userspace, single-threaded: RCU and locks are no-ops, slabs are malloc,
 * hsiphash is the kernel's algorithm (lib/siphash.c, 64-bit HSipHash-1-3).
 * Included before every file (-include) with empty stand-ins for the
 * <linux/...> and <net/...> headers in shim/.
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
static inline bool atomic_try_cmpxchg(atomic_t *a, int *old, int n)
{
	int p = __sync_val_compare_and_swap(&a->counter, *old, n);
	bool ok = p == *old;
	*old = p;
	return ok;
}
typedef struct { long long counter; } atomic64_t;

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

/* hsiphash on 64-bit: SipHash-1-3 with a 128-bit key (lib/siphash.c). */
typedef struct { unsigned long key[2]; } hsiphash_key_t;
#define ROL64(w, b) (((w) << (b)) | ((w) >> (64 - (b))))
#define SIPROUND do { \
	v0 += v1; v1 = ROL64(v1, 13); v1 ^= v0; v0 = ROL64(v0, 32); \
	v2 += v3; v3 = ROL64(v3, 16); v3 ^= v2; \
	v0 += v3; v3 = ROL64(v3, 21); v3 ^= v0; \
	v2 += v1; v1 = ROL64(v1, 17); v1 ^= v2; v2 = ROL64(v2, 32); } while (0)
static inline u32 hsip_fin(u64 v0, u64 v1, u64 v2, u64 v3, u64 b)
{
	v3 ^= b; SIPROUND; v0 ^= b; v2 ^= 0xff; SIPROUND; SIPROUND; SIPROUND;
	return (u32)((v0 ^ v1) ^ (v2 ^ v3));
}
#define HSIP_PRE(key) \
	u64 v0 = 0x736f6d6570736575ULL, v1 = 0x646f72616e646f6dULL; \
	u64 v2 = 0x6c7967656e657261ULL, v3 = 0x7465646279746573ULL; \
	v3 ^= (key)->key[1]; v2 ^= (key)->key[0]; v1 ^= (key)->key[1]; v0 ^= (key)->key[0];
static inline u32 hsiphash_2u32(u32 a, u32 b, const hsiphash_key_t *key)
{
	u64 c = (u64)b << 32 | a;
	HSIP_PRE(key);
	v3 ^= c; SIPROUND; v0 ^= c;
	return hsip_fin(v0, v1, v2, v3, 8ULL << 56);
}
static inline u32 hsiphash_3u32(u32 a, u32 b, u32 c, const hsiphash_key_t *key)
{
	u64 m = (u64)b << 32 | a;
	HSIP_PRE(key);
	v3 ^= m; SIPROUND; v0 ^= m;
	return hsip_fin(v0, v1, v2, v3, 12ULL << 56 | c);
}
/* lib/siphash.c's __hsiphash_aligned on a little-endian 64-bit machine. */
static inline u32 hsiphash(const void *data, size_t len, const hsiphash_key_t *key)
{
	const u8 *p = data, *end = p + len - (len % 8);
	u64 m, b = (u64)len << 56;
	size_t i;
	HSIP_PRE(key);
	for (; p != end; p += 8) {
		memcpy(&m, p, 8);
		v3 ^= m; SIPROUND; v0 ^= m;
	}
	for (i = 0; i < (len & 7); i++)
		b |= (u64)end[i] << (8 * i);
	return hsip_fin(v0, v1, v2, v3, b);
}
static inline u32 ror32(u32 w, unsigned int s) { return (w >> s) | (w << (32 - s)); }
static inline u32 hsiphash_4u32(u32 a, u32 b, u32 c, u32 d, const hsiphash_key_t *key)
{
	u64 m = (u64)b << 32 | a;
	HSIP_PRE(key);
	v3 ^= m; SIPROUND; v0 ^= m;
	m = (u64)d << 32 | c;
	v3 ^= m; SIPROUND; v0 ^= m;
	return hsip_fin(v0, v1, v2, v3, 16ULL << 56);
}

/* Per-CPU counters: one CPU. */
#define this_cpu_inc(x) ((x)++)
#define per_cpu_ptr(p, c) (p)
#define for_each_possible_cpu(c) for ((c) = 0; (c) < 1; (c)++)
struct proc_dir_entry;
struct netlink_ext_ack;
#endif
