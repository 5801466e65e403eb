/* SPDX-License-Identifier: GPL-2.0 */
/* What the subcommands of burstctl share. */
#ifndef BURSTCTL_H
#define BURSTCTL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "burstguard.h"
#include "nl.h"
#include "parse.h"

struct ctx {
	bool json;		/* -j: one JSON document per command */
	bool stats;		/* -s: all counters */
	struct nl nl;
	bool nl_open;
	const char *cmd;	/* name of the running subcommand */
};

/* Open netlink on first use; prints why and returns -1 on failure. */
int ctx_nl(struct ctx *c);
/* "burstctl: CMD: message" on stderr; always returns 1 (exit code). */
int fail(struct ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Subcommands: argv[0] is the subcommand's name. Return the exit code. */
int cmd_show(struct ctx *c, int argc, char *argv[]);
int cmd_set(struct ctx *c, int argc, char *argv[]);
int cmd_save(struct ctx *c, int argc, char *argv[]);
int cmd_restore(struct ctx *c, int argc, char *argv[]);
int cmd_rule(struct ctx *c, int argc, char *argv[]);
int cmd_allow(struct ctx *c, int argc, char *argv[]);
int cmd_deny(struct ctx *c, int argc, char *argv[]);
int cmd_sources(struct ctx *c, int argc, char *argv[]);
int cmd_forget(struct ctx *c, int argc, char *argv[]);
int cmd_flush(struct ctx *c, int argc, char *argv[]);
int cmd_stats(struct ctx *c, int argc, char *argv[]);
int cmd_monitor(struct ctx *c, int argc, char *argv[]);
int cmd_top(struct ctx *c, int argc, char *argv[]);
int cmd_serve_metrics(struct ctx *c, int argc, char *argv[]);

/* Shared queries (cmd_config.c). */
struct config {
	struct settings s;	/* every SET_* field but SET_PORT */
	uint32_t nrules, nallow, ndeny;
};

struct rule {
	uint16_t id;
	struct settings s;	/* port and limit */
};

struct rules {
	struct rule r[BC_MAX_RULES * 2];
	unsigned int n;
};

/* Prefixes of both lists, as dumped. */
struct plist {
	struct prefix allow[BC_MAX_PREFIXES * 2], deny[BC_MAX_PREFIXES * 2];
	unsigned int nallow, ndeny;
};

int get_config(struct ctx *c, struct config *conf);
/* @list: enum bg_list, or 0 for both. */
int get_prefixes(struct ctx *c, int list, struct plist *pl);
int get_stats(struct ctx *c, uint64_t stats[__BG_STAT_MAX]);
int get_rules(struct ctx *c, struct rules *rules);
/* Settings from the attributes in @tb (BG_A_RATE, ...). */
void settings_get(const struct nlattr *const *tb, struct settings *s);

/* Tracked sources as dumped (cmd_source.c). */
struct source {
	struct prefix p;
	uint16_t rule;
	uint8_t state;
	uint32_t tokens, attempts, drops;
	uint64_t idle_ns, ban_left_ns;
};

struct sources {
	struct source *v;	/* malloc'ed, grows; free() it */
	size_t n, cap;
	bool oom;
};

/*
 * Dump every source into @ss (reusing its array), retried while the table
 * changes shape; *@intr tells whether the last try was still interrupted.
 * Prints why and returns -1 on failure.
 */
int get_sources(struct ctx *c, struct sources *ss, bool *intr);
/* "default", "22" or "8000-8080": the rule a source is counted under. */
const char *rule_word(const struct rules *rules, uint16_t id, char *buf,
		      size_t size);
/* "1.250s" below 10 s, else "42s". */
char *format_ns(uint64_t ns, char *buf, size_t size);

/* Counters (cmd_stats.c): gauges are not rates. */
bool stat_is_gauge(unsigned int stat);
/*
 * One counter in the Prometheus text format: with @header, its HELP and
 * TYPE lines first; then the sample, with @labels ("" or "{a=\"b\"}").
 * @stat is the enum bg_stat of @name, or -1 for a name this burstctl does
 * not know (exported as untyped).
 */
void prom_stat(FILE *f, int stat, const char *name, uint64_t v,
	       const char *labels, bool header);

/* A small JSON writer on stdout. @key is NULL inside arrays. */
void j_obj(const char *key);
void j_arr(const char *key);
void j_end(void);		/* closes the innermost object or array */
void j_str(const char *key, const char *v);
void j_uint(const char *key, uint64_t v);
void j_bool(const char *key, bool v);
void j_done(void);		/* newline after the top-level document */

#endif /* BURSTCTL_H */
