// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family "burstguard": configuration, lists, sources,
 * counters and events of one network namespace. The protocol is documented
 * at the top of include/burstguard.h.
 *
 * Every writer builds a new configuration snapshot from a clone under
 * bn->conf_mutex and hands it to bg_conf_commit(), so a request either
 * takes effect as a whole or changes nothing. Requests are validated by
 * strict per-command policies before a handler runs; handlers check what
 * a policy cannot say (combinations, duplicates, sizes) and name the
 * offending attribute in the extended ACK.
 */
#include <linux/slab.h>
#include <linux/string.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>
#include "internal.h"
#include "compat.h"

static struct genl_family bg_family;

enum bg_mcgrp {
	BG_MCGRP_EVENTS,
};

static struct netlink_range_validation bg_rate_range = {
	.min = 1, .max = BG_RATE_MAX,
};

static struct netlink_range_validation bg_burst_range = {
	.min = 1, .max = BG_BURST_MAX,
};

static struct netlink_range_validation bg_ban_range = {
	.min = 0, .max = BG_BAN_MAX_S,
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
	[BG_A_MODE] = NLA_POLICY_MAX(NLA_U8, BG_MODE_MAX)

/* The table: how sources are keyed and how many are kept. */
#define BG_TABLE_POLICY							\
	[BG_A_PREFIX4] = NLA_POLICY_MAX(NLA_U8, 32),			\
	[BG_A_PREFIX6] = NLA_POLICY_MAX(NLA_U8, 128),			\
	[BG_A_MAX_SOURCES] = NLA_POLICY_FULL_RANGE(NLA_U32,		\
						   &bg_max_sources_range), \
	[BG_A_FORWARD] = NLA_POLICY_MAX(NLA_U8, 1)

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

static const struct nla_policy bg_rule_entry_policy[BG_A_MAX + 1] = {
	[BG_A_RULE_ID] = NLA_POLICY_MIN(NLA_U16, 1),
	BG_PORTS_POLICY,
	BG_LIMIT_POLICY,
};

static const struct nla_policy bg_rule_del_policy[BG_A_MAX + 1] = {
	[BG_A_RULE_ID] = NLA_POLICY_MIN(NLA_U16, 1),
	BG_PORTS_POLICY,
};

static const struct nla_policy bg_prefix_entry_policy[BG_A_MAX + 1] = {
	BG_PREFIX_POLICY,
};

static const struct nla_policy bg_replace_policy[BG_A_MAX + 1] = {
	BG_LIMIT_POLICY,
	BG_TABLE_POLICY,
	[BG_A_RULES] = NLA_POLICY_NESTED_ARRAY(bg_rule_entry_policy),
	[BG_A_ALLOW] = NLA_POLICY_NESTED_ARRAY(bg_prefix_entry_policy),
	[BG_A_DENY] = NLA_POLICY_NESTED_ARRAY(bg_prefix_entry_policy),
};

static const struct nla_policy bg_list_prefix_policy[BG_A_MAX + 1] = {
	[BG_A_LIST] = NLA_POLICY_RANGE(NLA_U8, 1, BG_LIST_MAX),
	BG_PREFIX_POLICY,
};

static const struct nla_policy bg_list_policy[BG_A_MAX + 1] = {
	[BG_A_LIST] = NLA_POLICY_RANGE(NLA_U8, 1, BG_LIST_MAX),
};

static const struct nla_policy bg_forget_policy[BG_A_MAX + 1] = {
	BG_PREFIX_POLICY,
};

static struct bg_net *bg_info_pernet(struct genl_info *info)
{
	return bg_pernet(genl_info_net(info));
}

static struct bg_net *bg_cb_pernet(struct netlink_callback *cb)
{
	return bg_pernet(sock_net(cb->skb->sk));
}

/* Fill @l from the limit attributes present in @tb; check the result. */
static int bg_limit_parse(struct nlattr **tb, struct bg_limit *l,
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

	check = *l;
	if (bg_limit_prepare(&check, NULL)) {
		const struct nlattr *bad = tb[BG_A_BURST];

		if (!bad)
			bad = tb[BG_A_RATE] ? tb[BG_A_RATE] : tb[BG_A_PERIOD];
		NL_SET_ERR_MSG_ATTR(extack, bad,
				    "rate times burst too large: burst * period / rate must not exceed 2^60 ns");
		return -ERANGE;
	}
	return 0;
}

static void bg_config_parse(struct nlattr **tb, struct bg_conf *c)
{
	if (tb[BG_A_PREFIX4])
		c->prefix4 = nla_get_u8(tb[BG_A_PREFIX4]);
	if (tb[BG_A_PREFIX6])
		c->prefix6 = nla_get_u8(tb[BG_A_PREFIX6]);
	if (tb[BG_A_MAX_SOURCES])
		c->max_sources = nla_get_u32(tb[BG_A_MAX_SOURCES]);
	if (tb[BG_A_FORWARD])
		c->forward = nla_get_u8(tb[BG_A_FORWARD]);
}

/* Ports of a rule; @where names the rule for errors (NULL: top level). */
static int bg_ports_parse(struct nlattr **tb, const struct nlattr *where,
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

/* A prefix from BG_A_ADDR4/BG_A_ADDR6 and BG_A_PLEN, host bits cleared. */
static int bg_prefix_parse(struct nlattr **tb, const struct nlattr *where,
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

static int bg_put_limit(struct sk_buff *skb, const struct bg_limit *l)
{
	if (nla_put_u32(skb, BG_A_RATE, l->rate) ||
	    nla_put_u32(skb, BG_A_PERIOD, l->period) ||
	    nla_put_u32(skb, BG_A_BURST, l->burst) ||
	    nla_put_u32(skb, BG_A_BAN, l->ban) ||
	    nla_put_u8(skb, BG_A_MODE, l->mode))
		return -EMSGSIZE;
	return 0;
}

static int bg_put_rule(struct sk_buff *skb, const struct bg_rule *r)
{
	if (nla_put_u16(skb, BG_A_RULE_ID, r->id) ||
	    nla_put_u16(skb, BG_A_PORT_MIN, r->port_min) ||
	    nla_put_u16(skb, BG_A_PORT_MAX, r->port_max))
		return -EMSGSIZE;
	return bg_put_limit(skb, &r->limit);
}

static int bg_put_addr(struct sk_buff *skb, u8 family,
		       const struct in6_addr *addr, u8 len)
{
	int ret;

	if (family == AF_INET)
		ret = nla_put_in_addr(skb, BG_A_ADDR4, addr->s6_addr32[0]);
	else
		ret = nla_put_in6_addr(skb, BG_A_ADDR6, addr);
	return ret ? ret : nla_put_u8(skb, BG_A_PLEN, len);
}

static int bg_put_key(struct sk_buff *skb, const struct bg_key *key)
{
	struct in6_addr a = {};

	if (key->family == AF_INET)
		a.s6_addr32[0] = key->addr.v4;
	else
		a = key->addr.v6;
	if (nla_put_u16(skb, BG_A_RULE_ID, key->rule))
		return -EMSGSIZE;
	return bg_put_addr(skb, key->family, &a, key->plen);
}

/* Start a reply to @info; the caller sends or frees @skb. */
static void *bg_reply_start(struct genl_info *info, struct sk_buff **skb,
			    u8 cmd)
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

static int bg_nl_get_config(struct sk_buff *skb, struct genl_info *info)
{
	struct bg_net *bn = bg_info_pernet(info);
	const struct bg_conf *c;
	struct sk_buff *msg;
	void *hdr;
	int ret;

	hdr = bg_reply_start(info, &msg, BG_CMD_GET_CONFIG);
	if (!hdr)
		return -ENOMEM;
	rcu_read_lock();
	c = rcu_dereference(bn->conf);
	ret = bg_put_limit(msg, &c->limit);
	if (!ret &&
	    (nla_put_u8(msg, BG_A_PREFIX4, c->prefix4) ||
	     nla_put_u8(msg, BG_A_PREFIX6, c->prefix6) ||
	     nla_put_u32(msg, BG_A_MAX_SOURCES, c->max_sources) ||
	     nla_put_u8(msg, BG_A_FORWARD, c->forward) ||
	     nla_put_u32(msg, BG_A_RULE_COUNT, c->nrules) ||
	     nla_put_u32(msg, BG_A_ALLOW_COUNT, c->nallow) ||
	     nla_put_u32(msg, BG_A_DENY_COUNT, c->ndeny)))
		ret = -EMSGSIZE;
	rcu_read_unlock();
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/* Clone, let @change modify the clone, commit; all under conf_mutex. */
static int bg_conf_change(struct bg_net *bn, struct genl_info *info,
			  int (*change)(struct bg_conf *c,
					struct genl_info *info, void *arg),
			  void *arg)
{
	struct bg_conf *c;
	int ret;

	mutex_lock(&bn->conf_mutex);
	c = bg_conf_clone(bg_conf_locked(bn));
	if (!c) {
		ret = -ENOMEM;
		goto out;
	}
	ret = change(c, info, arg);
	if (!ret)
		ret = bg_conf_commit(bn, c, info->extack);
	if (ret)
		bg_conf_free(c);
out:
	mutex_unlock(&bn->conf_mutex);
	return ret;
}

static int bg_set_config(struct bg_conf *c, struct genl_info *info,
			 void *arg)
{
	int ret = bg_limit_parse(info->attrs, &c->limit, info->extack);

	if (ret)
		return ret;
	bg_config_parse(info->attrs, c);
	return 0;
}

static int bg_nl_set_config(struct sk_buff *skb, struct genl_info *info)
{
	return bg_conf_change(bg_info_pernet(info), info, bg_set_config, NULL);
}

static bool bg_rule_id_used(const struct bg_rule *rules, u32 n, u16 id)
{
	u32 i;

	for (i = 0; i < n; i++)
		if (rules[i].id == id)
			return true;
	return false;
}

/* The next free rule id from c->next_rule_id, also avoiding @avoid. */
static u16 bg_rule_id_next(struct bg_conf *c, const struct bg_rule *rules,
			   u32 n, const struct bg_rule *avoid, u32 navoid)
{
	u16 id = c->next_rule_id ? c->next_rule_id : 1;

	/* At most BG_MAX_RULES * 2 ids are taken: this ends quickly. */
	while (bg_rule_id_used(rules, n, id) ||
	       bg_rule_id_used(avoid, navoid, id))
		id = id == U16_MAX ? 1 : id + 1;
	c->next_rule_id = id == U16_MAX ? 1 : id + 1;
	return id;
}

static int bg_rule_find_ports(const struct bg_rule *rules, u32 n, u16 min,
			      u16 max)
{
	u32 i;

	for (i = 0; i < n; i++)
		if (rules[i].port_min == min && rules[i].port_max == max)
			return i;
	return -1;
}

static int bg_add_rule(struct bg_conf *c, struct genl_info *info, void *arg)
{
	struct nlattr **tb = info->attrs;
	struct bg_rule r = {}, *rules;
	int ret;

	ret = bg_ports_parse(tb, NULL, &r.port_min, &r.port_max, info->extack);
	if (ret)
		return ret;
	if (bg_rule_find_ports(c->rules, c->nrules, r.port_min,
			       r.port_max) >= 0) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[BG_A_PORT_MIN],
				    "a rule for this port range exists");
		return -EEXIST;
	}
	if (c->nrules >= BG_MAX_RULES) {
		NL_SET_ERR_MSG(info->extack, "too many rules");
		return -ENOSPC;
	}
	r.limit = c->limit;
	ret = bg_limit_parse(tb, &r.limit, info->extack);
	if (ret)
		return ret;
	r.id = bg_rule_id_next(c, c->rules, c->nrules, NULL, 0);
	rules = krealloc(c->rules, (c->nrules + 1) * sizeof(*rules),
			 GFP_KERNEL);
	if (!rules)
		return -ENOMEM;
	rules[c->nrules++] = r;
	c->rules = rules;
	*(struct bg_rule *)arg = r;
	return 0;
}

static int bg_nl_add_rule(struct sk_buff *skb, struct genl_info *info)
{
	struct bg_rule r;
	struct sk_buff *msg;
	void *hdr;
	int ret;

	/* Allocated first: once committed, the request must not fail. */
	hdr = bg_reply_start(info, &msg, BG_CMD_ADD_RULE);
	if (!hdr)
		return -ENOMEM;
	ret = bg_conf_change(bg_info_pernet(info), info, bg_add_rule, &r);
	if (!ret)
		ret = bg_put_rule(msg, &r);
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int bg_del_rule(struct bg_conf *c, struct genl_info *info, void *arg)
{
	struct nlattr **tb = info->attrs;
	int i = -1, ret;
	u16 min, max;
	u32 j;

	if (!!tb[BG_A_RULE_ID] == !!tb[BG_A_PORT_MIN]) {
		NL_SET_ERR_MSG(info->extack,
			       "give either BG_A_RULE_ID or BG_A_PORT_MIN");
		return -EINVAL;
	}
	if (tb[BG_A_RULE_ID]) {
		if (tb[BG_A_PORT_MAX]) {
			NL_SET_ERR_MSG_ATTR(info->extack, tb[BG_A_PORT_MAX],
					    "BG_A_PORT_MAX without BG_A_PORT_MIN");
			return -EINVAL;
		}
		for (j = 0; j < c->nrules; j++)
			if (c->rules[j].id == nla_get_u16(tb[BG_A_RULE_ID]))
				i = j;
	} else {
		ret = bg_ports_parse(tb, NULL, &min, &max, info->extack);
		if (ret)
			return ret;
		i = bg_rule_find_ports(c->rules, c->nrules, min, max);
	}
	if (i < 0) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    tb[BG_A_RULE_ID] ? tb[BG_A_RULE_ID] :
				    tb[BG_A_PORT_MIN], "no such rule");
		return -ENOENT;
	}
	c->nrules--;
	memmove(&c->rules[i], &c->rules[i + 1],
		(c->nrules - i) * sizeof(*c->rules));
	return 0;
}

static int bg_nl_del_rule(struct sk_buff *skb, struct genl_info *info)
{
	return bg_conf_change(bg_info_pernet(info), info, bg_del_rule, NULL);
}

static void bg_list_get(struct bg_conf *c, u8 list, struct bg_prefix ***arr,
			u32 **n)
{
	if (list == BG_LIST_ALLOW) {
		*arr = &c->allow;
		*n = &c->nallow;
	} else {
		*arr = &c->deny;
		*n = &c->ndeny;
	}
}

static int bg_add_prefix(struct bg_conf *c, struct genl_info *info,
			 void *arg)
{
	struct nlattr **tb = info->attrs;
	struct bg_prefix p, **arr, *nl;
	u32 *n;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, BG_A_LIST)) {
		NL_SET_ERR_MSG(info->extack, "BG_A_LIST is required");
		return -EINVAL;
	}
	ret = bg_prefix_parse(tb, NULL, &p, info->extack);
	if (ret)
		return ret;
	bg_list_get(c, nla_get_u8(tb[BG_A_LIST]), &arr, &n);
	if (bg_prefix_find(*arr, *n, &p) >= 0) {
		NL_SET_ERR_MSG(info->extack, "prefix already in the list");
		return -EEXIST;
	}
	if (*n >= BG_MAX_PREFIXES) {
		NL_SET_ERR_MSG(info->extack, "list full");
		return -ENOSPC;
	}
	nl = krealloc(*arr, (*n + 1) * sizeof(*nl), GFP_KERNEL);
	if (!nl)
		return -ENOMEM;
	nl[(*n)++] = p;
	*arr = nl;
	return 0;
}

