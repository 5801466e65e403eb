// SPDX-License-Identifier: GPL-2.0
/*
 * The burstguard generic netlink protocol, spoken directly: every command,
 * every policy bound just inside and just outside, unknown and malformed
 * attributes, truncated messages, and "a rejected request changes
 * nothing". Each test runs in a network namespace of its own.
 */
/* The harness's macros compare int literals with unsigned values. */
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wclobbered"
#include "bg_harness.h"
#include "nl_util.h"

/* A netns of the test's own and a socket on the family, for every fixture. */
static struct nlt *open_own_netns(struct __test_metadata *_metadata)
{
	struct nlt *t;

	ASSERT_EQ(0, unshare(CLONE_NEWNET)) TH_LOG("unshare: %s", strerror(errno));
	t = nlt_new();
	ASSERT_NE(NULL, t);
	ASSERT_EQ(0, nlt_open(t)) TH_LOG("is the module loaded?");
	return t;
}

FIXTURE(nl) {
	struct nlt *t;
};

FIXTURE_SETUP(nl)
{
	self->t = open_own_netns(_metadata);
}

FIXTURE_TEARDOWN(nl)
{
	nlt_free(self->t);
}

/* A textual copy of the whole configuration, to compare before/after. */
#define SNAP_SIZE (1 << 20)

struct snap {
	char *s;
	size_t n;
};

static void snap_add(struct snap *sn, const char *fmt, unsigned int v)
{
	if (sn->n < SNAP_SIZE - 32)
		sn->n += snprintf(sn->s + sn->n, SNAP_SIZE - sn->n, fmt, v);
}

static int snap_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a;
	struct snap *sn = data;

	snap_add(sn, "cmd %u:", g->cmd);
	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		const unsigned char *p = mnl_attr_get_payload(a);
		uint16_t i;

		snap_add(sn, " %u=", mnl_attr_get_type(a));
		for (i = 0; i < mnl_attr_get_payload_len(a); i++)
			snap_add(sn, "%02x", p[i]);
	}
	snap_add(sn, "\n", 0);
	return MNL_CB_OK;
}

static char *snapshot(struct nlt *t)
{
	struct snap sn = { calloc(1, SNAP_SIZE), 0 };

	if (!sn.s)
		return NULL;
	if (nlt_run(t, nlt_req(t, BG_CMD_GET_CONFIG, 0), snap_cb, &sn) ||
	    nlt_run(t, nlt_req(t, BG_CMD_GET_RULE, NLM_F_DUMP), snap_cb, &sn) ||
	    nlt_run(t, nlt_req(t, BG_CMD_GET_PREFIX, NLM_F_DUMP), snap_cb, &sn)) {
		free(sn.s);
		return NULL;
	}
	return sn.s;
}

static int get_config(struct nlt *t, struct nlt_reply *r)
{
	memset(r, 0, sizeof(*r));
	return nlt_run(t, nlt_req(t, BG_CMD_GET_CONFIG, 0), nlt_reply_cb, r);
}

static bool rejected(int err)
{
	return err == -EINVAL || err == -ERANGE;
}

TEST_F(nl, get_config)
{
	struct nlt_reply r;

	ASSERT_EQ(0, get_config(self->t, &r));
	EXPECT_EQ(BG_CMD_GET_CONFIG, r.cmd);
	EXPECT_NE(NULL, r.at.tb[BG_A_RATE]);
	EXPECT_NE(NULL, r.at.tb[BG_A_PERIOD]);
	EXPECT_NE(NULL, r.at.tb[BG_A_BURST]);
	EXPECT_NE(NULL, r.at.tb[BG_A_BAN]);
	EXPECT_NE(NULL, r.at.tb[BG_A_MODE]);
	EXPECT_NE(NULL, r.at.tb[BG_A_PREFIX4]);
	EXPECT_NE(NULL, r.at.tb[BG_A_PREFIX6]);
	EXPECT_NE(NULL, r.at.tb[BG_A_MAX_SOURCES]);
	EXPECT_EQ(0, nlt_u8(&r, BG_A_FORWARD)) TH_LOG("forward is off by default");
	EXPECT_EQ(0, nlt_u32(&r, BG_A_RULE_COUNT));
	EXPECT_EQ(0, nlt_u32(&r, BG_A_ALLOW_COUNT));
	EXPECT_EQ(0, nlt_u32(&r, BG_A_DENY_COUNT));
}

TEST_F(nl, set_config_changes_only_what_it_names)
{
	struct nlt *t = self->t;
	struct nlt_reply a, b;
	struct nlmsghdr *nlh;

	ASSERT_EQ(0, get_config(t, &a));
	nlh = nlt_req(t, BG_CMD_SET_CONFIG, 0);
	mnl_attr_put_u32(nlh, BG_A_BURST, 77);
	ASSERT_EQ(0, nlt_run(t, nlh, NULL, NULL)) TH_LOG("%s", t->errmsg);
	ASSERT_EQ(0, get_config(t, &b));
	EXPECT_EQ(77, nlt_u32(&b, BG_A_BURST));
	EXPECT_EQ(nlt_u32(&a, BG_A_RATE), nlt_u32(&b, BG_A_RATE));
	EXPECT_EQ(nlt_u32(&a, BG_A_PERIOD), nlt_u32(&b, BG_A_PERIOD));
	EXPECT_EQ(nlt_u32(&a, BG_A_BAN), nlt_u32(&b, BG_A_BAN));
	EXPECT_EQ(nlt_u8(&a, BG_A_MODE), nlt_u8(&b, BG_A_MODE));
	EXPECT_EQ(nlt_u8(&a, BG_A_PREFIX4), nlt_u8(&b, BG_A_PREFIX4));
	EXPECT_EQ(nlt_u8(&a, BG_A_PREFIX6), nlt_u8(&b, BG_A_PREFIX6));
	EXPECT_EQ(nlt_u32(&a, BG_A_MAX_SOURCES), nlt_u32(&b, BG_A_MAX_SOURCES));
	EXPECT_EQ(nlt_u8(&a, BG_A_FORWARD), nlt_u8(&b, BG_A_FORWARD));

	nlh = nlt_req(t, BG_CMD_SET_CONFIG, 0);
	mnl_attr_put_u32(nlh, BG_A_RATE, 3);
	mnl_attr_put_u32(nlh, BG_A_PERIOD, 60);
	mnl_attr_put_u32(nlh, BG_A_BAN, 600);
	mnl_attr_put_u8(nlh, BG_A_MODE, BG_MODE_REJECT);
	mnl_attr_put_u8(nlh, BG_A_PREFIX4, 24);
	mnl_attr_put_u8(nlh, BG_A_PREFIX6, 48);
	mnl_attr_put_u32(nlh, BG_A_MAX_SOURCES, 1000);
	mnl_attr_put_u8(nlh, BG_A_FORWARD, 1);
	ASSERT_EQ(0, nlt_run(t, nlh, NULL, NULL)) TH_LOG("%s", t->errmsg);
	ASSERT_EQ(0, get_config(t, &b));
	EXPECT_EQ(1, nlt_u8(&b, BG_A_FORWARD));
	EXPECT_EQ(3, nlt_u32(&b, BG_A_RATE));
	EXPECT_EQ(60, nlt_u32(&b, BG_A_PERIOD));
	EXPECT_EQ(77, nlt_u32(&b, BG_A_BURST));
	EXPECT_EQ(600, nlt_u32(&b, BG_A_BAN));
	EXPECT_EQ(BG_MODE_REJECT, nlt_u8(&b, BG_A_MODE));
	EXPECT_EQ(24, nlt_u8(&b, BG_A_PREFIX4));
	EXPECT_EQ(48, nlt_u8(&b, BG_A_PREFIX6));
	EXPECT_EQ(1000, nlt_u32(&b, BG_A_MAX_SOURCES));
	/* An empty set is accepted and changes nothing. */
	ASSERT_EQ(0, nlt_run(t, nlt_req(t, BG_CMD_SET_CONFIG, 0), NULL, NULL));
}

static void put_width(struct nlmsghdr *nlh, uint16_t attr, int width,
		      uint32_t v)
{
	if (width == 1)
		mnl_attr_put_u8(nlh, attr, (uint8_t)v);
	else if (width == 2)
		mnl_attr_put_u16(nlh, attr, (uint16_t)v);
	else
		mnl_attr_put_u32(nlh, attr, v);
}

/*
 * Every bound of a SET_CONFIG attribute, just inside and just outside:
 * one variant (one TAP line) each. A refused value is refused with
 * -EINVAL or -ERANGE and an extack message, and changes nothing.
 */
FIXTURE(config_bound) {
	struct nlt *t;
};

FIXTURE_VARIANT(config_bound) {
	uint16_t attr;
	int width;		/* 1, 2, 4 bytes */
	uint32_t value;
	bool ok;
};

FIXTURE_SETUP(config_bound)
{
	self->t = open_own_netns(_metadata);
}

FIXTURE_TEARDOWN(config_bound)
{
	nlt_free(self->t);
}

#define CONFIG_BOUND(name, a, w, v, accepted)				\
	FIXTURE_VARIANT_ADD(config_bound, name) {			\
		.attr = a, .width = w, .value = v, .ok = accepted,	\
	}

