// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the token-bucket arithmetic (kmod/bucket.h) and the words
 * shared with module parameters (include/words.h), compiled in userspace from
 * the very headers the module uses. Debian kernels have no KUnit, so the
 * math is proven here, where every edge can be reached directly.
 */
#include <stdint.h>
#include "../../kmod/bucket.h"
#include "words.h"
#include "kselftest_harness.h"

#define SEC BG_NSEC_PER_SEC

struct bucket {
	uint64_t tat, interval, window, ban;
};

static struct bucket mk(uint32_t rate, uint32_t period, uint32_t burst,
			uint32_t ban_s)
{
	struct bucket b = { 0 };

	b.interval = bg_interval_ns(rate, period);
	b.window = bg_window_ns(b.interval, burst);
	b.ban = (uint64_t)ban_s * SEC;
	return b;
}

/* One attempt at @now; stores the new word like the module's cmpxchg. */
static enum bg_decision hit(struct bucket *b, uint64_t now)
{
	uint64_t next;
	enum bg_decision d = bg_bucket_decide(b->tat, now, b->interval,
					      b->window, b->ban, &next);

	b->tat = next;
	return d;
}

static int allowed(enum bg_decision d)
{
	return d == BG_ALLOW || d == BG_ALLOW_RELEASED;
}

/* Count allowed out of @n attempts all at time @now. */
static int burst_at(struct bucket *b, uint64_t now, int n)
{
	int i, ok = 0;

	for (i = 0; i < n; i++)
		ok += allowed(hit(b, now));
	return ok;
}

TEST(full_bucket_allows_exactly_burst)
{
	struct bucket b = mk(5, 1, 10, 0);

	ASSERT_EQ(10, burst_at(&b, 1000 * SEC, 25));
	ASSERT_EQ(0, bg_bucket_tokens(b.tat, 1000 * SEC, b.interval, b.window));
}

TEST(first_refusal_is_flagged_once)
{
	struct bucket b = mk(1, 1, 2, 0);
	uint64_t t = 50 * SEC;

	ASSERT_EQ(BG_ALLOW, hit(&b, t));
	ASSERT_EQ(BG_ALLOW, hit(&b, t));
	ASSERT_EQ(BG_REFUSE_THROTTLED, hit(&b, t));
	ASSERT_EQ(BG_REFUSE, hit(&b, t));
	ASSERT_EQ(BG_REFUSE, hit(&b, t));
	/* One token back after one interval, and the episode is over. */
	ASSERT_EQ(BG_ALLOW_RELEASED, hit(&b, t + SEC));
	ASSERT_EQ(BG_REFUSE_THROTTLED, hit(&b, t + SEC));
}

TEST(refill_is_exact_for_three_per_minute)
{
	struct bucket b = mk(3, 60, 1, 0);
	uint64_t t = 7 * SEC;

	ASSERT_EQ(20 * SEC, b.interval);
	ASSERT_EQ(1, burst_at(&b, t, 5));
	ASSERT_EQ(0, burst_at(&b, t + 20 * SEC - 1, 1));
	ASSERT_EQ(1, burst_at(&b, t + 20 * SEC, 1));
	/* A minute later: exactly three. */
	ASSERT_EQ(1, burst_at(&b, t + 40 * SEC, 3));
	ASSERT_EQ(1, burst_at(&b, t + 60 * SEC, 3));
}

TEST(sustained_rate_matches)
{
	struct bucket b = mk(100, 1, 1, 0);
	uint64_t t0 = 3 * SEC, t;
	int ok = 0;

	/* Attempts every 1 ms for 10 s: 100/s gets through, 1000 total. */
	for (t = t0; t < t0 + 10 * SEC; t += SEC / 1000)
		ok += allowed(hit(&b, t));
	ASSERT_EQ(1000, ok);
}

TEST(tokens_never_exceed_burst_after_long_idle)
{
	struct bucket b = mk(10, 1, 4, 0);

	ASSERT_EQ(4, burst_at(&b, SEC, 4));
	ASSERT_EQ(4, bg_bucket_tokens(b.tat, 1000000 * SEC, b.interval,
				      b.window));
	ASSERT_TRUE(bg_bucket_idle(b.tat, 1000000 * SEC));
	ASSERT_EQ(4, burst_at(&b, 1000000 * SEC, 9));
}

