// SPDX-License-Identifier: GPL-2.0
/*
 * Words of burstctl. The only file that includes kmod/words.h, whose
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

int parse_mode(const char *s)
{
	if (!*s || s[strlen(s) - 1] == '\n')
		return -1;
	return bg_parse_mode(s);
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

void prefix_put(struct nlmsghdr *nlh, const struct prefix *p)
{
	if (p->family == AF_INET)
		mnl_attr_put(nlh, BG_A_ADDR4, 4, &p->addr.v4);
	else
		mnl_attr_put(nlh, BG_A_ADDR6, 16, &p->addr.v6);
	mnl_attr_put_u8(nlh, BG_A_PLEN, p->len);
}

int prefix_get(const struct nlattr *const *tb, struct prefix *p)
{
	memset(p, 0, sizeof(*p));
	if (tb[BG_A_ADDR4] && mnl_attr_get_payload_len(tb[BG_A_ADDR4]) == 4) {
		p->family = AF_INET;
		memcpy(&p->addr.v4, mnl_attr_get_payload(tb[BG_A_ADDR4]), 4);
	} else if (tb[BG_A_ADDR6] &&
		   mnl_attr_get_payload_len(tb[BG_A_ADDR6]) == 16) {
		p->family = AF_INET6;
		memcpy(&p->addr.v6, mnl_attr_get_payload(tb[BG_A_ADDR6]), 16);
	} else {
		return -1;
	}
	if (!tb[BG_A_PLEN])
		return -1;
	p->len = mnl_attr_get_u8(tb[BG_A_PLEN]);
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

/* Keyword parsers: 0 or -1. */
static int kw_rate(const char *w, struct settings *s)
{
	return parse_rate(w, &s->rate, &s->period);
}

static int kw_burst(const char *w, struct settings *s)
{
	return parse_u32(w, 1, BG_BURST_MAX, &s->burst);
}

static int kw_ban(const char *w, struct settings *s)
{
	return parse_duration(w, &s->ban);
}

static int kw_mode(const char *w, struct settings *s)
{
	int m = parse_mode(w);

	if (m < 0)
		return -1;
	s->mode = (uint8_t)m;
	return 0;
}

static int kw_prefix4(const char *w, struct settings *s)
{
	uint32_t v;

	if (parse_u32(w, 0, 32, &v))
		return -1;
	s->prefix4 = (uint8_t)v;
	return 0;
}

static int kw_prefix6(const char *w, struct settings *s)
{
	uint32_t v;

	if (parse_u32(w, 0, 128, &v))
		return -1;
	s->prefix6 = (uint8_t)v;
	return 0;
}

static int kw_max_sources(const char *w, struct settings *s)
{
	return parse_u32(w, 1, BC_MAX_SOURCES_LIMIT, &s->max_sources);
}

static int kw_forward(const char *w, struct settings *s)
{
	int on;

	if (!*w || w[strlen(w) - 1] == '\n')
		return -1;
	on = bg_parse_onoff(w);
	if (on < 0)
		return -1;
	s->forward = (uint8_t)on;
	return 0;
}

static int kw_port(const char *w, struct settings *s)
{
	return parse_ports(w, &s->port_min, &s->port_max);
}

const struct keyword keywords[] = {
	{ "port", KW_RULE, SET_PORT, kw_port, "P or P-Q, 1..65535" },
	{ "rate", KW_SET | KW_RULE, SET_RATE, kw_rate,
	  "N/s, N/min or N/hour, N in 1..10000000" },
	{ "burst", KW_SET | KW_RULE, SET_BURST, kw_burst, "1..1000000" },
	{ "ban", KW_SET | KW_RULE, SET_BAN, kw_ban,
	  "a duration such as 0, 30s, 10m, 1h, at most 1 week" },
	{ "mode", KW_SET | KW_RULE, SET_MODE, kw_mode,
	  "drop, reject or monitor" },
	{ "prefix4", KW_SET, SET_PREFIX4, kw_prefix4, "0..32" },
	{ "prefix6", KW_SET, SET_PREFIX6, kw_prefix6, "0..128" },
	{ "max-sources", KW_SET, SET_MAX_SOURCES, kw_max_sources,
	  "1..16777216" },
	{ "forward", KW_SET, SET_FORWARD, kw_forward, "on or off" },
	{ NULL, 0, 0, NULL, NULL }
};

int parse_keywords(int argc, char *argv[], unsigned int scope,
		   struct settings *s, char *err, size_t errlen)
{
	const struct keyword *k;
	int i;

	for (i = 0; i < argc; i += 2) {
		for (k = keywords; k->name; k++)
			if ((k->scope & scope) && !strcmp(k->name, argv[i]))
				break;
		if (!k->name) {
			snprintf(err, errlen, "unknown keyword '%s'", argv[i]);
			return -1;
		}
		if (i + 1 >= argc) {
			snprintf(err, errlen, "'%s' needs a value: %s",
				 k->name, k->expect);
			return -1;
		}
		if (s->have & k->bit) {
			snprintf(err, errlen, "'%s' given twice", k->name);
			return -1;
		}
		if (k->parse(argv[i + 1], s)) {
			snprintf(err, errlen, "invalid %s '%s': expected %s",
				 k->name, argv[i + 1], k->expect);
			return -1;
		}
		s->have |= k->bit;
	}
	return 0;
}

void settings_put(struct nlmsghdr *nlh, const struct settings *s)
{
	if (s->have & SET_PORT) {
		mnl_attr_put_u16(nlh, BG_A_PORT_MIN, s->port_min);
		mnl_attr_put_u16(nlh, BG_A_PORT_MAX, s->port_max);
	}
	if (s->have & SET_RATE) {
		mnl_attr_put_u32(nlh, BG_A_RATE, s->rate);
		mnl_attr_put_u32(nlh, BG_A_PERIOD, s->period);
	}
	if (s->have & SET_BURST)
		mnl_attr_put_u32(nlh, BG_A_BURST, s->burst);
	if (s->have & SET_BAN)
		mnl_attr_put_u32(nlh, BG_A_BAN, s->ban);
	if (s->have & SET_MODE)
		mnl_attr_put_u8(nlh, BG_A_MODE, s->mode);
	if (s->have & SET_PREFIX4)
		mnl_attr_put_u8(nlh, BG_A_PREFIX4, s->prefix4);
	if (s->have & SET_PREFIX6)
		mnl_attr_put_u8(nlh, BG_A_PREFIX6, s->prefix6);
	if (s->have & SET_MAX_SOURCES)
		mnl_attr_put_u32(nlh, BG_A_MAX_SOURCES, s->max_sources);
	if (s->have & SET_FORWARD)
		mnl_attr_put_u8(nlh, BG_A_FORWARD, s->forward);
}
