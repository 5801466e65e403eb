// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of burstctl's words (userspace/parse.c) and of its settings
 * table (userspace/settings.c): keyword parsing, the lines "save" writes,
 * and the attributes a setting is sent and read back as. Compiled from
 * the very files burstctl is built from.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <libmnl/libmnl.h>

#include "burstguard.h"
#include "parse.h"
#include "settings.h"
#include "kselftest_harness.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

TEST(rate_words)
{
	static const struct { const char *w; uint32_t rate, period; } ok[] = {
		{ "10", 10, 1 }, { "10/s", 10, 1 }, { "10/sec", 10, 1 },
		{ "10/second", 10, 1 }, { "3/m", 3, 60 }, { "3/min", 3, 60 },
		{ "3/minute", 3, 60 }, { "1/h", 1, 3600 }, { "1/hour", 1, 3600 },
		{ "10000000/s", BG_RATE_MAX, 1 },
	};
	static const char *const bad[] = {
		"", "0", "0/s", "10000001/s", "10/", "/s", "10/x", "10/S",
		"-1/s", "1.5/s", "10/s ", " 10/s", "10/s\n", "10/days",
		"99999999999999999999/s", "10/mins",
	};
	uint32_t r, p;
	size_t i;

	for (i = 0; i < N(ok); i++) {
		r = p = 0;
		EXPECT_EQ(0, parse_rate(ok[i].w, &r, &p)) TH_LOG("'%s'", ok[i].w);
		EXPECT_EQ(ok[i].rate, r);
		EXPECT_EQ(ok[i].period, p);
	}
	for (i = 0; i < N(bad); i++)
		EXPECT_EQ(-1, parse_rate(bad[i], &r, &p))
			TH_LOG("accepted rate '%s'", bad[i]);
}

TEST(duration_words)
{
	static const struct { const char *w; uint32_t s; } ok[] = {
		{ "0", 0 }, { "30", 30 }, { "30s", 30 }, { "10m", 600 },
		{ "1h", 3600 }, { "7d", 604800 }, { "168h", 604800 },
		{ "604800", BG_BAN_MAX_S },
	};
	static const char *const bad[] = {
		"", "s", "-1", "8d", "604801", "10x", "1.5h", "10 m", "h1",
		"10ms", "30s\n",
	};
	uint32_t s;
	size_t i;

	for (i = 0; i < N(ok); i++) {
		s = 12345;
		EXPECT_EQ(0, parse_duration(ok[i].w, &s)) TH_LOG("'%s'", ok[i].w);
		EXPECT_EQ(ok[i].s, s);
	}
	for (i = 0; i < N(bad); i++)
		EXPECT_EQ(-1, parse_duration(bad[i], &s))
			TH_LOG("accepted duration '%s'", bad[i]);
}

TEST(mode_and_onoff_words)
{
	EXPECT_EQ(BG_MODE_DROP, parse_mode("drop"));
	EXPECT_EQ(BG_MODE_REJECT, parse_mode("reject"));
	EXPECT_EQ(BG_MODE_MONITOR, parse_mode("monitor"));
	EXPECT_EQ(-1, parse_mode("Drop"));
	EXPECT_EQ(-1, parse_mode(""));
	EXPECT_EQ(-1, parse_mode("dropx"));
	EXPECT_EQ(-1, parse_mode("drop\n"));
	EXPECT_STREQ("reject", mode_name(BG_MODE_REJECT));
	EXPECT_STREQ("unknown", mode_name(99));
	EXPECT_EQ(1, parse_onoff("on"));
	EXPECT_EQ(0, parse_onoff("off"));
	EXPECT_EQ(-1, parse_onoff("1"));
	EXPECT_EQ(-1, parse_onoff("on\n"));
	EXPECT_EQ(-1, parse_onoff(""));
}

