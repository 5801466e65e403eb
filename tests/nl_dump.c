// SPDX-License-Identifier: GPL-2.0
/*
 * The source dump at scale: 200,000 tracked sources come back complete,
 * each exactly once, across many messages; a dump during which the table
 * changes is flagged NLM_F_DUMP_INTR. Sources are made by crafted SYNs
 * (tests/tools/bgsend) over a veth pair inside the test's own netns.
 */
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wclobbered"
#include "bg_harness.h"
#include "nl_util.h"

#include <net/if.h>
#include <sys/ioctl.h>

#define NSOURCES 200000

FIXTURE(dump) {
	struct nlt *t;
	char mac[32];
};

static int set_u32(struct nlt *t, uint16_t attr, uint32_t v)
{
	struct nlmsghdr *nlh = nlt_req(t, BG_CMD_SET_CONFIG, 0);

	mnl_attr_put_u32(nlh, attr, v);
	return nlt_run(t, nlh, NULL, NULL);
}

FIXTURE_SETUP(dump)
{
	struct ifreq ifr = { .ifr_name = "s0" };
	unsigned char *m;
	int fd;

	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, system("modprobe veth 2>/dev/null || "
			    "modprobe -d \"$BG_MODDIR\" veth"));
	ASSERT_EQ(0, system("ip link set lo up && "
			    "ip link add s0 type veth peer name c0 && "
			    "ip addr add 10.0.0.1/8 dev s0 && "
			    "ip link set s0 up && ip link set c0 up"));
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ioctl(fd, SIOCGIFHWADDR, &ifr));
	close(fd);
	m = (unsigned char *)ifr.ifr_hwaddr.sa_data;
	snprintf(self->mac, sizeof(self->mac), "%02x:%02x:%02x:%02x:%02x:%02x",
		 m[0], m[1], m[2], m[3], m[4], m[5]);
	self->t = nlt_new();
	ASSERT_NE(NULL, self->t);
	ASSERT_EQ(0, nlt_open(self->t));
	/* Room for every source; no bucket refills (nothing expires). */
	ASSERT_EQ(0, set_u32(self->t, BG_A_MAX_SOURCES, 1 << 20));
	ASSERT_EQ(0, set_u32(self->t, BG_A_PERIOD, 3600));
	ASSERT_EQ(0, set_u32(self->t, BG_A_RATE, 1));
}

FIXTURE_TEARDOWN(dump)
{
	nlt_free(self->t);
}

/* @n SYNs from 10.64.0.0 + i; waits until the module decided them all. */
static int make_sources(struct nlt *t, const char *mac, unsigned int n)
{
	char cmd[8192];
	int i;

	snprintf(cmd, sizeof(cmd),
		 "out=$('%s/tests/tools/bgsend' -i c0 --dst 10.0.0.1 --dst-mac %s "
		 "--src-seq 10.64.0.0/10 --dport 80 -c %u) && [ \"$out\" = 'sent %u' ]",
		 nlt_repo(), mac, n, n);
	if (system(cmd))
		return -1;
	/*
	 * Wait on the verdicts, not ATTEMPTS: the hook counts an attempt
	 * before it inserts the source and counts the verdict (here allowed
	 * or dropped) after, so only they say the last insert is done and
	 * SOURCES is final.
	 */
	for (i = 0; i < 600; i++) {
		if (nlt_stat(t, BG_STAT_ALLOWED) +
		    nlt_stat(t, BG_STAT_DROPPED) >= n)
			return 0;
		usleep(100000);
	}
	return -1;
}

struct seen {
	uint32_t *addr;
	unsigned int n, bad;
	struct nlt *other;	/* flush through it after the first message */
	uint32_t resize_to;	/* instead: set max_sources to this */
};

