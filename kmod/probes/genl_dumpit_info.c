// SPDX-License-Identifier: GPL-2.0
/*
 * genl_dumpit_info(cb)->attrs: the genl core's parse of a dump request
 * (mainline 5.5 to 6.5; since 6.6 through genl_info_dump(), which see).
 */
#include <net/genetlink.h>

struct nlattr **probe(struct netlink_callback *cb);
struct nlattr **probe(struct netlink_callback *cb)
{
	return genl_dumpit_info(cb)->attrs;
}
