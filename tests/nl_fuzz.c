// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink fuzzing of the burstguard family: random and mutated messages,
 * each followed by a valid request (the "ping") on the same socket.
 *
 * Messages (one kind chosen at random each time):
 *   random     a header of our family, any command, version, reserved
 *              byte and flags (DUMP, ACK, ...), then random bytes
 *   attrs      a command with random attributes: any type (unknown ones,
 *              NLA_F_NESTED and NLA_F_NET_BYTEORDER bits), any length,
 *              extreme values (0, 1, bounds and bounds +/- 1, all ones),
 *              nests of random depth
 *   mutated    a valid request of a random command (rules, prefixes,
 *              REPLACE_CONFIG with lists), then 1 to 3 mutations: a byte
 *              changed, an nla_len changed, the message truncated, junk
 *              appended, the header's length changed
 *   batch      two of the above in one sendto()
 *
 * Pass criteria, for every message:
 *   - the ping is answered (the module and the socket are alive);
 *   - every reply is well formed: NLMSG_ERROR with 0 or one of the errnos
 *     of the protocol, NLMSG_DONE, or a reply of our family whose command
 *     is a reply command and whose attributes parse with the right sizes;
 *   - a message that got only error replies left the configuration
 *     (/proc/net/burstguard/config: settings, rules, lists) byte for byte
 *     as it was: nothing half-applied. (Unless the bytes sent also held a
 *     request without NLM_F_ACK, which succeeds silently: a batch, or a
 *     header whose length was cut so that the rest parses as a message.)
 * At the end the module is still loaded and answers a new socket.
 *
 * Count: BG_FUZZ_N, else 100000 with BG_HEAVY=1, else 10000. Seed:
 * BG_FUZZ_SEED, else the time; it is printed, so a failure can be replayed.
 * A second case, fixed_corpus, runs 1000 messages from each of three fixed
 * seeds: the same messages in every run.
 * Runs in a network namespace of its own.
 */
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wclobbered"
#include "bg_harness.h"
#include "nl_util.h"

#include <fcntl.h>
#include <time.h>

#define PROC_CONFIG "/proc/net/burstguard/config"
#define CFG_SIZE (256 * 1024)

/* Short names for nl_util.h's reproducible random stream. */
#define rnd nlt_rnd
#define below nlt_below

static bool chance(unsigned int percent)
{
	return below(100) < percent;
}

static const uint32_t u32_extremes[] = {
	0, 1, 2, 59, 60, 61, 3599, 3600, 3601, 65535, 65536,
	10000000 - 1, 10000000, 10000000 + 1,		/* BG_RATE_MAX */
	1000000 - 1, 1000000, 1000000 + 1,		/* BG_BURST_MAX */
	604800 - 1, 604800, 604800 + 1,			/* BG_BAN_MAX_S */
	(1U << 24) - 1, 1U << 24, (1U << 24) + 1,	/* max sources */
	0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff,
};
static const uint16_t u16_extremes[] = { 0, 1, 2, 22, 80, 443, 1023, 1024, 32768, 65534, 65535 };
static const uint8_t u8_extremes[] = { 0, 1, 2, 3, 4, 31, 32, 33, 63, 64, 65, 127, 128, 129, 255 };

static uint32_t any_u32(void)
{
	if (chance(60))
		return u32_extremes[below(ARRAY_SIZE(u32_extremes))];
	if (chance(50))
		return below(100) + 1;
	return rnd();
}

static uint16_t any_u16(void)
{
	return chance(60) ? u16_extremes[below(ARRAY_SIZE(u16_extremes))] :
			    (uint16_t)rnd();
}

static uint8_t any_u8(void)
{
	return chance(60) ? u8_extremes[below(ARRAY_SIZE(u8_extremes))] :
			    (uint8_t)rnd();
}

static void fill_random(void *p, size_t n)
{
	uint8_t *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		b[i] = (uint8_t)rnd();
}

