/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Token-bucket arithmetic for one source, as a pure function of integers
 * so that userspace unit tests compile the very same code.
 *
 * The bucket is kept as a GCRA "theoretical arrival time" (tat): one
 * 64-bit word per source that a single compare-and-swap updates. With
 * interval T (ns per token) and window W = burst * T, an attempt at time
 * now is allowed when max(tat, now) + T - now <= W, and then
 * tat = max(tat, now) + T. tat <= now means a full bucket; tokens left are
 * (W - (max(tat, now) - now)) / T.
 *
 * Two flag bits ride on top of the time (ktime_get_ns() stays below 2^62
 * for 146 years of uptime):
 *   BG_TAT_BANNED:    the rest of the word is the time the ban ends.
 *   BG_TAT_THROTTLED: the last attempt was refused; lets the caller
 *                     announce "throttled" and "released" once per episode.
 *
 * Every sum here is bounded: T <= 3600 s, W <= BG_WINDOW_MAX_NS, the ban
 * is at most BG_BAN_MAX_S, and now < 2^62, so nothing can wrap.
 */
#ifndef BG_BUCKET_H
#define BG_BUCKET_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdint.h>
#endif
#include "burstguard.h"	/* the limits: BG_WINDOW_MAX_NS, BG_BAN_MAX_S */

#define BG_NSEC_PER_SEC		1000000000ULL
#define BG_TAT_BANNED		(1ULL << 63)
#define BG_TAT_THROTTLED	(1ULL << 62)
#define BG_TAT_TIME		(BG_TAT_THROTTLED - 1)

enum bg_decision {
	BG_ALLOW,		/* within the limit */
	BG_ALLOW_RELEASED,	/* within the limit, first time after a refusal */
	BG_REFUSE,		/* bucket empty, already known as throttled */
	BG_REFUSE_THROTTLED,	/* bucket empty, first refusal of the episode */
	BG_REFUSE_BANNED,	/* refused: the source is banned */
	BG_REFUSE_BAN_START,	/* bucket empty and this starts a ban */
};

/* Interval in ns of one token for @rate attempts per @period seconds. */
static inline uint64_t bg_interval_ns(uint32_t rate, uint32_t period)
{
	/* period <= 3600 keeps the product below 2^42 */
	return (uint64_t)period * BG_NSEC_PER_SEC / rate;
}

/* Window (burst * interval) or 0 when it would exceed BG_WINDOW_MAX_NS. */
static inline uint64_t bg_window_ns(uint64_t interval, uint32_t burst)
{
	if (!interval || !burst || interval > BG_WINDOW_MAX_NS / burst)
		return 0;
	return interval * burst;
}

/*
 * Decide one attempt at @now against bucket word @tat; *@next receives the
 * word to store (may equal @tat when nothing changes).
 */
static inline enum bg_decision bg_bucket_decide(uint64_t tat, uint64_t now,
						uint64_t interval,
						uint64_t window,
						uint64_t ban_ns,
						uint64_t *next)
{
	uint64_t base;

	*next = tat;
	if (tat & BG_TAT_BANNED) {
		if (now < (tat & BG_TAT_TIME))
			return BG_REFUSE_BANNED;
		/* The ban is over: start again with a full bucket. */
		*next = now + interval;
		return BG_ALLOW_RELEASED;
	}

	base = tat & BG_TAT_TIME;
	if (base < now)
		base = now;
	if (base + interval - now > window) {
		if (ban_ns) {
			*next = BG_TAT_BANNED | (now + ban_ns);
			return BG_REFUSE_BAN_START;
		}
		/*
		 * A debt larger than the window (the limit was loosened since
		 * it was run up) is cut to the window: the bucket is empty and
		 * refills at the new rate from now, not in years.
		 */
		if (base - now > window) {
			*next = (now + window) | BG_TAT_THROTTLED;
			return (tat & BG_TAT_THROTTLED) ? BG_REFUSE :
							   BG_REFUSE_THROTTLED;
		}
		if (tat & BG_TAT_THROTTLED)
			return BG_REFUSE;
		*next = tat | BG_TAT_THROTTLED;
		return BG_REFUSE_THROTTLED;
	}
	*next = base + interval;
	return (tat & BG_TAT_THROTTLED) ? BG_ALLOW_RELEASED : BG_ALLOW;
}

