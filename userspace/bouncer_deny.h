/* SPDX-License-Identifier: GPL-2.0 */
/*
 * burstguard-crowdsec's whole access to the kernel: add and remove deny-list
 * prefixes of one network namespace. Nothing else in the bouncer knows
 * about netlink; bouncer_deny.c does it through burstctl's client layer.
 *
 * Entries get their decision's time left as the kernel's timeout, so they
 * end even if the bouncer dies; the bouncer also removes an entry itself
 * when its decisions end or are deleted (expire_pass() in bouncer.c).
 */
#ifndef BOUNCER_DENY_H
#define BOUNCER_DENY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "parse.h"

/*
 * Open the netlink socket in network namespace @netns (a name under
 * /run/netns, a path such as /proc/PID/ns/net, or NULL for the caller's
 * own). The caller stays in its own namespace. 0, or -1 with @err set.
 */
int bdeny_open(const char *netns, char *err, size_t errlen);
void bdeny_close(void);

/*
 * 0 on success, else a negative errno: -EEXIST (already in the list),
 * -ENOSPC or -ERANGE (the list is full, or at the host's ceiling), -ENOENT (del: not in the list), other
 * errors with @err set to the kernel's words. A socket whose family went
 * away (module reloaded) is reopened once and the request retried.
 */
/* @timeout: seconds, 0: none. @update: set the timeout of our own entry. */
int bdeny_add(const struct prefix *p, uint32_t timeout, bool update,
	      char *err, size_t errlen);
int bdeny_del(const struct prefix *p, char *err, size_t errlen);

#endif /* BOUNCER_DENY_H */