/* The type an attribute should have, for payloads that are "almost right". */
static void put_typed(struct nlmsghdr *nlh, uint16_t type)
{
	unsigned char addr[16];

	switch (type & NLA_TYPE_MASK) {
	case BG_A_RATE: case BG_A_PERIOD: case BG_A_BURST: case BG_A_BAN:
	case BG_A_MAX_SOURCES: case BG_A_COUNT: case BG_A_TOTAL_RATE:
	case BG_A_TOTAL_PERIOD: case BG_A_TOTAL_BURST: case BG_A_BAN_MAX:
	case BG_A_STRIKES_FORGET: case BG_A_STRIKES: case BG_A_TIMEOUT:
		mnl_attr_put_u32(nlh, type, any_u32());
		break;
	case BG_A_RULE_ID: case BG_A_PORT_MIN: case BG_A_PORT_MAX:
		mnl_attr_put_u16(nlh, type, any_u16());
		break;
	case BG_A_MODE: case BG_A_PREFIX4: case BG_A_PREFIX6: case BG_A_LIST:
	case BG_A_PLEN: case BG_A_STATE: case BG_A_EVENT: case BG_A_MERGE:
	case BG_A_KEEP_LISTS:
		mnl_attr_put_u8(nlh, type, any_u8());
		break;
	case BG_A_ADDR4:
		fill_random(addr, 4);
		mnl_attr_put(nlh, type, 4, addr);
		break;
	case BG_A_ADDR6:
		fill_random(addr, 16);
		mnl_attr_put(nlh, type, 16, addr);
		break;
	default:
		mnl_attr_put_u64(nlh, type, ((uint64_t)any_u32() << 32) | any_u32());
	}
}

/* Random attributes, @depth levels of nests at most. */
static void put_attrs(struct nlmsghdr *nlh, int depth, size_t room)
{
	unsigned int n = below(8), i;

	for (i = 0; i < n && nlh->nlmsg_len + 256 < room; i++) {
		uint16_t type = (uint16_t)below(BG_A_MAX + 4);
		unsigned char junk[72];
		size_t len;

		if (chance(5))
			type = (uint16_t)rnd() & NLA_TYPE_MASK;
		if (chance(5))
			type |= chance(50) ? NLA_F_NESTED : NLA_F_NET_BYTEORDER;
		if (depth > 0 && (chance(25) || (type & NLA_TYPE_MASK) == BG_A_RULES ||
				  (type & NLA_TYPE_MASK) == BG_A_ALLOW ||
				  (type & NLA_TYPE_MASK) == BG_A_DENY)) {
			struct nlattr *nest = mnl_attr_nest_start(nlh, type);

			put_attrs(nlh, depth - 1, room);
			mnl_attr_nest_end(nlh, nest);
		} else if (chance(60)) {
			put_typed(nlh, type);
		} else {
			static const size_t lens[] = { 0, 1, 2, 3, 4, 5, 8, 16, 17 };

			len = chance(80) ? lens[below(ARRAY_SIZE(lens))] : below(sizeof(junk));
			fill_random(junk, len);
			mnl_attr_put(nlh, type, len, junk);
		}
	}
}

static void put_prefix(struct nlmsghdr *nlh)
{
	unsigned char a[16];

	fill_random(a, 16);
	if (chance(50)) {
		mnl_attr_put(nlh, BG_A_ADDR4, 4, a);
		mnl_attr_put_u8(nlh, BG_A_PLEN, (uint8_t)below(33));
	} else {
		mnl_attr_put(nlh, BG_A_ADDR6, 16, a);
		mnl_attr_put_u8(nlh, BG_A_PLEN, (uint8_t)below(129));
	}
}

static void put_limit(struct nlmsghdr *nlh)
{
	static const uint32_t periods[] = { 1, 60, 3600 };

	if (chance(50))
		mnl_attr_put_u32(nlh, BG_A_RATE, below(1000) + 1);
	if (chance(50))
		mnl_attr_put_u32(nlh, BG_A_PERIOD, periods[below(3)]);
	if (chance(50))
		mnl_attr_put_u32(nlh, BG_A_BURST, below(1000) + 1);
	if (chance(30))
		mnl_attr_put_u32(nlh, BG_A_BAN, below(3600));
	if (chance(30))
		mnl_attr_put_u8(nlh, BG_A_MODE, (uint8_t)below(BG_MODE_MAX + 1));
}

static void put_ports(struct nlmsghdr *nlh)
{
	uint16_t lo = (uint16_t)(below(2000) + 1);

	mnl_attr_put_u16(nlh, BG_A_PORT_MIN, lo);
	if (chance(50))
		mnl_attr_put_u16(nlh, BG_A_PORT_MAX, (uint16_t)(lo + below(10)));
}