TEST(port_words)
{
	uint16_t lo, hi;

	ASSERT_EQ(0, parse_ports("22", &lo, &hi));
	EXPECT_EQ(22, lo);
	EXPECT_EQ(22, hi);
	ASSERT_EQ(0, parse_ports("1-65535", &lo, &hi));
	EXPECT_EQ(1, lo);
	EXPECT_EQ(65535, hi);
	ASSERT_EQ(0, parse_ports("80-80", &lo, &hi));
	EXPECT_EQ(80, lo);
	EXPECT_EQ(80, hi);
	EXPECT_EQ(-1, parse_ports("0", &lo, &hi));
	EXPECT_EQ(-1, parse_ports("0-10", &lo, &hi));
	EXPECT_EQ(-1, parse_ports("65536", &lo, &hi));
	EXPECT_EQ(-1, parse_ports("10-5", &lo, &hi));
	EXPECT_EQ(-1, parse_ports("22-", &lo, &hi));
	EXPECT_EQ(-1, parse_ports("-22", &lo, &hi));
	EXPECT_EQ(-1, parse_ports("ssh", &lo, &hi));
	EXPECT_EQ(-1, parse_ports("", &lo, &hi));
}

TEST(prefix_words)
{
	static const struct { const char *in, *out; int family; } ok[] = {
		{ "192.0.2.7", "192.0.2.7/32", AF_INET },
		{ "10.1.2.3/24", "10.1.2.0/24", AF_INET },
		{ "10.1.2.3/9", "10.0.0.0/9", AF_INET },
		{ "0.0.0.0/0", "0.0.0.0/0", AF_INET },
		{ "2001:db8::1/64", "2001:db8::/64", AF_INET6 },
		{ "2001:db8:ffff:ffff::1/33", "2001:db8:8000::/33", AF_INET6 },
		{ "::1", "::1/128", AF_INET6 },
		{ "::/0", "::/0", AF_INET6 },
	};
	static const char *const bad[] = {
		"10.0.0.0/33", "::/129", "10.0.0.0/", "/8", "10.0.0",
		"10.0.0.0/8/8", "10.0.0.0/-1", "fe80::1%lo", "example.com", "",
	};
	struct prefix p;
	char buf[64];
	size_t i;

	for (i = 0; i < N(ok); i++) {
		ASSERT_EQ(0, parse_prefix(ok[i].in, &p)) TH_LOG("'%s'", ok[i].in);
		EXPECT_EQ(ok[i].family, p.family);
		EXPECT_STREQ(ok[i].out, format_prefix(&p, buf, sizeof(buf)));
	}
	for (i = 0; i < N(bad); i++)
		EXPECT_EQ(-1, parse_prefix(bad[i], &p))
			TH_LOG("accepted prefix '%s'", bad[i]);
}

TEST(printed_words_read_back)
{
	static const uint32_t periods[] = { 1, 60, 3600 };
	char buf[32];
	uint32_t r, p;
	size_t i;

	EXPECT_STREQ("3/min", format_rate(3, 60, buf, sizeof(buf)));
	EXPECT_STREQ("10/s", format_rate(10, 1, buf, sizeof(buf)));
	EXPECT_STREQ("1/hour", format_rate(1, 3600, buf, sizeof(buf)));
	for (i = 0; i < N(periods); i++) {
		format_rate(7, periods[i], buf, sizeof(buf));
		ASSERT_EQ(0, parse_rate(buf, &r, &p));
		EXPECT_EQ(7, r);
		EXPECT_EQ(periods[i], p);
	}
	EXPECT_STREQ("0", format_duration(0, buf, sizeof(buf)));
	EXPECT_STREQ("90s", format_duration(90, buf, sizeof(buf)));
	EXPECT_STREQ("10m", format_duration(600, buf, sizeof(buf)));
	EXPECT_STREQ("2h", format_duration(7200, buf, sizeof(buf)));
	EXPECT_STREQ("168h", format_duration(604800, buf, sizeof(buf)));
	for (r = 0; r <= BG_BAN_MAX_S; r += 997) {
		format_duration(r, buf, sizeof(buf));
		ASSERT_EQ(0, parse_duration(buf, &p)) TH_LOG("'%s'", buf);
		ASSERT_EQ(r, p);
	}
	EXPECT_STREQ("22", format_ports(22, 22, buf, sizeof(buf)));
	EXPECT_STREQ("8000-8080", format_ports(8000, 8080, buf, sizeof(buf)));
}

