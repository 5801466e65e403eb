/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel API differences between the kernels burstguard supports
 * (Debian 11's 5.10 up to the newest Debian offers, see README), kept here
 * so the rest of the code reads as one. Nothing here compares kernel
 * versions: distribution kernels backport APIs. A macro the kernel defines
 * is tested with #ifdef; anything else (functions, struct members) by a
 * build-time probe, kmod/probes/NAME.c, which defines HAVE_NAME in the
 * generated bg_config.h when it compiles against the target's headers.
 * Each entry names the kernel change it bridges.
 */
#ifndef BG_COMPAT_H
#define BG_COMPAT_H

#include <net/genetlink.h>
#include <net/net_namespace.h>
#include <net/netfilter/ipv4/nf_defrag_ipv4.h>
#include <net/netfilter/ipv6/nf_defrag_ipv6.h>
#include "bg_config.h"

/*
 * Attributes of a dump request, parsed by the genl core before .start.
 * Mainline 6.6 put a struct genl_info into struct genl_dumpit_info
 * (genl_info_dump()) in place of its attrs member.
 */
static inline struct nlattr **bg_dump_attrs(struct netlink_callback *cb)
{
#if defined(HAVE_GENL_INFO_DUMP)
	return genl_info_dump(cb)->attrs;
#elif defined(HAVE_GENL_DUMPIT_INFO)
	return genl_dumpit_info(cb)->attrs;
#else
#error "neither genl_info_dump() nor genl_dumpit_info(): see kmod/probes and .probes/log"
#endif
}

/*
 * GENL_REQ_ATTR_CHECK(info, attr): true, with the missing attribute
 * reported in the extended ack, if a required attribute is absent
 * (mainline 6.1, "genetlink: add helpers for validating required
 * attributes"). Before it: the same test, the error message only
 * (NL_SET_ERR_ATTR_MISS came with it).
 */
#ifndef GENL_REQ_ATTR_CHECK
#define GENL_REQ_ATTR_CHECK(info, attr) ({				\
	const struct genl_info *__bg_info = (info);			\
	bool __bg_miss = !__bg_info->attrs[(attr)];			\
									\
	if (__bg_miss)							\
		GENL_SET_ERR_MSG(__bg_info, "missing required attribute"); \
	__bg_miss;							\
})
#endif

/*
 * BG_MCGRP_NET_ADMIN: the initializer of a struct genl_multicast_group
 * that only CAP_NET_ADMIN in the netns's user namespace may join. Mainline
 * 6.7 ("genetlink: Use internal flags for multicast groups", backported
 * to 6.1.y): .flags = GENL_MCAST_CAP_NET_ADMIN. The first form of that
 * check ("genetlink: add CAP_NET_ADMIN test for multicast bind", 6.7-rc,
 * the form the 5.10.y backport has since 5.10.205): .flags =
 * GENL_UNS_ADMIN_PERM, the same test in genl_bind() (probe
 * genl_mcgrp_flags). A kernel with neither lets any user join: refuse to
 * build.
 */
#if defined(GENL_MCAST_CAP_NET_ADMIN)
#define BG_MCGRP_NET_ADMIN	.flags = GENL_MCAST_CAP_NET_ADMIN
#elif defined(HAVE_GENL_MCGRP_FLAGS)
#define BG_MCGRP_NET_ADMIN	.flags = GENL_UNS_ADMIN_PERM
#else
#error "this kernel cannot restrict who joins a genl multicast group (GENL_MCAST_CAP_NET_ADMIN)"
#endif

/*
 * Release the netns's IPv4/IPv6 defragmentation taken with
 * nf_defrag_ipv{4,6}_enable(). Mainline 5.13 made it reference-counted
 * per netns ("netfilter: nf_defrag_ipv4: add nf_defrag_ipv4_disable" and
 * the ipv6 twin). Before, enabling was for good: the defrag hooks stay
 * until the netns goes away (as they do after conntrack or xt_socket used
 * them), so there is nothing to release.
 */
static inline void bg_nf_defrag_ipv4_disable(struct net *net)
{
#ifdef HAVE_NF_DEFRAG_IPV4_DISABLE
	nf_defrag_ipv4_disable(net);
#endif
}

static inline void bg_nf_defrag_ipv6_disable(struct net *net)
{
#ifdef HAVE_NF_DEFRAG_IPV6_DISABLE
	nf_defrag_ipv6_disable(net);
#endif
}

/*
 * The generic netlink header of a request: its reserved field must be zero
 * and nlmsg_flags may carry only REQUEST, ACK, ECHO and DUMP (both DUMP
 * bits or neither). Mainline 6.1's genl core checks that for every command
 * at or above the family's resv_start_op, which this family leaves at 0:
 * all of them ("genetlink: start to validate reserved header bytes",
 * probe genl_family_resv_start_op). Before it the core accepted anything
 * there, so the family checks it itself, with the core's words: in
 * pre_doit for a doit (BG_GENL_PRE_DOIT in struct genl_family) and as the
 * first thing of each dump's .start (bg_genl_dump_hdr_check()). The core
 * made sure the header is complete before either runs.
 */
static inline int bg_genl_hdr_check(const struct nlmsghdr *nlh,
				    struct netlink_ext_ack *extack)
{
#ifndef HAVE_GENL_FAMILY_RESV_START_OP
	const struct genlmsghdr *hdr = nlmsg_data(nlh);
	u16 flags = nlh->nlmsg_flags;

	if (hdr->reserved) {
		NL_SET_ERR_MSG(extack, "genlmsghdr.reserved field is not 0");
		return -EINVAL;
	}
	if ((flags & NLM_F_DUMP) == NLM_F_DUMP)
		flags &= ~NLM_F_DUMP;
	if (flags & ~(NLM_F_REQUEST | NLM_F_ACK | NLM_F_ECHO)) {
		NL_SET_ERR_MSG(extack,
			       "ambiguous or reserved bits set in nlmsg_flags");
		return -EINVAL;
	}
#endif
	return 0;
}

static inline int bg_genl_dump_hdr_check(struct netlink_callback *cb)
{
	return bg_genl_hdr_check(cb->nlh, cb->extack);
}

#ifdef HAVE_GENL_FAMILY_RESV_START_OP
#define BG_GENL_PRE_DOIT
#else
/* Kernels before 6.1 have the pre_doit of struct genl_ops (split ops: 6.2). */
static inline int bg_genl_pre_doit(const struct genl_ops *ops,
				   struct sk_buff *skb, struct genl_info *info)
{
	return bg_genl_hdr_check(info->nlhdr, info->extack);
}
#define BG_GENL_PRE_DOIT	.pre_doit = bg_genl_pre_doit,
#endif

#endif /* BG_COMPAT_H */
