// SPDX-License-Identifier: GPL-2.0
/*
 * genl_info_dump(cb): the request of a dump as a struct genl_info (mainline
 * 6.6, when struct genl_dumpit_info came to embed a genl_info and lost its
 * own attrs). Before it: genl_dumpit_info(cb)->attrs (genl_dumpit_info.c).
 */
#include <net/genetlink.h>

struct nlattr **probe(struct netlink_callback *cb);
struct nlattr **probe(struct netlink_callback *cb)
{
	const struct genl_info *info = genl_info_dump(cb);

	return info->attrs;
}
