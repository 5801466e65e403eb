/* SPDX-License-Identifier: GPL-2.0 */
/* What the subcommands of burstctl share. */
#ifndef BURSTCTL_H
#define BURSTCTL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "burstguard.h"
#include "client.h"
#include "parse.h"
#include "print.h"

struct ctx {
	bool stats;		/* -s: all counters */
	struct client *cl;	/* opened on first use (ctx_client) */
	const char *cmd;	/* name of the running subcommand */
};

/* The client, opened on first use; prints why and returns NULL if not. */
struct client *ctx_client(struct ctx *c);
/*
 * @err, what a client call returned: when it failed, print why (after
 * @what) and return -1; else 0.
 */
int ctx_check(struct ctx *c, const char *what, int err);
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

/* Queries shared by commands; each prints why it failed and returns -1. */
int get_config(struct ctx *c, struct config *conf);
int get_stats(struct ctx *c, uint64_t stats[__BG_STAT_MAX]);
int get_rules(struct ctx *c, struct rules *rules);
/* @list: enum bg_list, or 0 for both. */
int get_prefixes(struct ctx *c, int list, struct plist *pl);
/* Every source, the dump retried while the table changes shape. */
int get_sources(struct ctx *c, struct sources *ss, bool *intr);

/* "default", "22" or "8000-8080": the rule a source is counted under. */
const char *rule_word(const struct rules *rules, uint16_t id, char *buf,
		      size_t size);
/*
 * The aggregate limit of @s: " total 100/s burst 100 refused 3" as text
 * (nothing when off), total_rate, total_period, total_burst,
 * total_refused in JSON.
 */
void print_total(const struct settings *s, uint64_t refused);
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

#endif /* BURSTCTL_H */