CONFIG_BOUND(rate_0_refused, BG_A_RATE, 4, 0, false);
CONFIG_BOUND(rate_1, BG_A_RATE, 4, 1, true);
CONFIG_BOUND(rate_10000000, BG_A_RATE, 4, 10000000, true);
CONFIG_BOUND(rate_10000001_refused, BG_A_RATE, 4, 10000001, false);
CONFIG_BOUND(period_0_refused, BG_A_PERIOD, 4, 0, false);
CONFIG_BOUND(period_1, BG_A_PERIOD, 4, 1, true);
CONFIG_BOUND(period_2_refused, BG_A_PERIOD, 4, 2, false);
CONFIG_BOUND(period_59_refused, BG_A_PERIOD, 4, 59, false);
CONFIG_BOUND(period_60, BG_A_PERIOD, 4, 60, true);
CONFIG_BOUND(period_3600, BG_A_PERIOD, 4, 3600, true);
CONFIG_BOUND(period_3601_refused, BG_A_PERIOD, 4, 3601, false);
CONFIG_BOUND(burst_0_refused, BG_A_BURST, 4, 0, false);
CONFIG_BOUND(burst_1, BG_A_BURST, 4, 1, true);
CONFIG_BOUND(burst_1000000, BG_A_BURST, 4, 1000000, true);
CONFIG_BOUND(burst_1000001_refused, BG_A_BURST, 4, 1000001, false);
CONFIG_BOUND(ban_0, BG_A_BAN, 4, 0, true);
CONFIG_BOUND(ban_604800, BG_A_BAN, 4, 604800, true);
CONFIG_BOUND(ban_604801_refused, BG_A_BAN, 4, 604801, false);
CONFIG_BOUND(mode_monitor, BG_A_MODE, 1, BG_MODE_MONITOR, true);
CONFIG_BOUND(mode_after_monitor_refused, BG_A_MODE, 1, BG_MODE_MONITOR + 1, false);
CONFIG_BOUND(prefix4_0, BG_A_PREFIX4, 1, 0, true);
CONFIG_BOUND(prefix4_32, BG_A_PREFIX4, 1, 32, true);
CONFIG_BOUND(prefix4_33_refused, BG_A_PREFIX4, 1, 33, false);
CONFIG_BOUND(prefix6_0, BG_A_PREFIX6, 1, 0, true);
CONFIG_BOUND(prefix6_128, BG_A_PREFIX6, 1, 128, true);
CONFIG_BOUND(prefix6_129_refused, BG_A_PREFIX6, 1, 129, false);
CONFIG_BOUND(max_sources_0_refused, BG_A_MAX_SOURCES, 4, 0, false);
CONFIG_BOUND(max_sources_1, BG_A_MAX_SOURCES, 4, 1, true);
CONFIG_BOUND(max_sources_16777216, BG_A_MAX_SOURCES, 4, 1 << 24, true);
CONFIG_BOUND(max_sources_16777217_refused, BG_A_MAX_SOURCES, 4, (1 << 24) + 1, false);
CONFIG_BOUND(forward_0, BG_A_FORWARD, 1, 0, true);
CONFIG_BOUND(forward_1, BG_A_FORWARD, 1, 1, true);
CONFIG_BOUND(forward_2_refused, BG_A_FORWARD, 1, 2, false);
CONFIG_BOUND(total_rate_0, BG_A_TOTAL_RATE, 4, 0, true);
CONFIG_BOUND(total_rate_1, BG_A_TOTAL_RATE, 4, 1, true);
CONFIG_BOUND(total_rate_10000000, BG_A_TOTAL_RATE, 4, 10000000, true);
CONFIG_BOUND(total_rate_10000001_refused, BG_A_TOTAL_RATE, 4, 10000001, false);
CONFIG_BOUND(total_period_60, BG_A_TOTAL_PERIOD, 4, 60, true);
CONFIG_BOUND(total_period_2_refused, BG_A_TOTAL_PERIOD, 4, 2, false);
CONFIG_BOUND(total_period_3601_refused, BG_A_TOTAL_PERIOD, 4, 3601, false);
CONFIG_BOUND(total_burst_1, BG_A_TOTAL_BURST, 4, 1, true);
CONFIG_BOUND(total_burst_1000000, BG_A_TOTAL_BURST, 4, 1000000, true);
CONFIG_BOUND(ban_max_0, BG_A_BAN_MAX, 4, 0, true);
CONFIG_BOUND(ban_max_604800, BG_A_BAN_MAX, 4, 604800, true);
CONFIG_BOUND(ban_max_604801_refused, BG_A_BAN_MAX, 4, 604801, false);
CONFIG_BOUND(strikes_forget_0, BG_A_STRIKES_FORGET, 4, 0, true);
CONFIG_BOUND(strikes_forget_604800, BG_A_STRIKES_FORGET, 4, 604800, true);
CONFIG_BOUND(strikes_forget_604801_refused, BG_A_STRIKES_FORGET, 4, 604801, false);
CONFIG_BOUND(total_burst_1000001_refused, BG_A_TOTAL_BURST, 4, 1000001, false);

TEST_F(config_bound, set_config)
{
	struct nlt *t = self->t;
	struct nlt_reply r;
	struct nlmsghdr *nlh;
	char *before, *after;
	int err;

	before = snapshot(t);
	ASSERT_NE(NULL, before);
	nlh = nlt_req(t, BG_CMD_SET_CONFIG, 0);
	/* rate 1 needs a period; max burst needs a fast rate */
	if (variant->attr == BG_A_BURST)
		mnl_attr_put_u32(nlh, BG_A_RATE, 10000000);
	/* a total's period and burst need a total */
	if (variant->attr == BG_A_TOTAL_BURST ||
	    variant->attr == BG_A_TOTAL_PERIOD)
		mnl_attr_put_u32(nlh, BG_A_TOTAL_RATE, 10000000);
	put_width(nlh, variant->attr, variant->width, variant->value);
	err = nlt_run(t, nlh, NULL, NULL);
	if (variant->ok) {
		ASSERT_EQ(0, err) TH_LOG("attr %u = %u: %d %s", variant->attr,
					 variant->value, err, t->errmsg);
		/* ...and the value is the one the module now holds. */
		ASSERT_EQ(0, get_config(t, &r));
		ASSERT_NE(NULL, r.at.tb[variant->attr]);
		EXPECT_EQ(variant->value, variant->width == 1 ?
			  nlt_u8(&r, variant->attr) : nlt_u32(&r, variant->attr));
	} else {
		EXPECT_TRUE(rejected(err))
			TH_LOG("attr %u = %u: got %d", variant->attr,
			       variant->value, err);
		EXPECT_NE(0, t->errmsg[0])
			TH_LOG("attr %u = %u: no extack message", variant->attr,
			       variant->value);
		after = snapshot(t);
		ASSERT_NE(NULL, after);
		EXPECT_STREQ(before, after);
		free(after);
	}
	free(before);
}

/* burst * period / rate may not exceed 2^60 ns: at 1/hour burst 320255. */
TEST_F(nl, rate_times_burst_overflow)
{
	struct nlt *t = self->t;
	struct nlmsghdr *nlh;
	char *before, *after;
	int err;

	nlh = nlt_req(t, BG_CMD_SET_CONFIG, 0);
	mnl_attr_put_u32(nlh, BG_A_RATE, 1);
	mnl_attr_put_u32(nlh, BG_A_PERIOD, 3600);
	mnl_attr_put_u32(nlh, BG_A_BURST, 320255);
	ASSERT_EQ(0, nlt_run(t, nlh, NULL, NULL)) TH_LOG("%s", t->errmsg);

	before = snapshot(t);
	nlh = nlt_req(t, BG_CMD_SET_CONFIG, 0);
	mnl_attr_put_u32(nlh, BG_A_BURST, 320256);
	err = nlt_run(t, nlh, NULL, NULL);
	EXPECT_EQ(-ERANGE, err);
	EXPECT_NE(0, t->errmsg[0]);
	EXPECT_NE(0, t->erroff) TH_LOG("the extack should point at the burst");
	after = snapshot(t);
	EXPECT_STREQ(before, after);
	free(after);

	/* The same bound for a rule. */
	nlh = nlt_req(t, BG_CMD_ADD_RULE, 0);
	mnl_attr_put_u16(nlh, BG_A_PORT_MIN, 22);
	mnl_attr_put_u32(nlh, BG_A_BURST, 320256);
	EXPECT_EQ(-ERANGE, nlt_run(t, nlh, NULL, NULL));
	after = snapshot(t);
	EXPECT_STREQ(before, after);
	free(after);

	/* And for a total, whose extack points at its burst. */
	nlh = nlt_req(t, BG_CMD_SET_CONFIG, 0);
	mnl_attr_put_u32(nlh, BG_A_TOTAL_RATE, 1);
	mnl_attr_put_u32(nlh, BG_A_TOTAL_PERIOD, 3600);
	mnl_attr_put_u32(nlh, BG_A_TOTAL_BURST, 320256);
	err = nlt_run(t, nlh, NULL, NULL);
	EXPECT_EQ(-ERANGE, err);
	EXPECT_NE(0, t->erroff) TH_LOG("the extack should point at the total burst");
	after = snapshot(t);
	EXPECT_STREQ(before, after);
	free(after);
	nlh = nlt_req(t, BG_CMD_SET_CONFIG, 0);
	mnl_attr_put_u32(nlh, BG_A_TOTAL_RATE, 1);
	mnl_attr_put_u32(nlh, BG_A_TOTAL_PERIOD, 3600);
	mnl_attr_put_u32(nlh, BG_A_TOTAL_BURST, 320255);
	EXPECT_EQ(0, nlt_run(t, nlh, NULL, NULL)) TH_LOG("%s", t->errmsg);
	free(before);
}

