// SPDX-License-Identifier: GPL-2.0
/*
 * libmnl transport of burstctl: family lookup, requests, ACKs with
 * extended ACK messages, dumps. It knows the family's name and groups,
 * not its attributes (client.c).
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

struct parse {
	const struct nlattr **tb;
	unsigned int max;
	nl_type_fn type;
};

static int attr_cb(const struct nlattr *attr, void *data)
{
	const struct parse *p = data;
	unsigned int type = mnl_attr_get_type(attr);
	enum mnl_attr_data_type t;

	/* Newer modules may send attributes this burstctl does not know. */
	if (type > p->max)
		return MNL_CB_OK;
	t = p->type(type);
	if (t == MNL_TYPE_UNSPEC)
		return MNL_CB_OK;
	if (mnl_attr_validate(attr, t) < 0)
		return MNL_CB_ERROR;
	p->tb[type] = attr;
	return MNL_CB_OK;
}

int nl_parse(const struct nlmsghdr *nlh, const struct nlattr **tb,
	     unsigned int max, nl_type_fn type)
{
	struct parse p = { tb, max, type };

	memset(tb, 0, sizeof(*tb) * (max + 1));
	if (mnl_attr_parse(nlh, GENL_HDRLEN, attr_cb, &p) < 0)
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

void nl_perror(const struct nl *nl, const char *what, int err,
	       const char *attr)
{
	fprintf(stderr, "burstctl: %s: %s", what, strerror(-err));
	if (nl->errmsg[0])
		fprintf(stderr, ": %s", nl->errmsg);
	if (attr)
		fprintf(stderr, " (%s)", attr);
	fputc('\n', stderr);
}

struct nlmsghdr *nl_msg(struct nl *nl, void *buf, uint8_t cmd,
			uint16_t flags)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;

	memset(buf, 0, MNL_SOCKET_BUFFER_SIZE);
	nlh = mnl_nlmsg_put_header(buf);
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

	/* Zeroed: libmnl 1.0.4 leaves the padding after the name as it was. */
	memset(buf, 0, sizeof(buf));
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
		nl_perror(nl, "resolving the netlink family",
			  err ? err : -EPROTO, NULL);
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
