// SPDX-License-Identifier: GPL-2.0
/*
 * struct genl_family.resv_start_op: mainline 6.1, "genetlink: start to
 * validate reserved header bytes". With it the genl core refuses a request
 * whose genlmsghdr.reserved is not zero, or whose nlmsg_flags carry bits
 * other than REQUEST, ACK, ECHO and DUMP, for every command at or above
 * resv_start_op. Without it the family checks that itself (kmod/compat.h,
 * bg_genl_hdr_check()).
 */
#include <net/genetlink.h>

struct genl_family probe_family = {
	.resv_start_op = 1,
};