TEST(ban_refuses_then_restarts_full)
{
	struct bucket b = mk(1, 1, 2, 600);
	uint64_t t = 100 * SEC;

	ASSERT_EQ(2, burst_at(&b, t, 2));
	ASSERT_EQ(BG_REFUSE_BAN_START, hit(&b, t));
	ASSERT_EQ(600 * SEC, bg_bucket_ban_left(b.tat, t));
	/* Refill would have given tokens back long ago; the ban holds. */
	ASSERT_EQ(BG_REFUSE_BANNED, hit(&b, t + 599 * SEC));
	ASSERT_EQ(0, bg_bucket_tokens(b.tat, t + 599 * SEC, b.interval,
				      b.window));
	ASSERT_FALSE(bg_bucket_idle(b.tat, t + 599 * SEC));
	/* Over: a full bucket again, this attempt takes the first token. */
	ASSERT_EQ(BG_ALLOW_RELEASED, hit(&b, t + 600 * SEC));
	ASSERT_EQ(BG_ALLOW, hit(&b, t + 600 * SEC));
	ASSERT_EQ(BG_REFUSE_BAN_START, hit(&b, t + 600 * SEC));
}

TEST(extremes_do_not_overflow)
{
	/* Slowest rate, biggest burst: the window is refused, not wrapped. */
	ASSERT_EQ(3600 * SEC, bg_interval_ns(1, 3600));
	ASSERT_EQ(0, bg_window_ns(bg_interval_ns(1, 3600), BG_BURST_MAX));
	ASSERT_NE(0, bg_window_ns(bg_interval_ns(1, 3600), 320000));
	/* Fastest rate. */
	ASSERT_EQ(100, bg_interval_ns(BG_RATE_MAX, 1));
	ASSERT_EQ(100ULL * BG_BURST_MAX,
		  bg_window_ns(bg_interval_ns(BG_RATE_MAX, 1), BG_BURST_MAX));
}

TEST(largest_window_and_ban_stay_below_flag_bits)
{
	struct bucket b;
	uint64_t now = (1ULL << 61);	/* 73 years of uptime */

	b.interval = bg_interval_ns(1, 3600);
	b.window = bg_window_ns(b.interval, BG_WINDOW_MAX_NS / b.interval);
	b.ban = (uint64_t)BG_BAN_MAX_S * SEC;
	b.tat = 0;
	ASSERT_NE(0, b.window);
	while (allowed(hit(&b, now)))
		;
	/* The ban end fits in the time bits: no flag was clobbered. */
	ASSERT_EQ(BG_TAT_BANNED, b.tat & ~BG_TAT_TIME & ~BG_TAT_THROTTLED);
	ASSERT_EQ(b.ban, bg_bucket_ban_left(b.tat, now));
}

TEST(clock_starting_near_zero)
{
	/* ktime_get_ns() starts at boot: a new source at t=0 is full. */
	struct bucket b = mk(2, 1, 3, 0);

	ASSERT_EQ(3, burst_at(&b, 0, 10));
	ASSERT_EQ(1, burst_at(&b, SEC / 2, 10));
}

/*
 * No source stays refused forever, wherever the clock is. The module reads
 * ktime_get_ns() (64-bit, from boot), never jiffies, so the boot-time
 * jiffies wrap (INITIAL_JIFFIES, 5 minutes after boot) cannot reach the
 * bucket; the clock values below include that moment, a 32-bit wrap of a
 * nanosecond counter (4.29 s), and 73 years of uptime. For extreme limits
 * (slowest and fastest rate, largest burst the window allows, longest ban),
 * a source driven into refusal is allowed again, and idle for GC, once
 * window + ban have passed.
 */