static int add_rule(struct nlt *t, uint16_t min, uint16_t max,
		    struct nlt_reply *r)
{
	struct nlmsghdr *nlh = nlt_req(t, BG_CMD_ADD_RULE, 0);

	mnl_attr_put_u16(nlh, BG_A_PORT_MIN, min);
	if (max)
		mnl_attr_put_u16(nlh, BG_A_PORT_MAX, max);
	if (r)
		memset(r, 0, sizeof(*r));
	return nlt_run(t, nlh, r ? nlt_reply_cb : NULL, r);
}

struct rule_list {
	unsigned int n;
	uint16_t id[128], min[128], max[128];
	uint32_t rate[128], burst[128];
};

static int rule_list_cb(const struct nlmsghdr *nlh, void *data)
{
	struct rule_list *l = data;
	struct nlt_attrs at;

	nlt_parse(nlh, &at);
	if (l->n >= 128 || !at.tb[BG_A_RULE_ID] || !at.tb[BG_A_PORT_MIN] ||
	    !at.tb[BG_A_PORT_MAX] || !at.tb[BG_A_RATE] || !at.tb[BG_A_BURST])
		return MNL_CB_ERROR;
	l->id[l->n] = mnl_attr_get_u16(at.tb[BG_A_RULE_ID]);
	l->min[l->n] = mnl_attr_get_u16(at.tb[BG_A_PORT_MIN]);
	l->max[l->n] = mnl_attr_get_u16(at.tb[BG_A_PORT_MAX]);
	l->rate[l->n] = mnl_attr_get_u32(at.tb[BG_A_RATE]);
	l->burst[l->n] = mnl_attr_get_u32(at.tb[BG_A_BURST]);
	l->n++;
	return MNL_CB_OK;
}

static int list_rules(struct nlt *t, struct rule_list *l)
{
	memset(l, 0, sizeof(*l));
	return nlt_run(t, nlt_req(t, BG_CMD_GET_RULE, NLM_F_DUMP),
		       rule_list_cb, l);
}

/* The port bounds of a rule: 0 is not a port, 1 and 65535 are; min <= max. */
FIXTURE(rule_bound) {
	struct nlt *t;
};

FIXTURE_VARIANT(rule_bound) {
	uint16_t min, max;	/* max 0: not sent */
	bool ok;
};

FIXTURE_SETUP(rule_bound)
{
	self->t = open_own_netns(_metadata);
}

FIXTURE_TEARDOWN(rule_bound)
{
	nlt_free(self->t);
}

FIXTURE_VARIANT_ADD(rule_bound, port_0_refused) { .min = 0, .ok = false };
FIXTURE_VARIANT_ADD(rule_bound, min_above_max_refused) { .min = 10, .max = 9, .ok = false };
FIXTURE_VARIANT_ADD(rule_bound, port_1) { .min = 1, .ok = true };
FIXTURE_VARIANT_ADD(rule_bound, port_65535) { .min = 65535, .ok = true };
FIXTURE_VARIANT_ADD(rule_bound, ports_1_to_65535) { .min = 1, .max = 65535, .ok = true };

TEST_F(rule_bound, add_rule)
{
	struct nlt *t = self->t;
	struct nlt_reply r;
	struct rule_list l;
	int err;

	err = add_rule(t, variant->min, variant->max, &r);
	if (!variant->ok) {
		EXPECT_TRUE(rejected(err)) TH_LOG("ports %u-%u: got %d",
						  variant->min, variant->max, err);
		EXPECT_NE(0, t->errmsg[0]) TH_LOG("no extack message");
		ASSERT_EQ(0, list_rules(t, &l));
		EXPECT_EQ(0, l.n) TH_LOG("a refused rule was added");
		return;
	}
	ASSERT_EQ(0, err) TH_LOG("ports %u-%u: %s", variant->min, variant->max,
				 t->errmsg);
	ASSERT_EQ(0, list_rules(t, &l));
	ASSERT_EQ(1, l.n);
	EXPECT_EQ(variant->min, l.min[0]);
	EXPECT_EQ(variant->max ? variant->max : variant->min, l.max[0]);
	EXPECT_EQ(l.max[0], mnl_attr_get_u16(r.at.tb[BG_A_PORT_MAX]));
}

TEST_F(nl, rules)
{
	struct nlt *t = self->t;
	struct nlt_reply r, c;
	struct rule_list l;
	struct nlmsghdr *nlh;
	uint16_t id1, id2;
	int i;

	ASSERT_EQ(0, get_config(t, &c));
	EXPECT_EQ(0, add_rule(t, 1, 0, &r)) TH_LOG("%s", t->errmsg);
	EXPECT_EQ(BG_CMD_ADD_RULE, r.cmd);
	id1 = mnl_attr_get_u16(r.at.tb[BG_A_RULE_ID]);
	EXPECT_EQ(1, mnl_attr_get_u16(r.at.tb[BG_A_PORT_MAX]));
	/* Settings not named come from the default limit. */
	EXPECT_EQ(nlt_u32(&c, BG_A_RATE), nlt_u32(&r, BG_A_RATE));
	EXPECT_EQ(nlt_u32(&c, BG_A_BURST), nlt_u32(&r, BG_A_BURST));
	EXPECT_EQ(0, add_rule(t, 8000, 65535, &r));
	id2 = mnl_attr_get_u16(r.at.tb[BG_A_RULE_ID]);
	EXPECT_NE(id1, id2);
	EXPECT_EQ(-EEXIST, add_rule(t, 8000, 65535, NULL));
	EXPECT_NE(0, t->errmsg[0]);

	nlh = nlt_req(t, BG_CMD_ADD_RULE, 0);
	mnl_attr_put_u16(nlh, BG_A_PORT_MIN, 22);
	mnl_attr_put_u32(nlh, BG_A_RATE, 3);
	mnl_attr_put_u32(nlh, BG_A_PERIOD, 60);
	mnl_attr_put_u32(nlh, BG_A_BURST, 5);
	ASSERT_EQ(0, nlt_run(t, nlh, NULL, NULL)) TH_LOG("%s", t->errmsg);

	ASSERT_EQ(0, list_rules(t, &l));
	ASSERT_EQ(3, l.n);
	EXPECT_EQ(1, l.min[0]);		/* in the order they were added */
	EXPECT_EQ(8000, l.min[1]);
	EXPECT_EQ(65535, l.max[1]);
	EXPECT_EQ(22, l.min[2]);
	EXPECT_EQ(3, l.rate[2]);
	EXPECT_EQ(5, l.burst[2]);
	ASSERT_EQ(0, get_config(t, &c));
	EXPECT_EQ(3, nlt_u32(&c, BG_A_RULE_COUNT));

	/* Delete by id, by range; errors. */
	nlh = nlt_req(t, BG_CMD_DEL_RULE, 0);
	mnl_attr_put_u16(nlh, BG_A_RULE_ID, id1);
	EXPECT_EQ(0, nlt_run(t, nlh, NULL, NULL));
	nlh = nlt_req(t, BG_CMD_DEL_RULE, 0);
	mnl_attr_put_u16(nlh, BG_A_RULE_ID, id1);
	EXPECT_EQ(-ENOENT, nlt_run(t, nlh, NULL, NULL));
	nlh = nlt_req(t, BG_CMD_DEL_RULE, 0);
	mnl_attr_put_u16(nlh, BG_A_RULE_ID, 0);
	EXPECT_TRUE(rejected(nlt_run(t, nlh, NULL, NULL)));
	nlh = nlt_req(t, BG_CMD_DEL_RULE, 0);
	mnl_attr_put_u16(nlh, BG_A_PORT_MIN, 8000);
	EXPECT_EQ(-ENOENT, nlt_run(t, nlh, NULL, NULL)) TH_LOG("range must match");
	nlh = nlt_req(t, BG_CMD_DEL_RULE, 0);
	mnl_attr_put_u16(nlh, BG_A_PORT_MIN, 8000);
	mnl_attr_put_u16(nlh, BG_A_PORT_MAX, 65535);
	mnl_attr_put_u16(nlh, BG_A_RULE_ID, id2);
	EXPECT_EQ(-EINVAL, nlt_run(t, nlh, NULL, NULL)) TH_LOG("id and range");
	nlh = nlt_req(t, BG_CMD_DEL_RULE, 0);
	EXPECT_EQ(-EINVAL, nlt_run(t, nlh, NULL, NULL)) TH_LOG("neither");
	nlh = nlt_req(t, BG_CMD_DEL_RULE, 0);
	mnl_attr_put_u16(nlh, BG_A_PORT_MIN, 8000);
	mnl_attr_put_u16(nlh, BG_A_PORT_MAX, 65535);
	EXPECT_EQ(0, nlt_run(t, nlh, NULL, NULL));
	ASSERT_EQ(0, list_rules(t, &l));
	ASSERT_EQ(1, l.n);
	EXPECT_EQ(22, l.min[0]);

	/* 64 rules at most. */
	for (i = 1; i < 64; i++)
		ASSERT_EQ(0, add_rule(t, 1000 + i, 0, NULL)) TH_LOG("rule %d", i);
	EXPECT_EQ(-ENOSPC, add_rule(t, 5000, 0, NULL));
	ASSERT_EQ(0, list_rules(t, &l));
	EXPECT_EQ(64, l.n);
}

