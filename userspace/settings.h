/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The settings an operator names ("set" and "rule add" keywords, the lines
 * of "save"), as one table: each entry gives the keyword, its parser and
 * printer, its bounds, the attributes it is sent and read back as, and the
 * name an error about those attributes gives. Adding a setting is adding
 * a field to struct settings and a line to the table (settings.c).
 */
#ifndef BURSTCTL_SETTINGS_H
#define BURSTCTL_SETTINGS_H

#include <stddef.h>
#include <stdint.h>

struct nlmsghdr;
struct nlattr;

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
	SET_TOTAL	= 1 << 9,	/* total_rate, _period, _burst */
	SET_STRIKES	= 1 << 10,	/* strikes_forget */
};

struct settings {
	unsigned int have;	/* SET_* bits */
	uint32_t rate, period, burst, ban, max_sources;
	/* the aggregate of a rule's sources; total_rate 0: none */
	uint32_t total_rate, total_period, total_burst;
	uint32_t ban_max;	/* bans double up to it; 0: fixed (with ban) */
	uint32_t strikes_forget;
	uint8_t mode, prefix4, prefix6, forward;
	uint16_t port_min, port_max;
};

/* Which command a keyword list belongs to. */
enum kw_scope {
	KW_SET = 1 << 0,	/* burstctl set */
	KW_RULE = 1 << 1,	/* burstctl rule add */
};

/* One attribute a setting is sent as: its type and the field it holds. */
struct setting_attr {
	uint16_t type;		/* BG_A_*; 0 ends the list */
	uint8_t size;		/* 1, 2 or 4: u8, u16, u32 */
	uint16_t off;		/* offsetof(struct settings, field) */
	uint8_t optional;	/* read back without it (an older module) */
};

struct setting {
	const char *name;	/* keyword, and the name in error messages */
	unsigned int scope;	/* enum kw_scope bits */
	unsigned int bit;	/* SET_* */
	/* word -> @s (bounds from the entry); 0 or -1 */
	int (*parse)(const struct setting *k, const char *word,
		     struct settings *s);
	/* @s -> word, as "save" prints it and "restore" reads it back */
	char *(*format)(const struct setting *k, const struct settings *s,
			char *buf, size_t size);
	uint32_t min, max;	/* bounds of a number */
	/* What is expected, for errors: a printf format of min and max. */
	const char *expect;
	struct setting_attr attr[3];
};

/* In keyword order, which is also the order "save" writes them in. */
extern const struct setting settings_table[];

/*
 * Parse "keyword value" pairs allowed in @scope into @s. On error returns
 * -1 with a message naming the bad word in @err.
 */
int parse_keywords(int argc, char *argv[], unsigned int scope,
		   struct settings *s, char *err, size_t errlen);
/* "rate burst ...": the keywords of @scope, for usage messages. */
char *keyword_list(unsigned int scope, char *buf, size_t size);
/* " rate 5/min burst 10 ...": the settings of @s in @scope, as typed. */
char *format_settings(unsigned int scope, const struct settings *s,
		      char *buf, size_t size);

/* The attributes of the settings in @s, into @nlh. */
void settings_put(struct nlmsghdr *nlh, const struct settings *s);
/* The settings whose attributes are all in @tb (indexed by BG_A_*). */
void settings_get(const struct nlattr *const *tb, struct settings *s);
/* The setting an attribute belongs to, as errors name it; or NULL. */
const char *settings_attr_name(unsigned int type);
/* Size of a setting's attribute (1, 2, 4: u8, u16, u32); 0: not one. */
unsigned int settings_attr_size(unsigned int type);

#endif /* BURSTCTL_SETTINGS_H */
