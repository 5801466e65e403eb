/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers of the netlink tests (nl_*.c): a libmnl socket on the burstguard
 * family of the current netns, requests that return the kernel's errno and
 * extack message, dumps that count messages and NLM_F_DUMP_INTR, and
 * loading the module when no test before loaded it. Deliberately not the
 * CLI's code: the tests check the protocol, not burstctl.
 */
#ifndef BG_NL_UTIL_H
#define BG_NL_UTIL_H

#include <errno.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "burstguard.h"

#define NLT_TXSIZE	(256 * 1024)
#define NLT_RXSIZE	(64 * 1024)

struct nlt {
	struct mnl_socket *sock;
	uint16_t family;
	uint32_t group;		/* events group id */
	uint32_t portid;
	uint32_t seq;
	char errmsg[256];	/* extack message of the last request */
	uint32_t erroff;
	bool intr;		/* last dump had NLM_F_DUMP_INTR */
	unsigned int nmsgs;	/* data messages of the last request */
	char tx[NLT_TXSIZE];
	char rx[NLT_RXSIZE];
};

static inline int nlt_extack_cb(const struct nlattr *a, void *data)
{
	struct nlt *t = data;

	if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG &&
	    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
		snprintf(t->errmsg, sizeof(t->errmsg), "%s",
			 mnl_attr_get_str(a));
	if (mnl_attr_get_type(a) == NLMSGERR_ATTR_OFFS &&
	    mnl_attr_validate(a, MNL_TYPE_U32) == 0)
		t->erroff = mnl_attr_get_u32(a);
	return MNL_CB_OK;
}

/* Status of an NLMSG_ERROR (@done false) or NLMSG_DONE (@done true). */
static inline int nlt_ack(struct nlt *t, const struct nlmsghdr *nlh, bool done)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	int err;
	size_t off;

	if (done) {
		if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(int)))
			return 0;
		memcpy(&err, mnl_nlmsg_get_payload(nlh), sizeof(err));
		off = sizeof(int);
	} else {
		if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e)))
			return -EBADMSG;
		err = e->error;
		off = sizeof(*e);
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
			off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
	}
	if (err && (nlh->nlmsg_flags & NLM_F_ACK_TLVS) &&
	    mnl_nlmsg_size(off) <= nlh->nlmsg_len)
		mnl_attr_parse(nlh, off, nlt_extack_cb, t);
	return err > 0 ? -err : err;
}

/*
 * Send @len bytes at @msg (a request with sequence @seq) and read until its
 * ACK or NLMSG_DONE, passing data messages to @cb. Returns 0 or -errno.
 */
static inline int nlt_xfer(struct nlt *t, const void *msg, size_t len, uint32_t seq,
		    mnl_cb_t cb, void *data)
{
	ssize_t n;
	int left;

	t->errmsg[0] = '\0';
	t->erroff = 0;
	t->intr = false;
	t->nmsgs = 0;
	if (mnl_socket_sendto(t->sock, msg, len) < 0)
		return -errno;
	for (;;) {
		const struct nlmsghdr *m;

		n = mnl_socket_recvfrom(t->sock, t->rx, sizeof(t->rx));
		if (n < 0)
			return -errno;
		left = (int)n;
		for (m = (void *)t->rx; mnl_nlmsg_ok(m, left);
		     m = mnl_nlmsg_next(m, &left)) {
			if (m->nlmsg_seq != seq)
				continue;
			if (m->nlmsg_flags & NLM_F_DUMP_INTR)
				t->intr = true;
			if (m->nlmsg_type == NLMSG_ERROR)
				return nlt_ack(t, m, false);
			if (m->nlmsg_type == NLMSG_DONE)
				return nlt_ack(t, m, true);
			t->nmsgs++;
			if (cb && cb(m, data) < MNL_CB_OK)
				return -EPROTO;
		}
	}
}

static inline struct nlmsghdr *nlt_msg(struct nlt *t, uint16_t type, uint8_t cmd,
				uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(t->tx);
	struct genlmsghdr *g;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++t->seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = BG_GENL_VERSION;
	return nlh;
}

/* A request of the burstguard family; a dump when @flags has NLM_F_DUMP. */
static inline struct nlmsghdr *nlt_req(struct nlt *t, uint8_t cmd, uint16_t flags)
{
	if (!(flags & NLM_F_DUMP))
		flags |= NLM_F_ACK;
	return nlt_msg(t, t->family, cmd, flags);
}

static inline int nlt_run(struct nlt *t, struct nlmsghdr *nlh, mnl_cb_t cb,
		   void *data)
{
	return nlt_xfer(t, nlh, nlh->nlmsg_len, nlh->nlmsg_seq, cb, data);
}