/* A list entry's timeout: mostly short, sometimes the bounds. */
static void put_timeout(struct nlmsghdr *nlh)
{
	static const uint32_t edge[] = { 1, 2, BG_LIST_TIMEOUT_MAX_S };

	mnl_attr_put_u32(nlh, BG_A_TIMEOUT, chance(80) ? below(5) + 1 :
			 edge[below(ARRAY_SIZE(edge))]);
}

/* A valid request (mostly: values are random within the documented ranges). */
static struct nlmsghdr *valid_msg(struct nlt *t)
{
	static const uint8_t cmds[] = {
		BG_CMD_GET_CONFIG, BG_CMD_SET_CONFIG, BG_CMD_REPLACE_CONFIG,
		BG_CMD_ADD_RULE, BG_CMD_DEL_RULE, BG_CMD_GET_RULE,
		BG_CMD_ADD_PREFIX, BG_CMD_DEL_PREFIX, BG_CMD_GET_PREFIX,
		BG_CMD_FLUSH_PREFIX, BG_CMD_GET_SOURCE, BG_CMD_FORGET,
		BG_CMD_FLUSH, BG_CMD_GET_STATS, BG_CMD_IMPORT_BEGIN,
		BG_CMD_IMPORT_CHUNK, BG_CMD_IMPORT_COMMIT, BG_CMD_IMPORT_ABORT,
	};
	uint8_t cmd = cmds[below(ARRAY_SIZE(cmds))];
	bool dump = cmd == BG_CMD_GET_RULE || cmd == BG_CMD_GET_PREFIX ||
		    cmd == BG_CMD_GET_SOURCE;
	struct nlmsghdr *nlh = nlt_req(t, cmd, dump ? NLM_F_DUMP : 0);
	struct nlattr *list, *e;
	unsigned int i, n;

	switch (cmd) {
	case BG_CMD_SET_CONFIG:
		put_limit(nlh);
		if (chance(30))
			mnl_attr_put_u8(nlh, BG_A_PREFIX4, (uint8_t)below(33));
		if (chance(30))
			mnl_attr_put_u8(nlh, BG_A_PREFIX6, (uint8_t)below(129));
		if (chance(20))	/* small: a resize, not a 64 MB table */
			mnl_attr_put_u32(nlh, BG_A_MAX_SOURCES, below(100000) + 1);
		break;
	case BG_CMD_REPLACE_CONFIG:
		put_limit(nlh);
		if (chance(70)) {
			list = mnl_attr_nest_start(nlh, BG_A_RULES);
			for (i = 0, n = below(10); i < n; i++) {
				e = mnl_attr_nest_start(nlh, 1);
				put_ports(nlh);
				put_limit(nlh);
				if (chance(20))
					mnl_attr_put_u16(nlh, BG_A_RULE_ID, (uint16_t)(below(20) + 1));
				mnl_attr_nest_end(nlh, e);
			}
			mnl_attr_nest_end(nlh, list);
		}
		for (i = 0; i < 2; i++) {
			unsigned int j;

			if (chance(40))
				continue;
			list = mnl_attr_nest_start(nlh, i ? BG_A_DENY : BG_A_ALLOW);
			for (j = 0, n = below(10); j < n; j++) {
				e = mnl_attr_nest_start(nlh, 1);
				put_prefix(nlh);
				if (chance(30))
					put_timeout(nlh);
				mnl_attr_nest_end(nlh, e);
			}
			mnl_attr_nest_end(nlh, list);
		}
		break;
	case BG_CMD_ADD_RULE:
		put_ports(nlh);
		put_limit(nlh);
		break;
	case BG_CMD_DEL_RULE:
		if (chance(50))
			mnl_attr_put_u16(nlh, BG_A_RULE_ID, (uint16_t)(below(30) + 1));
		else
			put_ports(nlh);
		break;
	case BG_CMD_ADD_PREFIX:
	case BG_CMD_DEL_PREFIX:
		mnl_attr_put_u8(nlh, BG_A_LIST, (uint8_t)(below(2) + 1));
		put_prefix(nlh);
		if (cmd == BG_CMD_ADD_PREFIX && chance(40))
			put_timeout(nlh);
		break;
	case BG_CMD_IMPORT_BEGIN:
		mnl_attr_put_u8(nlh, BG_A_LIST, (uint8_t)(below(2) + 1));
		if (chance(50))
			mnl_attr_put_u8(nlh, BG_A_MERGE, (uint8_t)below(2));
		break;
	case BG_CMD_IMPORT_CHUNK:
		list = mnl_attr_nest_start(nlh, BG_A_ENTRIES);
		for (i = 0, n = below(40); i < n; i++) {
			e = mnl_attr_nest_start(nlh, 1);
			put_prefix(nlh);
			if (chance(30))
				put_timeout(nlh);
			mnl_attr_nest_end(nlh, e);
		}
		mnl_attr_nest_end(nlh, list);
		break;
	case BG_CMD_GET_PREFIX:
		if (chance(50))
			mnl_attr_put_u8(nlh, BG_A_LIST, (uint8_t)(below(2) + 1));
		break;
	case BG_CMD_FLUSH_PREFIX:
		mnl_attr_put_u8(nlh, BG_A_LIST, (uint8_t)(below(2) + 1));
		break;
	case BG_CMD_FORGET:
		put_prefix(nlh);
		break;
	}
	return nlh;
}

