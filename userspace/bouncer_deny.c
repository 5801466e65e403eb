// SPDX-License-Identifier: GPL-2.0
/*
 * burstguard-crowdsec: deny-list changes through burstctl's client layer
 * (client.h); this file builds no netlink message of its own.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bouncer_deny.h"
#include "client.h"

static struct client *cl;
static char ns_path[4096];	/* "" for our own namespace */

/* client_open() in ns_path; it prints why it failed to stderr. */
static int open_in_ns(char *err, size_t errlen)
{
	int self = -1, target = -1, ret = -1;

	if (!ns_path[0]) {
		cl = client_open();
		if (!cl) {
			snprintf(err, errlen, "cannot open burstguard's netlink family");
			return -1;
		}
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
	cl = client_open();
	if (!cl)
		snprintf(err, errlen, "cannot open burstguard's netlink family in %s",
			 ns_path);
	else
		ret = 0;
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

	bdeny_close();
	if (netns && netns[0])
		n = snprintf(ns_path, sizeof(ns_path), "%s%s",
			     strchr(netns, '/') ? "" : "/run/netns/", netns);
	else
		ns_path[0] = 0;
	if (n < 0 || (size_t)n >= sizeof(ns_path)) {
		ns_path[0] = 0;
		snprintf(err, errlen, "network namespace name too long");
		return -1;
	}
	return open_in_ns(err, errlen);
}

void bdeny_close(void)
{
	client_close(cl);
	cl = NULL;
}

static void say(int ret, char *err, size_t errlen)
{
	const char *msg = cl ? client_errmsg(cl) : "";

	snprintf(err, errlen, "%s%s%s", strerror(-ret), msg[0] ? ": " : "",
		 msg);
}

static int request(bool add, const struct prefix *p, uint32_t timeout,
		   bool update, char *err, size_t errlen)
{
	int ret = -ENOTCONN, try;

	for (try = 0; try < 2; try++) {
		if (!cl && open_in_ns(err, errlen))
			return -ENOTCONN;
		ret = !add ? client_del_prefix(cl, BG_LIST_DENY, p) :
		      update ? client_update_prefix(cl, BG_LIST_DENY, p, timeout) :
		      client_add_prefix(cl, BG_LIST_DENY, p, timeout);
		if (ret == 0 || ret == -EEXIST || ret == -ENOSPC ||
		    ret == -ERANGE ||
		    ret == -ENOENT || ret == -EINVAL || ret == -EPERM)
			break;
		/* The module may have been reloaded: a new family id. */
		say(ret, err, errlen);
		bdeny_close();
	}
	if (ret && cl)
		say(ret, err, errlen);
	return ret;
}

int bdeny_add(const struct prefix *p, uint32_t timeout, bool update,
	      char *err, size_t errlen)
{
	return request(true, p, timeout, update, err, errlen);
}

int bdeny_del(const struct prefix *p, char *err, size_t errlen)
{
	return request(false, p, 0, false, err, errlen);
}