static inline int nlt_family_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nlt *t = data;
	const struct nlattr *a, *g, *x;

	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID)
			t->family = mnl_attr_get_u16(a);
		if (mnl_attr_get_type(a) != CTRL_ATTR_MCAST_GROUPS)
			continue;
		mnl_attr_for_each_nested(g, a) {
			const char *name = NULL;
			uint32_t id = 0;

			mnl_attr_for_each_nested(x, g) {
				if (mnl_attr_get_type(x) == CTRL_ATTR_MCAST_GRP_NAME)
					name = mnl_attr_get_str(x);
				if (mnl_attr_get_type(x) == CTRL_ATTR_MCAST_GRP_ID)
					id = mnl_attr_get_u32(x);
			}
			if (name && !strcmp(name, BG_GENL_MCGRP_EVENTS))
				t->group = id;
		}
	}
	return MNL_CB_OK;
}

/* A socket in the current netns, bound to the family. 0 or -errno. */
static inline int nlt_open(struct nlt *t)
{
	struct timeval tv = { .tv_sec = 20 };
	struct nlmsghdr *nlh;
	int one = 1, err;

	t->sock = mnl_socket_open(NETLINK_GENERIC);
	if (!t->sock)
		return -errno;
	/* A request the kernel drops unanswered must not hang the test. */
	setsockopt(mnl_socket_get_fd(t->sock), SOL_SOCKET, SO_RCVTIMEO, &tv,
		   sizeof(tv));
	if (mnl_socket_bind(t->sock, 0, MNL_SOCKET_AUTOPID) < 0)
		return -errno;
	t->portid = mnl_socket_get_portid(t->sock);
	mnl_socket_setsockopt(t->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(t->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	nlh = nlt_msg(t, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, NLM_F_ACK);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, BG_GENL_NAME);
	err = nlt_run(t, nlh, nlt_family_cb, t);
	if (!err && !t->family)
		err = -ENOENT;
	return err;
}

static inline struct nlt *nlt_new(void)
{
	struct nlt *t = calloc(1, sizeof(*t));

	if (t)
		t->seq = 1000;
	return t;
}

static inline void nlt_free(struct nlt *t)
{
	if (!t)
		return;
	if (t->sock)
		mnl_socket_close(t->sock);
	free(t);
}

/* Attributes of one message, by type (unknown types are left out). */
struct nlt_attrs {
	const struct nlattr *tb[BG_A_MAX + 1];
};

static inline int nlt_attr_cb(const struct nlattr *a, void *data)
{
	struct nlt_attrs *at = data;

	if (mnl_attr_get_type(a) <= BG_A_MAX)
		at->tb[mnl_attr_get_type(a)] = a;
	return MNL_CB_OK;
}

static inline void nlt_parse(const struct nlmsghdr *nlh, struct nlt_attrs *at)
{
	memset(at, 0, sizeof(*at));
	mnl_attr_parse(nlh, GENL_HDRLEN, nlt_attr_cb, at);
}

/* The reply of a "do" request, copied. */
struct nlt_reply {
	struct nlt_attrs at;
	char buf[8192];
	uint8_t cmd;
};

static inline int nlt_reply_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nlt_reply *r = data;
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);

	if (nlh->nlmsg_len > sizeof(r->buf))
		return MNL_CB_ERROR;
	memcpy(r->buf, nlh, nlh->nlmsg_len);
	r->cmd = g->cmd;
	nlt_parse((const struct nlmsghdr *)r->buf, &r->at);
	return MNL_CB_OK;
}

static inline uint32_t nlt_u32(const struct nlt_reply *r, int type)
{
	return r->at.tb[type] ? mnl_attr_get_u32(r->at.tb[type]) : 0xdeadbeef;
}

static inline uint8_t nlt_u8(const struct nlt_reply *r, int type)
{
	return r->at.tb[type] ? mnl_attr_get_u8(r->at.tb[type]) : 0xee;
}

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

/*
 * The counters of a GET_STATS reply into @data, a uint64_t[__BG_STAT_MAX]:
 * v[BG_STAT_x] is counter x, v[0] (BG_STAT_UNSPEC) how many counters the
 * reply had. Fails on a counter that is not a u64 or has an unknown type.
 */
static inline int nlt_stats_cb(const struct nlmsghdr *nlh, void *data)
{
	uint64_t *v = data;
	struct nlt_attrs at;
	const struct nlattr *a;

	nlt_parse(nlh, &at);
	if (!at.tb[BG_A_STATS])
		return MNL_CB_ERROR;
	mnl_attr_for_each_nested(a, at.tb[BG_A_STATS]) {
		if (mnl_attr_get_type(a) == BG_STAT_PAD)
			continue;
		if (mnl_attr_get_type(a) >= __BG_STAT_MAX ||
		    mnl_attr_validate(a, MNL_TYPE_U64))
			return MNL_CB_ERROR;
		v[mnl_attr_get_type(a)] = mnl_attr_get_u64(a);
		v[0]++;		/* BG_STAT_UNSPEC: how many */
	}
	return MNL_CB_OK;
}

/* Counter @s of the current netns, or UINT64_MAX if GET_STATS failed. */
static inline uint64_t nlt_stat(struct nlt *t, int s)
{
	uint64_t v[__BG_STAT_MAX] = { 0 };

	if (nlt_run(t, nlt_req(t, BG_CMD_GET_STATS, 0), nlt_stats_cb, v))
		return UINT64_MAX;
	return v[s];
}