static void mutate(struct nlmsghdr *nlh, size_t room)
{
	unsigned int n = below(3) + 1, i;
	uint8_t *b = (uint8_t *)nlh;

	for (i = 0; i < n; i++) {
		uint32_t len = nlh->nlmsg_len;

		switch (below(7)) {
		case 0:	/* a byte after the netlink header */
			if (len > sizeof(*nlh))
				b[sizeof(*nlh) + below(len - sizeof(*nlh))] = (uint8_t)rnd();
			break;
		case 1:	/* an nla_len somewhere (any 2 aligned bytes past genl) */
			if (len > GENL_HDRLEN + sizeof(*nlh) + 4) {
				uint32_t off = sizeof(*nlh) + GENL_HDRLEN +
					       below(len - sizeof(*nlh) - GENL_HDRLEN - 2);
				uint16_t v = chance(50) ? any_u16() : (uint16_t)below(24);

				memcpy(b + (off & ~3U), &v, 2);
			}
			break;
		case 2:	/* truncate */
			nlh->nlmsg_len = below(len + 1);
			if (nlh->nlmsg_len < sizeof(*nlh) && chance(80))
				nlh->nlmsg_len = sizeof(*nlh) + below(8);
			break;
		case 3:	/* trailing junk */
			if (len + 80 < room) {
				uint32_t extra = below(64) + 1;

				fill_random(b + len, extra);
				nlh->nlmsg_len = len + extra;
			}
			break;
		case 4:	/* genl header: command, version, reserved */
			b[sizeof(*nlh) + below(4)] = chance(50) ? (uint8_t)below(20) : (uint8_t)rnd();
			break;
		case 5:	/* flags */
			nlh->nlmsg_flags ^= (uint16_t)(1U << below(16));
			nlh->nlmsg_flags |= NLM_F_REQUEST;
			break;
		case 6:	/* a netlink control type (NOOP, ERROR, DONE, ...) */
			if (chance(20))
				nlh->nlmsg_type = (uint16_t)below(NLMSG_MIN_TYPE);
			break;
		}
	}
}

/* One fuzz message at @buf; returns its length on the wire. */
static size_t fuzz_msg(struct nlt *t, char *buf, size_t room)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;
	size_t len;

	switch (below(10)) {
	case 0: case 1:	/* random */
		nlh = nlt_req(t, (uint8_t)(chance(70) ? below(20) : rnd()),
			      chance(30) ? NLM_F_DUMP : 0);
		if (chance(20))
			nlh->nlmsg_flags |= (uint16_t)rnd() | NLM_F_REQUEST;
		g = mnl_nlmsg_get_payload(nlh);
		if (chance(10))
			g->version = (uint8_t)rnd();
		if (chance(10))
			g->reserved = (uint16_t)rnd();
		len = below(200);
		fill_random(mnl_nlmsg_get_payload_tail(nlh), len);
		nlh->nlmsg_len += len;
		break;
	case 2: case 3: case 4:	/* random attributes */
		nlh = nlt_req(t, (uint8_t)(below(BG_CMD_MAX + 2)), chance(20) ? NLM_F_DUMP : 0);
		put_attrs(nlh, (int)below(5), NLT_TXSIZE / 2);
		if (chance(3)) {	/* deep nesting */
			struct nlattr *nests[64];
			int d, depth = (int)below(64);

			for (d = 0; d < depth; d++)
				nests[d] = mnl_attr_nest_start(nlh, (uint16_t)(below(BG_A_MAX + 1)));
			put_typed(nlh, BG_A_RATE);
			for (d = depth - 1; d >= 0; d--)
				mnl_attr_nest_end(nlh, nests[d]);
		}
		break;
	default:	/* mutated valid request */
		nlh = valid_msg(t);
		if (chance(85))
			mutate(nlh, NLT_TXSIZE / 2);
		break;
	}
	len = nlh->nlmsg_len;
	/* The header may lie about the length; send what was built. */
	if (len < sizeof(*nlh) || len > NLT_TXSIZE / 2)
		len = sizeof(*nlh);
	else if (len > sizeof(*nlh) + 4 && chance(2))
		len -= below(4) + 1;	/* fewer bytes than the header says */
	memmove(buf, nlh, len > room ? room : len);
	return len > room ? room : len;
}

