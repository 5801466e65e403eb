// SPDX-License-Identifier: GPL-2.0
/*
 * The settings table (settings.h): keyword parsing, printing, attribute
 * encoding and decoding, and the names errors give, all from one entry
 * per setting.
 */
#include <stdio.h>
#include <string.h>
#include <libmnl/libmnl.h>

#include "burstguard.h"
#include "parse.h"
#include "settings.h"

#define FIELD(f) offsetof(struct settings, f)
#define ATTR(t, f) { t, sizeof(((struct settings *)0)->f), FIELD(f), 0 }
#define ATTR_OPT(t, f) { t, sizeof(((struct settings *)0)->f), FIELD(f), 1 }

static uint32_t field_get(const struct settings *s, const struct setting_attr *a)
{
	const char *p = (const char *)s + a->off;
	uint32_t v32;
	uint16_t v16;

	switch (a->size) {
	case 1:
		return *(const uint8_t *)p;
	case 2:
		memcpy(&v16, p, sizeof(v16));
		return v16;
	default:
		memcpy(&v32, p, sizeof(v32));
		return v32;
	}
}

static void field_set(struct settings *s, const struct setting_attr *a,
		      uint32_t v)
{
	char *p = (char *)s + a->off;
	uint16_t v16 = (uint16_t)v;

	switch (a->size) {
	case 1:
		*(uint8_t *)p = (uint8_t)v;
		break;
	case 2:
		memcpy(p, &v16, sizeof(v16));
		break;
	default:
		memcpy(p, &v, sizeof(v));
		break;
	}
}

/* Parsers: 0 or -1. */
static int kw_number(const struct setting *k, const char *w,
		     struct settings *s)
{
	uint32_t v;

	if (parse_u32(w, k->min, k->max, &v))
		return -1;
	field_set(s, &k->attr[0], v);
	return 0;
}

static int kw_rate(const struct setting *k, const char *w, struct settings *s)
{
	(void)k;
	return parse_rate(w, &s->rate, &s->period);
}

static int kw_duration(const struct setting *k, const char *w,
		       struct settings *s)
{
	uint32_t v;

	if (parse_duration(w, &v))
		return -1;
	field_set(s, &k->attr[0], v);
	return 0;
}

static int kw_ban(const struct setting *k, const char *w, struct settings *s)
{
	(void)k;
	s->ban_max = 0;		/* fixed unless a "max" follows */
	return parse_duration(w, &s->ban);
}

static int kw_mode(const struct setting *k, const char *w, struct settings *s)
{
	int m = parse_mode(w);

	if (m < 0)
		return -1;
	field_set(s, &k->attr[0], (uint32_t)m);
	return 0;
}

static int kw_onoff(const struct setting *k, const char *w, struct settings *s)
{
	int on = parse_onoff(w);

	if (on < 0)
		return -1;
	field_set(s, &k->attr[0], (uint32_t)on);
	return 0;
}

/* "N/unit" or "off"; its burst comes as a "burst" right after it. */
static int kw_total(const struct setting *k, const char *w,
		    struct settings *s)
{
	(void)k;
	s->total_burst = 0;	/* the kernel's default unless told */
	if (!strcmp(w, "off")) {
		s->total_rate = 0;
		s->total_period = 1;
		return 0;
	}
	return parse_rate(w, &s->total_rate, &s->total_period);
}

static int kw_ports(const struct setting *k, const char *w, struct settings *s)
{
	(void)k;
	return parse_ports(w, &s->port_min, &s->port_max);
}

/* Printers: return @buf. */
static char *fmt_number(const struct setting *k, const struct settings *s,
			char *buf, size_t size)
{
	snprintf(buf, size, "%u", field_get(s, &k->attr[0]));
	return buf;
}

static char *fmt_rate(const struct setting *k, const struct settings *s,
		      char *buf, size_t size)
{
	(void)k;
	return format_rate(s->rate, s->period, buf, size);
}

static char *fmt_ban(const struct setting *k, const struct settings *s,
		     char *buf, size_t size)
{
	char b[32], m[32];

	(void)k;
	format_duration(s->ban, b, sizeof(b));
	if (s->ban_max)
		snprintf(buf, size, "%s max %s", b,
			 format_duration(s->ban_max, m, sizeof(m)));
	else
		snprintf(buf, size, "%s", b);
	return buf;
}

static char *fmt_forget(const struct setting *k, const struct settings *s,
			char *buf, size_t size)
{
	char d[32];

	(void)k;
	snprintf(buf, size, "forget %s",
		 format_duration(s->strikes_forget, d, sizeof(d)));
	return buf;
}

static char *fmt_mode(const struct setting *k, const struct settings *s,
		      char *buf, size_t size)
{
	snprintf(buf, size, "%s", mode_name(field_get(s, &k->attr[0])));
	return buf;
}