TEST(enum_names)
{
	EXPECT_STREQ("would_drop", stat_name(BG_STAT_WOULD_DROP));
	EXPECT_EQ(NULL, stat_name(BG_STAT_PAD));
	EXPECT_EQ(NULL, stat_name(__BG_STAT_MAX));
	EXPECT_STREQ("banned", event_name(BG_EVENT_BANNED));
	EXPECT_STREQ("unknown", event_name(0));
	EXPECT_STREQ("unknown", event_name(__BG_EVENT_MAX));
	EXPECT_STREQ("throttled", state_name(BG_STATE_THROTTLED));
	EXPECT_STREQ("unknown", state_name(__BG_STATE_MAX));
}

/* parse_keywords on the words of @line, split at spaces. */
static int kw(unsigned int scope, struct settings *s, char *err,
	      size_t errlen, const char *line)
{
	char copy[256], *argv[32], *save = NULL, *t;
	int argc = 0;

	snprintf(copy, sizeof(copy), "%s", line);
	for (t = strtok_r(copy, " ", &save); t && argc < 32;
	     t = strtok_r(NULL, " ", &save))
		argv[argc++] = t;
	memset(s, 0, sizeof(*s));
	err[0] = '\0';
	return parse_keywords(argc, argv, scope, s, err, errlen);
}

TEST(set_keywords)
{
	struct settings s;
	char err[256];

	ASSERT_EQ(0, kw(KW_SET, &s, err, sizeof(err),
			"rate 5/min burst 10 ban 1h mode reject prefix4 24 prefix6 56 max-sources 1000"));
	EXPECT_EQ(SET_RATE | SET_BURST | SET_BAN | SET_MODE | SET_PREFIX4 |
		  SET_PREFIX6 | SET_MAX_SOURCES, s.have);
	EXPECT_EQ(5, s.rate);
	EXPECT_EQ(60, s.period);
	EXPECT_EQ(10, s.burst);
	EXPECT_EQ(3600, s.ban);
	EXPECT_EQ(BG_MODE_REJECT, s.mode);
	EXPECT_EQ(24, s.prefix4);
	EXPECT_EQ(56, s.prefix6);
	EXPECT_EQ(1000, s.max_sources);
	EXPECT_EQ(0, kw(KW_SET, &s, err, sizeof(err), ""));
	EXPECT_EQ(0, s.have);
	ASSERT_EQ(0, kw(KW_SET, &s, err, sizeof(err), "forward on"));
	EXPECT_EQ(SET_FORWARD, s.have);
	EXPECT_EQ(1, s.forward);
	ASSERT_EQ(0, kw(KW_SET, &s, err, sizeof(err), "forward off"));
	EXPECT_EQ(SET_FORWARD, s.have);
	EXPECT_EQ(0, s.forward);
}

/* Each bound of each number: the last value in, the first one out. */
TEST(keyword_bounds)
{
	static const struct { const char *line; int ok; } cases[] = {
		{ "burst 0", -1 }, { "burst 1", 0 }, { "burst 1000000", 0 },
		{ "burst 1000001", -1 }, { "prefix4 0", 0 }, { "prefix4 32", 0 },
		{ "prefix4 33", -1 }, { "prefix6 128", 0 }, { "prefix6 129", -1 },
		{ "max-sources 0", -1 }, { "max-sources 16777216", 0 },
		{ "max-sources 16777217", -1 }, { "ban 7d", 0 }, { "ban 8d", -1 },
		{ "rate 10000000/s", 0 }, { "rate 10000001/s", -1 },
	};
	struct settings s;
	char err[256];
	size_t i;

	for (i = 0; i < N(cases); i++)
		EXPECT_EQ(cases[i].ok, kw(KW_SET, &s, err, sizeof(err),
					  cases[i].line))
			TH_LOG("set %s: %s", cases[i].line, err);
	ASSERT_EQ(0, kw(KW_SET, &s, err, sizeof(err), "max-sources 16777216"));
	EXPECT_EQ(BG_MAX_SOURCES_LIMIT, s.max_sources);
}

