// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family "burstguard": configuration, lists, sources,
 * counters and events of one network namespace. The protocol is documented
 * at the top of include/burstguard.h.
 *
 * This file holds the family, the policies, the ops table, the attribute
 * helpers every handler shares and the event multicast; the handlers live
 * in one file per message group (nl.h). Requests are validated by strict
 * per-command policies before a handler runs; handlers check what a policy
 * cannot say (combinations, duplicates, sizes) and name the offending
 * attribute in the extended ACK.
 */
#include <linux/string.h>
#include "nl.h"
#include "compat.h"

static struct genl_family bg_family;

enum bg_mcgrp {
	BG_MCGRP_EVENTS,
};

static struct netlink_range_validation bg_rate_range = {
	.min = 1, .max = BG_RATE_MAX,
};

static struct netlink_range_validation bg_total_rate_range = {
	.min = 0, .max = BG_RATE_MAX,
};

/* 0: one second's worth */
static struct netlink_range_validation bg_total_burst_range = {
	.min = 0, .max = BG_BURST_MAX,
};

static struct netlink_range_validation bg_burst_range = {
	.min = 1, .max = BG_BURST_MAX,
};

static struct netlink_range_validation bg_ban_range = {
	.min = 0, .max = BG_BAN_MAX_S,
};

static struct netlink_range_validation bg_timeout_range = {
	.min = 1, .max = BG_LIST_TIMEOUT_MAX_S,
};

static struct netlink_range_validation bg_max_sources_range = {
	.min = 1, .max = BG_MAX_SOURCES_LIMIT,
};

/*
 * Attribute groups that several commands share, so that one attribute is
 * validated the same way wherever it is accepted.
 */
/* A limit: SET_CONFIG, a rule, REPLACE_CONFIG. */
#define BG_LIMIT_POLICY							\
	[BG_A_RATE] = NLA_POLICY_FULL_RANGE(NLA_U32, &bg_rate_range),	\
	[BG_A_PERIOD] = NLA_POLICY_RANGE(NLA_U32, 1, BG_PERIOD_MAX_S),	\
	[BG_A_BURST] = NLA_POLICY_FULL_RANGE(NLA_U32, &bg_burst_range),	\
	[BG_A_BAN] = NLA_POLICY_FULL_RANGE(NLA_U32, &bg_ban_range),	\
	[BG_A_MODE] = NLA_POLICY_MAX(NLA_U8, BG_MODE_MAX),		\
	[BG_A_TOTAL_RATE] = NLA_POLICY_FULL_RANGE(NLA_U32,		\
						  &bg_total_rate_range), \
	[BG_A_TOTAL_PERIOD] = NLA_POLICY_RANGE(NLA_U32, 1, BG_PERIOD_MAX_S), \
	[BG_A_TOTAL_BURST] = NLA_POLICY_FULL_RANGE(NLA_U32,		\
						   &bg_total_burst_range), \
	[BG_A_BAN_MAX] = NLA_POLICY_FULL_RANGE(NLA_U32, &bg_ban_range)

/* The table: how sources are keyed and how many are kept. */
#define BG_TABLE_POLICY							\
	[BG_A_PREFIX4] = NLA_POLICY_MAX(NLA_U8, 32),			\
	[BG_A_PREFIX6] = NLA_POLICY_MAX(NLA_U8, 128),			\
	[BG_A_MAX_SOURCES] = NLA_POLICY_FULL_RANGE(NLA_U32,		\
						   &bg_max_sources_range), \
	[BG_A_FORWARD] = NLA_POLICY_MAX(NLA_U8, 1),			\
	[BG_A_STRIKES_FORGET] = NLA_POLICY_FULL_RANGE(NLA_U32, &bg_ban_range)

/* A rule's ports. */
#define BG_PORTS_POLICY							\
	[BG_A_PORT_MIN] = NLA_POLICY_MIN(NLA_U16, 1),			\
	[BG_A_PORT_MAX] = NLA_POLICY_MIN(NLA_U16, 1)