static int prefix_req(struct nlt *t, uint8_t cmd, int list, const char *p)
{
	struct nlmsghdr *nlh = nlt_req(t, cmd, 0);

	if (list)
		mnl_attr_put_u8(nlh, BG_A_LIST, (uint8_t)list);
	if (p)
		nlt_put_prefix(nlh, p);
	return nlt_run(t, nlh, NULL, NULL);
}

struct plist {
	char text[65536];
	unsigned int n;
};

static int plist_cb(const struct nlmsghdr *nlh, void *data)
{
	struct plist *pl = data;
	struct nlt_attrs at;
	char b[80];
	size_t n = strlen(pl->text);

	nlt_parse(nlh, &at);
	if (!at.tb[BG_A_LIST])
		return MNL_CB_ERROR;
	if (n < sizeof(pl->text) - 100)
		snprintf(pl->text + n, sizeof(pl->text) - n, "%s %s\n",
			 mnl_attr_get_u8(at.tb[BG_A_LIST]) == BG_LIST_ALLOW ?
			 "allow" : "deny", nlt_prefix_str(&at, b, sizeof(b)));
	pl->n++;
	return MNL_CB_OK;
}

static int line_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The lines of @text in strcmp order (a dump comes in hash order). */
static void sort_lines(char *text)
{
	static char copy[65536];
	char *line[4096], *save = NULL, *l;
	size_t n = 0, i, off = 0;

	snprintf(copy, sizeof(copy), "%s", text);
	for (l = strtok_r(copy, "\n", &save); l && n < 4096;
	     l = strtok_r(NULL, "\n", &save))
		line[n++] = l;
	qsort(line, n, sizeof(line[0]), line_cmp);
	text[0] = 0;
	for (i = 0; i < n; i++)
		off += (size_t)snprintf(text + off, 65536 - off, "%s\n",
					line[i]);
}

static int list_prefixes(struct nlt *t, int list, struct plist *pl)
{
	struct nlmsghdr *nlh = nlt_req(t, BG_CMD_GET_PREFIX, NLM_F_DUMP);
	int err;

	memset(pl, 0, sizeof(*pl));
	if (list)
		mnl_attr_put_u8(nlh, BG_A_LIST, (uint8_t)list);
	err = nlt_run(t, nlh, plist_cb, pl);
	sort_lines(pl->text);
	return err;
}

/*
 * The bounds of an ADD_PREFIX: list 1..2, plen 0..32 / 0..128, address
 * attributes of exactly 4 / 16 bytes, one prefix of one family. An
 * accepted one is listed as sent; a refused one changes nothing.
 */
FIXTURE(prefix_bound) {
	struct nlt *t;
};

FIXTURE_VARIANT(prefix_bound) {
	uint8_t list;
	const char *prefix, *second;	/* second: another one in the request */
	uint16_t raw_attr;		/* instead: an address of raw_len bytes */
	int raw_len;
	const char *listed;		/* NULL: refused */
};

FIXTURE_SETUP(prefix_bound)
{
	self->t = open_own_netns(_metadata);
}

FIXTURE_TEARDOWN(prefix_bound)
{
	nlt_free(self->t);
}

FIXTURE_VARIANT_ADD(prefix_bound, list_0_refused) {
	.list = 0, .prefix = "10.0.0.0/8" };
FIXTURE_VARIANT_ADD(prefix_bound, list_3_refused) {
	.list = 3, .prefix = "10.0.0.0/8" };
FIXTURE_VARIANT_ADD(prefix_bound, allow_list) {
	.list = BG_LIST_ALLOW, .prefix = "10.1.2.3/8", .listed = "allow 10.0.0.0/8\n" };
FIXTURE_VARIANT_ADD(prefix_bound, v4_plen_0) {
	.list = BG_LIST_DENY, .prefix = "0.0.0.0/0", .listed = "deny 0.0.0.0/0\n" };
FIXTURE_VARIANT_ADD(prefix_bound, v4_plen_32) {
	.list = BG_LIST_DENY, .prefix = "10.9.9.9/32", .listed = "deny 10.9.9.9/32\n" };
FIXTURE_VARIANT_ADD(prefix_bound, v4_plen_33_refused) {
	.list = BG_LIST_DENY, .prefix = "10.0.0.0/33" };
FIXTURE_VARIANT_ADD(prefix_bound, v6_plen_0) {
	.list = BG_LIST_DENY, .prefix = "::/0", .listed = "deny ::/0\n" };
FIXTURE_VARIANT_ADD(prefix_bound, v6_plen_128) {
	.list = BG_LIST_DENY, .prefix = "2001:db8::9/128", .listed = "deny 2001:db8::9/128\n" };
FIXTURE_VARIANT_ADD(prefix_bound, v6_plen_129_refused) {
	.list = BG_LIST_DENY, .prefix = "::/129" };
FIXTURE_VARIANT_ADD(prefix_bound, no_prefix_refused) {
	.list = BG_LIST_DENY };
FIXTURE_VARIANT_ADD(prefix_bound, both_families_refused) {
	.list = BG_LIST_DENY, .prefix = "10.0.0.0/8", .second = "2001:db8::/32" };
FIXTURE_VARIANT_ADD(prefix_bound, addr4_of_3_bytes_refused) {
	.list = BG_LIST_DENY, .raw_attr = BG_A_ADDR4, .raw_len = 3 };
FIXTURE_VARIANT_ADD(prefix_bound, addr4_of_5_bytes_refused) {
	.list = BG_LIST_DENY, .raw_attr = BG_A_ADDR4, .raw_len = 5 };
FIXTURE_VARIANT_ADD(prefix_bound, addr6_of_15_bytes_refused) {
	.list = BG_LIST_DENY, .raw_attr = BG_A_ADDR6, .raw_len = 15 };
FIXTURE_VARIANT_ADD(prefix_bound, addr6_of_17_bytes_refused) {
	.list = BG_LIST_DENY, .raw_attr = BG_A_ADDR6, .raw_len = 17 };

TEST_F(prefix_bound, add_prefix)
{
	struct nlt *t = self->t;
	struct plist *pl = calloc(1, sizeof(*pl));
	struct nlmsghdr *nlh;
	unsigned char a[17] = { 10 };
	int err;

	ASSERT_NE(NULL, pl);
	nlh = nlt_req(t, BG_CMD_ADD_PREFIX, 0);
	if (variant->list)
		mnl_attr_put_u8(nlh, BG_A_LIST, variant->list);
	if (variant->prefix)
		nlt_put_prefix(nlh, variant->prefix);
	if (variant->second)
		nlt_put_prefix(nlh, variant->second);
	if (variant->raw_attr) {
		mnl_attr_put(nlh, variant->raw_attr, variant->raw_len, a);
		mnl_attr_put_u8(nlh, BG_A_PLEN, 8);
	}
	err = nlt_run(t, nlh, NULL, NULL);
	ASSERT_EQ(0, list_prefixes(t, 0, pl));
	if (variant->listed) {
		EXPECT_EQ(0, err) TH_LOG("%s", t->errmsg);
		EXPECT_STREQ(variant->listed, pl->text);
	} else {
		EXPECT_TRUE(rejected(err)) TH_LOG("got %d", err);
		EXPECT_STREQ("", pl->text) TH_LOG("a refused prefix was added");
	}
	free(pl);
}

