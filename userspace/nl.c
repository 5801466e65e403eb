// SPDX-License-Identifier: GPL-2.0
/*
 * libmnl helpers for burstctl: family lookup, requests, ACKs with extended
 * ACK messages, dumps.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "burstguard.h"
#include "nl.h"

#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif
#ifndef NETLINK_CAP_ACK
#define NETLINK_CAP_ACK 10
#endif

static const char *const attr_names[__BG_A_MAX] = {
	[BG_A_RATE] = "rate",
	[BG_A_PERIOD] = "rate",
	[BG_A_BURST] = "burst",
	[BG_A_BAN] = "ban",
	[BG_A_MODE] = "mode",
	[BG_A_PREFIX4] = "prefix4",
	[BG_A_PREFIX6] = "prefix6",
	[BG_A_MAX_SOURCES] = "max-sources",
	[BG_A_RULE_ID] = "rule id",
	[BG_A_PORT_MIN] = "port",
	[BG_A_PORT_MAX] = "port",
	[BG_A_LIST] = "list",
	[BG_A_ADDR4] = "prefix",
	[BG_A_ADDR6] = "prefix",
	[BG_A_PLEN] = "prefix",
	[BG_A_RULES] = "rules",
	[BG_A_ALLOW] = "allow",
	[BG_A_DENY] = "deny",
};

const char *nl_attr_name(unsigned int type)
{
	if (type < __BG_A_MAX && attr_names[type])
		return attr_names[type];
	return NULL;
}

/* Types of the attributes burstctl reads; others are skipped. */
static const enum mnl_attr_data_type attr_types[__BG_A_MAX] = {
	[BG_A_RATE] = MNL_TYPE_U32,
	[BG_A_PERIOD] = MNL_TYPE_U32,
	[BG_A_BURST] = MNL_TYPE_U32,
	[BG_A_BAN] = MNL_TYPE_U32,
	[BG_A_MODE] = MNL_TYPE_U8,
	[BG_A_PREFIX4] = MNL_TYPE_U8,
	[BG_A_PREFIX6] = MNL_TYPE_U8,
	[BG_A_MAX_SOURCES] = MNL_TYPE_U32,
	[BG_A_RULE_ID] = MNL_TYPE_U16,
	[BG_A_PORT_MIN] = MNL_TYPE_U16,
	[BG_A_PORT_MAX] = MNL_TYPE_U16,
	[BG_A_LIST] = MNL_TYPE_U8,
	[BG_A_ADDR4] = MNL_TYPE_BINARY,
	[BG_A_ADDR6] = MNL_TYPE_BINARY,
	[BG_A_PLEN] = MNL_TYPE_U8,
	[BG_A_RULES] = MNL_TYPE_NESTED,
	[BG_A_ALLOW] = MNL_TYPE_NESTED,
	[BG_A_DENY] = MNL_TYPE_NESTED,
	[BG_A_STATS] = MNL_TYPE_NESTED,
	[BG_A_COUNT] = MNL_TYPE_U32,
	[BG_A_STATE] = MNL_TYPE_U8,
	[BG_A_TOKENS] = MNL_TYPE_U32,
	[BG_A_ATTEMPTS] = MNL_TYPE_U32,
	[BG_A_DROPS] = MNL_TYPE_U32,
	[BG_A_IDLE_NS] = MNL_TYPE_U64,
	[BG_A_BAN_LEFT_NS] = MNL_TYPE_U64,
	[BG_A_EVENT] = MNL_TYPE_U8,
	[BG_A_RULE_COUNT] = MNL_TYPE_U32,
	[BG_A_ALLOW_COUNT] = MNL_TYPE_U32,
	[BG_A_DENY_COUNT] = MNL_TYPE_U32,
	[BG_A_FORWARD] = MNL_TYPE_U8,
};

static int attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	unsigned int type = mnl_attr_get_type(attr);

	/* Newer modules may send attributes this burstctl does not know. */
	if (type > BG_A_MAX || attr_types[type] == MNL_TYPE_UNSPEC)
		return MNL_CB_OK;
	if (mnl_attr_validate(attr, attr_types[type]) < 0)
		return MNL_CB_ERROR;
	tb[type] = attr;
	return MNL_CB_OK;
}

