// SPDX-License-Identifier: GPL-2.0
/* A JSON writer just big enough for burstctl's documents. */
#include <inttypes.h>
#include <stdio.h>

#include "burstctl.h"

#define J_DEPTH 16

static bool j_first[J_DEPTH] = { true };
static char j_close[J_DEPTH];
static int j_depth;

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
	j_key(key);
	putchar(open);
	if (j_depth + 1 < J_DEPTH) {
		j_depth++;
		j_first[j_depth] = true;
		j_close[j_depth] = close;
	}
}

void j_obj(const char *key)
{
	j_open(key, '{', '}');
}

void j_arr(const char *key)
{
	j_open(key, '[', ']');
}

void j_end(void)
{
	if (j_depth > 0) {
		putchar(j_close[j_depth]);
		j_depth--;
	}
}

void j_str(const char *key, const char *v)
{
	j_key(key);
	j_string(v);
}

void j_uint(const char *key, uint64_t v)
{
	j_key(key);
	printf("%" PRIu64, v);
}

void j_bool(const char *key, bool v)
{
	j_key(key);
	fputs(v ? "true" : "false", stdout);
}

void j_done(void)
{
	while (j_depth > 0)
		j_end();
	putchar('\n');
	j_first[0] = true;
}