TEST_F(nl, prefix_lists)
{
	struct nlt *t = self->t;
	struct plist *pl = calloc(1, sizeof(*pl));
	char p[64];
	int i;

	ASSERT_NE(NULL, pl);
	EXPECT_EQ(0, prefix_req(t, BG_CMD_ADD_PREFIX, BG_LIST_ALLOW, "10.1.2.3/8"));
	EXPECT_EQ(-EEXIST, prefix_req(t, BG_CMD_ADD_PREFIX, BG_LIST_ALLOW, "10.0.0.0/8"));
	EXPECT_EQ(0, prefix_req(t, BG_CMD_ADD_PREFIX, BG_LIST_ALLOW, "192.0.2.1"));
	EXPECT_EQ(0, prefix_req(t, BG_CMD_ADD_PREFIX, BG_LIST_DENY, "2001:db8::1/32"));
	EXPECT_EQ(0, prefix_req(t, BG_CMD_ADD_PREFIX, BG_LIST_DENY, "::/0"));
	EXPECT_EQ(0, prefix_req(t, BG_CMD_ADD_PREFIX, BG_LIST_DENY, "0.0.0.0/0"));
	EXPECT_EQ(0, prefix_req(t, BG_CMD_ADD_PREFIX, BG_LIST_DENY, "::1/128"));
	EXPECT_EQ(0, prefix_req(t, BG_CMD_ADD_PREFIX, BG_LIST_DENY, "10.9.9.9/32"));
	EXPECT_EQ(0, prefix_req(t, BG_CMD_ADD_PREFIX, BG_LIST_DENY, "2001:db8::9/128"));

	ASSERT_EQ(0, list_prefixes(t, 0, pl));
	EXPECT_STREQ("allow 10.0.0.0/8\nallow 192.0.2.1/32\n"
		     "deny 0.0.0.0/0\ndeny 10.9.9.9/32\ndeny 2001:db8::/32\n"
		     "deny 2001:db8::9/128\ndeny ::/0\ndeny ::1/128\n",
		     pl->text);
	ASSERT_EQ(0, list_prefixes(t, BG_LIST_ALLOW, pl));
	EXPECT_EQ(2, pl->n);

	EXPECT_EQ(0, prefix_req(t, BG_CMD_DEL_PREFIX, BG_LIST_DENY, "::/0"));
	EXPECT_EQ(-ENOENT, prefix_req(t, BG_CMD_DEL_PREFIX, BG_LIST_DENY, "::/0"));
	EXPECT_EQ(-ENOENT, prefix_req(t, BG_CMD_DEL_PREFIX, BG_LIST_ALLOW, "0.0.0.0/0"));
	EXPECT_EQ(0, prefix_req(t, BG_CMD_FLUSH_PREFIX, BG_LIST_DENY, NULL));
	EXPECT_TRUE(rejected(prefix_req(t, BG_CMD_FLUSH_PREFIX, 0, NULL)));
	ASSERT_EQ(0, list_prefixes(t, 0, pl));
	EXPECT_STREQ("allow 10.0.0.0/8\nallow 192.0.2.1/32\n", pl->text);

	/* 3000 entries: the table grows under them, the dump takes parts. */
	for (i = 0; i < 3000; i++) {
		snprintf(p, sizeof(p), "2001:db8:%x::/48", i);
		ASSERT_EQ(0, prefix_req(t, BG_CMD_ADD_PREFIX, BG_LIST_DENY, p))
			TH_LOG("%s: %s", p, t->errmsg);
	}
	ASSERT_EQ(0, list_prefixes(t, BG_LIST_DENY, pl));
	EXPECT_EQ(3000, pl->n);
	free(pl);
}

/* ADD_PREFIX with BG_A_TIMEOUT @timeout (seconds) of @prefix to the deny list. */
static int add_timed(struct nlt *t, const char *prefix, uint32_t timeout)
{
	struct nlmsghdr *nlh = nlt_req(t, BG_CMD_ADD_PREFIX, 0);

	mnl_attr_put_u8(nlh, BG_A_LIST, BG_LIST_DENY);
	nlt_put_prefix(nlh, prefix);
	mnl_attr_put_u32(nlh, BG_A_TIMEOUT, timeout);
	return nlt_run(t, nlh, NULL, NULL);
}

static int timeout_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nlt_attrs at;

	nlt_parse(nlh, &at);
	*(uint32_t *)data = at.tb[BG_A_TIMEOUT] ?
		mnl_attr_get_u32(at.tb[BG_A_TIMEOUT]) : 0;
	return MNL_CB_OK;
}

/* BG_A_TIMEOUT: 1..BG_LIST_TIMEOUT_MAX_S, dumped as the seconds left. */
TEST_F(nl, prefix_timeout)
{
	struct nlt *t = self->t;
	struct nlmsghdr *nlh;
	uint32_t left = 0;

	EXPECT_TRUE(rejected(add_timed(t, "10.1.0.0/16", 0)));
	EXPECT_TRUE(rejected(add_timed(t, "10.1.0.0/16",
				       BG_LIST_TIMEOUT_MAX_S + 1)));
	ASSERT_EQ(0, add_timed(t, "10.1.0.0/16", BG_LIST_TIMEOUT_MAX_S))
		TH_LOG("%s", t->errmsg);
	nlh = nlt_req(t, BG_CMD_GET_PREFIX, NLM_F_DUMP);
	ASSERT_EQ(0, nlt_run(t, nlh, timeout_cb, &left));
	EXPECT_EQ(BG_LIST_TIMEOUT_MAX_S, left);
	/* DEL takes no timeout. */
	nlh = nlt_req(t, BG_CMD_DEL_PREFIX, 0);
	mnl_attr_put_u8(nlh, BG_A_LIST, BG_LIST_DENY);
	nlt_put_prefix(nlh, "10.1.0.0/16");
	mnl_attr_put_u32(nlh, BG_A_TIMEOUT, 5);
	EXPECT_EQ(0, nlt_run(t, nlh, NULL, NULL)) TH_LOG("%s", t->errmsg);
}

static int count_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nlt_attrs at;

	nlt_parse(nlh, &at);
	if (at.tb[BG_A_COUNT])
		*(uint32_t *)data = mnl_attr_get_u32(at.tb[BG_A_COUNT]);
	return MNL_CB_OK;
}

/* IMPORT_CHUNK of @n IPv4 /32s from 10.@hi.0.0 on. */
static int import_chunk(struct nlt *t, int hi, int n)
{
	struct nlmsghdr *nlh = nlt_req(t, BG_CMD_IMPORT_CHUNK, 0);
	struct nlattr *nest, *e;
	char p[64];
	int i;

	nest = mnl_attr_nest_start(nlh, BG_A_ENTRIES);
	for (i = 0; i < n; i++) {
		e = mnl_attr_nest_start(nlh, 1);
		snprintf(p, sizeof(p), "10.%d.%d.%d", hi, i / 256, i % 256);
		nlt_put_prefix(nlh, p);
		mnl_attr_nest_end(nlh, e);
	}
	mnl_attr_nest_end(nlh, nest);
	return nlt_run(t, nlh, NULL, NULL);
}

static int import_begin(struct nlt *t, uint8_t list, int merge)
{
	struct nlmsghdr *nlh = nlt_req(t, BG_CMD_IMPORT_BEGIN, 0);

	mnl_attr_put_u8(nlh, BG_A_LIST, list);
	if (merge >= 0)
		mnl_attr_put_u8(nlh, BG_A_MERGE, (uint8_t)merge);
	return nlt_run(t, nlh, NULL, NULL);
}

/*
 * IMPORT_*: one import per netns, owned by its socket; a bad entry drops
 * it; COMMIT swaps the list and answers its size; the owner's close
 * drops an open import.
 */
TEST_F(nl, import)
{
	struct nlt *t = self->t, *other;
	struct plist *pl = calloc(1, sizeof(*pl));
	struct nlmsghdr *nlh;
	uint32_t count = 0;

	ASSERT_NE(NULL, pl);
	other = nlt_new();
	ASSERT_NE(NULL, other);
	ASSERT_EQ(0, nlt_open(other));
	ASSERT_EQ(0, prefix_req(t, BG_CMD_ADD_PREFIX, BG_LIST_DENY, "192.0.2.0/24"));

	EXPECT_EQ(-ENOENT, import_chunk(t, 1, 1));
	EXPECT_TRUE(rejected(import_begin(t, 0, -1)));
	EXPECT_TRUE(rejected(import_begin(t, BG_LIST_DENY, 2)));
	ASSERT_EQ(0, import_begin(t, BG_LIST_DENY, -1)) TH_LOG("%s", t->errmsg);
	EXPECT_EQ(-EBUSY, import_begin(t, BG_LIST_ALLOW, -1));
	EXPECT_EQ(-EBUSY, import_begin(other, BG_LIST_DENY, -1));
	EXPECT_EQ(-EBUSY, import_chunk(other, 1, 1));
	EXPECT_EQ(0, import_chunk(t, 1, BG_IMPORT_CHUNK_MAX)) TH_LOG("%s", t->errmsg);
	EXPECT_EQ(-E2BIG, import_chunk(t, 2, BG_IMPORT_CHUNK_MAX + 1));
	/* That chunk dropped the import: the list is as it was. */
	EXPECT_EQ(-ENOENT, import_chunk(t, 1, 1));
	ASSERT_EQ(0, list_prefixes(t, BG_LIST_DENY, pl));
	EXPECT_STREQ("deny 192.0.2.0/24\n", pl->text);

	/* Replace: 2 chunks (one entry twice), commit. */
	ASSERT_EQ(0, import_begin(t, BG_LIST_DENY, 0));
	EXPECT_EQ(0, import_chunk(t, 1, 1000));
	EXPECT_EQ(0, import_chunk(t, 1, 10));
	nlh = nlt_req(t, BG_CMD_IMPORT_COMMIT, 0);
	ASSERT_EQ(0, nlt_run(t, nlh, count_cb, &count)) TH_LOG("%s", t->errmsg);
	EXPECT_EQ(1000, count);
	ASSERT_EQ(0, list_prefixes(t, BG_LIST_DENY, pl));
	EXPECT_EQ(1000, pl->n);

	/* Merge keeps what is there. */
	ASSERT_EQ(0, import_begin(t, BG_LIST_DENY, 1));
	EXPECT_EQ(0, import_chunk(t, 2, 5));
	nlh = nlt_req(t, BG_CMD_IMPORT_COMMIT, 0);
	ASSERT_EQ(0, nlt_run(t, nlh, count_cb, &count));
	EXPECT_EQ(1005, count);

	/* Abort, and an owner that goes away. */
	ASSERT_EQ(0, import_begin(other, BG_LIST_ALLOW, -1));
	EXPECT_EQ(-EBUSY, nlt_run(t, nlt_req(t, BG_CMD_IMPORT_ABORT, 0), NULL, NULL));
	EXPECT_EQ(0, nlt_run(other, nlt_req(other, BG_CMD_IMPORT_ABORT, 0), NULL, NULL));
	ASSERT_EQ(0, import_begin(other, BG_LIST_ALLOW, -1));
	EXPECT_EQ(0, import_chunk(other, 3, 3));
	nlt_free(other);
	ASSERT_EQ(0, import_begin(t, BG_LIST_ALLOW, -1))
		TH_LOG("the closed socket's import is still open: %s", t->errmsg);
	EXPECT_EQ(0, nlt_run(t, nlt_req(t, BG_CMD_IMPORT_ABORT, 0), NULL, NULL));
	ASSERT_EQ(0, list_prefixes(t, BG_LIST_ALLOW, pl));
	EXPECT_EQ(0, pl->n);
	free(pl);
}

