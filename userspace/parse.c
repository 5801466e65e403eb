// SPDX-License-Identifier: GPL-2.0
/*
 * Words of burstctl. The only file that includes words.h, whose
 * tables every other file reaches through the *_name() functions.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "burstguard.h"
#include "words.h"
#include "parse.h"

int parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out)
{
	uint32_t v;

	if (bg_parse_uint(s, strlen(s), max, &v) || v < min)
		return -1;
	*out = v;
	return 0;
}

int parse_rate(const char *s, uint32_t *rate, uint32_t *period)
{
	/* words.h forgives one trailing newline; a command line must not */
	if (!*s || s[strlen(s) - 1] == '\n')
		return -1;
	return bg_parse_rate(s, rate, period);
}

int parse_duration(const char *s, uint32_t *seconds)
{
	if (!*s || s[strlen(s) - 1] == '\n')
		return -1;
	return bg_parse_duration(s, seconds);
}

int parse_timeout(const char *s, uint32_t *seconds)
{
	if (!*s || s[strlen(s) - 1] == '\n' ||
	    bg_parse_duration_max(s, BG_LIST_TIMEOUT_MAX_S, seconds) ||
	    !*seconds)
		return -1;
	return 0;
}

int parse_mode(const char *s)
{
	if (!*s || s[strlen(s) - 1] == '\n')
		return -1;
	return bg_parse_mode(s);
}

int parse_onoff(const char *s)
{
	if (!*s || s[strlen(s) - 1] == '\n')
		return -1;
	return bg_parse_onoff(s);
}

int parse_ports(const char *s, uint16_t *min, uint16_t *max)
{
	const char *dash = strchr(s, '-');
	uint32_t lo, hi;

	if (dash) {
		if (bg_parse_uint(s, (size_t)(dash - s), 65535, &lo) ||
		    parse_u32(dash + 1, 1, 65535, &hi))
			return -1;
	} else {
		if (parse_u32(s, 1, 65535, &lo))
			return -1;
		hi = lo;
	}
	if (!lo || hi < lo)
		return -1;
	*min = (uint16_t)lo;
	*max = (uint16_t)hi;
	return 0;
}

void prefix_mask(struct prefix *p)
{
	uint8_t *b = (uint8_t *)&p->addr;
	unsigned int bytes = p->family == AF_INET ? 4 : 16, i;

	for (i = 0; i < bytes; i++) {
		unsigned int bit = i * 8;

		if (bit >= p->len)
			b[i] = 0;
		else if (p->len - bit < 8)
			b[i] &= (uint8_t)(0xff00 >> (p->len - bit));
	}
}

int parse_prefix(const char *s, struct prefix *p)
{
	char addr[INET6_ADDRSTRLEN];
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);
	uint32_t len, max;

	if (!n || n >= sizeof(addr))
		return -1;
	memcpy(addr, s, n);
	addr[n] = '\0';
	memset(p, 0, sizeof(*p));
	if (inet_pton(AF_INET, addr, &p->addr.v4) == 1) {
		p->family = AF_INET;
		max = 32;
	} else if (inet_pton(AF_INET6, addr, &p->addr.v6) == 1) {
		p->family = AF_INET6;
		max = 128;
	} else {
		return -1;
	}
	len = max;
	if (slash && parse_u32(slash + 1, 0, max, &len))
		return -1;
	p->len = (uint8_t)len;
	prefix_mask(p);
	return 0;
}

char *format_prefix(const struct prefix *p, char *buf, size_t size)
{
	char a[INET6_ADDRSTRLEN];

	if (!inet_ntop(p->family, &p->addr, a, sizeof(a)))
		snprintf(a, sizeof(a), "?");
	snprintf(buf, size, "%s/%u", a, p->len);
	return buf;
}

char *format_rate(uint32_t rate, uint32_t period, char *buf, size_t size)
{
	const char *w = bg_period_word(period);

	if (w)
		snprintf(buf, size, "%u/%s", rate, w);
	else
		snprintf(buf, size, "%u/%us", rate, period);
	return buf;
}

char *format_duration(uint32_t s, char *buf, size_t size)
{
	if (s && s % 3600 == 0)
		snprintf(buf, size, "%uh", s / 3600);
	else if (s && s % 60 == 0)
		snprintf(buf, size, "%um", s / 60);
	else if (s)
		snprintf(buf, size, "%us", s);
	else
		snprintf(buf, size, "0");
	return buf;
}

char *format_ports(uint16_t min, uint16_t max, char *buf, size_t size)
{
	if (min == max)
		snprintf(buf, size, "%u", min);
	else
		snprintf(buf, size, "%u-%u", min, max);
	return buf;
}

const char *mode_name(unsigned int mode)
{
	return mode < __BG_MODE_MAX ? bg_mode_names[mode] : "unknown";
}

const char *state_name(unsigned int state)
{
	return state < __BG_STATE_MAX ? bg_state_names[state] : "unknown";
}

const char *event_name(unsigned int event)
{
	if (event >= __BG_EVENT_MAX || !bg_event_names[event])
		return "unknown";
	return bg_event_names[event];
}

const char *stat_name(unsigned int stat)
{
	return stat < __BG_STAT_MAX ? bg_stat_names[stat] : NULL;
}