TEST(no_source_stays_refused_forever)
{
	static const uint64_t clocks[] = {
		0, 1, (1ULL << 32) - 1, 1ULL << 32, 300 * SEC - 1, 300 * SEC,
		300 * SEC + 1, 86400 * SEC, 1ULL << 61,
	};
	static const uint32_t limits[][4] = {	/* rate, period, burst, ban */
		{ 1, 3600, 1, 0 }, { 1, 3600, 320000, 0 }, { 1, 3600, 1, BG_BAN_MAX_S },
		{ BG_RATE_MAX, 1, BG_BURST_MAX, 0 }, { BG_RATE_MAX, 1, 1, BG_BAN_MAX_S },
		{ 3, 60, 5, 600 }, { 20, 1, 40, 0 },
	};
	size_t c, l;

	for (c = 0; c < sizeof(clocks) / sizeof(clocks[0]); c++) {
		for (l = 0; l < sizeof(limits) / sizeof(limits[0]); l++) {
			struct bucket b = mk(limits[l][0], limits[l][1],
					     limits[l][2], limits[l][3]);
			uint64_t now = clocks[c], later;
			int n = 0;

			ASSERT_NE(0, b.window);
			/* Empty it at one instant: burst allowed, then refused. */
			while (allowed(hit(&b, now)))
				n++;
			ASSERT_EQ(limits[l][2], n);
			ASSERT_FALSE(allowed(hit(&b, now)));
			ASSERT_FALSE(bg_bucket_idle(b.tat, now));
			/* Flags never leak into the time bits, even at 2^61. */
			ASSERT_GE(BG_TAT_TIME, (b.tat & BG_TAT_TIME));
			later = now + b.window + b.ban + 1;
			ASSERT_TRUE(bg_bucket_idle(b.tat, later))
				TH_LOG("clock %llu limit %zu", (unsigned long long)now, l);
			ASSERT_TRUE(allowed(hit(&b, later)))
				TH_LOG("clock %llu limit %zu", (unsigned long long)now, l);
		}
	}
}

TEST(loosened_limit_clamps_old_debt)
{
	/* 1/hour burst 300000 used up: a debt of about 34 years. */
	struct bucket b = mk(1, 3600, 300000, 0), n;
	uint64_t t = 1000 * SEC;

	ASSERT_EQ(300000, burst_at(&b, t, 300001));
	ASSERT_GT(b.tat & BG_TAT_TIME, t + 300000ULL * 3599 * SEC);
	/* Now 100/s burst 10: refused at once, the debt cut to 10 tokens. */
	n = mk(100, 1, 10, 0);
	n.tat = b.tat;
	ASSERT_EQ(BG_REFUSE, hit(&n, t));
	ASSERT_EQ(t + n.window, n.tat & BG_TAT_TIME);
	ASSERT_EQ(0, bg_bucket_tokens(n.tat, t, n.interval, n.window));
	/* One interval later one token, after the window all ten. */
	ASSERT_EQ(1, burst_at(&n, t + n.interval, 5));
	n.tat = bg_bucket_clamp(b.tat, t, n.window);
	ASSERT_EQ(10, burst_at(&n, t + 2 * n.window, 20));
	/* The eager clamp of a commit gives the same word. */
	ASSERT_EQ((t + n.window) | BG_TAT_THROTTLED,
		  bg_bucket_clamp(b.tat, t, n.window));
	/* Within the window: unchanged. */
	ASSERT_EQ(t + 5, bg_bucket_clamp(t + 5, t, n.window));
}

TEST(loosened_limit_keeps_ban_end)
{
	struct bucket b = mk(1, 60, 1, 3600);
	uint64_t t = 100 * SEC, end;

	ASSERT_EQ(BG_ALLOW, hit(&b, t));
	ASSERT_EQ(BG_REFUSE_BAN_START, hit(&b, t));
	end = b.tat;
	ASSERT_EQ(end, bg_bucket_clamp(end, t, SEC));
	/* Under a looser limit with a short window the ban still runs. */
	b.interval = SEC / 100;
	b.window = SEC / 10;
	ASSERT_EQ(BG_REFUSE_BANNED, hit(&b, t + 3599 * SEC));
	ASSERT_EQ(end, b.tat);
	ASSERT_EQ(BG_ALLOW_RELEASED, hit(&b, t + 3600 * SEC));
}

TEST(merge_takes_the_stricter_word)
{
	uint64_t t = 1000 * SEC;
	uint64_t ban1 = BG_TAT_BANNED | (t + 60 * SEC);
	uint64_t ban2 = BG_TAT_BANNED | (t + 90 * SEC);
	uint64_t over = BG_TAT_BANNED | (t - SEC);

	ASSERT_EQ(ban2, bg_bucket_merge(ban1, ban2, t));
	ASSERT_EQ(ban2, bg_bucket_merge(ban2, ban1, t));
	ASSERT_EQ(ban1, bg_bucket_merge(t + 5 * SEC, ban1, t));
	ASSERT_EQ(ban1, bg_bucket_merge(ban1, t + 500 * SEC, t));
	/* An ended ban is a full bucket: the other word decides. */
	ASSERT_EQ(t + 5, bg_bucket_merge(over, t + 5, t));
	ASSERT_EQ(0, bg_bucket_merge(over, 0, t));
	ASSERT_EQ((t + 9) | BG_TAT_THROTTLED,
		  bg_bucket_merge(t + 9, (t + 3) | BG_TAT_THROTTLED, t));
}