TEST(keyword_errors)
{
	struct settings s;
	char err[256];

	ASSERT_EQ(-1, kw(KW_SET, &s, err, sizeof(err), "burst 0"));
	EXPECT_STREQ("invalid burst '0': expected 1..1000000", err);
	ASSERT_EQ(-1, kw(KW_SET, &s, err, sizeof(err), "rate 0/s"));
	EXPECT_STREQ("invalid rate '0/s': expected N/s, N/min or N/hour, N in 1..10000000",
		     err);
	ASSERT_EQ(-1, kw(KW_SET, &s, err, sizeof(err), "max-sources x"));
	EXPECT_STREQ("invalid max-sources 'x': expected 1..16777216", err);
	ASSERT_EQ(-1, kw(KW_SET, &s, err, sizeof(err), "forward yes"));
	EXPECT_STREQ("invalid forward 'yes': expected on or off", err);
	ASSERT_EQ(-1, kw(KW_SET, &s, err, sizeof(err), "forward 1"));
	ASSERT_EQ(-1, kw(KW_SET, &s, err, sizeof(err), "forward on\n"));
	ASSERT_EQ(-1, kw(KW_SET, &s, err, sizeof(err), "rate"));
	EXPECT_STREQ("'rate' needs a value: N/s, N/min or N/hour, N in 1..10000000",
		     err);
	ASSERT_EQ(-1, kw(KW_SET, &s, err, sizeof(err), "bogus 1"));
	EXPECT_STREQ("unknown keyword 'bogus'", err);
	ASSERT_EQ(-1, kw(KW_SET, &s, err, sizeof(err), "burst 3 burst 4"));
	EXPECT_STREQ("'burst' given twice", err);
	/* Each keyword in its own scope only. */
	EXPECT_EQ(-1, kw(KW_SET, &s, err, sizeof(err), "port 22"));
	EXPECT_EQ(-1, kw(KW_RULE, &s, err, sizeof(err), "prefix4 24"));
	EXPECT_EQ(-1, kw(KW_RULE, &s, err, sizeof(err), "forward on"));
}

TEST(rule_keywords)
{
	struct settings s;
	char err[256];

	ASSERT_EQ(0, kw(KW_RULE, &s, err, sizeof(err),
			"port 8000-8080 rate 100/s mode monitor"));
	EXPECT_EQ(SET_PORT | SET_RATE | SET_MODE, s.have);
	EXPECT_EQ(8000, s.port_min);
	EXPECT_EQ(8080, s.port_max);
	EXPECT_EQ(BG_MODE_MONITOR, s.mode);
	ASSERT_EQ(-1, kw(KW_RULE, &s, err, sizeof(err), "port 0"));
	EXPECT_STREQ("invalid port '0': expected P or P-Q, 1..65535", err);
}

TEST(keyword_list_and_save_lines)
{
	struct settings s;
	char err[256], line[512];

	EXPECT_STREQ("rate burst ban mode prefix4 prefix6 max-sources forward strikes total",
		     keyword_list(KW_SET, line, sizeof(line)));
	EXPECT_STREQ("port rate burst ban mode total",
		     keyword_list(KW_RULE, line, sizeof(line)));
	ASSERT_EQ(0, kw(KW_SET, &s, err, sizeof(err),
			"forward on max-sources 9 ban 90 rate 3/m burst 7 mode reject prefix6 48 prefix4 24"));
	/* In table order, each word as "restore" reads it back. */
	EXPECT_STREQ(" rate 3/min burst 7 ban 90s mode reject prefix4 24 prefix6 48 max-sources 9 forward on",
		     format_settings(KW_SET, &s, line, sizeof(line)));
	ASSERT_EQ(0, kw(KW_RULE, &s, err, sizeof(err),
			"mode monitor port 22-23 ban 1h"));
	EXPECT_STREQ(" port 22-23 ban 1h mode monitor",
		     format_settings(KW_RULE, &s, line, sizeof(line)));
}