static int source_cb(const struct nlmsghdr *nlh, void *data)
{
	struct seen *s = data;
	struct nlt_attrs at;
	uint32_t a;

	nlt_parse(nlh, &at);
	if (!at.tb[BG_A_ADDR4] || !at.tb[BG_A_PLEN] || !at.tb[BG_A_RULE_ID] ||
	    !at.tb[BG_A_STATE] || !at.tb[BG_A_ATTEMPTS] ||
	    !at.tb[BG_A_IDLE_NS] || mnl_attr_get_u8(at.tb[BG_A_PLEN]) != 32 ||
	    mnl_attr_get_u16(at.tb[BG_A_RULE_ID]) != 0 ||
	    mnl_attr_get_u32(at.tb[BG_A_ATTEMPTS]) != 1) {
		s->bad++;
		return MNL_CB_OK;
	}
	memcpy(&a, mnl_attr_get_payload(at.tb[BG_A_ADDR4]), 4);
	if (s->n < NSOURCES + 1000)
		s->addr[s->n] = ntohl(a);
	s->n++;
	if (s->other) {
		if (s->resize_to)
			set_u32(s->other, BG_A_MAX_SOURCES, s->resize_to);
		else
			nlt_run(s->other, nlt_req(s->other, BG_CMD_FLUSH, 0),
				NULL, NULL);
		s->other = NULL;
	}
	return MNL_CB_OK;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

TEST_F_TIMEOUT(dump, complete_200k_without_duplicates, 600)
{
	struct seen s = { .addr = calloc(NSOURCES + 1000, sizeof(uint32_t)) };
	struct nlt *t = self->t, *t2 = nlt_new();
	unsigned int i, dups = 0, outside = 0;

	ASSERT_NE(NULL, s.addr);
	ASSERT_EQ(0, make_sources(t, self->mac, NSOURCES))
		TH_LOG("attempts counted: %llu allowed %llu",
		       (unsigned long long)nlt_stat(t, BG_STAT_ATTEMPTS),
		       (unsigned long long)nlt_stat(t, BG_STAT_ALLOWED));
	ASSERT_EQ(NSOURCES, nlt_stat(t, BG_STAT_SOURCES))
		TH_LOG("table_full %llu evicted %llu",
		       (unsigned long long)nlt_stat(t, BG_STAT_TABLE_FULL),
		       (unsigned long long)nlt_stat(t, BG_STAT_EVICTED));

	ASSERT_EQ(0, nlt_run(t, nlt_req(t, BG_CMD_GET_SOURCE, NLM_F_DUMP),
			     source_cb, &s)) TH_LOG("%s", t->errmsg);
	EXPECT_FALSE(t->intr) TH_LOG("nothing changed: the dump is whole");
	EXPECT_EQ(0, s.bad);
	ASSERT_EQ(NSOURCES, s.n);
	qsort(s.addr, s.n, sizeof(*s.addr), cmp_u32);
	for (i = 0; i < s.n; i++) {
		if (i && s.addr[i] == s.addr[i - 1])
			dups++;
		if (s.addr[i] < 0x0a400000 || s.addr[i] >= 0x0a400000 + NSOURCES)
			outside++;
	}
	EXPECT_EQ(0, dups);
	EXPECT_EQ(0, outside);

	/* The table changes during the next dump: it must say so. */
	ASSERT_NE(NULL, t2);
	ASSERT_EQ(0, nlt_open(t2));
	s.n = 0;
	s.bad = 0;
	s.other = t2;
	ASSERT_EQ(0, nlt_run(t, nlt_req(t, BG_CMD_GET_SOURCE, NLM_F_DUMP),
			     source_cb, &s));
	EXPECT_TRUE(t->intr) TH_LOG("a flush during the dump went unflagged");
	EXPECT_LT(s.n, NSOURCES);
	EXPECT_EQ(0, nlt_stat(t, BG_STAT_SOURCES));

	/* Empty table: an empty, uninterrupted dump. */
	s.n = 0;
	s.other = NULL;
	ASSERT_EQ(0, nlt_run(t, nlt_req(t, BG_CMD_GET_SOURCE, NLM_F_DUMP),
			     source_cb, &s));
	EXPECT_EQ(0, s.n);
	EXPECT_FALSE(t->intr);
	free(s.addr);
	nlt_free(t2);
}

/*
 * A dump that spans a resize is flagged NLM_F_DUMP_INTR (issue 11, item
 * 5), even though no source was added or removed, and the resize kept
 * every source: a dump after it is whole and complete.
 */
TEST_F(dump, resize_during_dump_is_flagged)
{
	struct seen s = { .addr = calloc(NSOURCES + 1000, sizeof(uint32_t)) };
	struct nlt *t = self->t, *t2 = nlt_new();

	ASSERT_NE(NULL, s.addr);
	ASSERT_NE(NULL, t2);
	ASSERT_EQ(0, nlt_open(t2));
	ASSERT_EQ(0, make_sources(t, self->mac, 5000));
	ASSERT_EQ(5000, nlt_stat(t, BG_STAT_SOURCES));
	s.other = t2;
	s.resize_to = 1 << 16;
	ASSERT_EQ(0, nlt_run(t, nlt_req(t, BG_CMD_GET_SOURCE, NLM_F_DUMP),
			     source_cb, &s));
	EXPECT_TRUE(t->intr) TH_LOG("a resize during the dump went unflagged");
	EXPECT_EQ(1 << 16, nlt_stat(t, BG_STAT_MAX_SOURCES));
	EXPECT_EQ(5000, nlt_stat(t, BG_STAT_SOURCES));
	s.n = 0;
	s.bad = 0;
	ASSERT_EQ(0, nlt_run(t, nlt_req(t, BG_CMD_GET_SOURCE, NLM_F_DUMP),
			     source_cb, &s));
	EXPECT_FALSE(t->intr);
	EXPECT_EQ(0, s.bad);
	EXPECT_EQ(5000, s.n);
	free(s.addr);
	nlt_free(t2);
}

/* FORGET @prefix: the count the reply gives, or -1 if the request failed. */
static int64_t forget(struct nlt *t, const char *prefix)
{
	struct nlmsghdr *nlh = nlt_req(t, BG_CMD_FORGET, 0);
	struct nlt_reply r;

	nlt_put_prefix(nlh, prefix);
	memset(&r, 0, sizeof(r));
	if (nlt_run(t, nlh, nlt_reply_cb, &r))
		return -1;
	return nlt_u32(&r, BG_A_COUNT);
}

TEST_F(dump, forget_and_flush_count_and_clear_state)
{
	struct nlt *t = self->t;
	struct nlt_reply r;

	/* 300 sources: 10.64.0.0 .. 10.64.1.43 */
	ASSERT_EQ(0, make_sources(t, self->mac, 300));
	ASSERT_EQ(300, nlt_stat(t, BG_STAT_SOURCES));
	ASSERT_EQ(44, forget(t, "10.64.1.0/24"));
	ASSERT_EQ(1, forget(t, "10.64.0.7"));
	EXPECT_EQ(255, nlt_stat(t, BG_STAT_SOURCES));
	memset(&r, 0, sizeof(r));
	ASSERT_EQ(0, nlt_run(t, nlt_req(t, BG_CMD_FLUSH, 0), nlt_reply_cb, &r));
	EXPECT_EQ(255, nlt_u32(&r, BG_A_COUNT));
	EXPECT_EQ(0, nlt_stat(t, BG_STAT_SOURCES));
}

/* Sources keyed by /24: forgetting one address frees the /24 holding it. */
TEST_F(dump, forget_one_address_of_a_wider_source)
{
	struct nlt *t = self->t;
	struct nlmsghdr *nlh;

	nlh = nlt_req(t, BG_CMD_SET_CONFIG, 0);
	mnl_attr_put_u8(nlh, BG_A_PREFIX4, 24);
	ASSERT_EQ(0, nlt_run(t, nlh, NULL, NULL)) TH_LOG("%s", t->errmsg);
	/* 10.64.0.0/24 (256 attempts) and 10.64.1.0/24 (44) */
	ASSERT_EQ(0, make_sources(t, self->mac, 300));
	ASSERT_EQ(2, nlt_stat(t, BG_STAT_SOURCES));
	ASSERT_EQ(1, forget(t, "10.64.1.7"));
	EXPECT_EQ(1, nlt_stat(t, BG_STAT_SOURCES));
	/* Not overlapping 10.64.0.0/24: nothing. */
	ASSERT_EQ(0, forget(t, "10.65.0.0/16"));
	/* A wider prefix holds it: removed too. */
	ASSERT_EQ(1, forget(t, "10.0.0.0/8"));
	EXPECT_EQ(0, nlt_stat(t, BG_STAT_SOURCES));
}

TEST_HARNESS_MAIN
