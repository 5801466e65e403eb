// SPDX-License-Identifier: GPL-2.0
/* burstguard-crowdsec: deny-list changes over burstctl's netlink helpers. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "burstguard.h"
#include "bouncer_deny.h"
#include "nl.h"

static struct nl nl;
static bool nl_ok;
static char ns_path[4096];	/* "" for our own namespace */

static int open_in_ns(char *err, size_t errlen)
{
	int self = -1, target = -1, ret = -1;

	if (!ns_path[0]) {
		if (nl_open(&nl)) {
			snprintf(err, errlen, "cannot open burstguard's netlink family");
			return -1;
		}
		nl_ok = true;
		return 0;
	}
	self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	target = open(ns_path, O_RDONLY | O_CLOEXEC);
	if (self < 0 || target < 0) {
		snprintf(err, errlen, "network namespace %s: %s", ns_path,
			 strerror(errno));
		goto out;
	}
	if (setns(target, CLONE_NEWNET)) {
		snprintf(err, errlen, "entering network namespace %s: %s",
			 ns_path, strerror(errno));
		goto out;
	}
	/* A netlink socket stays in the namespace it was created in. */
	if (nl_open(&nl))
		snprintf(err, errlen, "cannot open burstguard's netlink family in %s",
			 ns_path);
	else
		nl_ok = true, ret = 0;
	if (setns(self, CLONE_NEWNET)) {
		snprintf(err, errlen, "returning to our network namespace: %s",
			 strerror(errno));
		bdeny_close();
		ret = -1;
	}
out:
	if (self >= 0)
		close(self);
	if (target >= 0)
		close(target);
	return ret;
}

int bdeny_open(const char *netns, char *err, size_t errlen)
{
	int n = 0;

	if (netns && netns[0])
		n = snprintf(ns_path, sizeof(ns_path), "%s%s",
			     strchr(netns, '/') ? "" : "/run/netns/", netns);
	else
		ns_path[0] = 0;
	if (n < 0 || (size_t)n >= sizeof(ns_path)) {
		snprintf(err, errlen, "network namespace name too long");
		return -1;
	}
	return open_in_ns(err, errlen);
}

void bdeny_close(void)
{
	if (nl_ok)
		nl_close(&nl);
	nl_ok = false;
}

static int request(uint8_t cmd, const struct prefix *p, char *err,
		   size_t errlen)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	int ret = -ENOTCONN, try;

	for (try = 0; try < 2; try++) {
		if (!nl_ok && open_in_ns(err, errlen))
			return -ENOTCONN;
		nlh = nl_msg(&nl, buf, cmd, 0);
		mnl_attr_put_u8(nlh, BG_A_LIST, BG_LIST_DENY);
		prefix_put(nlh, p);
		ret = nl_request(&nl, nlh, NULL, NULL, NULL);
		if (ret == 0 || ret == -EEXIST || ret == -ENOSPC ||
		    ret == -ENOENT || ret == -EINVAL || ret == -EPERM)
			break;
		/* The module may have been reloaded: a new family id. */
		snprintf(err, errlen, "%s%s%s", strerror(-ret),
			 nl.errmsg[0] ? ": " : "", nl.errmsg);
		bdeny_close();
	}
	if (ret && ret != -ENOTCONN)
		snprintf(err, errlen, "%s%s%s", strerror(-ret),
			 nl_ok && nl.errmsg[0] ? ": " : "",
			 nl_ok ? nl.errmsg : "");
	return ret;
}

int bdeny_add(const struct prefix *p, char *err, size_t errlen)
{
	return request(BG_CMD_ADD_PREFIX, p, err, errlen);
}

int bdeny_del(const struct prefix *p, char *err, size_t errlen)
{
	return request(BG_CMD_DEL_PREFIX, p, err, errlen);
}
