// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink handlers of the settings, the rules and the allow/deny lists:
 * GET/SET/REPLACE_CONFIG, ADD/DEL/GET_RULE, ADD/DEL/GET/FLUSH_PREFIX.
 *
 * Every writer builds a new configuration snapshot from a clone under
 * bn->conf_mutex and hands it to bg_conf_commit(), so a request either
 * takes effect as a whole or changes nothing. The changes themselves are
 * the model's (conf.c); this file turns attributes into its arguments and
 * its errors into extended ACK messages.
 */
#include <linux/slab.h>
#include "nl.h"
#include "compat.h"

int bg_nl_get_config(struct sk_buff *skb, struct genl_info *info)
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
	if (!ret)
		ret = bg_put_total_refused(msg,
					   bg_limit_total_refused(&c->limit));
	if (!ret &&
	    (nla_put_u8(msg, BG_A_PREFIX4, c->prefix4) ||
	     nla_put_u8(msg, BG_A_PREFIX6, c->prefix6) ||
	     nla_put_u32(msg, BG_A_MAX_SOURCES, c->max_sources) ||
	     nla_put_u8(msg, BG_A_FORWARD, c->forward) ||
	     nla_put_u32(msg, BG_A_STRIKES_FORGET, c->strikes_forget) ||
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

/*
 * Clone the settings, let @change modify the clone (@old: the settings in
 * force), commit; all under conf_mutex.
 */
static int bg_conf_change(struct bg_net *bn, struct genl_info *info,
			  int (*change)(struct bg_conf *c,
					const struct bg_conf *old,
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
	ret = change(c, bg_conf_locked(bn), info, arg);
	if (!ret)
		ret = bg_conf_commit(bn, c, info->extack);
	if (ret)
		bg_conf_free(c);
out:
	mutex_unlock(&bn->conf_mutex);
	return ret;
}

static int bg_set_config(struct bg_conf *c, const struct bg_conf *old,
			 struct genl_info *info, void *arg)
{
	int ret = bg_limit_parse(info->attrs, &c->limit, info->extack);

	if (ret)
		return ret;
	bg_config_parse(info->attrs, c);
	return 0;
}

int bg_nl_set_config(struct sk_buff *skb, struct genl_info *info)
{
	return bg_conf_change(bg_info_pernet(info), info, bg_set_config, NULL);
}

static int bg_add_rule(struct bg_conf *c, const struct bg_conf *old,
		       struct genl_info *info, void *arg)
{
	struct nlattr **tb = info->attrs;
	struct bg_rule *r = arg;
	int ret;

	ret = bg_ports_parse(tb, NULL, &r->port_min, &r->port_max,
			     info->extack);
	if (ret)
		return ret;
	ret = bg_conf_rule_room(c, r->port_min, r->port_max);
	if (ret == -EEXIST)
		NL_SET_ERR_MSG_ATTR(info->extack, tb[BG_A_PORT_MIN],
				    "a rule for this port range exists");
	else if (ret == -ENOSPC)
		NL_SET_ERR_MSG(info->extack, "too many rules");
	if (ret)
		return ret;
	r->limit = c->limit;
	r->limit.total = NULL;	/* its own bucket: bg_conf_commit() */
	ret = bg_limit_parse(tb, &r->limit, info->extack);
	if (ret)
		return ret;
	return bg_conf_rule_add(c, r);
}

int bg_nl_add_rule(struct sk_buff *skb, struct genl_info *info)
{
	struct bg_rule r = {};
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

static int bg_del_rule(struct bg_conf *c, const struct bg_conf *old,
		       struct genl_info *info, void *arg)
{
	struct nlattr **tb = info->attrs;
	u16 min, max;
	int i, ret;

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
		i = bg_rules_find(c->rules, c->nrules,
				  nla_get_u16(tb[BG_A_RULE_ID]));
	} else {
		ret = bg_ports_parse(tb, NULL, &min, &max, info->extack);
		if (ret)
			return ret;
		i = bg_rules_find_ports(c->rules, c->nrules, min, max);
	}
	if (i < 0) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    tb[BG_A_RULE_ID] ? tb[BG_A_RULE_ID] :
				    tb[BG_A_PORT_MIN], "no such rule");
		return i;
	}
	bg_conf_rule_del(c, i);
	return 0;
}

int bg_nl_del_rule(struct sk_buff *skb, struct genl_info *info)
{
	return bg_conf_change(bg_info_pernet(info), info, bg_del_rule, NULL);
}

/* BG_A_LIST of a list request, or -EINVAL with the missing attribute named. */
static int bg_list_attr(struct genl_info *info)
{
	if (GENL_REQ_ATTR_CHECK(info, BG_A_LIST)) {
		NL_SET_ERR_MSG(info->extack, "BG_A_LIST is required");
		return -EINVAL;
	}
	return nla_get_u8(info->attrs[BG_A_LIST]);
}

/* The list and the prefix of an ADD_PREFIX or DEL_PREFIX request. */
static int bg_list_prefix_parse(struct genl_info *info, u8 *list,
				struct bg_prefix *p)
{
	int ret = bg_list_attr(info);

	if (ret < 0)
		return ret;
	*list = ret;
	return bg_prefix_parse(info->attrs, NULL, p, info->extack);
}

static int bg_add_prefix(struct bg_conf *c, const struct bg_conf *old,
			 struct genl_info *info, void *arg)
{
	struct bg_prefix p;
	u8 list;
	int ret;

	ret = bg_list_prefix_parse(info, &list, &p);
	if (ret)
		return ret;
	ret = bg_conf_list_add(c, list, &p);
	if (ret == -EEXIST)
		NL_SET_ERR_MSG(info->extack, "prefix already in the list");
	else if (ret == -ENOSPC)
		NL_SET_ERR_MSG(info->extack, "list full");
	return ret;
}

static int bg_del_prefix(struct bg_conf *c, const struct bg_conf *old,
			 struct genl_info *info, void *arg)
{
	struct bg_prefix p;
	u8 list;
	int ret;

	ret = bg_list_prefix_parse(info, &list, &p);
	if (ret)
		return ret;
	ret = bg_conf_list_del(c, list, &p);
	if (ret == -ENOENT)
		NL_SET_ERR_MSG(info->extack, "prefix not in the list");
	return ret;
}

static int bg_flush_prefix(struct bg_conf *c, const struct bg_conf *old,
			   struct genl_info *info, void *arg)
{
	int list = bg_list_attr(info);

	if (list < 0)
		return list;
	bg_conf_list_replace(c, list, NULL, 0);
	return 0;
}

int bg_nl_add_prefix(struct sk_buff *skb, struct genl_info *info)
{
	return bg_conf_change(bg_info_pernet(info), info, bg_add_prefix, NULL);
}

int bg_nl_del_prefix(struct sk_buff *skb, struct genl_info *info)
{
	return bg_conf_change(bg_info_pernet(info), info, bg_del_prefix, NULL);
}

int bg_nl_flush_prefix(struct sk_buff *skb, struct genl_info *info)
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
	struct bg_rule *rules, *r;
	int rem, ret = 0;
	u32 n = 0;

	if (!nest) {		/* absent: no rules */
		bg_conf_rules_replace(c, old, NULL, 0);
		return 0;
	}
	rules = kcalloc(BG_MAX_RULES, sizeof(*rules), GFP_KERNEL);
	if (!rules)
		return -ENOMEM;
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
		if (bg_rules_find_ports(rules, n, r->port_min,
					r->port_max) >= 0) {
			NL_SET_ERR_MSG_ATTR(extack, entry,
					    "two rules for the same port range");
			ret = -EEXIST;
			goto err;
		}
		r->limit = c->limit;
		r->limit.total = NULL;	/* its id's bucket: bg_conf_commit() */
		ret = bg_limit_parse(tb, &r->limit, extack);
		if (ret)
			goto err;
		/* No id given: same ports as a current rule keep its sources. */
		if (tb[BG_A_RULE_ID])
			r->id = nla_get_u16(tb[BG_A_RULE_ID]);
		else
			r->id = bg_conf_rule_adopt(old, rules, n, r->port_min,
						   r->port_max);
		if (r->id && bg_rules_find(rules, n, r->id) >= 0) {
			NL_SET_ERR_MSG_ATTR(extack, entry, "duplicate rule id");
			ret = -EEXIST;
			goto err;
		}
		n++;
	}
	bg_conf_rules_replace(c, old, rules, n);
	return 0;
