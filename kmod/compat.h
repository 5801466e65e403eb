/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The few kernel API differences between the kernels burstguard supports
 * (6.1 and 6.12 LTS), kept here so the rest of the code reads as one.
 */
#ifndef BG_COMPAT_H
#define BG_COMPAT_H

#include <linux/version.h>
#include <net/genetlink.h>

/* Attributes of a dump request, parsed by the genl core before .start. */
static inline struct nlattr **bg_dump_attrs(struct netlink_callback *cb)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
	return genl_info_dump(cb)->attrs;
#else
	return genl_dumpit_info(cb)->attrs;
#endif
}

#endif /* BG_COMPAT_H */