/*
 * A reproducible random stream (xorshift64*) for the fuzz and storm
 * programs: the same seed replays the same requests.
 */
static uint64_t nlt_rng_state = 1;

static inline void nlt_seed(uint64_t seed)
{
	nlt_rng_state = seed ? seed : 1;
}

static inline uint32_t nlt_rnd(void)
{
	nlt_rng_state ^= nlt_rng_state >> 12;
	nlt_rng_state ^= nlt_rng_state << 25;
	nlt_rng_state ^= nlt_rng_state >> 27;
	return (uint32_t)((nlt_rng_state * 0x2545F4914F6CDD1DULL) >> 32);
}

/* 0..n-1 (0 if n is 0) */
static inline uint32_t nlt_below(uint32_t n)
{
	return n ? nlt_rnd() % n : 0;
}

/* Put an IPv4 or IPv6 prefix ("10.0.0.0/8"): BG_A_ADDR4/6 and BG_A_PLEN. */
static inline void nlt_put_prefix(struct nlmsghdr *nlh, const char *s)
{
	char a[64];
	unsigned char bin[16];
	const char *slash = strchr(s, '/');
	int len = slash ? atoi(slash + 1) : -1;

	snprintf(a, sizeof(a), "%.*s", slash ? (int)(slash - s) : 63, s);
	if (inet_pton(AF_INET, a, bin) == 1) {
		mnl_attr_put(nlh, BG_A_ADDR4, 4, bin);
		mnl_attr_put_u8(nlh, BG_A_PLEN, len < 0 ? 32 : len);
	} else if (inet_pton(AF_INET6, a, bin) == 1) {
		mnl_attr_put(nlh, BG_A_ADDR6, 16, bin);
		mnl_attr_put_u8(nlh, BG_A_PLEN, len < 0 ? 128 : len);
	}
}

/* "10.0.0.0/8" of the prefix attributes of @at, or "" */
static inline const char *nlt_prefix_str(const struct nlt_attrs *at, char *buf,
				  size_t size)
{
	char a[64] = "";

	if (at->tb[BG_A_ADDR4])
		inet_ntop(AF_INET, mnl_attr_get_payload(at->tb[BG_A_ADDR4]), a,
			  sizeof(a));
	else if (at->tb[BG_A_ADDR6])
		inet_ntop(AF_INET6, mnl_attr_get_payload(at->tb[BG_A_ADDR6]),
			  a, sizeof(a));
	if (!a[0] || !at->tb[BG_A_PLEN])
		snprintf(buf, size, "?");
	else
		snprintf(buf, size, "%s/%u", a,
			 mnl_attr_get_u8(at->tb[BG_A_PLEN]));
	return buf;
}

/* Path of the repository: $BG_REPO, else three levels above this binary. */
static inline const char *nlt_repo(void)
{
	static char path[4096];
	char *p;
	int i;

	if (getenv("BG_REPO"))
		return getenv("BG_REPO");
	if (!realpath("/proc/self/exe", path))
		return ".";
	for (i = 0; i < 3 && (p = strrchr(path, '/')); i++)
		*p = '\0';
	return path;
}

static inline bool nlt_loaded(void)
{
	struct stat st;

	return stat("/sys/module/burstguard", &st) == 0;
}

static bool nlt_we_loaded;
static pid_t nlt_main_pid;

/*
 * Load the module unless loaded (run before the tests fork). The C tests
 * work in namespaces of their own and try every max_sources up to
 * BG_MAX_SOURCES_LIMIT, so the host's ceiling for namespaces is lifted;
 * nl_perm's ceiling test sets it back to the default and checks it.
 */
static void __attribute__((constructor)) nlt_load(void)
{
	char cmd[8192];
	struct utsname u;
	const char *ko = getenv("BG_KO"), *moddir = getenv("BG_MODDIR");

	nlt_main_pid = getpid();
	if (nlt_loaded() || getuid() != 0)
		return;
	uname(&u);
	/* tests/lib.sh's BG_MOD_DEPS */
	snprintf(cmd, sizeof(cmd),
		 "modprobe %s%s -a nf_reject_ipv4 nf_reject_ipv6 "
		 "nf_defrag_ipv4 nf_defrag_ipv6 && insmod %s%s%s%s netns_max_sources=16777216",
		 moddir ? "-d " : "", moddir ? moddir : "",
		 ko ? ko : nlt_repo(), ko ? "" : "/.cache/build/",
		 ko ? "" : u.release, ko ? "" : "/burstguard.ko");
	if (system(cmd) == 0)
		nlt_we_loaded = true;
	else
		fprintf(stderr, "# could not load the module: %s\n", cmd);
}

static void __attribute__((destructor)) nlt_unload(void)
{
	if (nlt_we_loaded && getpid() == nlt_main_pid && !getenv("BG_KEEP"))
		if (system("rmmod burstguard"))
			fprintf(stderr, "# rmmod burstguard failed\n");
}

#endif /* BG_NL_UTIL_H */