/* A prefix: an IPv4 or IPv6 address and a length. */
#define BG_PREFIX_POLICY						\
	[BG_A_ADDR4] = NLA_POLICY_EXACT_LEN(sizeof(__be32)),		\
	[BG_A_ADDR6] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),	\
	[BG_A_PLEN] = NLA_POLICY_MAX(NLA_U8, 128)

/* Commands without attributes: anything sent is rejected. */
static const struct nla_policy bg_none_policy[BG_A_MAX + 1] = {
};

static const struct nla_policy bg_config_policy[BG_A_MAX + 1] = {
	BG_LIMIT_POLICY,
	BG_TABLE_POLICY,
};

static const struct nla_policy bg_rule_policy[BG_A_MAX + 1] = {
	BG_PORTS_POLICY,
	BG_LIMIT_POLICY,
};

const struct nla_policy bg_rule_entry_policy[BG_A_MAX + 1] = {
	[BG_A_RULE_ID] = NLA_POLICY_MIN(NLA_U16, 1),
	BG_PORTS_POLICY,
	BG_LIMIT_POLICY,
};

static const struct nla_policy bg_rule_del_policy[BG_A_MAX + 1] = {
	[BG_A_RULE_ID] = NLA_POLICY_MIN(NLA_U16, 1),
	BG_PORTS_POLICY,
};

const struct nla_policy bg_prefix_entry_policy[BG_A_MAX + 1] = {
	BG_PREFIX_POLICY,
	[BG_A_TIMEOUT] = NLA_POLICY_FULL_RANGE(NLA_U32, &bg_timeout_range),
};

static const struct nla_policy bg_replace_policy[BG_A_MAX + 1] = {
	BG_LIMIT_POLICY,
	BG_TABLE_POLICY,
	[BG_A_RULES] = NLA_POLICY_NESTED_ARRAY(bg_rule_entry_policy),
	[BG_A_ALLOW] = NLA_POLICY_NESTED_ARRAY(bg_prefix_entry_policy),
	[BG_A_DENY] = NLA_POLICY_NESTED_ARRAY(bg_prefix_entry_policy),
	[BG_A_KEEP_LISTS] = NLA_POLICY_MAX(NLA_U8, 1),
};

static const struct nla_policy bg_list_prefix_policy[BG_A_MAX + 1] = {
	[BG_A_LIST] = NLA_POLICY_RANGE(NLA_U8, 1, BG_LIST_MAX),
	BG_PREFIX_POLICY,
	[BG_A_TIMEOUT] = NLA_POLICY_FULL_RANGE(NLA_U32, &bg_timeout_range),
	[BG_A_MERGE] = NLA_POLICY_MAX(NLA_U8, 1),
};

static struct netlink_range_validation bg_list_count_range = {
	.min = 0, .max = BG_MAX_LIST_ENTRIES,
};

static const struct nla_policy bg_import_begin_policy[BG_A_MAX + 1] = {
	[BG_A_LIST] = NLA_POLICY_RANGE(NLA_U8, 1, BG_LIST_MAX),
	[BG_A_MERGE] = NLA_POLICY_MAX(NLA_U8, 1),
	[BG_A_COUNT] = NLA_POLICY_FULL_RANGE(NLA_U32, &bg_list_count_range),
};

static const struct nla_policy bg_import_chunk_policy[BG_A_MAX + 1] = {
	[BG_A_ENTRIES] = NLA_POLICY_NESTED_ARRAY(bg_prefix_entry_policy),
};

static const struct nla_policy bg_list_policy[BG_A_MAX + 1] = {
	[BG_A_LIST] = NLA_POLICY_RANGE(NLA_U8, 1, BG_LIST_MAX),
};

static const struct nla_policy bg_forget_policy[BG_A_MAX + 1] = {
	BG_PREFIX_POLICY,
};

/* Fill @l from the limit attributes present in @tb; check the result. */
int bg_limit_parse(struct nlattr **tb, struct bg_limit *l,
		   struct netlink_ext_ack *extack)
{
	struct bg_limit check;

