// SPDX-License-Identifier: GPL-2.0
/*
 * The printer of print.h: a text back end (printf of each field's format)
 * and a JSON writer just big enough for burstctl's documents, on stdout.
 */
#include <stdio.h>

#include "print.h"

#define J_DEPTH 16

static bool json;
static bool j_first[J_DEPTH] = { true };
static char j_close[J_DEPTH];
static int j_depth;

void print_init(bool on)
{
	json = on;
}

bool print_is_json(void)
{
	return json;
}

static void j_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			printf("\\%c", ch);
		else if (ch < 0x20)
			printf("\\u%04x", ch);
		else
			putchar(ch);
	}
	putchar('"');
}

static void j_key(const char *key)
{
	if (!j_first[j_depth])
		putchar(',');
	j_first[j_depth] = false;
	if (key) {
		j_string(key);
		putchar(':');
	}
}

static void j_open(const char *key, char open, char close)
{
	if (!json)
		return;
	j_key(key);
	putchar(open);
	if (j_depth + 1 < J_DEPTH) {
		j_depth++;
		j_first[j_depth] = true;
		j_close[j_depth] = close;
	}
}

static void j_end(void)
{
	if (json && j_depth > 0) {
		putchar(j_close[j_depth]);
		j_depth--;
	}
}

void print_open_object(const char *key)
{
	j_open(key, '{', '}');
}

void print_open_array(const char *key)
{
	j_open(key, '[', ']');
}

void print_close_object(void)
{
	j_end();
}

void print_close_array(void)
{
	j_end();
}

/* Whether the field goes to the current back end. */
static bool wanted(enum print_type t)
{
	return t & (json ? PRINT_JSON : PRINT_FP);
}

/* @fmt takes an unsigned int ("%u"): the text back end passes @v as one. */
void print_uint(enum print_type t, const char *key, const char *fmt,
		unsigned int v)
{
	if (!wanted(t))
		return;
	if (json) {
		j_key(key);
		printf("%u", v);
	} else if (fmt) {
		printf(fmt, v);
	}
}

/* @fmt takes an unsigned long long ("%llu"). */
void print_u64(enum print_type t, const char *key, const char *fmt,
	       unsigned long long v)
{
	if (!wanted(t))
		return;
	if (json) {
		j_key(key);
		printf("%llu", v);
	} else if (fmt) {
		printf(fmt, v);
	}
}

void print_string(enum print_type t, const char *key, const char *fmt,
		  const char *v)
{
	if (!wanted(t))
		return;
	if (json) {
		j_key(key);
		j_string(v);
	} else if (fmt) {
		printf(fmt, v);
	}
}

void print_bool(enum print_type t, const char *key, const char *fmt, bool v)
{
	if (!wanted(t))
		return;
	if (json) {
		j_key(key);
		fputs(v ? "true" : "false", stdout);
	} else if (fmt) {
		printf(fmt, v ? "on" : "off");
	}
}

void print_end(void)
{
	if (!json)
		return;
	while (j_depth > 0)
		j_end();
	putchar('\n');
	j_first[0] = true;
}
