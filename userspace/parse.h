/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The words burstctl reads and prints: numbers, rates, durations, modes,
 * prefixes and port ranges. Rates, durations and modes come from
 * include/words.h, the same code the module uses for its parameters, so a
 * word means the same everywhere.
 */
#ifndef BURSTCTL_PARSE_H
#define BURSTCTL_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#include "burstguard.h"

struct prefix {
	int family;		/* AF_INET or AF_INET6 */
	uint8_t len;
	union {
		struct in_addr v4;
		struct in6_addr v6;
	} addr;			/* host bits cleared */
};

int parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out);
int parse_rate(const char *s, uint32_t *rate, uint32_t *period);
int parse_duration(const char *s, uint32_t *seconds);
/* A list entry's timeout: 1s..BG_LIST_TIMEOUT_MAX_S, in duration words. */
int parse_timeout(const char *s, uint32_t *seconds);
int parse_mode(const char *s);
/* "on" 1, "off" 0, else -1. */
int parse_onoff(const char *s);
int parse_ports(const char *s, uint16_t *min, uint16_t *max);
/* CIDR; a bare address is a full-length prefix. Host bits are cleared. */
int parse_prefix(const char *s, struct prefix *p);

void prefix_mask(struct prefix *p);

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