static int bg_del_prefix(struct bg_conf *c, struct genl_info *info,
			 void *arg)
{
	struct nlattr **tb = info->attrs;
	struct bg_prefix p, **arr;
	int i, ret;
	u32 *n;

	if (GENL_REQ_ATTR_CHECK(info, BG_A_LIST)) {
		NL_SET_ERR_MSG(info->extack, "BG_A_LIST is required");
		return -EINVAL;
	}
	ret = bg_prefix_parse(tb, NULL, &p, info->extack);
	if (ret)
		return ret;
	bg_list_get(c, nla_get_u8(tb[BG_A_LIST]), &arr, &n);
	i = bg_prefix_find(*arr, *n, &p);
	if (i < 0) {
		NL_SET_ERR_MSG(info->extack, "prefix not in the list");
		return -ENOENT;
	}
	(*n)--;
	memmove(&(*arr)[i], &(*arr)[i + 1], (*n - i) * sizeof(p));
	return 0;
}

static int bg_flush_prefix(struct bg_conf *c, struct genl_info *info,
			   void *arg)
{
	struct bg_prefix **arr;
	u32 *n;

	if (GENL_REQ_ATTR_CHECK(info, BG_A_LIST)) {
		NL_SET_ERR_MSG(info->extack, "BG_A_LIST is required");
		return -EINVAL;
	}
	bg_list_get(c, nla_get_u8(info->attrs[BG_A_LIST]), &arr, &n);
	kfree(*arr);
	*arr = NULL;
	*n = 0;
	return 0;
}