	if (tb[BG_A_RATE])
		l->rate = nla_get_u32(tb[BG_A_RATE]);
	if (tb[BG_A_PERIOD]) {
		l->period = nla_get_u32(tb[BG_A_PERIOD]);
		if (l->period != 1 && l->period != 60 && l->period != 3600) {
			NL_SET_ERR_MSG_ATTR(extack, tb[BG_A_PERIOD],
					    "period must be 1, 60 or 3600 seconds");
			return -EINVAL;
		}
	}
	if (tb[BG_A_BURST])
		l->burst = nla_get_u32(tb[BG_A_BURST]);
	if (tb[BG_A_BAN])
		l->ban = nla_get_u32(tb[BG_A_BAN]);
	if (tb[BG_A_MODE])
		l->mode = nla_get_u8(tb[BG_A_MODE]);
	if (tb[BG_A_BAN_MAX])
		l->ban_max = nla_get_u32(tb[BG_A_BAN_MAX]);
	else if (tb[BG_A_BAN])
		l->ban_max = 0;	/* a new ban without a max: fixed */
	if (l->ban_max && l->ban_max < l->ban) {
		NL_SET_ERR_MSG_ATTR(extack, tb[BG_A_BAN_MAX] ?: tb[BG_A_BAN],
				    "ban max shorter than the ban");
		return -EINVAL;
	}
	if (tb[BG_A_TOTAL_PERIOD]) {
		l->total_period = nla_get_u32(tb[BG_A_TOTAL_PERIOD]);
		if (l->total_period != 1 && l->total_period != 60 &&
		    l->total_period != 3600) {
			NL_SET_ERR_MSG_ATTR(extack, tb[BG_A_TOTAL_PERIOD],
					    "period must be 1, 60 or 3600 seconds");
			return -EINVAL;
		}
	}
	if (tb[BG_A_TOTAL_RATE]) {
		l->total_rate = nla_get_u32(tb[BG_A_TOTAL_RATE]);
		if (!l->total_period)
			l->total_period = 1;
		if (!tb[BG_A_TOTAL_BURST])
			l->total_burst = 0;
	}
	if (tb[BG_A_TOTAL_BURST])
		l->total_burst = nla_get_u32(tb[BG_A_TOTAL_BURST]);
	/* 0 or absent with a new total: one second's worth */
	if (l->total_rate && !l->total_burst)
		l->total_burst = clamp(l->total_rate / l->total_period, 1U,
				       BG_BURST_MAX);
	if (!l->total_rate) {
		/* off: nothing of it is kept */
		l->total_period = 1;
		l->total_burst = 0;
	}

	check = *l;
	check.total_rate = 0;
	if (bg_limit_prepare(&check, NULL)) {
		const struct nlattr *bad = tb[BG_A_BURST];

		if (!bad)
			bad = tb[BG_A_RATE] ? tb[BG_A_RATE] : tb[BG_A_PERIOD];
		NL_SET_ERR_MSG_ATTR(extack, bad,
				    "rate times burst too large: burst * period / rate must not exceed 2^60 ns");
		return -ERANGE;
	}
	check = *l;
	if (bg_limit_prepare(&check, NULL)) {
		const struct nlattr *bad = tb[BG_A_TOTAL_BURST];

		if (!bad)
			bad = tb[BG_A_TOTAL_RATE] ? tb[BG_A_TOTAL_RATE] :
						    tb[BG_A_TOTAL_PERIOD];
		NL_SET_ERR_MSG_ATTR(extack, bad,
				    "total rate times burst too large: burst * period / rate must not exceed 2^60 ns");
		return -ERANGE;
	}
	return 0;
}