static const int allowed_errnos[] = {
	EINVAL, ERANGE, EOPNOTSUPP, ENOENT, EEXIST, ENOSPC, EMSGSIZE, E2BIG,
	EBUSY, ENOMEM, ENOBUFS,
};

struct stats {
	unsigned long msgs, sent_err, acks, data, dones, errs, no_reply;
	unsigned long err_by[140];
	unsigned long config_changes;
};

/* Reply attribute sizes: 1, 2, 4, 8 bytes, or 0 for "check elsewhere". */
static int reply_attr_size(uint16_t type)
{
	switch (type) {
	case BG_A_MODE: case BG_A_PREFIX4: case BG_A_PREFIX6: case BG_A_LIST:
	case BG_A_PLEN: case BG_A_STATE: case BG_A_EVENT: case BG_A_FORWARD:
		return 1;
	case BG_A_RULE_ID: case BG_A_PORT_MIN: case BG_A_PORT_MAX:
		return 2;
	case BG_A_RATE: case BG_A_PERIOD: case BG_A_BURST: case BG_A_BAN:
	case BG_A_MAX_SOURCES: case BG_A_COUNT: case BG_A_TOKENS:
	case BG_A_ATTEMPTS: case BG_A_DROPS: case BG_A_RULE_COUNT:
	case BG_A_ALLOW_COUNT: case BG_A_DENY_COUNT: case BG_A_TOTAL_RATE:
	case BG_A_TOTAL_PERIOD: case BG_A_TOTAL_BURST: case BG_A_BAN_MAX:
	case BG_A_STRIKES_FORGET: case BG_A_STRIKES: case BG_A_TIMEOUT:
		return 4;
	case BG_A_IDLE_NS: case BG_A_BAN_LEFT_NS: case BG_A_TOTAL_REFUSED:
		return 8;
	case BG_A_ADDR4:
		return 4;
	case BG_A_ADDR6:
		return 16;
	default:
		return 0;
	}
}

static int reply_attr_cb(const struct nlattr *a, void *data)
{
	uint16_t type = mnl_attr_get_type(a);
	int want = reply_attr_size(type);
	const struct nlattr *s;

	if (type == BG_A_PAD)
		return MNL_CB_OK;
	if (type == BG_A_STATS) {
		mnl_attr_for_each_nested(s, a)
			if (mnl_attr_get_type(s) != BG_STAT_PAD &&
			    (mnl_attr_get_type(s) > BG_STAT_MAX ||
			     mnl_attr_get_payload_len(s) != 8))
				return MNL_CB_ERROR;
		return MNL_CB_OK;
	}
	if (!want || mnl_attr_get_payload_len(a) != want)
		return MNL_CB_ERROR;
	return MNL_CB_OK;
}

static int any_attr_cb(const struct nlattr *a, void *data)
{
	return MNL_CB_OK;
}