TEST(charge_adds_debt_up_to_an_empty_bucket)
{
	struct bucket b = mk(10, 1, 5, 0);	/* 100 ms per token, 500 ms */
	uint64_t t = 1000 * SEC, ban = BG_TAT_BANNED | (t + SEC);

	/* Full bucket, two tokens taken elsewhere: three left. */
	b.tat = bg_bucket_charge(0, t, 2 * b.interval, b.window);
	ASSERT_EQ(t + 2 * b.interval, b.tat);
	ASSERT_EQ(3, bg_bucket_tokens(b.tat, t, b.interval, b.window));
	ASSERT_EQ(3, burst_at(&b, t, 10));
	/* More debt than the window: an empty bucket, no more. */
	ASSERT_EQ(t + b.window,
		  bg_bucket_charge(t + b.interval, t, 100 * SEC, b.window));
	ASSERT_EQ(t + b.window,
		  bg_bucket_charge(t + 4 * b.interval, t, 2 * b.interval,
				   b.window));
	ASSERT_EQ(ban, bg_bucket_charge(ban, t, b.interval, b.window));
	/* After its end a ban is a full bucket. */
	ASSERT_EQ(t + 2 * SEC + b.interval,
		  bg_bucket_charge(ban, t + 2 * SEC, b.interval, b.window));
}

TEST(rate_words)
{
	uint32_t r, p;

	ASSERT_EQ(0, bg_parse_rate("3/min", &r, &p));
	ASSERT_EQ(3, r);
	ASSERT_EQ(60, p);
	ASSERT_EQ(0, bg_parse_rate("20", &r, &p));
	ASSERT_EQ(20, r);
	ASSERT_EQ(1, p);
	ASSERT_EQ(0, bg_parse_rate("7/hour\n", &r, &p));
	ASSERT_EQ(3600, p);
	ASSERT_EQ(0, bg_parse_rate("10000000/second", &r, &p));
	ASSERT_EQ(-1, bg_parse_rate("10000001/s", &r, &p));
	ASSERT_EQ(-1, bg_parse_rate("0/s", &r, &p));
	ASSERT_EQ(-1, bg_parse_rate("3/fortnight", &r, &p));
	ASSERT_EQ(-1, bg_parse_rate("/s", &r, &p));
	ASSERT_EQ(-1, bg_parse_rate("-3/s", &r, &p));
	ASSERT_EQ(-1, bg_parse_rate("", &r, &p));
	ASSERT_EQ(-1, bg_parse_rate("99999999999999999999", &r, &p));
}

TEST(duration_words)
{
	uint32_t s;

	ASSERT_EQ(0, bg_parse_duration("0", &s));
	ASSERT_EQ(0, s);
	ASSERT_EQ(0, bg_parse_duration("30", &s));
	ASSERT_EQ(30, s);
	ASSERT_EQ(0, bg_parse_duration("10m", &s));
	ASSERT_EQ(600, s);
	ASSERT_EQ(0, bg_parse_duration("1h", &s));
	ASSERT_EQ(3600, s);
	ASSERT_EQ(0, bg_parse_duration("7d", &s));
	ASSERT_EQ(-1, bg_parse_duration("8d", &s));
	ASSERT_EQ(-1, bg_parse_duration("10x", &s));
	ASSERT_EQ(-1, bg_parse_duration("m", &s));
	ASSERT_EQ(-1, bg_parse_duration("", &s));
}

TEST(mode_words)
{
	ASSERT_EQ(BG_MODE_DROP, bg_parse_mode("drop"));
	ASSERT_EQ(BG_MODE_REJECT, bg_parse_mode("reject\n"));
	ASSERT_EQ(BG_MODE_MONITOR, bg_parse_mode("monitor"));
	ASSERT_EQ(-1, bg_parse_mode("dro"));
	ASSERT_EQ(-1, bg_parse_mode("drops"));
}

TEST_HARNESS_MAIN
