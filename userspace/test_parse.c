// SPDX-License-Identifier: GPL-2.0
/* Unit tests of burstctl's words: make test. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/genetlink.h>

#include "burstguard.h"
#include "parse.h"

static int passed, failed;

#define CHECK(cond) do {						\
	if (cond) {							\
		passed++;						\
	} else {							\
		failed++;						\
		fprintf(stderr, "%s:%d: FAIL: %s\n", __FILE__, __LINE__, \
			#cond);						\
	}								\
} while (0)

static void test_rate(void)
{
	static const struct { const char *w; uint32_t rate, period; } ok[] = {
		{ "10", 10, 1 }, { "10/s", 10, 1 }, { "10/sec", 10, 1 },
		{ "10/second", 10, 1 }, { "3/m", 3, 60 }, { "3/min", 3, 60 },
		{ "3/minute", 3, 60 }, { "1/h", 1, 3600 }, { "1/hour", 1, 3600 },
		{ "10000000/s", 10000000, 1 },
	};
	static const char *const bad[] = {
		"", "0", "0/s", "10000001/s", "10/", "/s", "10/x", "10/S",
		"-1/s", "1.5/s", "10/s ", " 10/s", "10/s\n", "10/days",
		"99999999999999999999/s", "10/mins",
	};
	uint32_t r, p;
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		r = p = 0;
		CHECK(parse_rate(ok[i].w, &r, &p) == 0);
		CHECK(r == ok[i].rate && p == ok[i].period);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (parse_rate(bad[i], &r, &p) == 0)
			fprintf(stderr, "accepted rate '%s'\n", bad[i]);
		CHECK(parse_rate(bad[i], &r, &p) == -1);
	}
}

static void test_duration(void)
{
	static const struct { const char *w; uint32_t s; } ok[] = {
		{ "0", 0 }, { "30", 30 }, { "30s", 30 }, { "10m", 600 },
		{ "1h", 3600 }, { "7d", 604800 }, { "168h", 604800 },
		{ "604800", 604800 },
	};
	static const char *const bad[] = {
		"", "s", "-1", "8d", "604801", "10x", "1.5h", "10 m", "h1",
		"10ms",
	};
	uint32_t s;
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		s = 12345;
		CHECK(parse_duration(ok[i].w, &s) == 0 && s == ok[i].s);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK(parse_duration(bad[i], &s) == -1);
}

static void test_mode(void)
{
	CHECK(parse_mode("drop") == BG_MODE_DROP);
	CHECK(parse_mode("reject") == BG_MODE_REJECT);
	CHECK(parse_mode("monitor") == BG_MODE_MONITOR);
	CHECK(parse_mode("Drop") == -1);
	CHECK(parse_mode("") == -1);
	CHECK(parse_mode("dropx") == -1);
	CHECK(!strcmp(mode_name(BG_MODE_REJECT), "reject"));
	CHECK(!strcmp(mode_name(99), "unknown"));
}

static void test_ports(void)
{
	uint16_t lo, hi;

	CHECK(parse_ports("22", &lo, &hi) == 0 && lo == 22 && hi == 22);
	CHECK(parse_ports("1-65535", &lo, &hi) == 0 && lo == 1 && hi == 65535);
	CHECK(parse_ports("80-80", &lo, &hi) == 0 && lo == 80 && hi == 80);
	CHECK(parse_ports("0", &lo, &hi) == -1);
	CHECK(parse_ports("0-10", &lo, &hi) == -1);
	CHECK(parse_ports("65536", &lo, &hi) == -1);
	CHECK(parse_ports("10-5", &lo, &hi) == -1);
	CHECK(parse_ports("22-", &lo, &hi) == -1);
	CHECK(parse_ports("-22", &lo, &hi) == -1);
	CHECK(parse_ports("ssh", &lo, &hi) == -1);
	CHECK(parse_ports("", &lo, &hi) == -1);
}

static void test_prefix(void)
{
	struct prefix p;
	char buf[64];

	CHECK(parse_prefix("192.0.2.7", &p) == 0 && p.family == AF_INET &&
	      p.len == 32);
	CHECK(!strcmp(format_prefix(&p, buf, sizeof(buf)), "192.0.2.7/32"));
	CHECK(parse_prefix("10.1.2.3/24", &p) == 0 && p.len == 24);
	CHECK(!strcmp(format_prefix(&p, buf, sizeof(buf)), "10.1.2.0/24"));
	CHECK(parse_prefix("10.1.2.3/9", &p) == 0);
	CHECK(!strcmp(format_prefix(&p, buf, sizeof(buf)), "10.0.0.0/9"));
	CHECK(parse_prefix("0.0.0.0/0", &p) == 0 && p.len == 0);
	CHECK(parse_prefix("2001:db8::1/64", &p) == 0 &&
	      p.family == AF_INET6 && p.len == 64);
	CHECK(!strcmp(format_prefix(&p, buf, sizeof(buf)), "2001:db8::/64"));
	CHECK(parse_prefix("2001:db8:ffff:ffff::1/33", &p) == 0);
	CHECK(!strcmp(format_prefix(&p, buf, sizeof(buf)), "2001:db8:8000::/33"));
	CHECK(parse_prefix("::1", &p) == 0 && p.len == 128);
	CHECK(parse_prefix("::/0", &p) == 0 && p.len == 0);
	CHECK(parse_prefix("10.0.0.0/33", &p) == -1);
	CHECK(parse_prefix("::/129", &p) == -1);
	CHECK(parse_prefix("10.0.0.0/", &p) == -1);
	CHECK(parse_prefix("/8", &p) == -1);
	CHECK(parse_prefix("10.0.0", &p) == -1);
	CHECK(parse_prefix("10.0.0.0/8/8", &p) == -1);
	CHECK(parse_prefix("10.0.0.0/-1", &p) == -1);
	CHECK(parse_prefix("fe80::1%lo", &p) == -1);
	CHECK(parse_prefix("example.com", &p) == -1);
	CHECK(parse_prefix("", &p) == -1);
}

static void test_format(void)
{
	static const uint32_t periods[] = { 1, 60, 3600 };
	char buf[32];
	uint32_t r, p;
	size_t i;

	CHECK(!strcmp(format_rate(3, 60, buf, sizeof(buf)), "3/min"));
	CHECK(!strcmp(format_rate(10, 1, buf, sizeof(buf)), "10/s"));
	CHECK(!strcmp(format_rate(1, 3600, buf, sizeof(buf)), "1/hour"));
	for (i = 0; i < 3; i++) {
		format_rate(7, periods[i], buf, sizeof(buf));
		CHECK(parse_rate(buf, &r, &p) == 0 && r == 7 &&
		      p == periods[i]);
	}
	CHECK(!strcmp(format_duration(0, buf, sizeof(buf)), "0"));
	CHECK(!strcmp(format_duration(90, buf, sizeof(buf)), "90s"));
	CHECK(!strcmp(format_duration(600, buf, sizeof(buf)), "10m"));
	CHECK(!strcmp(format_duration(7200, buf, sizeof(buf)), "2h"));
	CHECK(!strcmp(format_duration(604800, buf, sizeof(buf)), "168h"));
	for (r = 0; r <= 604800; r += 997) {
		format_duration(r, buf, sizeof(buf));
		CHECK(parse_duration(buf, &p) == 0 && p == r);
	}
	CHECK(!strcmp(format_ports(22, 22, buf, sizeof(buf)), "22"));
	CHECK(!strcmp(format_ports(8000, 8080, buf, sizeof(buf)), "8000-8080"));
	CHECK(!strcmp(stat_name(BG_STAT_WOULD_DROP), "would_drop"));
	CHECK(stat_name(BG_STAT_PAD) == NULL);
	CHECK(stat_name(__BG_STAT_MAX) == NULL);
	CHECK(!strcmp(event_name(BG_EVENT_BANNED), "banned"));
	CHECK(!strcmp(event_name(0), "unknown"));
	CHECK(!strcmp(state_name(BG_STATE_THROTTLED), "throttled"));
}

static int kw(unsigned int scope, struct settings *s, char *err,
	      size_t errlen, const char *line)
{
	char copy[256], *argv[32], *save = NULL, *t;
	int argc = 0;

	snprintf(copy, sizeof(copy), "%s", line);
	for (t = strtok_r(copy, " ", &save); t; t = strtok_r(NULL, " ", &save))
		argv[argc++] = t;
	memset(s, 0, sizeof(*s));
	err[0] = '\0';
	return parse_keywords(argc, argv, scope, s, err, errlen);
}

static void test_keywords(void)
{
	struct settings s;
	char err[256];

	CHECK(kw(KW_SET, &s, err, sizeof(err),
		 "rate 5/min burst 10 ban 1h mode reject prefix4 24 prefix6 56 max-sources 1000") == 0);
	CHECK(s.have == (SET_RATE | SET_BURST | SET_BAN | SET_MODE |
			 SET_PREFIX4 | SET_PREFIX6 | SET_MAX_SOURCES));
	CHECK(s.rate == 5 && s.period == 60 && s.burst == 10 &&
	      s.ban == 3600 && s.mode == BG_MODE_REJECT && s.prefix4 == 24 &&
	      s.prefix6 == 56 && s.max_sources == 1000);
	CHECK(kw(KW_SET, &s, err, sizeof(err), "") == 0 && s.have == 0);
	CHECK(kw(KW_SET, &s, err, sizeof(err), "burst 0") == -1);
	CHECK(strstr(err, "burst") && strstr(err, "'0'"));
	CHECK(kw(KW_SET, &s, err, sizeof(err), "burst 1000001") == -1);
	CHECK(kw(KW_SET, &s, err, sizeof(err), "burst 1000000") == 0);
	CHECK(kw(KW_SET, &s, err, sizeof(err), "prefix4 33") == -1);
	CHECK(kw(KW_SET, &s, err, sizeof(err), "prefix4 0") == 0);
	CHECK(kw(KW_SET, &s, err, sizeof(err), "prefix6 128") == 0);
	CHECK(kw(KW_SET, &s, err, sizeof(err), "prefix6 129") == -1);
	CHECK(kw(KW_SET, &s, err, sizeof(err), "max-sources 16777216") == 0);
	CHECK(kw(KW_SET, &s, err, sizeof(err), "max-sources 16777217") == -1);
	CHECK(kw(KW_SET, &s, err, sizeof(err), "max-sources 0") == -1);
	CHECK(kw(KW_SET, &s, err, sizeof(err), "forward on") == 0);
	CHECK(s.have == SET_FORWARD && s.forward == 1);
	CHECK(kw(KW_SET, &s, err, sizeof(err), "forward off") == 0);
	CHECK(s.have == SET_FORWARD && s.forward == 0);
	CHECK(kw(KW_SET, &s, err, sizeof(err), "forward yes") == -1);
	CHECK(strstr(err, "forward") && strstr(err, "'yes'"));
	CHECK(kw(KW_SET, &s, err, sizeof(err), "forward 1") == -1);
	CHECK(kw(KW_SET, &s, err, sizeof(err), "forward on\n") == -1);
	CHECK(kw(KW_RULE, &s, err, sizeof(err), "forward on") == -1);
	CHECK(kw(KW_SET, &s, err, sizeof(err), "rate") == -1);
	CHECK(strstr(err, "needs a value") != NULL);
	CHECK(kw(KW_SET, &s, err, sizeof(err), "bogus 1") == -1);
	CHECK(strstr(err, "'bogus'") != NULL);
	CHECK(kw(KW_SET, &s, err, sizeof(err), "burst 3 burst 4") == -1);
	CHECK(strstr(err, "twice") != NULL);
	CHECK(kw(KW_SET, &s, err, sizeof(err), "port 22") == -1);
	CHECK(kw(KW_RULE, &s, err, sizeof(err), "prefix4 24") == -1);
	CHECK(kw(KW_RULE, &s, err, sizeof(err),
		 "port 8000-8080 rate 100/s mode monitor") == 0);
	CHECK(s.have == (SET_PORT | SET_RATE | SET_MODE) &&
	      s.port_min == 8000 && s.port_max == 8080 &&
	      s.mode == BG_MODE_MONITOR);
}

struct got {
	uint32_t seen;
	const struct nlattr *tb[BG_A_MAX + 1];
};

static int got_cb(const struct nlattr *a, void *data)
{
	struct got *g = data;

	if (mnl_attr_get_type(a) <= BG_A_MAX) {
		g->tb[mnl_attr_get_type(a)] = a;
		g->seen++;
	}
	return MNL_CB_OK;
}

static void test_put(void)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct settings s = { 0 };
	struct nlmsghdr *nlh;
	struct prefix p, q;
	struct got g = { 0 };
	char err[64];

	CHECK(kw(KW_RULE, &s, err, sizeof(err),
		 "port 22 rate 3/min burst 5 ban 10m mode drop") == 0);
	nlh = mnl_nlmsg_put_header(buf);
	mnl_nlmsg_put_extra_header(nlh, GENL_HDRLEN);
	settings_put(nlh, &s);
	CHECK(parse_prefix("2001:db8::/48", &p) == 0);
	prefix_put(nlh, &p);
	CHECK(mnl_attr_parse(nlh, GENL_HDRLEN, got_cb, &g) == MNL_CB_OK);
	CHECK(g.seen == 9);
	CHECK(g.tb[BG_A_PORT_MIN] && mnl_attr_get_u16(g.tb[BG_A_PORT_MIN]) == 22);
	CHECK(g.tb[BG_A_PORT_MAX] && mnl_attr_get_u16(g.tb[BG_A_PORT_MAX]) == 22);
	CHECK(g.tb[BG_A_RATE] && mnl_attr_get_u32(g.tb[BG_A_RATE]) == 3);
	CHECK(g.tb[BG_A_PERIOD] && mnl_attr_get_u32(g.tb[BG_A_PERIOD]) == 60);
	CHECK(g.tb[BG_A_BURST] && mnl_attr_get_u32(g.tb[BG_A_BURST]) == 5);
	CHECK(g.tb[BG_A_BAN] && mnl_attr_get_u32(g.tb[BG_A_BAN]) == 600);
	CHECK(g.tb[BG_A_MODE] && mnl_attr_get_u8(g.tb[BG_A_MODE]) == 0);
	CHECK(g.tb[BG_A_ADDR6] &&
	      mnl_attr_get_payload_len(g.tb[BG_A_ADDR6]) == 16);
	CHECK(!g.tb[BG_A_ADDR4]);
	CHECK(prefix_get(g.tb, &q) == 0 && q.family == AF_INET6 &&
	      q.len == 48 && !memcmp(&q.addr, &p.addr, 16));
}

int main(void)
{
	test_rate();
	test_duration();
	test_mode();
	test_ports();
	test_prefix();
	test_format();
	test_keywords();
	test_put();
	printf("test_parse: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
