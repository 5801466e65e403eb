// SPDX-License-Identifier: GPL-2.0
/*
 * nl_storm: change the configuration of the current netns over netlink as
 * fast as possible, or dump it (config_storm.sh).
 *
 *   nl_storm change SECONDS SEED   random valid changes: SET_CONFIG (rate,
 *       period, burst, ban, mode, prefix4/6, max_sources), ADD/DEL_RULE,
 *       ADD/DEL/FLUSH_PREFIX, REPLACE_CONFIG, FORGET, FLUSH
 *   nl_storm dump SECONDS          GET_SOURCE, GET_RULE, GET_PREFIX dumps,
 *       GET_CONFIG and GET_STATS in a loop
 *
 * Every answer must be success or the one errno the protocol documents for
 * that request in a race with another writer (EEXIST for an ADD of what is
 * there, ENOENT for a DEL of what is not, ENOSPC beyond the rule or prefix
 * limit, EBUSY for a shrink below the throttled and banned sources); every dump must end with NLMSG_DONE and status 0. Anything else
 * is printed and makes the exit status 1. Prints one line of counts:
 * "ops N ok N expected-errors N" or "dumps N sources N".
 */
#include "nl_util.h"

#include <time.h>

/* Short names for nl_util.h's reproducible random stream. */
#define below nlt_below

/* Prefixes that overlap the flood of config_storm.sh (10.64.0.0/10 and
 * fd00:1::/48), so list changes decide real attempts.
 */
static const char *const prefixes[] = {
	"10.64.0.0/12", "10.80.0.0/12", "10.96.0.0/11", "10.64.0.0/10",
	"10.100.0.0/16", "10.127.255.0/24", "fd00:1::/48", "fd00:1:8000::/49",
	"fd00:1:ff::/56", "10.0.0.2/32",
};

static void put_limit(struct nlmsghdr *nlh, bool all)
{
	static const uint32_t periods[] = { 1, 60, 3600 };

	if (all || below(2))
		mnl_attr_put_u32(nlh, BG_A_RATE, below(200) + 1);
	if (all || below(2))
		mnl_attr_put_u32(nlh, BG_A_PERIOD, periods[below(3)]);
	if (all || below(2))
		mnl_attr_put_u32(nlh, BG_A_BURST, below(50) + 1);
	if (all || below(3) == 0)
		mnl_attr_put_u32(nlh, BG_A_BAN, below(4) ? 0 : below(30) + 1);
	if (all || below(2))
		mnl_attr_put_u8(nlh, BG_A_MODE, (uint8_t)below(BG_MODE_MAX + 1));
}

static void put_ports(struct nlmsghdr *nlh, uint16_t lo, uint16_t hi)
{
	mnl_attr_put_u16(nlh, BG_A_PORT_MIN, lo);
	mnl_attr_put_u16(nlh, BG_A_PORT_MAX, hi);
}