int nl_parse(const struct nlmsghdr *nlh, const struct nlattr **tb)
{
	memset(tb, 0, sizeof(*tb) * (BG_A_MAX + 1));
	if (mnl_attr_parse(nlh, GENL_HDRLEN, attr_cb, tb) < 0)
		return -1;
	return 0;
}

struct nested {
	const struct nlattr **tb;
	unsigned int max;
};

static int nested_cb(const struct nlattr *attr, void *data)
{
	struct nested *n = data;
	unsigned int type = mnl_attr_get_type(attr);

	if (type <= n->max)
		n->tb[type] = attr;
	return MNL_CB_OK;
}

int nl_parse_nested(const struct nlattr *nest, const struct nlattr **tb,
		    unsigned int max)
{
	struct nested n = { tb, max };

	memset(tb, 0, sizeof(*tb) * (max + 1));
	if (mnl_attr_parse_nested(nest, nested_cb, &n) < 0)
		return -1;
	return 0;
}

static int extack_cb(const struct nlattr *attr, void *data)
{
	struct nl *nl = data;

	switch (mnl_attr_get_type(attr)) {
	case NLMSGERR_ATTR_MSG:
		if (mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
			snprintf(nl->errmsg, sizeof(nl->errmsg), "%s",
				 mnl_attr_get_str(attr));
		break;
	case NLMSGERR_ATTR_OFFS:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) == 0)
			nl->erroff = mnl_attr_get_u32(attr);
		break;
	}
	return MNL_CB_OK;
}

/* An NLMSG_ERROR: returns its error (0 for an ACK), reads the extack. */
static int handle_error(struct nl *nl, const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	size_t off = sizeof(*e);

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e)))
		return -EBADMSG;
	if (e->error && (nlh->nlmsg_flags & NLM_F_ACK_TLVS)) {
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
			off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
		if (mnl_nlmsg_size(off) <= nlh->nlmsg_len)
			mnl_attr_parse(nlh, (unsigned int)off, extack_cb, nl);
	}
	return e->error > 0 ? -e->error : e->error;
}

/* NLMSG_DONE of a dump: its status, and the extack of a failed one. */
static int handle_done(struct nl *nl, const struct nlmsghdr *nlh)
{
	int err;

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(int)))
		return 0;
	memcpy(&err, mnl_nlmsg_get_payload(nlh), sizeof(err));
	if (err && (nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		mnl_attr_parse(nlh, sizeof(int), extack_cb, nl);
	return err > 0 ? -err : err;
}

int nl_request(struct nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data,
	       bool *intr)
{
	bool dump = nlh->nlmsg_flags & NLM_F_DUMP;
	uint32_t seq = nlh->nlmsg_seq;
	ssize_t n;
	int len;

	nl->errmsg[0] = '\0';
	nl->erroff = 0;
	if (intr)
		*intr = false;
	/* A dump ends with NLMSG_DONE; an ACK would not come. */
	if (!dump)
		nlh->nlmsg_flags |= NLM_F_ACK;
	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0)
		return -errno;

	for (;;) {
		const struct nlmsghdr *m;

		n = mnl_socket_recvfrom(nl->sock, nl->rxbuf, NL_BUFSIZE);
		if (n < 0)
			return -errno;
		len = (int)n;
		for (m = (const struct nlmsghdr *)nl->rxbuf;
		     mnl_nlmsg_ok(m, len); m = mnl_nlmsg_next(m, &len)) {
			int ret;

			/* Late answers to an earlier request are not ours. */
			if (!mnl_nlmsg_seq_ok(m, seq) ||
			    !mnl_nlmsg_portid_ok(m, nl->portid))
				continue;
			if ((m->nlmsg_flags & NLM_F_DUMP_INTR) && intr)
				*intr = true;
			switch (m->nlmsg_type) {
			case NLMSG_ERROR:
				return handle_error(nl, m);
			case NLMSG_DONE:
				return handle_done(nl, m);
			case NLMSG_NOOP:
			case NLMSG_OVERRUN:
				continue;
			}
			if (!cb)
				continue;
			errno = 0;
			ret = cb(m, data);
			if (ret <= MNL_CB_ERROR)
				return errno ? -errno : -EPROTO;
		}
	}
}