TEST(total_keyword)
{
	struct settings s;
	char err[256], line[512];

	/* "burst" right after "total" is the total's; before it, the source's */
	ASSERT_EQ(0, kw(KW_RULE, &s, err, sizeof(err),
			"port 22 rate 3/min burst 5 total 100/s burst 200"));
	EXPECT_EQ(SET_PORT | SET_RATE | SET_BURST | SET_TOTAL, s.have);
	EXPECT_EQ(5, s.burst);
	EXPECT_EQ(100, s.total_rate);
	EXPECT_EQ(1, s.total_period);
	EXPECT_EQ(200, s.total_burst);
	EXPECT_STREQ(" port 22 rate 3/min burst 5 total 100/s burst 200",
		     format_settings(KW_RULE, &s, line, sizeof(line)));
	/* without one: 0, the kernel's default (one second's worth) */
	ASSERT_EQ(0, kw(KW_SET, &s, err, sizeof(err), "burst 4 total 10/min"));
	EXPECT_EQ(SET_TOTAL | SET_BURST, s.have);
	EXPECT_EQ(0, s.total_burst);
	EXPECT_EQ(4, s.burst);
	EXPECT_EQ(60, s.total_period);
	ASSERT_EQ(0, kw(KW_SET, &s, err, sizeof(err), "total 10/min"));
	EXPECT_EQ(0, s.total_burst);
	ASSERT_EQ(0, kw(KW_SET, &s, err, sizeof(err), "total off"));
	EXPECT_EQ(0, s.total_rate);
	EXPECT_STREQ(" total off", format_settings(KW_SET, &s, line,
						    sizeof(line)));
	ASSERT_EQ(-1, kw(KW_SET, &s, err, sizeof(err), "total 100/s burst 0"));
	EXPECT_STREQ("invalid total burst '0': expected 1..1000000", err);
	ASSERT_EQ(-1, kw(KW_SET, &s, err, sizeof(err), "total 100/s burst"));
	EXPECT_STREQ("invalid total burst '': expected 1..1000000", err);
	ASSERT_EQ(-1, kw(KW_SET, &s, err, sizeof(err), "total 0/s"));
	EXPECT_STREQ("invalid total '0/s': expected N/s, N/min or N/hour, N in 1..10000000, or off",
		     err);
	ASSERT_EQ(-1, kw(KW_SET, &s, err, sizeof(err), "total off burst 5"));
	EXPECT_STREQ("'total off' takes no burst", err);
	ASSERT_EQ(-1, kw(KW_SET, &s, err, sizeof(err),
			 "burst 3 total 1/s burst 2 burst 4"));
	EXPECT_STREQ("'burst' given twice", err);
}