/* A REPLACE_CONFIG with @nrules rules, @nallow IPv4 and @ndeny IPv6. */
static struct nlmsghdr *replace_msg(struct nlt *t, int nrules, int nallow,
				    int ndeny)
{
	struct nlmsghdr *nlh = nlt_req(t, BG_CMD_REPLACE_CONFIG, 0);
	struct nlattr *nest, *e;
	char p[64];
	int i;

	mnl_attr_put_u32(nlh, BG_A_RATE, 7);
	mnl_attr_put_u32(nlh, BG_A_PERIOD, 60);
	nest = mnl_attr_nest_start(nlh, BG_A_RULES);
	for (i = 0; i < nrules; i++) {
		e = mnl_attr_nest_start(nlh, i + 1);
		mnl_attr_put_u16(nlh, BG_A_PORT_MIN, 100 + i);
		mnl_attr_put_u32(nlh, BG_A_BURST, 10 + i);
		mnl_attr_nest_end(nlh, e);
	}
	mnl_attr_nest_end(nlh, nest);
	nest = mnl_attr_nest_start(nlh, BG_A_ALLOW);
	for (i = 0; i < nallow; i++) {
		e = mnl_attr_nest_start(nlh, i + 1);
		snprintf(p, sizeof(p), "10.%d.%d.0/24", i / 256, i % 256);
		nlt_put_prefix(nlh, p);
		mnl_attr_nest_end(nlh, e);
	}
	mnl_attr_nest_end(nlh, nest);
	nest = mnl_attr_nest_start(nlh, BG_A_DENY);
	for (i = 0; i < ndeny; i++) {
		e = mnl_attr_nest_start(nlh, i + 1);
		snprintf(p, sizeof(p), "2001:db8:%x::/48", i);
		nlt_put_prefix(nlh, p);
		mnl_attr_nest_end(nlh, e);
	}
	mnl_attr_nest_end(nlh, nest);
	return nlh;
}

TEST_F(nl, replace_config)
{
	struct nlt *t = self->t;
	struct plist *pl = calloc(1, sizeof(*pl));
	struct nlt_reply c;
	struct rule_list l;
	struct nlmsghdr *nlh;
	struct nlattr *nest, *e;
	char *before, *after;
	uint16_t keep;

	ASSERT_NE(NULL, pl);
	ASSERT_EQ(0, add_rule(t, 100, 0, NULL));
	ASSERT_EQ(0, add_rule(t, 9999, 0, NULL));
	ASSERT_EQ(0, list_rules(t, &l));
	keep = l.id[0];
	ASSERT_EQ(0, prefix_req(t, BG_CMD_ADD_PREFIX, BG_LIST_DENY, "192.0.2.0/24"));

	/* The largest replace: 64 rules and two full lists. */
	nlh = replace_msg(t, 64, 1024, 1024);
	ASSERT_EQ(0, nlt_run(t, nlh, NULL, NULL)) TH_LOG("%s", t->errmsg);
	ASSERT_EQ(0, get_config(t, &c));
	EXPECT_EQ(7, nlt_u32(&c, BG_A_RATE));
	EXPECT_EQ(60, nlt_u32(&c, BG_A_PERIOD));
	EXPECT_EQ(64, nlt_u32(&c, BG_A_RULE_COUNT));
	EXPECT_EQ(1024, nlt_u32(&c, BG_A_ALLOW_COUNT));
	EXPECT_EQ(1024, nlt_u32(&c, BG_A_DENY_COUNT));
	ASSERT_EQ(0, list_rules(t, &l));
	ASSERT_EQ(64, l.n);
	EXPECT_EQ(100, l.min[0]);
	EXPECT_EQ(keep, l.id[0]) TH_LOG("same ports keep the rule id");
	EXPECT_EQ(7, l.rate[0]) TH_LOG("rules default to the new settings");
	EXPECT_EQ(10, l.burst[0]);
	EXPECT_EQ(163, l.min[63]);

	/* Too many entries, duplicates, a bad last entry: nothing changes. */
	before = snapshot(t);
	ASSERT_NE(NULL, before);
	nlh = replace_msg(t, 65, 0, 0);
	EXPECT_EQ(-ENOSPC, nlt_run(t, nlh, NULL, NULL));

	nlh = nlt_req(t, BG_CMD_REPLACE_CONFIG, 0);
	mnl_attr_put_u32(nlh, BG_A_BURST, 3);
	nest = mnl_attr_nest_start(nlh, BG_A_DENY);
	e = mnl_attr_nest_start(nlh, 1);
	nlt_put_prefix(nlh, "10.0.0.0/8");
	mnl_attr_nest_end(nlh, e);
	e = mnl_attr_nest_start(nlh, 2);
	nlt_put_prefix(nlh, "10.0.0.1/8");
	mnl_attr_nest_end(nlh, e);
	mnl_attr_nest_end(nlh, nest);
	EXPECT_EQ(-EEXIST, nlt_run(t, nlh, NULL, NULL));
	EXPECT_NE(0, t->erroff);

	nlh = nlt_req(t, BG_CMD_REPLACE_CONFIG, 0);
	mnl_attr_put_u32(nlh, BG_A_BURST, 3);
	nest = mnl_attr_nest_start(nlh, BG_A_RULES);
	e = mnl_attr_nest_start(nlh, 1);
	mnl_attr_put_u16(nlh, BG_A_PORT_MIN, 80);
	mnl_attr_nest_end(nlh, e);
	e = mnl_attr_nest_start(nlh, 2);
	mnl_attr_put_u16(nlh, BG_A_PORT_MIN, 81);
	mnl_attr_put_u32(nlh, BG_A_RATE, 0);		/* out of range */
	mnl_attr_nest_end(nlh, e);
	mnl_attr_nest_end(nlh, nest);
	EXPECT_TRUE(rejected(nlt_run(t, nlh, NULL, NULL)));

	nlh = nlt_req(t, BG_CMD_REPLACE_CONFIG, 0);
	nest = mnl_attr_nest_start(nlh, BG_A_RULES);
	e = mnl_attr_nest_start(nlh, 1);
	mnl_attr_put_u16(nlh, BG_A_PORT_MIN, 80);
	mnl_attr_put_u8(nlh, BG_A_LIST, 1);		/* not a rule attribute */
	mnl_attr_nest_end(nlh, e);
	mnl_attr_nest_end(nlh, nest);
	EXPECT_EQ(-EINVAL, nlt_run(t, nlh, NULL, NULL));

	nlh = nlt_req(t, BG_CMD_REPLACE_CONFIG, 0);
	nest = mnl_attr_nest_start(nlh, BG_A_RULES);
	e = mnl_attr_nest_start(nlh, 1);
	mnl_attr_put_u16(nlh, BG_A_PORT_MIN, 80);
	mnl_attr_put_u16(nlh, BG_A_RULE_ID, 5);
	mnl_attr_nest_end(nlh, e);
	e = mnl_attr_nest_start(nlh, 2);
	mnl_attr_put_u16(nlh, BG_A_PORT_MIN, 81);
	mnl_attr_put_u16(nlh, BG_A_RULE_ID, 5);
	mnl_attr_nest_end(nlh, e);
	mnl_attr_nest_end(nlh, nest);
	EXPECT_EQ(-EEXIST, nlt_run(t, nlh, NULL, NULL)) TH_LOG("duplicate ids");

	/* BG_A_KEEP_LISTS with a list: refused, the list attribute named. */
	nlh = replace_msg(t, 1, 1, 0);
	mnl_attr_put_u8(nlh, BG_A_KEEP_LISTS, 1);
	EXPECT_EQ(-EINVAL, nlt_run(t, nlh, NULL, NULL));
	EXPECT_NE(0, t->erroff);
	nlh = nlt_req(t, BG_CMD_REPLACE_CONFIG, 0);
	mnl_attr_put_u8(nlh, BG_A_KEEP_LISTS, 2);		/* 0 or 1 */
	EXPECT_TRUE(rejected(nlt_run(t, nlh, NULL, NULL)));

	after = snapshot(t);
	ASSERT_NE(NULL, after);
	EXPECT_STREQ(before, after);
	free(after);
	free(before);

	/* BG_A_KEEP_LISTS: settings and rules replaced, both lists kept. */
	nlh = nlt_req(t, BG_CMD_REPLACE_CONFIG, 0);
	mnl_attr_put_u32(nlh, BG_A_BURST, 4);
	nest = mnl_attr_nest_start(nlh, BG_A_RULES);
	e = mnl_attr_nest_start(nlh, 1);
	mnl_attr_put_u16(nlh, BG_A_PORT_MIN, 80);
	mnl_attr_nest_end(nlh, e);
	mnl_attr_nest_end(nlh, nest);
	mnl_attr_put_u8(nlh, BG_A_KEEP_LISTS, 1);
	ASSERT_EQ(0, nlt_run(t, nlh, NULL, NULL)) TH_LOG("%s", t->errmsg);
	ASSERT_EQ(0, get_config(t, &c));
	EXPECT_EQ(4, nlt_u32(&c, BG_A_BURST));
	EXPECT_EQ(1, nlt_u32(&c, BG_A_RULE_COUNT));
	EXPECT_EQ(1024, nlt_u32(&c, BG_A_ALLOW_COUNT));
	EXPECT_EQ(1024, nlt_u32(&c, BG_A_DENY_COUNT));

	/* An empty replace keeps the settings and empties the lists. */
	ASSERT_EQ(0, nlt_run(t, nlt_req(t, BG_CMD_REPLACE_CONFIG, 0), NULL, NULL));
	ASSERT_EQ(0, get_config(t, &c));
	EXPECT_EQ(7, nlt_u32(&c, BG_A_RATE));
	EXPECT_EQ(0, nlt_u32(&c, BG_A_RULE_COUNT));
	EXPECT_EQ(0, nlt_u32(&c, BG_A_ALLOW_COUNT));
	EXPECT_EQ(0, nlt_u32(&c, BG_A_DENY_COUNT));
	free(pl);
}