/* Is this reply well formed? Fills *err for errors/acks. */
static bool reply_ok(struct nlt *t, const struct nlmsghdr *m, int *err,
		     char *why, size_t whysize)
{
	const struct genlmsghdr *g;

	*err = 1;	/* not an ack */
	if (m->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *e = mnl_nlmsg_get_payload(m);
		size_t i;

		if (m->nlmsg_len < mnl_nlmsg_size(sizeof(*e))) {
			snprintf(why, whysize, "short NLMSG_ERROR");
			return false;
		}
		*err = e->error;
		if (e->error > 0) {
			snprintf(why, whysize, "positive error %d", e->error);
			return false;
		}
		if ((m->nlmsg_flags & NLM_F_ACK_TLVS) &&
		    mnl_attr_parse(m, sizeof(*e) + ((m->nlmsg_flags & NLM_F_CAPPED) ? 0 :
				   e->msg.nlmsg_len - sizeof(struct nlmsghdr)),
				   any_attr_cb, NULL) != MNL_CB_OK) {
			snprintf(why, whysize, "malformed extended ACK attributes");
			return false;
		}
		if (!e->error)
			return true;
		for (i = 0; i < ARRAY_SIZE(allowed_errnos); i++)
			if (-e->error == allowed_errnos[i])
				return true;
		snprintf(why, whysize, "error %d (%s) is not one of the protocol's",
			 e->error, strerror(-e->error));
		return false;
	}
	if (m->nlmsg_type == NLMSG_DONE) {
		int v = 0;

		if (m->nlmsg_len >= mnl_nlmsg_size(sizeof(int)))
			memcpy(&v, mnl_nlmsg_get_payload(m), sizeof(v));
		*err = v < 0 ? v : 0;
		return v <= 0;
	}
	if (m->nlmsg_type != t->family) {
		snprintf(why, whysize, "reply of type %u", m->nlmsg_type);
		return false;
	}
	if (m->nlmsg_len < mnl_nlmsg_size(GENL_HDRLEN)) {
		snprintf(why, whysize, "reply without a genl header");
		return false;
	}
	g = mnl_nlmsg_get_payload(m);
	switch (g->cmd) {
	case BG_CMD_GET_CONFIG: case BG_CMD_ADD_RULE: case BG_CMD_GET_RULE:
	case BG_CMD_GET_PREFIX: case BG_CMD_GET_SOURCE: case BG_CMD_FORGET:
	case BG_CMD_FLUSH: case BG_CMD_GET_STATS: case BG_CMD_IMPORT_COMMIT:
		break;
	default:
		snprintf(why, whysize, "reply with command %u", g->cmd);
		return false;
	}
	if (mnl_attr_parse(m, GENL_HDRLEN, reply_attr_cb, NULL) != MNL_CB_OK) {
		snprintf(why, whysize, "reply (command %u) with a malformed attribute", g->cmd);
		return false;
	}
	return true;
}

/*
 * Could a message in these @len bytes have succeeded without a word? Walks
 * them as netlink_rcv_skb() does (a header's length may lie, leaving bytes
 * that are parsed as further messages): a request of our family without
 * NLM_F_ACK that is not a dump is answered only if it fails. Only when no
 * such message was sent does "errors only" mean "nothing was applied".
 */
static bool silent_success_possible(const char *wire, size_t len, uint16_t family)
{
	while (len >= NLMSG_HDRLEN) {
		const struct nlmsghdr *h = (const void *)wire;
		size_t msglen;

		if (h->nlmsg_len < NLMSG_HDRLEN || len < h->nlmsg_len)
			return false;	/* the kernel stops here */
		if ((h->nlmsg_flags & NLM_F_REQUEST) && h->nlmsg_type == family &&
		    !(h->nlmsg_flags & NLM_F_ACK) &&
		    (h->nlmsg_flags & NLM_F_DUMP) != NLM_F_DUMP)
			return true;
		msglen = NLMSG_ALIGN(h->nlmsg_len);
		if (msglen > len)
			msglen = len;
		wire += msglen;
		len -= msglen;
	}
	return false;
}

static ssize_t read_config(char *buf)
{
	int fd = open(PROC_CONFIG, O_RDONLY);
	ssize_t n, total = 0;

	if (fd < 0)
		return -1;
	while ((n = read(fd, buf + total, CFG_SIZE - 1 - total)) > 0)
		total += n;
	close(fd);
	if (n < 0)
		return -1;
	buf[total] = '\0';
	return total;
}

static unsigned long fuzz_count(void)
{
	const char *n = getenv("BG_FUZZ_N"), *heavy = getenv("BG_HEAVY");

	if (n)
		return strtoul(n, NULL, 0);
	return heavy && !strcmp(heavy, "1") ? 100000 : 10000;
}