void bg_config_parse(struct nlattr **tb, struct bg_conf *c)
{
	if (tb[BG_A_PREFIX4])
		c->prefix4 = nla_get_u8(tb[BG_A_PREFIX4]);
	if (tb[BG_A_PREFIX6])
		c->prefix6 = nla_get_u8(tb[BG_A_PREFIX6]);
	if (tb[BG_A_MAX_SOURCES])
		c->max_sources = nla_get_u32(tb[BG_A_MAX_SOURCES]);
	if (tb[BG_A_FORWARD])
		c->forward = nla_get_u8(tb[BG_A_FORWARD]);
	if (tb[BG_A_STRIKES_FORGET])
		c->strikes_forget = nla_get_u32(tb[BG_A_STRIKES_FORGET]);
}

int bg_ports_parse(struct nlattr **tb, const struct nlattr *where,
		   u16 *min, u16 *max, struct netlink_ext_ack *extack)
{
	if (!tb[BG_A_PORT_MIN]) {
		NL_SET_ERR_MSG_ATTR(extack, where, "a rule needs BG_A_PORT_MIN");
		return -EINVAL;
	}
	*min = nla_get_u16(tb[BG_A_PORT_MIN]);
	*max = tb[BG_A_PORT_MAX] ? nla_get_u16(tb[BG_A_PORT_MAX]) : *min;
	if (*max < *min) {
		NL_SET_ERR_MSG_ATTR(extack, tb[BG_A_PORT_MAX],
				    "port range ends before it starts");
		return -EINVAL;
	}
	return 0;
}

int bg_prefix_parse(struct nlattr **tb, const struct nlattr *where,
		    struct bg_prefix *p, struct netlink_ext_ack *extack)
{
	u8 max;

	memset(p, 0, sizeof(*p));
	if (!!tb[BG_A_ADDR4] == !!tb[BG_A_ADDR6]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[BG_A_ADDR6] ? tb[BG_A_ADDR6] : where,
				    "give exactly one of BG_A_ADDR4 and BG_A_ADDR6");
		return -EINVAL;
	}
	if (!tb[BG_A_PLEN]) {
		NL_SET_ERR_MSG_ATTR(extack, where, "a prefix needs BG_A_PLEN");
		return -EINVAL;
	}
	if (tb[BG_A_ADDR4]) {
		p->family = AF_INET;
		p->addr.s6_addr32[0] = nla_get_in_addr(tb[BG_A_ADDR4]);
		max = 32;
	} else {
		p->family = AF_INET6;
		p->addr = nla_get_in6_addr(tb[BG_A_ADDR6]);
		max = 128;
	}
	p->len = nla_get_u8(tb[BG_A_PLEN]);
	if (p->len > max) {
		NL_SET_ERR_MSG_ATTR(extack, tb[BG_A_PLEN],
				    "prefix length longer than the address");
		return -EINVAL;
	}
	bg_prefix_mask(p);
	return 0;
}

int bg_put_limit(struct sk_buff *skb, const struct bg_limit *l)
{
	if (nla_put_u32(skb, BG_A_RATE, l->rate) ||
	    nla_put_u32(skb, BG_A_PERIOD, l->period) ||
	    nla_put_u32(skb, BG_A_BURST, l->burst) ||
	    nla_put_u32(skb, BG_A_BAN, l->ban) ||
	    nla_put_u8(skb, BG_A_MODE, l->mode) ||
	    nla_put_u32(skb, BG_A_TOTAL_RATE, l->total_rate) ||
	    nla_put_u32(skb, BG_A_TOTAL_PERIOD, l->total_period ?: 1) ||
	    nla_put_u32(skb, BG_A_TOTAL_BURST, l->total_burst) ||
	    nla_put_u32(skb, BG_A_BAN_MAX, l->ban_max))
		return -EMSGSIZE;
	return 0;
}

int bg_put_total_refused(struct sk_buff *skb, u64 refused)
{
	return nla_put_u64_64bit(skb, BG_A_TOTAL_REFUSED, refused, BG_A_PAD) ?
	       -EMSGSIZE : 0;
}