err:
	kfree(rules);
	return ret;
}

/* List @list of a REPLACE_CONFIG request (NULL @nest: empty) into @c. */
static int bg_replace_list(struct bg_conf *c, u8 list,
			   const struct nlattr *nest,
			   struct netlink_ext_ack *extack)
{
	struct nlattr *tb[BG_A_MAX + 1];
	const struct nlattr *entry;
	struct bg_prefix *arr = NULL;
	int rem, ret;
	u32 n = 0;

	if (nest) {
		arr = kcalloc(BG_MAX_PREFIXES, sizeof(*arr), GFP_KERNEL);
		if (!arr)
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
			ret = bg_prefix_parse(tb, entry, &arr[n], extack);
			if (ret)
				goto err;
			if (bg_prefix_find(arr, n, &arr[n]) >= 0) {
				NL_SET_ERR_MSG_ATTR(extack, entry,
						    "prefix twice in the list");
				ret = -EEXIST;
				goto err;
			}
			n++;
		}
	}
	bg_conf_list_replace(c, list, arr, n);
	return 0;
err:
	kfree(arr);
	return ret;
}

static int bg_replace(struct bg_conf *c, const struct bg_conf *old,
		      struct genl_info *info, void *arg)
{
	struct nlattr **tb = info->attrs;
	int ret;

	ret = bg_set_config(c, old, info, NULL);
	if (!ret)
		ret = bg_replace_rules(c, old, tb[BG_A_RULES], info->extack);
	if (!ret)
		ret = bg_replace_list(c, BG_LIST_ALLOW, tb[BG_A_ALLOW],
				      info->extack);
	if (!ret)
		ret = bg_replace_list(c, BG_LIST_DENY, tb[BG_A_DENY],
				      info->extack);
	return ret;
}

