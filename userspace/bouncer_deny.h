/* SPDX-License-Identifier: GPL-2.0 */
/*
 * burstguard-crowdsec's whole access to the kernel: add and remove deny-list
 * prefixes of one network namespace. Nothing else in the bouncer knows
 * about netlink; bouncer_deny.c does it through burstctl's client layer.
 *
 * The module's deny list has no per-entry timeout yet: the bouncer removes
 * an entry itself when its decision ends (expire_pass() in bouncer.c).
 */
#ifndef BOUNCER_DENY_H
#define BOUNCER_DENY_H

#include <stddef.h>

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
 * -ENOSPC (the list is full), -ENOENT (del: not in the list), other
 * errors with @err set to the kernel's words. A socket whose family went
 * away (module reloaded) is reopened once and the request retried.
 */
int bdeny_add(const struct prefix *p, char *err, size_t errlen);
int bdeny_del(const struct prefix *p, char *err, size_t errlen);

#endif /* BOUNCER_DENY_H */