int bg_put_rule(struct sk_buff *skb, const struct bg_rule *r)
{
	if (nla_put_u16(skb, BG_A_RULE_ID, r->id) ||
	    nla_put_u16(skb, BG_A_PORT_MIN, r->port_min) ||
	    nla_put_u16(skb, BG_A_PORT_MAX, r->port_max))
		return -EMSGSIZE;
	return bg_put_limit(skb, &r->limit);
}

int bg_put_addr(struct sk_buff *skb, u8 family, const struct in6_addr *addr,
		u8 len)
{
	int ret;

	if (family == AF_INET)
		ret = nla_put_in_addr(skb, BG_A_ADDR4, addr->s6_addr32[0]);
	else
		ret = nla_put_in6_addr(skb, BG_A_ADDR6, addr);
	return ret ? ret : nla_put_u8(skb, BG_A_PLEN, len);
}

int bg_put_key(struct sk_buff *skb, const struct bg_key *key)
{
	struct in6_addr a;

	bg_key_addr(key, &a);
	if (nla_put_u16(skb, BG_A_RULE_ID, key->rule))
		return -EMSGSIZE;
	return bg_put_addr(skb, key->family, &a, key->plen);
}

void *bg_reply_start(struct genl_info *info, struct sk_buff **skb, u8 cmd)
{
	void *hdr;

	*skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!*skb)
		return NULL;
	hdr = genlmsg_put_reply(*skb, info, &bg_family, 0, cmd);
	if (!hdr) {
		nlmsg_free(*skb);
		*skb = NULL;
	}
	return hdr;
}

void *bg_dump_start_msg(struct sk_buff *skb, struct netlink_callback *cb,
			u8 cmd)
{
	return genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			   &bg_family, NLM_F_MULTI, cmd);
}

static const struct genl_ops bg_ops[] = {
	{
		.cmd = BG_CMD_GET_CONFIG,
		.doit = bg_nl_get_config,
		.policy = bg_none_policy,
		.maxattr = BG_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = BG_CMD_SET_CONFIG,
		.doit = bg_nl_set_config,
		.policy = bg_config_policy,
		.maxattr = BG_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = BG_CMD_REPLACE_CONFIG,
		.doit = bg_nl_replace_config,
		.policy = bg_replace_policy,
		.maxattr = BG_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = BG_CMD_ADD_RULE,
		.doit = bg_nl_add_rule,
		.policy = bg_rule_policy,
		.maxattr = BG_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = BG_CMD_DEL_RULE,
		.doit = bg_nl_del_rule,
		.policy = bg_rule_del_policy,
		.maxattr = BG_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = BG_CMD_GET_RULE,
		.start = bg_nl_rule_start,
		.dumpit = bg_nl_rule_dump,
		.done = bg_nl_rule_done,
		.policy = bg_none_policy,
		.maxattr = BG_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = BG_CMD_ADD_PREFIX,
		.doit = bg_nl_add_prefix,
		.policy = bg_list_prefix_policy,
		.maxattr = BG_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = BG_CMD_DEL_PREFIX,
		.doit = bg_nl_del_prefix,
		.policy = bg_list_prefix_policy,
		.maxattr = BG_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = BG_CMD_GET_PREFIX,
		.start = bg_nl_prefix_start,
		.dumpit = bg_nl_prefix_dump,
		.policy = bg_list_policy,
		.maxattr = BG_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = BG_CMD_FLUSH_PREFIX,
		.doit = bg_nl_flush_prefix,
		.policy = bg_list_policy,
		.maxattr = BG_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = BG_CMD_IMPORT_BEGIN,
		.doit = bg_nl_import_begin,
		.policy = bg_import_begin_policy,
		.maxattr = BG_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = BG_CMD_IMPORT_CHUNK,
		.doit = bg_nl_import_chunk,
		.policy = bg_import_chunk_policy,
		.maxattr = BG_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = BG_CMD_IMPORT_COMMIT,
		.doit = bg_nl_import_commit,
		.policy = bg_none_policy,
		.maxattr = BG_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = BG_CMD_IMPORT_ABORT,
		.doit = bg_nl_import_abort,
		.policy = bg_none_policy,
		.maxattr = BG_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = BG_CMD_GET_SOURCE,
		.start = bg_nl_source_start,
		.dumpit = bg_nl_source_dump,
		.policy = bg_none_policy,
		.maxattr = BG_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = BG_CMD_FORGET,
		.doit = bg_nl_forget,
		.policy = bg_forget_policy,
		.maxattr = BG_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = BG_CMD_FLUSH,
		.doit = bg_nl_flush,
		.policy = bg_none_policy,
		.maxattr = BG_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = BG_CMD_GET_STATS,
		.doit = bg_nl_get_stats,
		.policy = bg_none_policy,
		.maxattr = BG_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
};

static const struct genl_multicast_group bg_mcgrps[] = {
	/* Joining needs CAP_NET_ADMIN in the netns's user namespace. */
	[BG_MCGRP_EVENTS] = {
		.name = BG_GENL_MCGRP_EVENTS,
		BG_MCGRP_NET_ADMIN,
	},
};

static struct genl_family bg_family __ro_after_init = {
	.name = BG_GENL_NAME,
	.version = BG_GENL_VERSION,
	.maxattr = BG_A_MAX,
	.netnsok = true,
	/* Not under the global genl_mutex: handlers take bn->conf_mutex. */
	.parallel_ops = true,
	BG_GENL_PRE_DOIT
	.module = THIS_MODULE,
	.ops = bg_ops,
	.n_ops = ARRAY_SIZE(bg_ops),
	.mcgrps = bg_mcgrps,
	.n_mcgrps = ARRAY_SIZE(bg_mcgrps),
};

/* EVENT, RULE_ID, ADDR6, PLEN, BAN */
#define BG_EVENT_SIZE	(nla_total_size(sizeof(u8)) +			\
			 nla_total_size(sizeof(u16)) +			\
			 nla_total_size(sizeof(struct in6_addr)) +	\
			 nla_total_size(sizeof(u8)) +			\
			 nla_total_size(sizeof(u32)))