void nl_perror(const struct nl *nl, const struct nlmsghdr *req,
	       const char *what, int err)
{
	const char *name = NULL;
	const struct nlattr *a;

	if (req && nl->erroff >= mnl_nlmsg_size(GENL_HDRLEN) &&
	    nl->erroff < req->nlmsg_len) {
		mnl_attr_for_each(a, req, GENL_HDRLEN) {
			size_t start = (size_t)((const char *)a -
						(const char *)req);

			if (nl->erroff >= start &&
			    nl->erroff < start + a->nla_len) {
				name = nl_attr_name(mnl_attr_get_type(a));
				break;
			}
		}
	}
	fprintf(stderr, "burstctl: %s: %s", what, strerror(-err));
	if (nl->errmsg[0])
		fprintf(stderr, ": %s", nl->errmsg);
	if (name)
		fprintf(stderr, " (%s)", name);
	fputc('\n', stderr);
}

struct nlmsghdr *nl_msg(struct nl *nl, void *buf, uint8_t cmd,
			uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = nl->family;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++nl->seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = BG_GENL_VERSION;
	return nlh;
}

static int grp_cb(const struct nlattr *attr, void *data)
{
	struct nl *nl = data;
	const struct nlattr *a, *name = NULL, *id = NULL;

	mnl_attr_for_each_nested(a, attr) {
		if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_NAME &&
		    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
			name = a;
		else if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_ID &&
			 mnl_attr_validate(a, MNL_TYPE_U32) == 0)
			id = a;
	}
	if (name && id &&
	    !strcmp(mnl_attr_get_str(name), BG_GENL_MCGRP_EVENTS))
		nl->events_group = mnl_attr_get_u32(id);
	return MNL_CB_OK;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nl *nl = data;
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		switch (mnl_attr_get_type(a)) {
		case CTRL_ATTR_FAMILY_ID:
			if (mnl_attr_validate(a, MNL_TYPE_U16) == 0)
				nl->family = mnl_attr_get_u16(a);
			break;
		case CTRL_ATTR_MCAST_GROUPS:
			if (mnl_attr_validate(a, MNL_TYPE_NESTED) == 0)
				mnl_attr_parse_nested(a, grp_cb, nl);
			break;
		}
	}
	return MNL_CB_OK;
}

int nl_open(struct nl *nl)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;
	int one = 1, err;

	memset(nl, 0, sizeof(*nl));
	nl->seq = (uint32_t)time(NULL);
	nl->rxbuf = malloc(NL_BUFSIZE);
	if (!nl->rxbuf) {
		perror("burstctl: malloc");
		return -1;
	}
	nl->sock = mnl_socket_open(NETLINK_GENERIC);
	if (!nl->sock || mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		perror("burstctl: netlink socket");
		goto fail;
	}
	nl->portid = mnl_socket_get_portid(nl->sock);
	/* Best effort: old kernels give no extended ACKs. */
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one));

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = ++nl->seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = CTRL_CMD_GETFAMILY;
	g->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, BG_GENL_NAME);
	err = nl_request(nl, nlh, family_cb, nl, NULL);
	if (err == -ENOENT) {
		fprintf(stderr,
			"burstctl: generic netlink family '%s' not found: is the burstguard module loaded?\n",
			BG_GENL_NAME);
		goto fail;
	}
	if (err || !nl->family) {
		nl_perror(nl, NULL, "resolving the netlink family",
			  err ? err : -EPROTO);
		goto fail;
	}
	return 0;
fail:
	nl_close(nl);
	return -1;
}

void nl_close(struct nl *nl)
{
	if (nl->sock)
		mnl_socket_close(nl->sock);
	nl->sock = NULL;
	free(nl->rxbuf);
	nl->rxbuf = NULL;
}