TEST_F(nl, stats_forget_flush)
{
	struct nlt *t = self->t;
	uint64_t v[__BG_STAT_MAX] = { 0 };
	struct nlt_reply r;
	struct nlmsghdr *nlh;

	ASSERT_EQ(0, nlt_run(t, nlt_req(t, BG_CMD_GET_STATS, 0), nlt_stats_cb, v));
	EXPECT_EQ(__BG_STAT_MAX - 2, v[0]) TH_LOG("one u64 per counter");
	EXPECT_NE(0, v[BG_STAT_MAX_SOURCES]);
	EXPECT_EQ(0, v[BG_STAT_SOURCES]);

	nlh = nlt_req(t, BG_CMD_FORGET, 0);
	nlt_put_prefix(nlh, "10.0.0.0/8");
	memset(&r, 0, sizeof(r));
	ASSERT_EQ(0, nlt_run(t, nlh, nlt_reply_cb, &r)) TH_LOG("%s", t->errmsg);
	EXPECT_EQ(BG_CMD_FORGET, r.cmd);
	EXPECT_EQ(0, nlt_u32(&r, BG_A_COUNT));
	nlh = nlt_req(t, BG_CMD_FORGET, 0);
	nlt_put_prefix(nlh, "2001:db8::/129");
	EXPECT_TRUE(rejected(nlt_run(t, nlh, NULL, NULL)));
	nlh = nlt_req(t, BG_CMD_FORGET, 0);
	EXPECT_EQ(-EINVAL, nlt_run(t, nlh, NULL, NULL));
	nlh = nlt_req(t, BG_CMD_FORGET, 0);
	mnl_attr_put_u8(nlh, BG_A_LIST, 1);
	nlt_put_prefix(nlh, "10.0.0.0/8");
	EXPECT_EQ(-EINVAL, nlt_run(t, nlh, NULL, NULL));

	memset(&r, 0, sizeof(r));
	ASSERT_EQ(0, nlt_run(t, nlt_req(t, BG_CMD_FLUSH, 0), nlt_reply_cb, &r));
	EXPECT_EQ(BG_CMD_FLUSH, r.cmd);
	EXPECT_EQ(0, nlt_u32(&r, BG_A_COUNT));
}

/*
 * forget and flush on a table that holds sources: the counts they answer
 * are the sources they removed. Traffic: SYNs crafted by tests/tools/bgsend
 * on a veth pair inside this test's netns (loopback is never tracked),
 * 3 sources in 10.0.0.0/8 and one in 192.168.0.0/16.
 */
static int send_syns(const char *srcs, int n)
{
	char cmd[8192];

	snprintf(cmd, sizeof(cmd),
		 "out=$('%s/tests/tools/bgsend' -i a0 "
		 "--dst-mac \"$(ip -br link show b0 | awk '{ print $3 }')\" "
		 "--dst 10.9.0.1 --src-seq %s -c %d) && [ \"$out\" = 'sent %d' ]",
		 nlt_repo(), srcs, n, n);
	return system(cmd);
}

TEST_F(nl, forget_flush_count_what_they_remove)
{
	struct nlt *t = self->t;
	struct nlt_reply r;
	struct nlmsghdr *nlh;
	int i;

	/* 1/hour: no bucket refills, so GC forgets nobody during the test */
	nlh = nlt_req(t, BG_CMD_SET_CONFIG, 0);
	mnl_attr_put_u32(nlh, BG_A_RATE, 1);
	mnl_attr_put_u32(nlh, BG_A_PERIOD, 3600);
	ASSERT_EQ(0, nlt_run(t, nlh, NULL, NULL)) TH_LOG("%s", t->errmsg);
	ASSERT_EQ(0, system("modprobe veth 2>/dev/null || "
			    "modprobe -d \"$BG_MODDIR\" veth"));
	ASSERT_EQ(0, system("ip link add a0 type veth peer name b0 && "
			    "ip addr add 10.9.0.1/24 dev b0 && "
			    "ip link set a0 up && ip link set b0 up"));
	ASSERT_EQ(0, send_syns("10.0.0.1/32", 1)) TH_LOG("bgsend failed");
	ASSERT_EQ(0, send_syns("10.1.0.1/30", 2));
	ASSERT_EQ(0, send_syns("192.168.0.1/32", 1));
	for (i = 0; i < 100 && nlt_stat(t, BG_STAT_SOURCES) != 4; i++)
		usleep(50000);
	ASSERT_EQ(4, nlt_stat(t, BG_STAT_SOURCES));

	nlh = nlt_req(t, BG_CMD_FORGET, 0);
	nlt_put_prefix(nlh, "10.0.0.0/8");
	memset(&r, 0, sizeof(r));
	ASSERT_EQ(0, nlt_run(t, nlh, nlt_reply_cb, &r)) TH_LOG("%s", t->errmsg);
	EXPECT_EQ(3, nlt_u32(&r, BG_A_COUNT));
	EXPECT_EQ(1, nlt_stat(t, BG_STAT_SOURCES));

	nlh = nlt_req(t, BG_CMD_FORGET, 0);
	nlt_put_prefix(nlh, "10.0.0.0/8");
	memset(&r, 0, sizeof(r));
	ASSERT_EQ(0, nlt_run(t, nlh, nlt_reply_cb, &r));
	EXPECT_EQ(0, nlt_u32(&r, BG_A_COUNT)) TH_LOG("forgot them twice");

	memset(&r, 0, sizeof(r));
	ASSERT_EQ(0, nlt_run(t, nlt_req(t, BG_CMD_FLUSH, 0), nlt_reply_cb, &r));
	EXPECT_EQ(1, nlt_u32(&r, BG_A_COUNT));
	EXPECT_EQ(0, nlt_stat(t, BG_STAT_SOURCES));
}