static char *fmt_onoff(const struct setting *k, const struct settings *s,
		       char *buf, size_t size)
{
	snprintf(buf, size, "%s", field_get(s, &k->attr[0]) ? "on" : "off");
	return buf;
}

static char *fmt_total(const struct setting *k, const struct settings *s,
		       char *buf, size_t size)
{
	char r[32];

	(void)k;
	if (!s->total_rate)
		snprintf(buf, size, "off");
	else
		snprintf(buf, size, "%s burst %u",
			 format_rate(s->total_rate, s->total_period, r,
				     sizeof(r)), s->total_burst);
	return buf;
}

static char *fmt_ports(const struct setting *k, const struct settings *s,
		       char *buf, size_t size)
{
	(void)k;
	return format_ports(s->port_min, s->port_max, buf, size);
}

const struct setting settings_table[] = {
	{ "port", KW_RULE, SET_PORT, kw_ports, fmt_ports, 1, 65535,
	  "P or P-Q, %u..%u",
	  { ATTR(BG_A_PORT_MIN, port_min), ATTR(BG_A_PORT_MAX, port_max) } },
	{ "rate", KW_SET | KW_RULE, SET_RATE, kw_rate, fmt_rate, 1, BG_RATE_MAX,
	  "N/s, N/min or N/hour, N in %u..%u",
	  { ATTR(BG_A_RATE, rate), ATTR(BG_A_PERIOD, period) } },
	{ "burst", KW_SET | KW_RULE, SET_BURST, kw_number, fmt_number,
	  1, BG_BURST_MAX, "%u..%u", { ATTR(BG_A_BURST, burst) } },
	{ "ban", KW_SET | KW_RULE, SET_BAN, kw_ban, fmt_ban,
	  0, BG_BAN_MAX_S, "a duration such as 0, 30s, 10m, 1h, at most 1 week",
	  { ATTR(BG_A_BAN, ban), ATTR_OPT(BG_A_BAN_MAX, ban_max) } },
	{ "mode", KW_SET | KW_RULE, SET_MODE, kw_mode, fmt_mode, 0, BG_MODE_MAX,
	  "drop, reject or monitor", { ATTR(BG_A_MODE, mode) } },
	{ "prefix4", KW_SET, SET_PREFIX4, kw_number, fmt_number, 0, 32,
	  "%u..%u", { ATTR(BG_A_PREFIX4, prefix4) } },
	{ "prefix6", KW_SET, SET_PREFIX6, kw_number, fmt_number, 0, 128,
	  "%u..%u", { ATTR(BG_A_PREFIX6, prefix6) } },
	{ "max-sources", KW_SET, SET_MAX_SOURCES, kw_number, fmt_number,
	  1, BG_MAX_SOURCES_LIMIT, "%u..%u",
	  { ATTR(BG_A_MAX_SOURCES, max_sources) } },
	{ "forward", KW_SET, SET_FORWARD, kw_onoff, fmt_onoff, 0, 1,
	  "on or off", { ATTR(BG_A_FORWARD, forward) } },
	/* "strikes forget D": the word "forget" is part of the value. */
	{ "strikes", KW_SET, SET_STRIKES, kw_duration, fmt_forget,
	  0, BG_BAN_MAX_S, "forget and a duration such as 1h, 1d, at most 1 week",
	  { ATTR(BG_A_STRIKES_FORGET, strikes_forget) } },
	/* Last: "save" writes "total R burst N" and "burst" must follow it. */
	{ "total", KW_SET | KW_RULE, SET_TOTAL, kw_total, fmt_total,
	  1, BG_RATE_MAX, "N/s, N/min or N/hour, N in %u..%u, or off",
	  { ATTR(BG_A_TOTAL_RATE, total_rate),
	    ATTR(BG_A_TOTAL_PERIOD, total_period),
	    ATTR(BG_A_TOTAL_BURST, total_burst) } },
	{ NULL, 0, 0, NULL, NULL, 0, 0, NULL, { { 0, 0, 0, 0 } } }
};

int parse_keywords(int argc, char *argv[], unsigned int scope,
		   struct settings *s, char *err, size_t errlen)
{
	const struct setting *k, *prev = NULL;
	char expect[128];
	int i;