void bg_genl_notify(struct bg_net *bn, enum bg_event ev,
		    const struct bg_key *key, u32 ban)
{
	struct sk_buff *skb;
	void *hdr;

	if (!genl_has_listeners(&bg_family, bn->net, BG_MCGRP_EVENTS))
		return;
	skb = genlmsg_new(BG_EVENT_SIZE, GFP_ATOMIC);
	if (!skb)
		return;
	hdr = genlmsg_put(skb, 0, 0, &bg_family, 0, BG_CMD_EVENT);
	if (!hdr)
		goto err;
	if (nla_put_u8(skb, BG_A_EVENT, ev))
		goto err;
	if (key && bg_put_key(skb, key))
		goto err;
	if (key && ev == BG_EVENT_BANNED && nla_put_u32(skb, BG_A_BAN, ban))
		goto err;
	genlmsg_end(skb, hdr);
	genlmsg_multicast_netns(&bg_family, bn->net, skb, 0, BG_MCGRP_EVENTS,
				GFP_ATOMIC);
	return;
err:
	nlmsg_free(skb);
}

/* A socket that closes drops the import it had open (nl_conf.c). */
static int bg_netlink_notify(struct notifier_block *nb, unsigned long state,
			     void *ptr)
{
	struct netlink_notify *n = ptr;

	if (state == NETLINK_URELEASE && n->protocol == NETLINK_GENERIC)
		bg_import_release(bg_pernet(n->net), n->portid);
	return NOTIFY_DONE;
}

static struct notifier_block bg_netlink_nb = {
	.notifier_call = bg_netlink_notify,
};

int __init bg_genl_init(void)
{
	int ret = netlink_register_notifier(&bg_netlink_nb);

	if (ret)
		return ret;
	ret = genl_register_family(&bg_family);
	if (ret)
		netlink_unregister_notifier(&bg_netlink_nb);
	return ret;
}

void bg_genl_exit(void)
{
	genl_unregister_family(&bg_family);
	netlink_unregister_notifier(&bg_netlink_nb);
}
