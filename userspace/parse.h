/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The words burstctl reads and prints: numbers, rates, durations, modes,
 * prefixes, port ranges and the keyword lists of "set" and "rule add".
 * Rates, durations and modes come from kmod/words.h, the same code the
 * module uses for its parameters, so a word means the same everywhere.
 */
#ifndef BURSTCTL_PARSE_H
#define BURSTCTL_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>
#include <libmnl/libmnl.h>

/* Mirrors of the module's internal bounds (kmod/internal.h). */
#define BC_MAX_SOURCES_LIMIT	(1U << 24)
#define BC_MAX_RULES		64
#define BC_MAX_PREFIXES		1024

struct prefix {
	int family;		/* AF_INET or AF_INET6 */
	uint8_t len;
	union {
		struct in_addr v4;
		struct in6_addr v6;
	} addr;			/* host bits cleared */
};

/* Settings named on a command line: "set" and "rule add" keywords. */
enum {
	SET_RATE	= 1 << 0,	/* rate and period */
	SET_BURST	= 1 << 1,
	SET_BAN		= 1 << 2,
	SET_MODE	= 1 << 3,
	SET_PREFIX4	= 1 << 4,
	SET_PREFIX6	= 1 << 5,
	SET_MAX_SOURCES	= 1 << 6,
	SET_PORT	= 1 << 7,	/* port_min and port_max */
	SET_FORWARD	= 1 << 8,
};

struct settings {
	unsigned int have;	/* SET_* bits */
	uint32_t rate, period, burst, ban, max_sources;
	uint8_t mode, prefix4, prefix6, forward;
	uint16_t port_min, port_max;
};

/* Which command a keyword list belongs to. */
enum kw_scope {
	KW_SET = 1 << 0,	/* burstctl set */
	KW_RULE = 1 << 1,	/* burstctl rule add */
};

struct keyword {
	const char *name;
	unsigned int scope;	/* enum kw_scope bits */
	unsigned int bit;	/* SET_* */
	int (*parse)(const char *word, struct settings *s);
	const char *expect;	/* for error messages and usage */
};

extern const struct keyword keywords[];

/*
 * Parse "keyword value" pairs allowed in @scope into @s. On error returns
 * -1 with a message naming the bad word in @err.
 */
int parse_keywords(int argc, char *argv[], unsigned int scope,
		   struct settings *s, char *err, size_t errlen);
/* Put the attributes of the settings in @s into @nlh. */
void settings_put(struct nlmsghdr *nlh, const struct settings *s);

int parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out);
int parse_rate(const char *s, uint32_t *rate, uint32_t *period);
int parse_duration(const char *s, uint32_t *seconds);
int parse_mode(const char *s);
int parse_ports(const char *s, uint16_t *min, uint16_t *max);
/* CIDR; a bare address is a full-length prefix. Host bits are cleared. */
int parse_prefix(const char *s, struct prefix *p);

void prefix_mask(struct prefix *p);
/* Put BG_A_ADDR4/BG_A_ADDR6 and BG_A_PLEN. */
void prefix_put(struct nlmsghdr *nlh, const struct prefix *p);
/* Read BG_A_ADDR4/BG_A_ADDR6 and BG_A_PLEN from @tb; -1 if absent. */
int prefix_get(const struct nlattr *const *tb, struct prefix *p);

/* Printing: each returns @buf. */
char *format_prefix(const struct prefix *p, char *buf, size_t size);
char *format_rate(uint32_t rate, uint32_t period, char *buf, size_t size);
char *format_duration(uint32_t seconds, char *buf, size_t size);
char *format_ports(uint16_t min, uint16_t max, char *buf, size_t size);

const char *mode_name(unsigned int mode);
const char *state_name(unsigned int state);
const char *event_name(unsigned int event);
const char *stat_name(unsigned int stat);	/* NULL: not a counter */

#endif /* BURSTCTL_PARSE_H */