struct got {
	unsigned int seen;
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

TEST(settings_attributes_round_trip)
{
	char buf[MNL_SOCKET_BUFFER_SIZE], err[256];
	struct settings s, back = { 0 };
	struct nlmsghdr *nlh;
	struct got g = { 0 };

	ASSERT_EQ(0, kw(KW_RULE, &s, err, sizeof(err),
			"port 22 rate 3/min burst 5 ban 10m mode reject"));
	nlh = mnl_nlmsg_put_header(buf);
	mnl_nlmsg_put_extra_header(nlh, GENL_HDRLEN);
	settings_put(nlh, &s);
	ASSERT_EQ(MNL_CB_OK, mnl_attr_parse(nlh, GENL_HDRLEN, got_cb, &g));
	EXPECT_EQ(8, g.seen);	/* ban's max too: 0, a fixed ban */
	ASSERT_NE(NULL, g.tb[BG_A_BAN_MAX]);
	EXPECT_EQ(0, mnl_attr_get_u32(g.tb[BG_A_BAN_MAX]));
	ASSERT_TRUE(g.tb[BG_A_PORT_MIN] && g.tb[BG_A_PORT_MAX]);
	EXPECT_EQ(2, mnl_attr_get_payload_len(g.tb[BG_A_PORT_MIN]));
	EXPECT_EQ(22, mnl_attr_get_u16(g.tb[BG_A_PORT_MIN]));
	EXPECT_EQ(22, mnl_attr_get_u16(g.tb[BG_A_PORT_MAX]));
	ASSERT_TRUE(g.tb[BG_A_RATE] && g.tb[BG_A_PERIOD] && g.tb[BG_A_BURST]);
	EXPECT_EQ(3, mnl_attr_get_u32(g.tb[BG_A_RATE]));
	EXPECT_EQ(60, mnl_attr_get_u32(g.tb[BG_A_PERIOD]));
	EXPECT_EQ(5, mnl_attr_get_u32(g.tb[BG_A_BURST]));
	ASSERT_TRUE(g.tb[BG_A_BAN] && g.tb[BG_A_MODE]);
	EXPECT_EQ(600, mnl_attr_get_u32(g.tb[BG_A_BAN]));
	EXPECT_EQ(1, mnl_attr_get_payload_len(g.tb[BG_A_MODE]));
	EXPECT_EQ(BG_MODE_REJECT, mnl_attr_get_u8(g.tb[BG_A_MODE]));
	EXPECT_EQ(NULL, g.tb[BG_A_PREFIX4]);
	settings_get(g.tb, &back);
	EXPECT_EQ(0, memcmp(&s, &back, sizeof(s)));

	/* A setting is read back only when all its attributes came. */
	g.tb[BG_A_PERIOD] = NULL;
	memset(&back, 0, sizeof(back));
	settings_get(g.tb, &back);
	EXPECT_EQ(SET_PORT | SET_BURST | SET_BAN | SET_MODE, back.have);
	/* ...but for an optional one: a module without ban max */
	g.tb[BG_A_BAN_MAX] = NULL;
	memset(&back, 0, sizeof(back));
	settings_get(g.tb, &back);
	EXPECT_EQ(SET_PORT | SET_BURST | SET_BAN | SET_MODE, back.have);
	EXPECT_EQ(600, back.ban);
}

TEST(ban_max_and_strikes_keywords)
{
	struct settings s;
	char err[256], line[512];

	ASSERT_EQ(0, kw(KW_SET, &s, err, sizeof(err),
			"ban 10m max 7d strikes forget 1d mode drop"));
	EXPECT_EQ(600, s.ban);
	EXPECT_EQ(604800, s.ban_max);
	EXPECT_EQ(86400, s.strikes_forget);
	EXPECT_EQ(SET_BAN | SET_STRIKES | SET_MODE, s.have);
	EXPECT_STREQ(" ban 10m max 168h mode drop strikes forget 24h",
		     format_settings(KW_SET, &s, line, sizeof(line)));
	ASSERT_EQ(0, kw(KW_RULE, &s, err, sizeof(err), "port 22 ban 2s max 8s"));
	EXPECT_STREQ(" port 22 ban 2s max 8s",
		     format_settings(KW_RULE, &s, line, sizeof(line)));
	ASSERT_EQ(0, kw(KW_RULE, &s, err, sizeof(err), "port 22 ban 2s"));
	EXPECT_EQ(0, s.ban_max);
	ASSERT_EQ(-1, kw(KW_SET, &s, err, sizeof(err), "ban 10m max 5m"));
	ASSERT_EQ(-1, kw(KW_SET, &s, err, sizeof(err), "ban 0 max 5m"));
	ASSERT_EQ(-1, kw(KW_SET, &s, err, sizeof(err), "max 5m"));
	EXPECT_STREQ("unknown keyword 'max'", err);
	ASSERT_EQ(-1, kw(KW_SET, &s, err, sizeof(err), "strikes 1d"));
	ASSERT_EQ(-1, kw(KW_RULE, &s, err, sizeof(err), "port 1 strikes forget 1d"));
	EXPECT_STREQ("unknown keyword 'strikes'", err);
	ASSERT_EQ(-1, kw(KW_SET, &s, err, sizeof(err),
			 "strikes forget 1d strikes forget 2d"));
	EXPECT_STREQ("'strikes' given twice", err);
}

TEST(attribute_names_and_sizes)
{
	EXPECT_STREQ("rate", settings_attr_name(BG_A_PERIOD));
	EXPECT_STREQ("port", settings_attr_name(BG_A_PORT_MAX));
	EXPECT_STREQ("max-sources", settings_attr_name(BG_A_MAX_SOURCES));
	EXPECT_STREQ("forward", settings_attr_name(BG_A_FORWARD));
	EXPECT_EQ(NULL, settings_attr_name(BG_A_ADDR4));
	EXPECT_EQ(NULL, settings_attr_name(__BG_A_MAX));
	EXPECT_EQ(4, settings_attr_size(BG_A_MAX_SOURCES));
	EXPECT_EQ(2, settings_attr_size(BG_A_PORT_MIN));
	EXPECT_EQ(1, settings_attr_size(BG_A_PREFIX6));
	EXPECT_EQ(0, settings_attr_size(BG_A_STATS));
}

TEST_HARNESS_MAIN