static int bg_nl_add_prefix(struct sk_buff *skb, struct genl_info *info)
{
	return bg_conf_change(bg_info_pernet(info), info, bg_add_prefix, NULL);
}

static int bg_nl_del_prefix(struct sk_buff *skb, struct genl_info *info)
{
	return bg_conf_change(bg_info_pernet(info), info, bg_del_prefix, NULL);
}

static int bg_nl_flush_prefix(struct sk_buff *skb, struct genl_info *info)
{
	return bg_conf_change(bg_info_pernet(info), info, bg_flush_prefix,
			      NULL);
}

/* The rules of a REPLACE_CONFIG request (NULL @nest: none) into @c. */
static int bg_replace_rules(struct bg_conf *c, const struct bg_conf *old,
			    const struct nlattr *nest,
			    struct netlink_ext_ack *extack)
{
	struct nlattr *tb[BG_A_MAX + 1];
	const struct nlattr *entry;
	bool *fresh = NULL;
	struct bg_rule *rules, *r;
	u32 n = 0, i;
	int rem, ret = 0, k;

	if (!nest) {		/* absent: no rules */
		kfree(c->rules);
		c->rules = NULL;
		c->nrules = 0;
		return 0;
	}
	rules = kcalloc(BG_MAX_RULES, sizeof(*rules), GFP_KERNEL);
	fresh = kcalloc(BG_MAX_RULES, sizeof(*fresh), GFP_KERNEL);
	if (!rules || !fresh) {
		ret = -ENOMEM;
		goto err;
	}
	nla_for_each_nested(entry, nest, rem) {
		if (n == BG_MAX_RULES) {
			NL_SET_ERR_MSG_ATTR(extack, entry, "too many rules");
			ret = -ENOSPC;
			goto err;
		}
		ret = nla_parse_nested(tb, BG_A_MAX, entry,
				       bg_rule_entry_policy, extack);
		if (ret)
			goto err;
		r = &rules[n];
		ret = bg_ports_parse(tb, entry, &r->port_min, &r->port_max,
				     extack);
		if (ret)
			goto err;
		if (bg_rule_find_ports(rules, n, r->port_min,
				       r->port_max) >= 0) {
			NL_SET_ERR_MSG_ATTR(extack, entry,
					    "two rules for the same port range");
			ret = -EEXIST;
			goto err;
		}
		r->limit = c->limit;
		ret = bg_limit_parse(tb, &r->limit, extack);
		if (ret)
			goto err;
		if (tb[BG_A_RULE_ID]) {
			r->id = nla_get_u16(tb[BG_A_RULE_ID]);
		} else {
			/* Same ports as a current rule: keep its sources. */
			k = bg_rule_find_ports(old->rules, old->nrules,
					       r->port_min, r->port_max);
			if (k >= 0 && !bg_rule_id_used(rules, n,
						       old->rules[k].id))
				r->id = old->rules[k].id;
			else
				fresh[n] = true;
		}
		if (r->id && bg_rule_id_used(rules, n, r->id)) {
			NL_SET_ERR_MSG_ATTR(extack, entry, "duplicate rule id");
			ret = -EEXIST;
			goto err;
		}
		n++;
	}
	/* Ids for new rules, unlike any kept or current one. */
	for (i = 0; i < n; i++)
		if (fresh[i])
			rules[i].id = bg_rule_id_next(c, rules, n, old->rules,
						      old->nrules);
	kfree(fresh);
	kfree(c->rules);
	c->rules = rules;
	c->nrules = n;
	return 0;
err:
	kfree(fresh);
	kfree(rules);
	return ret;
}