int bg_nl_replace_config(struct sk_buff *skb, struct genl_info *info)
{
	return bg_conf_change(bg_info_pernet(info), info, bg_replace, NULL);
}

/*
 * Rule and prefix dumps read one copy of the list taken in .start, so a
 * dump that spans several reads is consistent whatever changes meanwhile.
 */
struct bg_rule_snap {
	u32 n;
	struct bg_rule_item {
		struct bg_rule r;	/* r.limit.total: NULL, not ours */
		u64 total_refused;
	} rules[];
};

struct bg_prefix_snap {
	u32 n;
	struct bg_prefix_item {
		struct bg_prefix p;
		u8 list;	/* enum bg_list */
	} items[];
};

int bg_nl_rule_start(struct netlink_callback *cb)
{
	struct bg_net *bn = bg_cb_pernet(cb);
	const struct bg_conf *c;
	struct bg_rule_snap *s;

	if (bg_genl_dump_hdr_check(cb))
		return -EINVAL;
	mutex_lock(&bn->conf_mutex);
	c = bg_conf_locked(bn);
	s = kmalloc(struct_size(s, rules, c->nrules), GFP_KERNEL);
	if (s) {
		u32 i;

		s->n = c->nrules;
		for (i = 0; i < c->nrules; i++) {
			s->rules[i].r = c->rules[i];
			s->rules[i].r.limit.total = NULL;
			s->rules[i].total_refused =
				bg_limit_total_refused(&c->rules[i].limit);
		}
	}
	mutex_unlock(&bn->conf_mutex);
	if (!s)
		return -ENOMEM;
	cb->args[0] = (long)s;
	cb->args[1] = 0;
	return 0;
}

int bg_nl_rule_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	const struct bg_rule_snap *s = (const struct bg_rule_snap *)cb->args[0];
	void *hdr;

	for (; cb->args[1] < s->n; cb->args[1]++) {
		hdr = bg_dump_start_msg(skb, cb, BG_CMD_GET_RULE);
		if (!hdr)
			break;
		if (bg_put_rule(skb, &s->rules[cb->args[1]].r) ||
		    bg_put_total_refused(skb,
					 s->rules[cb->args[1]].total_refused)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
	}
	return skb->len;
}

int bg_nl_rule_done(struct netlink_callback *cb)
{
	kfree((struct bg_rule_snap *)cb->args[0]);
	return 0;
}

/* Append list @list of @c to @s. */
static void bg_prefix_snap_add(struct bg_prefix_snap *s, const struct bg_conf *c,
			       u8 list)
{
	const struct bg_prefix *arr = list == BG_LIST_ALLOW ? c->allow : c->deny;
	u32 i, n = list == BG_LIST_ALLOW ? c->nallow : c->ndeny;

	for (i = 0; i < n; i++, s->n++) {
		s->items[s->n].p = arr[i];
		s->items[s->n].list = list;
	}
}

int bg_nl_prefix_start(struct netlink_callback *cb)
{
	struct nlattr **attrs = bg_dump_attrs(cb);
	struct bg_net *bn = bg_cb_pernet(cb);
	const struct bg_conf *c;
	struct bg_prefix_snap *s;
	u8 want = 0;		/* BG_LIST_* for one list, 0 for both */

	if (bg_genl_dump_hdr_check(cb))
		return -EINVAL;
	if (attrs && attrs[BG_A_LIST])
		want = nla_get_u8(attrs[BG_A_LIST]);
	mutex_lock(&bn->conf_mutex);
	c = bg_conf_locked(bn);
	s = kmalloc(struct_size(s, items, c->nallow + c->ndeny), GFP_KERNEL);
	if (s) {
		s->n = 0;
		if (want != BG_LIST_DENY)
			bg_prefix_snap_add(s, c, BG_LIST_ALLOW);
		if (want != BG_LIST_ALLOW)
			bg_prefix_snap_add(s, c, BG_LIST_DENY);
	}
	mutex_unlock(&bn->conf_mutex);
	if (!s)
		return -ENOMEM;
	cb->args[0] = (long)s;
	cb->args[1] = 0;
	return 0;
}

int bg_nl_prefix_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	const struct bg_prefix_snap *s =
		(const struct bg_prefix_snap *)cb->args[0];
	const struct bg_prefix_item *it;
	void *hdr;

	for (; cb->args[1] < s->n; cb->args[1]++) {
		it = &s->items[cb->args[1]];
		hdr = bg_dump_start_msg(skb, cb, BG_CMD_GET_PREFIX);
		if (!hdr)
			break;
		if (nla_put_u8(skb, BG_A_LIST, it->list) ||
		    bg_put_addr(skb, it->p.family, &it->p.addr, it->p.len)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
	}
	return skb->len;
}

int bg_nl_prefix_done(struct netlink_callback *cb)
{
	kfree((struct bg_prefix_snap *)cb->args[0]);
	return 0;
}
