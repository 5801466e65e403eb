// SPDX-License-Identifier: GPL-2.0
/* Code shared by the burstguard packet tools, tests and bench: bgutil.h. */
#include "bgutil.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static const char *prog = "bgtool";

void bg_set_prog(const char *name) { prog = name; }

void bg_die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

uint64_t bg_parse_u64(const char *opt, const char *s, uint64_t min, uint64_t max)
{
	char *end;
	unsigned long long v;

	/* strtoull accepts "-1" silently; reject any sign explicitly. */
	if (!s || *s < '0' || *s > '9')
		bg_die("%s: '%s' is not a number", opt, s ? s : "");
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end)
		bg_die("%s: '%s' is not a number", opt, s);
	if (v < min || v > max)
		bg_die("%s: %llu out of range [%llu, %llu]", opt, v,
		       (unsigned long long)min, (unsigned long long)max);
	return v;
}

int64_t bg_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}
