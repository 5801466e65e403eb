// SPDX-License-Identifier: GPL-2.0
/*
 * burstctl: configure burstguard, the per-source TCP connection burst
 * limiter, in the current network namespace.
 *
 * One table of subcommands drives both dispatch and usage.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "burstctl.h"

#ifndef BURSTCTL_VERSION
#define BURSTCTL_VERSION "0.1"
#endif

static const struct subcommand {
	const char *name;
	int (*fn)(struct ctx *c, int argc, char *argv[]);
	const char *args;
	const char *description;
} subcommands[] = {
	{ "show", cmd_show, "",
	  "settings and key counters (the default command)" },
	{ "set", cmd_set,
	  "[rate R] [burst N] [ban D [max D]] [mode drop|reject|monitor] [prefix4 N] [prefix6 N] [max-sources N] [forward on|off] [strikes forget D] [total R [burst N]|off]",
	  "change the named settings (what they do to tracked sources: burstctl(8))" },
	{ "rule", cmd_rule,
	  "add port P[-Q] [rate R] [burst N] [ban D [max D]] [mode M] [total R [burst N]|off] | del port P[-Q] | del id N | list",
	  "per-destination-port limits; the first matching rule decides" },
	{ "allow", cmd_allow,
	  "add PREFIX [timeout D] | del PREFIX | list | flush | import [--merge] FILE|-",
	  "prefixes whose attempts are never limited (checked first)" },
	{ "deny", cmd_deny,
	  "add PREFIX [timeout D] | del PREFIX | list | flush | import [--merge] FILE|-",
	  "prefixes whose attempts are all dropped; import replaces the list atomically" },
	{ "sources", cmd_sources, "[top N]",
	  "tracked sources, most attempts first" },
	{ "forget", cmd_forget, "PREFIX",
	  "clear the state and any ban of the sources inside PREFIX" },
	{ "flush", cmd_flush, "", "clear every tracked source" },
	{ "stats", cmd_stats, "[--prometheus]",
	  "all counters (Prometheus text format with --prometheus)" },
	{ "monitor", cmd_monitor, "",
	  "print events as they happen, until interrupted" },
	{ "top", cmd_top,
	  "[-b] [-j] [-d SECONDS] [-n COUNT] [-m ROWS] [-o SORT] [-f PREFIX] [-r RULE]",
	  "live view: counter rates, rules, busiest sources (keys: see burstctl(8))" },
	{ "serve-metrics", cmd_serve_metrics,
	  "[-l ADDR[:PORT]] [-n NETNS]... [-u USER]",
	  "Prometheus exporter: HTTP GET /metrics (default 127.0.0.1:9469)" },
	{ "save", cmd_save, "", "print the configuration as restore input" },
	{ "restore", cmd_restore, "[FILE]",
	  "replace the configuration atomically from FILE (default stdin)" },
};

#define N_SUBCOMMANDS (sizeof(subcommands) / sizeof(subcommands[0]))

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "Usage: burstctl [-j|--json] [-s|--stats] [COMMAND [ARGS]]\n\n");
	fprintf(f, "Commands:\n");
	for (i = 0; i < N_SUBCOMMANDS; i++)
		fprintf(f, "  %s%s%s\n      %s\n", subcommands[i].name,
			*subcommands[i].args ? " " : "", subcommands[i].args,
			subcommands[i].description);
	fprintf(f, "\nRates: N/s, N/sec, N/second, N/m, N/min, N/minute, N/h, N/hour.\n"
		"Durations: 0 (off), 30s, 10m, 1h. Prefixes: CIDR; an address alone is a\n"
		"full-length prefix. See burstctl(8).\n");
}

int fail(struct ctx *c, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "burstctl: ");
	if (c && c->cmd)
		fprintf(stderr, "%s: ", c->cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

int ctx_check(struct ctx *c, const char *what, int err)
{
	if (!err)
		return 0;
	client_perror(c->cl, what, err, true);
	return -1;
}

struct client *ctx_client(struct ctx *c)
{
	if (!c->cl)
		c->cl = client_open();
	return c->cl;
}

int main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "stats", no_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	static char *dflt[] = { "show", NULL };
	struct ctx c = { 0 };
	bool json = false;
	int opt, ret;
	size_t i;

	/* "+": stop at the subcommand, whose own options come after it */
	while ((opt = getopt_long(argc, argv, "+jshV", opts, NULL)) != -1) {
		switch (opt) {
		case 'j':
			json = true;
			break;
		case 's':
			c.stats = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("burstctl %s\n", BURSTCTL_VERSION);
			return 0;
		default:
			usage(stderr);
			return 1;
		}
	}
	argc -= optind;
	argv += optind;
	if (!argc) {
		argc = 1;
		argv = dflt;
	}
	if (!strcmp(argv[0], "help")) {
		usage(stdout);
		return 0;
	}
	for (i = 0; i < N_SUBCOMMANDS; i++)
		if (!strcmp(argv[0], subcommands[i].name))
			break;
	if (i == N_SUBCOMMANDS) {
		fprintf(stderr, "burstctl: unknown command '%s'\n", argv[0]);
		usage(stderr);
		return 1;
	}
	print_init(json);
	setvbuf(stdout, NULL, _IOLBF, 0);
	c.cmd = subcommands[i].name;
	ret = subcommands[i].fn(&c, argc, argv);
	client_close(c.cl);
	if (fflush(stdout) == EOF && !ret)
		ret = fail(&c, "writing the output failed");
	return ret;
}
