// SPDX-License-Identifier: GPL-2.0
/*
 * Strikes: how often a source was banned lately, so that its next ban is
 * longer (ban doubled per strike up to the limit's ban_max). The count
 * outlives the source's table entry: a fixed array of slots per netns,
 * sized at load (module parameter strike_slots), allocated with the
 * netns, never grown. A slot is one 64-bit word:
 *
 *   bits 63..40  tag: 24 bits of the key's keyed hash
 *   bits 39..34  strikes, 0..63
 *   bits 33..0   expiry, seconds of ktime_get_ns()
 *
 * chosen by the other bits of a siphash of the key with a per-netns
 * secret, so nobody can aim sources at a slot. Two keys that share a
 * slot overwrite each other (one loses its strikes, never memory); a
 * tag collision (2^-24) lends one the other's. The slot is written only
 * when a ban starts, read when sources are listed.
 */
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/random.h>
#include <linux/siphash.h>
#include <linux/slab.h>
#include "internal.h"

struct bg_strikes {
	siphash_key_t secret;
	u32 mask;
	u64 slots[];
};

#define BG_STRIKE_TAG_SHIFT	40
#define BG_STRIKE_CNT_SHIFT	34
#define BG_STRIKE_CNT_MAX	63U
#define BG_STRIKE_EXP_MASK	((1ULL << BG_STRIKE_CNT_SHIFT) - 1)

int bg_strikes_alloc(struct bg_net *bn, u32 nslots)
{
	struct bg_strikes *s;

	s = kvzalloc(struct_size(s, slots, nslots), GFP_KERNEL_ACCOUNT);
	if (!s)
		return -ENOMEM;
	get_random_bytes(&s->secret, sizeof(s->secret));
	s->mask = nslots - 1;
	bn->strikes = s;
	return 0;
}

void bg_strikes_free(struct bg_net *bn)
{
	kvfree(bn->strikes);
	bn->strikes = NULL;
}

static u64 bg_strike_hash(const struct bg_strikes *s, const struct bg_key *k)
{
	return siphash(k, k->family == AF_INET ? BG_KEY4_SIZE : sizeof(*k),
		       &s->secret);
}

/* The strikes of @w for @tag that still count at @now_s, else 0. */
static u32 bg_strike_count(u64 w, u64 tag, u64 now_s)
{
	if ((w >> BG_STRIKE_TAG_SHIFT) != tag ||
	    (w & BG_STRIKE_EXP_MASK) <= now_s)
		return 0;
	return (w >> BG_STRIKE_CNT_SHIFT) & BG_STRIKE_CNT_MAX;
}

u32 bg_strikes_get(struct bg_net *bn, const struct bg_key *key, u64 now)
{
	const struct bg_strikes *s = bn->strikes;
	u64 h = bg_strike_hash(s, key);

	return bg_strike_count(READ_ONCE(s->slots[h & s->mask]),
			       h >> BG_STRIKE_TAG_SHIFT,
			       div_u64(now, NSEC_PER_SEC));
}

u32 bg_strikes_ban(struct bg_net *bn, const struct bg_key *key,
		   const struct bg_limit *lim, u32 forget, u64 now)
{
	struct bg_strikes *s = bn->strikes;
	u64 h = bg_strike_hash(s, key), tag = h >> BG_STRIKE_TAG_SHIFT;
	u64 now_s = div_u64(now, NSEC_PER_SEC), ban, exp;
	u64 *w = &s->slots[h & s->mask];
	u32 n = bg_strike_count(READ_ONCE(*w), tag, now_s);

	/* ban <= BG_BAN_MAX_S < 2^20: shifted by at most 31, no overflow */
	ban = n < 32 ? (u64)lim->ban << n : lim->ban_max;
	if (ban > lim->ban_max)
		ban = lim->ban_max;
	/* now_s < 2^34 for 544 years; ban and forget are at most a week */
	exp = now_s + ban + forget;
	if (n < BG_STRIKE_CNT_MAX)
		n++;
	/* A racing ban of the same slot may win: a strike lost at worst. */
	WRITE_ONCE(*w, tag << BG_STRIKE_TAG_SHIFT |
		   (u64)n << BG_STRIKE_CNT_SHIFT | (exp & BG_STRIKE_EXP_MASK));
	return (u32)ban;
}

void bg_strikes_clear(struct bg_net *bn, const struct bg_key *key)
{
	struct bg_strikes *s = bn->strikes;
	u64 h = bg_strike_hash(s, key);
	u64 *w = &s->slots[h & s->mask];

	if ((READ_ONCE(*w) >> BG_STRIKE_TAG_SHIFT) == h >> BG_STRIKE_TAG_SHIFT)
		WRITE_ONCE(*w, 0);
}

void bg_strikes_flush(struct bg_net *bn)
{
	struct bg_strikes *s = bn->strikes;
	u32 i;

	for (i = 0; i <= s->mask; i++)
		WRITE_ONCE(s->slots[i], 0);
}