/* One list of a REPLACE_CONFIG request (NULL @nest: empty). */
static int bg_replace_list(struct bg_prefix **arr, u32 *count,
			   const struct nlattr *nest,
			   struct netlink_ext_ack *extack)
{
	struct nlattr *tb[BG_A_MAX + 1];
	const struct nlattr *entry;
	struct bg_prefix *list = NULL;
	int rem, ret;
	u32 n = 0;

	if (nest) {
		list = kcalloc(BG_MAX_PREFIXES, sizeof(*list), GFP_KERNEL);
		if (!list)
			return -ENOMEM;
		nla_for_each_nested(entry, nest, rem) {
			if (n == BG_MAX_PREFIXES) {
				NL_SET_ERR_MSG_ATTR(extack, entry, "list full");
				ret = -ENOSPC;
				goto err;
			}
			ret = nla_parse_nested(tb, BG_A_MAX, entry,
					       bg_prefix_entry_policy, extack);
			if (ret)
				goto err;
			ret = bg_prefix_parse(tb, entry, &list[n], extack);
			if (ret)
				goto err;
			if (bg_prefix_find(list, n, &list[n]) >= 0) {
				NL_SET_ERR_MSG_ATTR(extack, entry,
						    "prefix twice in the list");
				ret = -EEXIST;
				goto err;
			}
			n++;
		}
	}
	kfree(*arr);
	*arr = list;
	*count = n;
	return 0;
err:
	kfree(list);
	return ret;
}

