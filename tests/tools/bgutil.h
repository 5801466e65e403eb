/* Small helpers shared by the burstguard test tools (bgsend, bgconnect). */
#ifndef BGUTIL_H
#define BGUTIL_H

#include <stdint.h>

/* Print "PROG: message" to stderr and exit 1 (usage/system error). */
void bg_die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
void bg_set_prog(const char *name);

/* Parse a decimal unsigned number in [min,max]; on failure die naming OPT. */
uint64_t bg_parse_u64(const char *opt, const char *s, uint64_t min, uint64_t max);

/* Monotonic clock in nanoseconds. */
int64_t bg_now_ns(void);

#endif
