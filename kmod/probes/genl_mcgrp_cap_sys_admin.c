// SPDX-License-Identifier: GPL-2.0
/*
 * struct genl_multicast_group.cap_sys_admin: how the stable 5.10 and 5.15
 * series backported mainline 6.7's "genetlink: add CAP_NET_ADMIN test for
 * multicast bind" (which elsewhere, 6.1.y included, is .flags =
 * GENL_MCAST_CAP_NET_ADMIN). Joining such a group needs CAP_SYS_ADMIN.
 */
#include <net/genetlink.h>

const struct genl_multicast_group probe_grp = {
	.name = "probe",
	.cap_sys_admin = 1,
};
