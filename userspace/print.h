/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One printer for burstctl's output, after iproute2's json_print.h: the
 * back end (text or JSON) is chosen once, from -j, and each field is
 * written once, by one call that serves both:
 *
 *	print_uint(PRINT_ANY, "burst", " burst %u", burst);
 *
 * prints " burst 10" as text and "burst":10 in a JSON document. PRINT_FP
 * fields exist only in the text (a column made for people), PRINT_JSON
 * ones only in JSON (a number the text shows as a word). In JSON, @key is
 * NULL for an element of an array; @fmt is not used. Objects and arrays
 * are JSON only: the text back end ignores them. The Prometheus text
 * format is its own back end (cmd_stats.c).
 */
#ifndef BURSTCTL_PRINT_H
#define BURSTCTL_PRINT_H

#include <stdbool.h>

enum print_type {
	PRINT_FP = 1,		/* text only */
	PRINT_JSON = 2,		/* JSON only */
	PRINT_ANY = PRINT_FP | PRINT_JSON,
};

void print_init(bool json);
bool print_is_json(void);

void print_open_object(const char *key);
void print_close_object(void);
void print_open_array(const char *key);
void print_close_array(void);

void print_uint(enum print_type t, const char *key, const char *fmt,
		unsigned int v);
void print_u64(enum print_type t, const char *key, const char *fmt,
	       unsigned long long v);
void print_string(enum print_type t, const char *key, const char *fmt,
		  const char *v);
/* JSON true/false; the text gets "on" or "off". */
void print_bool(enum print_type t, const char *key, const char *fmt, bool v);

/* End of one output: JSON closes what is open and ends the line. */
void print_end(void);

#endif /* BURSTCTL_PRINT_H */