/* Whole tokens left at @now (0 while banned). */
static inline uint32_t bg_bucket_tokens(uint64_t tat, uint64_t now,
					uint64_t interval, uint64_t window)
{
	uint64_t base, used;

	if (tat & BG_TAT_BANNED) {
		if (now < (tat & BG_TAT_TIME))
			return 0;
		return (uint32_t)(window / interval);
	}
	base = tat & BG_TAT_TIME;
	used = base > now ? base - now : 0;
	if (used >= window)
		return 0;
	return (uint32_t)((window - used) / interval);
}

/*
 * True when forgetting the source changes nothing: the bucket is full again,
 * or the ban is over (which also restarts with a full bucket).
 */
static inline int bg_bucket_idle(uint64_t tat, uint64_t now)
{
	return (tat & BG_TAT_TIME) <= now;
}

/*
 * @tat with its debt cut to @window at @now (a limit was loosened); a
 * running ban keeps its end, an empty bucket stays marked throttled.
 */
static inline uint64_t bg_bucket_clamp(uint64_t tat, uint64_t now,
				       uint64_t window)
{
	if (tat & BG_TAT_BANNED)
		return tat;
	if ((tat & BG_TAT_TIME) > now && (tat & BG_TAT_TIME) - now > window)
		return (now + window) | (tat & BG_TAT_THROTTLED);
	return tat;
}

/* Is @tat a ban that still runs at @now? */
static inline int bg_bucket_banned(uint64_t tat, uint64_t now)
{
	return (tat & BG_TAT_BANNED) && now < (tat & BG_TAT_TIME);
}

/*
 * The stricter of two words for one source (or one overflow slot): a
 * running ban wins, the later end of two bans, else the larger debt.
 * Used when two records of the same source meet (resize, re-keying).
 */
static inline uint64_t bg_bucket_merge(uint64_t a, uint64_t b, uint64_t now)
{
	int ba = bg_bucket_banned(a, now), bb = bg_bucket_banned(b, now);

	if (ba || bb) {
		if (ba && bb)
			return (a & BG_TAT_TIME) > (b & BG_TAT_TIME) ? a : b;
		return ba ? a : b;
	}
	/* An ended ban is a full bucket. */
	if (a & BG_TAT_BANNED)
		a = 0;
	if (b & BG_TAT_BANNED)
		b = 0;
	return ((a & BG_TAT_TIME) > (b & BG_TAT_TIME) ? a & BG_TAT_TIME :
						       b & BG_TAT_TIME) |
	       ((a | b) & BG_TAT_THROTTLED);
}

/*
 * Charge @debt ns (tokens taken elsewhere, e.g. in the old table during
 * a resize) to @tat at @now, at most up to an empty bucket (@window).
 * A running ban is kept as it is.
 */
static inline uint64_t bg_bucket_charge(uint64_t tat, uint64_t now,
					uint64_t debt, uint64_t window)
{
	uint64_t base;

	if (bg_bucket_banned(tat, now))
		return tat;
	base = (tat & BG_TAT_BANNED) ? now : tat & BG_TAT_TIME;
	if (base < now)
		base = now;
	/* Both are below 2^62, so the sum cannot wrap. */
	if (debt > window || base - now > window - debt)
		base = now + window;
	else
		base += debt;
	return base | (tat & BG_TAT_THROTTLED);
}

/* Time left of a running ban, 0 when none. */
static inline uint64_t bg_bucket_ban_left(uint64_t tat, uint64_t now)
{
	if (!(tat & BG_TAT_BANNED) || (tat & BG_TAT_TIME) <= now)
		return 0;
	return (tat & BG_TAT_TIME) - now;
}

#endif /* BG_BUCKET_H */