	for (i = 0; i < argc; i += 2) {
		/* "total 100/s burst 200": the burst of the total */
		if (prev && prev->bit == SET_TOTAL &&
		    !strcmp(argv[i], "burst")) {
			prev = NULL;
			if (!s->total_rate) {
				snprintf(err, errlen,
					 "'total off' takes no burst");
				return -1;
			}
			if (i + 1 >= argc ||
			    parse_u32(argv[i + 1], 1, BG_BURST_MAX,
				      &s->total_burst)) {
				snprintf(err, errlen,
					 "invalid total burst '%s': expected %u..%u",
					 i + 1 < argc ? argv[i + 1] : "",
					 1U, BG_BURST_MAX);
				return -1;
			}
			continue;
		}
		/* "ban 10m max 1w": the longest an escalating ban gets */
		if (prev && prev->bit == SET_BAN && !strcmp(argv[i], "max")) {
			prev = NULL;
			if (i + 1 >= argc ||
			    parse_duration(argv[i + 1], &s->ban_max) ||
			    s->ban_max < s->ban || !s->ban) {
				snprintf(err, errlen,
					 "invalid ban max '%s': expected a duration no shorter than the ban (and a ban), at most 1 week",
					 i + 1 < argc ? argv[i + 1] : "");
				return -1;
			}
			continue;
		}
		/* "strikes forget 1d": three words */
		if (!strcmp(argv[i], "strikes") && (scope & KW_SET)) {
			prev = NULL;
			if (s->have & SET_STRIKES) {
				snprintf(err, errlen, "'strikes' given twice");
				return -1;
			}
			if (i + 2 >= argc || strcmp(argv[i + 1], "forget") ||
			    parse_duration(argv[i + 2], &s->strikes_forget)) {
				snprintf(err, errlen,
					 "invalid strikes: expected 'strikes forget D', D a duration such as 1h, 1d, at most 1 week");
				return -1;
			}
			s->have |= SET_STRIKES;
			i++;
			continue;
		}
		for (k = settings_table; k->name; k++)
			if ((k->scope & scope) && !strcmp(k->name, argv[i]))
				break;
		if (!k->name) {
			snprintf(err, errlen, "unknown keyword '%s'", argv[i]);
			return -1;
		}
		snprintf(expect, sizeof(expect), k->expect, k->min, k->max);
		if (i + 1 >= argc) {
			snprintf(err, errlen, "'%s' needs a value: %s",
				 k->name, expect);
			return -1;
		}
		if (s->have & k->bit) {
			snprintf(err, errlen, "'%s' given twice", k->name);
			return -1;
		}
		if (k->parse(k, argv[i + 1], s)) {
			snprintf(err, errlen, "invalid %s '%s': expected %s",
				 k->name, argv[i + 1], expect);
			return -1;
		}
		s->have |= k->bit;
		prev = k;
	}
	return 0;
}

char *keyword_list(unsigned int scope, char *buf, size_t size)
{
	const struct setting *k;
	size_t n = 0;

	buf[0] = '\0';
	for (k = settings_table; k->name && n < size; k++)
		if (k->scope & scope)
			n += (size_t)snprintf(buf + n, size - n, "%s%s",
					      n ? " " : "", k->name);
	return buf;
}

char *format_settings(unsigned int scope, const struct settings *s,
		      char *buf, size_t size)
{
	const struct setting *k;
	char w[64];
	size_t n = 0;

	buf[0] = '\0';
	for (k = settings_table; k->name && n < size; k++)
		if ((k->scope & scope) && (s->have & k->bit))
			n += (size_t)snprintf(buf + n, size - n, " %s %s",
					      k->name,
					      k->format(k, s, w, sizeof(w)));
	return buf;
}

void settings_put(struct nlmsghdr *nlh, const struct settings *s)
{
	const struct setting_attr *a;
	const struct setting *k;

	for (k = settings_table; k->name; k++) {
		if (!(s->have & k->bit))
			continue;
		for (a = k->attr; a->type; a++) {
			uint32_t v = field_get(s, a);

			if (a->size == 1)
				mnl_attr_put_u8(nlh, a->type, (uint8_t)v);
			else if (a->size == 2)
				mnl_attr_put_u16(nlh, a->type, (uint16_t)v);
			else
				mnl_attr_put_u32(nlh, a->type, v);
		}
	}
}

void settings_get(const struct nlattr *const *tb, struct settings *s)
{
	const struct setting_attr *a;
	const struct setting *k;

	for (k = settings_table; k->name; k++) {
		for (a = k->attr; a->type; a++)
			if (!tb[a->type] && !a->optional)
				break;
		if (a->type)	/* not all there */
			continue;
		for (a = k->attr; a->type; a++) {
			const struct nlattr *at = tb[a->type];

			if (!at)
				continue;
			field_set(s, a, a->size == 1 ? mnl_attr_get_u8(at) :
				  a->size == 2 ? mnl_attr_get_u16(at) :
				  mnl_attr_get_u32(at));
		}
		s->have |= k->bit;
	}
}

static const struct setting_attr *find_attr(unsigned int type,
					    const struct setting **kp)
{
	const struct setting_attr *a;
	const struct setting *k;

	for (k = settings_table; k->name; k++)
		for (a = k->attr; a->type; a++)
			if (a->type == type) {
				if (kp)
					*kp = k;
				return a;
			}
	return NULL;
}

const char *settings_attr_name(unsigned int type)
{
	const struct setting *k;

	return find_attr(type, &k) ? k->name : NULL;
}

unsigned int settings_attr_size(unsigned int type)
{
	const struct setting_attr *a = find_attr(type, NULL);

	return a ? a->size : 0;
}