static int bg_replace(struct bg_conf *c, struct genl_info *info, void *arg)
{
	const struct bg_conf *old = arg;
	struct nlattr **tb = info->attrs;
	int ret;

	ret = bg_set_config(c, info, NULL);
	if (!ret)
		ret = bg_replace_rules(c, old, tb[BG_A_RULES], info->extack);
	if (!ret)
		ret = bg_replace_list(&c->allow, &c->nallow, tb[BG_A_ALLOW],
				      info->extack);
	if (!ret)
		ret = bg_replace_list(&c->deny, &c->ndeny, tb[BG_A_DENY],
				      info->extack);
	return ret;
}

static int bg_nl_replace_config(struct sk_buff *skb, struct genl_info *info)
{
	struct bg_net *bn = bg_info_pernet(info);
	struct bg_conf *c;
	int ret;

	mutex_lock(&bn->conf_mutex);
	c = bg_conf_clone(bg_conf_locked(bn));
	if (!c) {
		ret = -ENOMEM;
		goto out;
	}
	ret = bg_replace(c, info, bg_conf_locked(bn));
	if (!ret)
		ret = bg_conf_commit(bn, c, info->extack);
	if (ret)
		bg_conf_free(c);
out:
	mutex_unlock(&bn->conf_mutex);
	return ret;
}