/* What a fuzz run needs: a netns of its own, a socket, buffers. */
struct fuzz_state {
	struct nlt *t;
	char *before, *after, *wire;
};

static void fuzz_state_init(struct __test_metadata *_metadata, struct fuzz_state *self)
{
	ASSERT_EQ(0, unshare(CLONE_NEWNET)) TH_LOG("unshare: %s", strerror(errno));
	self->t = nlt_new();
	ASSERT_NE(NULL, self->t);
	ASSERT_EQ(0, nlt_open(self->t)) TH_LOG("is the module loaded?");
	self->before = malloc(CFG_SIZE);
	self->after = malloc(CFG_SIZE);
	self->wire = malloc(NLT_TXSIZE);
	ASSERT_NE(NULL, self->before);
	ASSERT_NE(NULL, self->after);
	ASSERT_NE(NULL, self->wire);
}

static void fuzz_state_free(struct fuzz_state *self)
{
	nlt_free(self->t);
	free(self->before);
	free(self->after);
	free(self->wire);
}

FIXTURE(fuzz) {
	struct fuzz_state s;
};

FIXTURE_SETUP(fuzz)
{
	fuzz_state_init(_metadata, &self->s);
}

FIXTURE_TEARDOWN(fuzz)
{
	fuzz_state_free(&self->s);
}

/*
 * N messages from the generator seeded with SEED, each checked as above.
 * (The harness's ASSERT_* leave through longjmp, so they work here too.)
 */
static void fuzz_run(struct __test_metadata *_metadata, struct fuzz_state *self,
		     uint64_t seed, unsigned long n)
{
	struct nlt *t = self->t;
	int fd = mnl_socket_get_fd(t->sock);
	unsigned long i;
	struct stats st = { 0 };
	struct timeval tv = { .tv_sec = 30 };
	char why[160];
	struct nlt *fresh;

	nlt_seed(seed);
	TH_LOG("%lu messages, seed %llu (BG_FUZZ_SEED to replay)", n,
	       (unsigned long long)seed);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	ASSERT_LT(0, read_config(self->before));

	for (i = 0; i < n; i++) {
		size_t len = fuzz_msg(t, self->wire, NLT_TXSIZE);
		uint32_t ping_seq;
		bool got_ack = false, got_err = false, got_ok = false, in_dump = false;
		bool ping_done = false, silent;
		struct nlmsghdr *ping;
		uint64_t state_before = nlt_rng_state;

		if (chance(5))	/* batch: a second message behind the first */
			len += fuzz_msg(t, self->wire + NLMSG_ALIGN(len),
					NLT_TXSIZE - NLMSG_ALIGN(len)) +
			       (NLMSG_ALIGN(len) - len);
		st.msgs++;
		silent = silent_success_possible(self->wire, len, t->family);
		if (send(fd, self->wire, len, 0) < 0)
			st.sent_err++;	/* e.g. EMSGSIZE: the kernel refused it whole */

		ping = nlt_req(t, BG_CMD_GET_STATS, 0);
		ping_seq = ping->nlmsg_seq;
		ASSERT_LE(0, send(fd, ping, ping->nlmsg_len, 0))
			TH_LOG("message %lu: ping not sent: %s", i, strerror(errno));

		/* Everything up to the ping's ACK (and the end of any dump). */
		while (!ping_done || in_dump) {
			ssize_t r = recv(fd, t->rx, sizeof(t->rx), 0);
			const struct nlmsghdr *m;
			int left, err;

			ASSERT_LT(0, r) TH_LOG("message %lu (seed %llu, state %llu): no answer: %s",
					       i, (unsigned long long)seed,
					       (unsigned long long)state_before,
					       r < 0 ? strerror(errno) : "EOF");
			left = (int)r;
			for (m = (void *)t->rx; mnl_nlmsg_ok(m, left);
			     m = mnl_nlmsg_next(m, &left)) {
				if (m->nlmsg_seq == ping_seq) {
					ASSERT_TRUE(reply_ok(t, m, &err, why, sizeof(why)))
						TH_LOG("message %lu: ping reply: %s", i, why);
					if (m->nlmsg_type == NLMSG_ERROR) {
						ASSERT_EQ(0, err) TH_LOG("message %lu: ping failed", i);
						ping_done = true;
					}
					continue;
				}
				ASSERT_TRUE(reply_ok(t, m, &err, why, sizeof(why)))
					TH_LOG("message %lu (seed %llu): %s", i,
					       (unsigned long long)seed, why);
				if (m->nlmsg_flags & NLM_F_MULTI)
					in_dump = m->nlmsg_type != NLMSG_DONE;
				if (m->nlmsg_type == NLMSG_DONE)
					in_dump = false;
				if (err < 0) {
					got_err = true;
					if (-err < (int)ARRAY_SIZE(st.err_by))
						st.err_by[-err]++;
				} else if (err == 0) {
					got_ok = true;
				} else {
					st.data++;
					got_ok = true;
				}
				got_ack = true;
				if (m->nlmsg_type == NLMSG_DONE)
					st.dones++;
				else if (m->nlmsg_type == NLMSG_ERROR)
					(err ? st.errs++ : st.acks++);
			}
			ASSERT_EQ(0, left) TH_LOG("message %lu: %d bytes of a malformed reply",
						  i, left);
		}
		if (!got_ack)
			st.no_reply++;

		ASSERT_LT(0, read_config(self->after))
			TH_LOG("message %lu: cannot read " PROC_CONFIG, i);
		if (strcmp(self->before, self->after)) {
			ASSERT_FALSE(got_err && !got_ok && !silent)
				TH_LOG("message %lu (seed %llu): refused, yet the config changed:\n"
				       "before:\n%s\nafter:\n%s", i,
				       (unsigned long long)seed, self->before, self->after);
			st.config_changes++;
			memcpy(self->before, self->after, strlen(self->after) + 1);
		}
	}

	TH_LOG("%lu sent (%lu refused by send), %lu acks, %lu errors, %lu data replies, "
	       "%lu dumps ended, %lu without reply, %lu changed the config",
	       st.msgs, st.sent_err, st.acks, st.errs, st.data, st.dones,
	       st.no_reply, st.config_changes);
	for (i = 0; i < ARRAY_SIZE(st.err_by); i++)
		if (st.err_by[i])
			TH_LOG("  errno %lu (%s): %lu", i, strerror((int)i), st.err_by[i]);
	/* The fuzz must have reached the module's code, not only the policy. */
	EXPECT_LT(n / 100, st.config_changes);
	EXPECT_LT(n / 10, st.err_by[EINVAL]);

	/* Still up, and a new socket works. */
	ASSERT_TRUE(nlt_loaded());
	fresh = nlt_new();
	ASSERT_NE(NULL, fresh);
	ASSERT_EQ(0, nlt_open(fresh));
	ASSERT_EQ(0, nlt_run(fresh, nlt_req(fresh, BG_CMD_GET_CONFIG, 0), NULL, NULL));
	nlt_free(fresh);
}