TEST_F(nl, unknown_attributes_and_commands)
{
	struct nlt *t = self->t;
	struct nlmsghdr *nlh;
	char *before, *after;

	before = snapshot(t);
	ASSERT_NE(NULL, before);
	nlh = nlt_req(t, BG_CMD_SET_CONFIG, 0);
	mnl_attr_put_u32(nlh, BG_A_BURST, 5);
	mnl_attr_put_u32(nlh, BG_A_MAX + 1, 1);
	EXPECT_EQ(-EINVAL, nlt_run(t, nlh, NULL, NULL));
	EXPECT_NE(0, t->errmsg[0]);

	nlh = nlt_req(t, BG_CMD_SET_CONFIG, 0);
	mnl_attr_put_u32(nlh, BG_A_BURST, 5);
	mnl_attr_put_u32(nlh, 0xfff, 1);
	EXPECT_EQ(-EINVAL, nlt_run(t, nlh, NULL, NULL));

	/* Known attributes a command does not take. */
	nlh = nlt_req(t, BG_CMD_SET_CONFIG, 0);
	mnl_attr_put_u32(nlh, BG_A_BURST, 5);
	mnl_attr_put_u16(nlh, BG_A_PORT_MIN, 22);
	EXPECT_EQ(-EINVAL, nlt_run(t, nlh, NULL, NULL));
	nlh = nlt_req(t, BG_CMD_SET_CONFIG, 0);
	mnl_attr_put_u32(nlh, BG_A_COUNT, 5);
	EXPECT_EQ(-EINVAL, nlt_run(t, nlh, NULL, NULL));
	nlh = nlt_req(t, BG_CMD_SET_CONFIG, 0);
	mnl_attr_put_u32(nlh, BG_A_UNSPEC, 5);
	EXPECT_EQ(-EINVAL, nlt_run(t, nlh, NULL, NULL));
	nlh = nlt_req(t, BG_CMD_GET_CONFIG, 0);
	mnl_attr_put_u32(nlh, BG_A_RATE, 5);
	EXPECT_EQ(-EINVAL, nlt_run(t, nlh, NULL, NULL));
	nlh = nlt_req(t, BG_CMD_GET_SOURCE, NLM_F_DUMP);
	mnl_attr_put_u32(nlh, BG_A_RATE, 5);
	EXPECT_EQ(-EINVAL, nlt_run(t, nlh, NULL, NULL));
	nlh = nlt_req(t, BG_CMD_GET_RULE, NLM_F_DUMP);
	mnl_attr_put_u8(nlh, BG_A_LIST, 1);
	EXPECT_EQ(-EINVAL, nlt_run(t, nlh, NULL, NULL));
	nlh = nlt_req(t, BG_CMD_FLUSH, 0);
	mnl_attr_put_u8(nlh, BG_A_LIST, 1);
	EXPECT_EQ(-EINVAL, nlt_run(t, nlh, NULL, NULL));
	nlh = nlt_req(t, BG_CMD_GET_STATS, 0);
	mnl_attr_put_u8(nlh, BG_A_MODE, 1);
	EXPECT_EQ(-EINVAL, nlt_run(t, nlh, NULL, NULL));

	/* Commands that do not exist, or not in that form. */
	EXPECT_EQ(-EOPNOTSUPP, nlt_run(t, nlt_req(t, BG_CMD_UNSPEC, 0), NULL, NULL));
	EXPECT_EQ(-EOPNOTSUPP, nlt_run(t, nlt_req(t, BG_CMD_EVENT, 0), NULL, NULL));
	EXPECT_EQ(-EOPNOTSUPP, nlt_run(t, nlt_req(t, 200, 0), NULL, NULL));
	EXPECT_EQ(-EOPNOTSUPP,
		  nlt_run(t, nlt_req(t, BG_CMD_GET_SOURCE, 0), NULL, NULL));
	EXPECT_EQ(-EOPNOTSUPP,
		  nlt_run(t, nlt_req(t, BG_CMD_SET_CONFIG, NLM_F_DUMP), NULL, NULL));

	after = snapshot(t);
	ASSERT_NE(NULL, after);
	EXPECT_STREQ(before, after);
	free(after);
	free(before);
}

TEST_F(nl, malformed_and_truncated)
{
	struct timeval tv = { .tv_sec = 1 };	/* for the unanswered one */
	struct nlt *t = self->t;
	struct nlmsghdr *nlh;
	struct nlattr *a;
	char *before, *after;
	uint32_t seq;
	int err;

	before = snapshot(t);
	ASSERT_NE(NULL, before);

	/* Wrong payload sizes for integer attributes. */
	nlh = nlt_req(t, BG_CMD_SET_CONFIG, 0);
	mnl_attr_put_u16(nlh, BG_A_BURST, 5);
	EXPECT_TRUE(rejected(nlt_run(t, nlh, NULL, NULL)));
	nlh = nlt_req(t, BG_CMD_SET_CONFIG, 0);
	mnl_attr_put_u64(nlh, BG_A_BURST, 5);
	EXPECT_TRUE(rejected(nlt_run(t, nlh, NULL, NULL)));
	nlh = nlt_req(t, BG_CMD_SET_CONFIG, 0);
	mnl_attr_put(nlh, BG_A_MODE, 0, NULL);
	EXPECT_TRUE(rejected(nlt_run(t, nlh, NULL, NULL)));

	/* An attribute longer than the message. */
	nlh = nlt_req(t, BG_CMD_SET_CONFIG, 0);
	a = mnl_nlmsg_get_payload_tail(nlh);
	mnl_attr_put_u32(nlh, BG_A_BURST, 5);
	a->nla_len = 64;
	EXPECT_EQ(-EINVAL, nlt_run(t, nlh, NULL, NULL));

	/* An attribute header shorter than itself. */
	nlh = nlt_req(t, BG_CMD_SET_CONFIG, 0);
	a = mnl_nlmsg_get_payload_tail(nlh);
	mnl_attr_put_u32(nlh, BG_A_BURST, 5);
	a->nla_len = 2;
	EXPECT_EQ(-EINVAL, nlt_run(t, nlh, NULL, NULL));

	/* Bytes after the last attribute. */
	nlh = nlt_req(t, BG_CMD_SET_CONFIG, 0);
	mnl_attr_put_u32(nlh, BG_A_BURST, 5);
	memset((char *)nlh + nlh->nlmsg_len, 0, 4);
	nlh->nlmsg_len += 2;
	EXPECT_EQ(-EINVAL, nlt_run(t, nlh, NULL, NULL));

	/* The last attribute cut short: the message ends inside it. */
	nlh = nlt_req(t, BG_CMD_SET_CONFIG, 0);
	mnl_attr_put_u32(nlh, BG_A_RATE, 5);
	mnl_attr_put_u32(nlh, BG_A_BURST, 5);
	nlh->nlmsg_len -= 2;
	EXPECT_EQ(-EINVAL, nlt_run(t, nlh, NULL, NULL));

	/* A nested array whose entry is not a nest. */
	nlh = nlt_req(t, BG_CMD_REPLACE_CONFIG, 0);
	a = mnl_attr_nest_start(nlh, BG_A_ALLOW);
	mnl_attr_put_u16(nlh, 1, 7);
	mnl_attr_nest_end(nlh, a);
	EXPECT_TRUE(rejected(nlt_run(t, nlh, NULL, NULL)));

	/* A nest that is not one. */
	nlh = nlt_req(t, BG_CMD_REPLACE_CONFIG, 0);
	mnl_attr_put_u8(nlh, BG_A_RULES, 1);
	EXPECT_TRUE(rejected(nlt_run(t, nlh, NULL, NULL)));

	/* A message without a complete generic netlink header. */
	nlh = nlt_req(t, BG_CMD_GET_CONFIG, 0);
	nlh->nlmsg_len = mnl_nlmsg_size(2);
	EXPECT_EQ(-EINVAL, nlt_run(t, nlh, NULL, NULL));

	/* A message that claims more bytes than were sent: dropped. */
	nlh = nlt_req(t, BG_CMD_GET_CONFIG, 0);
	seq = nlh->nlmsg_seq;
	nlh->nlmsg_len += 64;
	setsockopt(mnl_socket_get_fd(t->sock), SOL_SOCKET, SO_RCVTIMEO, &tv,
		   sizeof(tv));
	err = nlt_xfer(t, nlh, nlh->nlmsg_len - 64, seq, NULL, NULL);
	EXPECT_TRUE(err == -EAGAIN || err == -EINVAL) TH_LOG("got %d", err);
	tv.tv_sec = 20;
	setsockopt(mnl_socket_get_fd(t->sock), SOL_SOCKET, SO_RCVTIMEO, &tv,
		   sizeof(tv));

	/* A wrong version or reserved bits are accepted or refused, never crash. */
	nlh = nlt_req(t, BG_CMD_GET_CONFIG, 0);
	((struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->reserved = 1;
	err = nlt_run(t, nlh, NULL, NULL);
	EXPECT_EQ(-EINVAL, err) TH_LOG("reserved bits must be zero");
	/* The same for each dump (refused by the genl core since 6.1, by
	 * the module's .start before), and for a flag a request cannot carry. */
	nlh = nlt_req(t, BG_CMD_GET_RULE, NLM_F_DUMP);
	((struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->reserved = 1;
	EXPECT_EQ(-EINVAL, nlt_run(t, nlh, NULL, NULL)) TH_LOG("rule dump");
	nlh = nlt_req(t, BG_CMD_GET_PREFIX, NLM_F_DUMP);
	((struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->reserved = 1;
	EXPECT_EQ(-EINVAL, nlt_run(t, nlh, NULL, NULL)) TH_LOG("prefix dump");
	nlh = nlt_req(t, BG_CMD_GET_SOURCE, NLM_F_DUMP);
	((struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->reserved = 1;
	EXPECT_EQ(-EINVAL, nlt_run(t, nlh, NULL, NULL)) TH_LOG("source dump");
	nlh = nlt_req(t, BG_CMD_GET_CONFIG, 0);
	nlh->nlmsg_flags |= NLM_F_REPLACE;
	EXPECT_EQ(-EINVAL, nlt_run(t, nlh, NULL, NULL)) TH_LOG("NLM_F_REPLACE");

	/* The socket still works, and nothing changed. */
	after = snapshot(t);
	ASSERT_NE(NULL, after);
	EXPECT_STREQ(before, after);
	free(after);
	free(before);
}

TEST_F(nl, events_group)
{
	unsigned int grp = self->t->group;

	ASSERT_NE(0, grp);
	EXPECT_EQ(0, mnl_socket_setsockopt(self->t->sock, NETLINK_ADD_MEMBERSHIP,
					   &grp, sizeof(grp)));
}

TEST_HARNESS_MAIN
