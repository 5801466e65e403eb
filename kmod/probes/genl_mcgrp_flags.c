// SPDX-License-Identifier: GPL-2.0
/*
 * struct genl_multicast_group.flags: mainline 6.7-rc's "genetlink: add
 * CAP_NET_ADMIN test for multicast bind", in which genl_bind() refuses a
 * group whose flags have GENL_UNS_ADMIN_PERM to a process without
 * CAP_NET_ADMIN in the netns's user namespace. Mainline 6.7 itself
 * renamed the flag GENL_MCAST_CAP_NET_ADMIN ("genetlink: Use internal
 * flags for multicast groups"), as 6.1.y has it; the 5.10.y backport
 * (5.10.205, Debian 11) kept the first form. The member came with that
 * check: before it, any process could join any group.
 */
#include <net/genetlink.h>

const struct genl_multicast_group probe_grp = {
	.name = "probe",
	.flags = GENL_UNS_ADMIN_PERM,
};