/* A new corpus every run: the seed from the clock (printed), or BG_FUZZ_SEED. */
TEST_F_TIMEOUT(fuzz, random_and_mutated_messages, 3000)
{
	uint64_t seed = getenv("BG_FUZZ_SEED") ? strtoull(getenv("BG_FUZZ_SEED"), NULL, 0) :
			(uint64_t)time(NULL) * 2654435761U ^ (uint64_t)getpid();

	fuzz_run(_metadata, &self->s, seed, fuzz_count());
}

/*
 * The same corpus every run: fixed seeds, one variant (one TAP line) each,
 * so a change of the module that breaks on one of these messages fails
 * every run, not one in many, and says which seed.
 */
FIXTURE(corpus) {
	struct fuzz_state s;
};

FIXTURE_VARIANT(corpus) {
	uint64_t seed;
};

FIXTURE_SETUP(corpus)
{
	fuzz_state_init(_metadata, &self->s);
}

FIXTURE_TEARDOWN(corpus)
{
	fuzz_state_free(&self->s);
}

FIXTURE_VARIANT_ADD(corpus, seed_1) { .seed = 1 };
FIXTURE_VARIANT_ADD(corpus, seed_0x5eed) { .seed = 0x5eed };
FIXTURE_VARIANT_ADD(corpus, seed_20261202) { .seed = 20261202 };

TEST_F_TIMEOUT(corpus, fixed_1000_messages, 3000)
{
	fuzz_run(_metadata, &self->s, variant->seed, 1000);
}

TEST_HARNESS_MAIN
