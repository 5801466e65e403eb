/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The words operators type, parsed and printed by one piece of code for
 * module parameters, /proc and burstctl, so that "rate=3/min" means the same
 * thing everywhere. Plain C: no kernel or libc types beyond the string
 * functions both provide. The module (Kbuild's -I include) and burstctl
 * compile this same file.
 */
#ifndef BG_WORDS_H
#define BG_WORDS_H

#ifdef __KERNEL__
#include <linux/string.h>
#include <linux/types.h>
#else
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#endif

#include "burstguard.h"	/* the enums and limits the words name */

/* Each file uses some of the tables below; unused ones are not a bug. */
#define BG_WORDS_TABLE static __attribute__((unused)) const char *const

/* Names of enum bg_stat, as in /proc/net/burstguard/stats; NULL: unused. */
BG_WORDS_TABLE bg_stat_names[__BG_STAT_MAX] = {
	[BG_STAT_ATTEMPTS] = "attempts",
	[BG_STAT_ALLOWED] = "allowed",
	[BG_STAT_DROPPED] = "dropped",
	[BG_STAT_REJECTED] = "rejected",
	[BG_STAT_WOULD_DROP] = "would_drop",
	[BG_STAT_BANNED] = "banned",
	[BG_STAT_ALLOWLISTED] = "allowlisted",
	[BG_STAT_DENIED] = "denied",
	[BG_STAT_UNPARSABLE] = "unparsable",
	[BG_STAT_SOURCES] = "sources",
	[BG_STAT_MAX_SOURCES] = "max_sources",
	[BG_STAT_CREATED] = "created",
	[BG_STAT_EVICTED] = "evicted",
	[BG_STAT_EXPIRED] = "expired",
	[BG_STAT_TABLE_FULL] = "table_full",
	[BG_STAT_ALLOC_FAILED] = "alloc_failed",
	[BG_STAT_OVERFLOW] = "overflow",
	[BG_STAT_OVERFLOW_REFUSED] = "overflow_refused",
	[BG_STAT_REHASHED] = "rehashed",
	[BG_STAT_BAD_CHECKSUM] = "bad_checksum",
	[BG_STAT_FORWARDED] = "forwarded",
	[BG_STAT_REJECT_LIMITED] = "reject_limited",
	[BG_STAT_TOTAL_REFUSED] = "total_refused",
};

BG_WORDS_TABLE bg_mode_names[__BG_MODE_MAX] = {
	[BG_MODE_DROP] = "drop",
	[BG_MODE_REJECT] = "reject",
	[BG_MODE_MONITOR] = "monitor",
};

BG_WORDS_TABLE bg_state_names[__BG_STATE_MAX] = {
	[BG_STATE_OK] = "ok",
	[BG_STATE_THROTTLED] = "throttled",
	[BG_STATE_BANNED] = "banned",
};

BG_WORDS_TABLE bg_event_names[__BG_EVENT_MAX] = {
	[BG_EVENT_THROTTLED] = "throttled",
	[BG_EVENT_BANNED] = "banned",
	[BG_EVENT_RELEASED] = "released",
	[BG_EVENT_TABLE_FULL] = "table_full",
};

/* Length of @s without one trailing newline (sysfs and echo add one). */
static inline size_t bg_word_len(const char *s)
{
	size_t n = strlen(s);

	if (n && s[n - 1] == '\n')
		n--;
	return n;
}

/*
 * Decimal number of @len chars, no sign, no leading garbage, at most @max.
 * Returns 0 or -1.
 */
static inline int bg_parse_uint(const char *s, size_t len, uint32_t max,
				uint32_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (!len)
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0');
		if (v > max)
			return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

static inline int bg_word_is(const char *s, size_t len, const char *word)
{
	return strlen(word) == len && !strncmp(s, word, len);
}

/* Seconds in the unit @u ("s", "sec", "second", "m", "min", ...), or 0. */
static inline uint32_t bg_unit_seconds(const char *u, size_t len)
{
	if (bg_word_is(u, len, "s") || bg_word_is(u, len, "sec") ||
	    bg_word_is(u, len, "second"))
		return 1;
	if (bg_word_is(u, len, "m") || bg_word_is(u, len, "min") ||
	    bg_word_is(u, len, "minute"))
		return 60;
	if (bg_word_is(u, len, "h") || bg_word_is(u, len, "hour"))
		return 3600;
	return 0;
}

/*
 * "N/unit" (or a bare N, per second) into attempts per period seconds.
 * 1/hour up to 10000000/s. Returns 0 or -1.
 */
static inline int bg_parse_rate(const char *s, uint32_t *rate,
				uint32_t *period)
{
	size_t len = bg_word_len(s), n;
	const char *slash = memchr(s, '/', len);
	uint32_t r, p = 1;

	n = slash ? (size_t)(slash - s) : len;
	if (slash) {
		p = bg_unit_seconds(slash + 1, len - n - 1);
		if (!p)
			return -1;
	}
	if (bg_parse_uint(s, n, BG_RATE_MAX, &r) || !r)
		return -1;
	*rate = r;
	*period = p;
	return 0;
}

/*
 * "30", "30s", "10m", "1h", "2d" into seconds, at most @max ("0" is 0).
 * Returns 0 or -1.
 */
static inline int bg_parse_duration_max(const char *s, uint32_t max,
					uint32_t *seconds)
{
	size_t len = bg_word_len(s), n = len;
	uint32_t v, unit = 1;

	if (len && (s[len - 1] < '0' || s[len - 1] > '9')) {
		n = len - 1;
		switch (s[len - 1]) {
		case 's':
			unit = 1;
			break;
		case 'm':
			unit = 60;
			break;
		case 'h':
			unit = 3600;
			break;
		case 'd':
			unit = 86400;
			break;
		default:
			return -1;
		}
	}
	if (bg_parse_uint(s, n, max, &v) || v > max / unit)
		return -1;
	*seconds = v * unit;
	return 0;
}

/* A ban: at most BG_BAN_MAX_S. */
static inline int bg_parse_duration(const char *s, uint32_t *seconds)
{
	return bg_parse_duration_max(s, BG_BAN_MAX_S, seconds);
}

/* "drop", "reject" or "monitor". Returns the mode or -1. */
static inline int bg_parse_mode(const char *s)
{
	size_t len = bg_word_len(s);
	int m;

	for (m = 0; m < __BG_MODE_MAX; m++)
		if (bg_word_is(s, len, bg_mode_names[m]))
			return m;
	return -1;
}

/* "on" or "off" (forward). Returns 1, 0, or -1. */
static inline int bg_parse_onoff(const char *s)
{
	size_t len = bg_word_len(s);

	if (bg_word_is(s, len, "on"))
		return 1;
	if (bg_word_is(s, len, "off"))
		return 0;
	return -1;
}

/* The shortest unit word for a period, as printed by /proc and the CLI. */
static inline const char *bg_period_word(uint32_t period)
{
	switch (period) {
	case 1:
		return "s";
	case 60:
		return "min";
	case 3600:
		return "hour";
	default:
		return NULL;
	}
}

#endif /* BG_WORDS_H */