static int bg_nl_remove(struct genl_info *info, const struct bg_prefix *p)
{
	struct bg_net *bn = bg_info_pernet(info);
	struct sk_buff *msg;
	void *hdr;
	u32 n;

	hdr = bg_reply_start(info, &msg, info->genlhdr->cmd);
	if (!hdr)
		return -ENOMEM;
	mutex_lock(&bn->conf_mutex);
	n = p ? bg_table_forget(bn, p) : bg_table_flush(bn);
	mutex_unlock(&bn->conf_mutex);
	if (nla_put_u32(msg, BG_A_COUNT, n)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int bg_nl_forget(struct sk_buff *skb, struct genl_info *info)
{
	struct bg_prefix p;
	int ret;

	ret = bg_prefix_parse(info->attrs, NULL, &p, info->extack);
	if (ret)
		return ret;
	return bg_nl_remove(info, &p);
}

static int bg_nl_flush(struct sk_buff *skb, struct genl_info *info)
{
	return bg_nl_remove(info, NULL);
}

static int bg_nl_get_stats(struct sk_buff *skb, struct genl_info *info)
{
	struct bg_net *bn = bg_info_pernet(info);
	u64 v[__BG_STAT_MAX];
	struct sk_buff *msg;
	struct nlattr *nest;
	void *hdr;
	int i;

	hdr = bg_reply_start(info, &msg, BG_CMD_GET_STATS);
	if (!hdr)
		return -ENOMEM;
	bg_stats_read(bn, v);
	nest = nla_nest_start(msg, BG_A_STATS);
	if (!nest)
		goto err;
	for (i = BG_STAT_ATTEMPTS; i < __BG_STAT_MAX; i++)
		if (nla_put_u64_64bit(msg, i, v[i], BG_STAT_PAD))
			goto err;
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
err:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

/*
 * Rule and prefix dumps read one copy of the lists taken in .start, so a
 * dump that spans several reads is consistent whatever changes meanwhile.
 */
struct bg_snap {
	u32 nrules;
	u32 nprefix;
	struct bg_rule *rules;
	struct bg_prefix *prefix;
	u8 *list;		/* enum bg_list of each prefix */
};

static void bg_snap_free(struct bg_snap *s)
{
	if (!s)
		return;
	kfree(s->rules);
	kfree(s->prefix);
	kfree(s->list);
	kfree(s);
}

/* @want: BG_LIST_* to copy one list, 0 for both; rules copied when @rules. */
static struct bg_snap *bg_snap_take(struct bg_net *bn, bool rules, u8 want)
{
	struct bg_snap *s = kzalloc(sizeof(*s), GFP_KERNEL);
	const struct bg_conf *c;
	u32 i, n = 0;

	if (!s)
		return NULL;
	mutex_lock(&bn->conf_mutex);
	c = bg_conf_locked(bn);
	if (rules && c->nrules) {
		s->rules = kmemdup(c->rules, c->nrules * sizeof(*c->rules),
				   GFP_KERNEL);
		if (!s->rules)
			goto err;
		s->nrules = c->nrules;
	}
	if (!rules) {
		n = c->nallow + c->ndeny;
		s->prefix = kcalloc(n + 1, sizeof(*s->prefix), GFP_KERNEL);
		s->list = kcalloc(n + 1, sizeof(*s->list), GFP_KERNEL);
		if (!s->prefix || !s->list)
			goto err;
		if (want != BG_LIST_DENY)
			for (i = 0; i < c->nallow; i++) {
				s->list[s->nprefix] = BG_LIST_ALLOW;
				s->prefix[s->nprefix++] = c->allow[i];
			}
		if (want != BG_LIST_ALLOW)
			for (i = 0; i < c->ndeny; i++) {
				s->list[s->nprefix] = BG_LIST_DENY;
				s->prefix[s->nprefix++] = c->deny[i];
			}
	}
	mutex_unlock(&bn->conf_mutex);
	return s;
err:
	mutex_unlock(&bn->conf_mutex);
	bg_snap_free(s);
	return NULL;
}

static int bg_nl_rule_start(struct netlink_callback *cb)
{
	struct bg_snap *s;

	if (bg_genl_dump_hdr_check(cb))
		return -EINVAL;
	s = bg_snap_take(bg_cb_pernet(cb), true, 0);
	if (!s)
		return -ENOMEM;
	cb->args[0] = (long)s;
	cb->args[1] = 0;
	return 0;
}

static int bg_nl_prefix_start(struct netlink_callback *cb)
{
	struct nlattr **attrs = bg_dump_attrs(cb);
	u8 want = 0;
	struct bg_snap *s;

	if (bg_genl_dump_hdr_check(cb))
		return -EINVAL;
	if (attrs && attrs[BG_A_LIST])
		want = nla_get_u8(attrs[BG_A_LIST]);
	s = bg_snap_take(bg_cb_pernet(cb), false, want);
	if (!s)
		return -ENOMEM;
	cb->args[0] = (long)s;
	cb->args[1] = 0;
	return 0;
}

static int bg_nl_snap_done(struct netlink_callback *cb)
{
	bg_snap_free((struct bg_snap *)cb->args[0]);
	return 0;
}

static void *bg_dump_start_msg(struct sk_buff *skb, struct netlink_callback *cb,
			       u8 cmd)
{
	return genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			   &bg_family, NLM_F_MULTI, cmd);
}

static int bg_nl_rule_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	const struct bg_snap *s = (const struct bg_snap *)cb->args[0];
	void *hdr;

	for (; cb->args[1] < s->nrules; cb->args[1]++) {
		hdr = bg_dump_start_msg(skb, cb, BG_CMD_GET_RULE);
		if (!hdr)
			break;
		if (bg_put_rule(skb, &s->rules[cb->args[1]])) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
	}
	return skb->len;
}

static int bg_nl_prefix_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	const struct bg_snap *s = (const struct bg_snap *)cb->args[0];
	const struct bg_prefix *p;
	void *hdr;

	for (; cb->args[1] < s->nprefix; cb->args[1]++) {
		p = &s->prefix[cb->args[1]];
		hdr = bg_dump_start_msg(skb, cb, BG_CMD_GET_PREFIX);
		if (!hdr)
			break;
		if (nla_put_u8(skb, BG_A_LIST, s->list[cb->args[1]]) ||
		    bg_put_addr(skb, p->family, &p->addr, p->len)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
	}
	return skb->len;
}

struct bg_source_arg {
	struct sk_buff *skb;
	struct netlink_callback *cb;
};

/* One source into the dump; nonzero when the skb is full (under RCU). */
static int bg_source_fill(const struct bg_source *src, void *arg)
{
	struct bg_source_arg *a = arg;
	void *hdr;

	hdr = bg_dump_start_msg(a->skb, a->cb, BG_CMD_GET_SOURCE);
	if (!hdr)
		return 1;
	genl_dump_check_consistent(a->cb, hdr);
	if (bg_put_key(a->skb, &src->key) ||
	    nla_put_u8(a->skb, BG_A_STATE, src->state) ||
	    nla_put_u32(a->skb, BG_A_TOKENS, src->tokens) ||
	    nla_put_u32(a->skb, BG_A_ATTEMPTS, src->attempts) ||
	    nla_put_u32(a->skb, BG_A_DROPS, src->drops) ||
	    nla_put_u64_64bit(a->skb, BG_A_IDLE_NS, src->idle_ns, BG_A_PAD) ||
	    nla_put_u64_64bit(a->skb, BG_A_BAN_LEFT_NS, src->ban_left_ns,
			      BG_A_PAD)) {
		genlmsg_cancel(a->skb, hdr);
		return 1;
	}
	genlmsg_end(a->skb, hdr);
	return 0;
}

static int bg_nl_source_start(struct netlink_callback *cb)
{
	if (bg_genl_dump_hdr_check(cb))
		return -EINVAL;
	cb->args[0] = 0;	/* bucket */
	cb->args[1] = 0;	/* sources of that bucket already sent */
	return 0;
}

static int bg_nl_source_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct bg_net *bn = bg_cb_pernet(cb);
	struct bg_source_arg a = { .skb = skb, .cb = cb };
	unsigned long bucket = cb->args[0], skip = cb->args[1];
	int more;

	/* Any insert or removal since the first part marks the dump. */
	cb->seq = bg_table_gen(bn) + 1 ? : 1;
	more = bg_table_walk(bn, &bucket, &skip, bg_source_fill, &a);
	cb->args[0] = bucket;
	cb->args[1] = skip;
	if (!more)
		return skb->len;	/* the next call finds nothing: DONE */
	return skb->len ? skb->len : -EMSGSIZE;
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
		.done = bg_nl_snap_done,
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
		.done = bg_nl_snap_done,
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
		    const struct bg_key *key)
{
	const struct bg_conf *c;
	struct sk_buff *skb;
	u32 ban = 0, i;
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
	if (key && ev == BG_EVENT_BANNED) {
		rcu_read_lock();
		c = rcu_dereference(bn->conf);
		ban = c->limit.ban;
		for (i = 0; i < c->nrules; i++)
			if (c->rules[i].id == key->rule)
				ban = c->rules[i].limit.ban;
		rcu_read_unlock();
		if (nla_put_u32(skb, BG_A_BAN, ban))
			goto err;
	}
	genlmsg_end(skb, hdr);
	genlmsg_multicast_netns(&bg_family, bn->net, skb, 0, BG_MCGRP_EVENTS,
				GFP_ATOMIC);
	return;
err:
	nlmsg_free(skb);
}

int __init bg_genl_init(void)
{
	return genl_register_family(&bg_family);
}

void bg_genl_exit(void)
{
	genl_unregister_family(&bg_family);
}