static int change_one(struct nlt *t, const char **what, int *expected)
{
	struct nlmsghdr *nlh;
	struct nlattr *list, *e;
	uint16_t port = (uint16_t)(20 + below(21));
	unsigned int i, n;

	*expected = 0;
	switch (below(12)) {
	case 0: case 1: case 2:
		*what = "SET_CONFIG";
		nlh = nlt_req(t, BG_CMD_SET_CONFIG, 0);
		put_limit(nlh, false);
		if (below(3) == 0)
			mnl_attr_put_u8(nlh, BG_A_PREFIX4, (uint8_t)(below(3) == 0 ? 24 : 32));
		if (below(3) == 0)
			mnl_attr_put_u8(nlh, BG_A_PREFIX6, (uint8_t)(below(2) ? 64 : 128));
		if (below(4) == 0) {	/* a resize, both ways */
			mnl_attr_put_u32(nlh, BG_A_MAX_SOURCES, 200 + below(4000));
			/* Refused when the banned sources would not fit. */
			*expected = EBUSY;
		}
		break;
	case 3: case 4:
		*what = "ADD_RULE";
		*expected = EEXIST;	/* or ENOSPC, checked below */
		nlh = nlt_req(t, BG_CMD_ADD_RULE, 0);
		put_ports(nlh, port, (uint16_t)(port + below(3)));
		put_limit(nlh, false);
		break;
	case 5:
		*what = "DEL_RULE";
		*expected = ENOENT;
		nlh = nlt_req(t, BG_CMD_DEL_RULE, 0);
		if (below(2))
			mnl_attr_put_u16(nlh, BG_A_RULE_ID, (uint16_t)(below(40) + 1));
		else
			put_ports(nlh, port, (uint16_t)(port + below(3)));
		break;
	case 6: case 7:
		*what = "ADD_PREFIX";
		*expected = EEXIST;
		nlh = nlt_req(t, BG_CMD_ADD_PREFIX, 0);
		mnl_attr_put_u8(nlh, BG_A_LIST, (uint8_t)(below(2) + 1));
		nlt_put_prefix(nlh, prefixes[below(ARRAY_SIZE(prefixes))]);
		break;
	case 8:
		*what = "DEL_PREFIX";
		*expected = ENOENT;
		nlh = nlt_req(t, BG_CMD_DEL_PREFIX, 0);
		mnl_attr_put_u8(nlh, BG_A_LIST, (uint8_t)(below(2) + 1));
		nlt_put_prefix(nlh, prefixes[below(ARRAY_SIZE(prefixes))]);
		break;
	case 9:
		if (below(4)) {
			*what = "FORGET";
			nlh = nlt_req(t, BG_CMD_FORGET, 0);
			nlt_put_prefix(nlh, prefixes[below(ARRAY_SIZE(prefixes))]);
		} else if (below(2)) {
			*what = "FLUSH_PREFIX";
			nlh = nlt_req(t, BG_CMD_FLUSH_PREFIX, 0);
			mnl_attr_put_u8(nlh, BG_A_LIST, (uint8_t)(below(2) + 1));
		} else {
			*what = "FLUSH";
			nlh = nlt_req(t, BG_CMD_FLUSH, 0);
		}
		break;
	default:
		*what = "REPLACE_CONFIG";
		nlh = nlt_req(t, BG_CMD_REPLACE_CONFIG, 0);
		put_limit(nlh, false);
		list = mnl_attr_nest_start(nlh, BG_A_RULES);
		/* distinct, non-overlapping-by-equality port ranges */
		for (i = 0, n = below(6); i < n; i++) {
			e = mnl_attr_nest_start(nlh, 1);
			put_ports(nlh, (uint16_t)(20 + 4 * i), (uint16_t)(20 + 4 * i + below(4)));
			put_limit(nlh, below(2));
			mnl_attr_nest_end(nlh, e);
		}
		mnl_attr_nest_end(nlh, list);
		for (i = 0; i < 2; i++) {
			unsigned int start = below(ARRAY_SIZE(prefixes)), j;

			list = mnl_attr_nest_start(nlh, i ? BG_A_DENY : BG_A_ALLOW);
			for (j = 0, n = below(4); j < n; j++) {
				e = mnl_attr_nest_start(nlh, 1);
				nlt_put_prefix(nlh, prefixes[(start + j) % ARRAY_SIZE(prefixes)]);
				mnl_attr_nest_end(nlh, e);
			}
			mnl_attr_nest_end(nlh, list);
		}
		break;
	}
	return nlt_run(t, nlh, NULL, NULL);
}

static int count_cb(const struct nlmsghdr *nlh __attribute__((unused)), void *data)
{
	(*(unsigned long *)data)++;
	return MNL_CB_OK;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct nlt *t = nlt_new();
	unsigned long ops = 0, ok = 0, expected = 0, sources = 0, dumps = 0;
	double end;
	int err, bad = 0;

	if (argc < 3 || !t || (strcmp(argv[1], "change") && strcmp(argv[1], "dump"))) {
		fprintf(stderr, "usage: nl_storm change SECONDS SEED | nl_storm dump SECONDS\n");
		return 2;
	}
	end = now_s() + atof(argv[2]);
	nlt_seed(argc > 3 ? strtoull(argv[3], NULL, 0) : 1);
	err = nlt_open(t);
	if (err) {
		fprintf(stderr, "nl_storm: cannot open the family: %s\n", strerror(-err));
		return 1;
	}

	if (!strcmp(argv[1], "dump")) {
		static const uint8_t cmds[] = { BG_CMD_GET_SOURCE, BG_CMD_GET_RULE,
						BG_CMD_GET_PREFIX };
		while (now_s() < end) {
			unsigned long n = 0;
			uint8_t cmd = cmds[dumps % 3];

			err = nlt_run(t, nlt_req(t, cmd, NLM_F_DUMP), count_cb, &n);
			if (err) {
				fprintf(stderr, "nl_storm: dump of command %u: %d %s\n", cmd, err, t->errmsg);
				bad = 1;
			}
			if (cmd == BG_CMD_GET_SOURCE)
				sources += n;
			err = nlt_run(t, nlt_req(t, dumps % 2 ? BG_CMD_GET_CONFIG : BG_CMD_GET_STATS, 0),
				      NULL, NULL);
			if (err) {
				fprintf(stderr, "nl_storm: GET: %d %s\n", err, t->errmsg);
				bad = 1;
			}
			dumps++;
		}
		printf("dumps %lu sources %lu\n", dumps, sources);
		return bad;
	}

	while (now_s() < end) {
		const char *what;
		int want;

		err = change_one(t, &what, &want);
		ops++;
		if (!err) {
			ok++;
		} else if (-err == want || (-err == ENOSPC && !strcmp(what, "ADD_RULE"))) {
			expected++;
		} else {
			fprintf(stderr, "nl_storm: %s: %d (%s) %s\n", what, err, strerror(-err),
				t->errmsg);
			bad = 1;
		}
	}
	printf("ops %lu ok %lu expected-errors %lu\n", ops, ok, expected);
	return bad;
}
