// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink handlers of the settings, the rules and the allow/deny lists:
 * GET/SET/REPLACE_CONFIG, ADD/DEL/GET_RULE, ADD/DEL/GET/FLUSH_PREFIX,
 * IMPORT_BEGIN/CHUNK/COMMIT/ABORT.
 *
 * Every writer of the settings builds a new configuration snapshot from a
 * clone under bn->conf_mutex and hands it to bg_conf_commit(), so a
 * request either takes effect as a whole or changes nothing. The lists
 * (lists.c) are changed in place under the same mutex, or replaced whole
 * by a new list swapped in (flush, REPLACE_CONFIG, import). The changes themselves are
 * the model's (conf.c); this file turns attributes into its arguments and
 * its errors into extended ACK messages.
 */
#include <linux/math64.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
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
	     nla_put_u32(msg, BG_A_ALLOW_COUNT,
			 bg_list_count(rcu_dereference(bn->lists[0]))) ||
	     nla_put_u32(msg, BG_A_DENY_COUNT,
			 bg_list_count(rcu_dereference(bn->lists[1])))))
		ret = -EMSGSIZE;
	rcu_read_unlock();
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static struct bg_plist *bg_list_swap(struct bg_net *bn, u8 list,
				    struct bg_plist *nl);

/*
 * Clone the settings, let @change modify the clone (@old: the settings in
 * force), commit; all under conf_mutex. With @old (REPLACE_CONFIG), @arg
 * is the two new lists the change builds; once committed they are swapped
 * in and the lists they replace returned in @old.
 */
static int bg_conf_change(struct bg_net *bn, struct genl_info *info,
			  int (*change)(struct bg_conf *c,
					const struct bg_conf *old,
					struct genl_info *info, void *arg),
			  void *arg, struct bg_plist **old)
{
	struct bg_plist **lists = arg;
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
	if (ret) {
		bg_conf_free(c);
	} else if (old) {
		/*
		 * REPLACE_CONFIG: its new lists, once nothing can fail
		 * (none with BG_A_KEEP_LISTS).
		 */
		if (lists[0])
			old[0] = bg_list_swap(bn, BG_LIST_ALLOW, lists[0]);
		if (lists[1])
			old[1] = bg_list_swap(bn, BG_LIST_DENY, lists[1]);
	}
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
	return bg_conf_change(bg_info_pernet(info), info, bg_set_config, NULL,
			      NULL);
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
	ret = bg_conf_change(bg_info_pernet(info), info, bg_add_rule,
			     &r, NULL);
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
	return bg_conf_change(bg_info_pernet(info), info, bg_del_rule, NULL,
			      NULL);
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

/*
 * May list @l of @bn take one more entry? In a netns other than the
 * initial one, not beyond the host's ceiling.
 */
static int bg_list_room(struct bg_net *bn, const struct bg_plist *l,
			const struct nlattr *where,
			struct netlink_ext_ack *extack)
{
	if (!net_eq(bn->net, &init_net) &&
	    bg_list_count(l) >= bg_params_netns_max_list_entries()) {
		NL_SET_ERR_MSG_ATTR(extack, where,
				    "list at netns_max_list_entries, the host's ceiling for namespaces other than the initial one");
		return -ERANGE;
	}
	return 0;
}

/* The deadline of BG_A_TIMEOUT in @tb, 0 when absent. */
static u64 bg_timeout_parse(struct nlattr **tb, u64 now)
{
	if (!tb[BG_A_TIMEOUT])
		return 0;
	/* At most ten years of ns: far from overflowing with now. */
	return now + (u64)nla_get_u32(tb[BG_A_TIMEOUT]) * NSEC_PER_SEC;
}

/*
 * Add the prefix (and timeout) of @tb to @l, staged or live; @where names
 * the entry in errors. @update: an equal entry gets the new timeout.
 */
static int bg_list_entry_add(struct bg_net *bn, struct bg_plist *l,
			     struct nlattr **tb, const struct nlattr *where,
			     bool update, u64 now,
			     struct netlink_ext_ack *extack)
{
	struct bg_prefix p;
	int ret;

	ret = bg_prefix_parse(tb, where, &p, extack);
	if (ret)
		return ret;
	ret = bg_list_room(bn, l, where, extack);
	if (ret)
		return ret;
	ret = bg_list_add(l, &p, bg_timeout_parse(tb, now), update);
	if (ret == -EEXIST)
		NL_SET_ERR_MSG_ATTR(extack, where, "prefix already in the list");
	else if (ret == -ENOSPC)
		NL_SET_ERR_MSG_ATTR(extack, where,
				    "list full (BG_MAX_LIST_ENTRIES)");
	return ret;
}

int bg_nl_add_prefix(struct sk_buff *skb, struct genl_info *info)
{
	struct bg_net *bn = bg_info_pernet(info);
	u64 now = ktime_get_ns();
	struct bg_plist *l;
	int list, ret;

	list = bg_list_attr(info);
	if (list < 0)
		return list;
	mutex_lock(&bn->conf_mutex);
	l = bg_list_locked(bn, list);
	bg_list_expire(l, now);
	/* BG_A_MERGE: an equal entry gets the new timeout (or none). */
	ret = bg_list_entry_add(bn, l, info->attrs, NULL,
				info->attrs[BG_A_MERGE] &&
				nla_get_u8(info->attrs[BG_A_MERGE]), now,
				info->extack);
	if (!ret)
		bn->list_gen++;
	mutex_unlock(&bn->conf_mutex);
	return ret;
}

int bg_nl_del_prefix(struct sk_buff *skb, struct genl_info *info)
{
	struct bg_net *bn = bg_info_pernet(info);
	struct bg_prefix p;
	struct bg_plist *l;
	u8 list;
	int ret;

	ret = bg_list_prefix_parse(info, &list, &p);
	if (ret)
		return ret;
	mutex_lock(&bn->conf_mutex);
	l = bg_list_locked(bn, list);
	if (bg_list_expire(l, ktime_get_ns()))
		bn->list_gen++;
	ret = bg_list_del(l, &p);
	if (ret == -ENOENT)
		NL_SET_ERR_MSG(info->extack, "prefix not in the list");
	else
		bn->list_gen++;
	mutex_unlock(&bn->conf_mutex);
	return ret;
}

/*
 * Make @nl (not yet live) list @list of @bn; returns the old one, which
 * the caller frees with bg_list_free() after synchronize_rcu(). Under
 * conf_mutex.
 */
static struct bg_plist *bg_list_swap(struct bg_net *bn, u8 list,
				    struct bg_plist *nl)
{
	struct bg_plist *old = bg_list_locked(bn, list);

	bg_list_set_live(nl);
	rcu_assign_pointer(bn->lists[list == BG_LIST_DENY], nl);
	bn->list_gen++;
	return old;
}

int bg_nl_flush_prefix(struct sk_buff *skb, struct genl_info *info)
{
	struct bg_net *bn = bg_info_pernet(info);
	struct bg_plist *nl, *old;
	int list = bg_list_attr(info);

	if (list < 0)
		return list;
	nl = bg_list_alloc();
	if (!nl)
		return -ENOMEM;
	mutex_lock(&bn->conf_mutex);
	old = bg_list_swap(bn, list, nl);
	mutex_unlock(&bn->conf_mutex);
	/* No packet sees @old after this; its entries go a bucket at a time. */
	synchronize_rcu();
	bg_list_free(old);
	return 0;
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

/*
 * List @list of a REPLACE_CONFIG request (NULL @nest: empty) into a new
 * list, *@out (not yet live). Under conf_mutex.
 */
static int bg_replace_list(struct bg_net *bn, const struct nlattr *nest,
			   struct bg_plist **out, struct netlink_ext_ack *extack)
{
	struct nlattr *tb[BG_A_MAX + 1];
	u64 now = ktime_get_ns();
	const struct nlattr *entry;
	struct bg_plist *l;
	int rem, ret;

	l = bg_list_alloc();
	if (!l)
		return -ENOMEM;
	if (nest) {
		nla_for_each_nested(entry, nest, rem) {
			ret = nla_parse_nested(tb, BG_A_MAX, entry,
					       bg_prefix_entry_policy, extack);
			if (!ret)
				ret = bg_list_entry_add(bn, l, tb, entry, false,
							now, extack);
			if (ret == -EEXIST)
				NL_SET_ERR_MSG_ATTR(extack, entry,
						    "prefix twice in the list");
			if (ret)
				goto err;
		}
	}
	*out = l;
	return 0;
err:
	bg_list_free(l);
	return ret;
}

static int bg_replace(struct bg_conf *c, const struct bg_conf *old,
		      struct genl_info *info, void *arg)
{
	struct nlattr **tb = info->attrs;
	struct bg_plist **lists = arg;
	int ret;

	ret = bg_set_config(c, old, info, NULL);
	if (!ret)
		ret = bg_replace_rules(c, old, tb[BG_A_RULES], info->extack);
	if (!ret && tb[BG_A_KEEP_LISTS] && nla_get_u8(tb[BG_A_KEEP_LISTS])) {
		const struct nlattr *l = tb[BG_A_ALLOW] ?: tb[BG_A_DENY];

		if (l) {
			NL_SET_ERR_MSG_ATTR(info->extack, l,
					    "a list with BG_A_KEEP_LISTS");
			return -EINVAL;
		}
		return 0;
	}
	if (!ret)
		ret = bg_replace_list(bg_info_pernet(info), tb[BG_A_ALLOW],
				      &lists[0], info->extack);
	if (!ret)
		ret = bg_replace_list(bg_info_pernet(info), tb[BG_A_DENY],
				      &lists[1], info->extack);
	return ret;
}

int bg_nl_replace_config(struct sk_buff *skb, struct genl_info *info)
{
	struct bg_net *bn = bg_info_pernet(info);
	struct bg_plist *lists[2] = {}, *old[2] = {};
	int ret;

	ret = bg_conf_change(bn, info, bg_replace, lists, old);
	if (old[0] || old[1]) {
		synchronize_rcu();
		bg_list_free(old[0]);
		bg_list_free(old[1]);
	}
	if (ret) {
		bg_list_free(lists[0]);
		bg_list_free(lists[1]);
	}
	return ret;
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

/*
 * Prefix dumps walk the live lists under RCU from a cursor in cb->args:
 * [0] the lists wanted (0: both, else enum bg_list), [1] the list now
 * (BG_LIST_*), [2] bucket, [3] position in its chain. A list write
 * between two parts changes bn->list_gen: NLM_F_DUMP_INTR.
 */
int bg_nl_prefix_start(struct netlink_callback *cb)
{
	struct nlattr **attrs = bg_dump_attrs(cb);
	u8 want = 0;

	if (bg_genl_dump_hdr_check(cb))
		return -EINVAL;
	if (attrs && attrs[BG_A_LIST])
		want = nla_get_u8(attrs[BG_A_LIST]);
	cb->args[0] = want;
	cb->args[1] = want ? want : BG_LIST_ALLOW;
	cb->args[2] = 0;
	cb->args[3] = 0;
	return 0;
}

struct bg_prefix_dump {
	struct sk_buff *skb;
	struct netlink_callback *cb;
	u8 list;
	u64 now;
};

static int bg_prefix_dump_one(const struct bg_prefix *p, u64 expires,
			      void *arg)
{
	struct bg_prefix_dump *d = arg;
	void *hdr;
	u64 left;

	hdr = bg_dump_start_msg(d->skb, d->cb, BG_CMD_GET_PREFIX);
	if (!hdr)
		return -EMSGSIZE;
	genl_dump_check_consistent(d->cb, hdr);
	if (nla_put_u8(d->skb, BG_A_LIST, d->list) ||
	    bg_put_addr(d->skb, p->family, &p->addr, p->len))
		goto err;
	if (expires) {
		left = div_u64(expires - d->now + NSEC_PER_SEC - 1,
			       NSEC_PER_SEC);
		if (nla_put_u32(d->skb, BG_A_TIMEOUT, (u32)left))
			goto err;
	}
	genlmsg_end(d->skb, hdr);
	return 0;
err:
	genlmsg_cancel(d->skb, hdr);
	return -EMSGSIZE;
}

int bg_nl_prefix_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct bg_net *bn = bg_cb_pernet(cb);
	struct bg_prefix_dump d = { .skb = skb, .cb = cb,
				    .now = ktime_get_ns() };
	u32 bucket, pos;
	int ret = 0;

	rcu_read_lock();
	/* Never 0 (which would disable the check), new with every write. */
	cb->seq = READ_ONCE(bn->list_gen) << 1 | 1;
	while (cb->args[1] <= BG_LIST_DENY) {
		d.list = cb->args[1];
		bucket = cb->args[2];
		pos = cb->args[3];
		ret = bg_list_walk(rcu_dereference(bn->lists[d.list ==
							    BG_LIST_DENY]),
				   &bucket, &pos, d.now, bg_prefix_dump_one,
				   &d);
		cb->args[2] = bucket;
		cb->args[3] = pos;
		if (ret)
			break;
		if (cb->args[0])
			cb->args[1] = BG_LIST_DENY + 1;
		else
			cb->args[1]++;
		cb->args[2] = 0;
		cb->args[3] = 0;
	}
	rcu_read_unlock();
	return skb->len;
}

/* The open import of @bn if @info's sender owns it; else an error. */
static int bg_import_owned(struct bg_net *bn, struct genl_info *info)
{
	if (!bn->staging) {
		NL_SET_ERR_MSG(info->extack, "no import under way");
		return -ENOENT;
	}
	if (bn->staging_portid != info->snd_portid) {
		NL_SET_ERR_MSG(info->extack,
			       "another socket's import is under way");
		return -EBUSY;
	}
	return 0;
}

static void bg_import_drop(struct bg_net *bn)
{
	bg_list_free(bn->staging);
	bn->staging = NULL;
	bn->staging_portid = 0;
}

int bg_nl_import_begin(struct sk_buff *skb, struct genl_info *info)
{
	struct bg_net *bn = bg_info_pernet(info);
	struct nlattr **tb = info->attrs;
	struct bg_plist *l;
	int list, ret = 0;
	u32 hint = 0;

	list = bg_list_attr(info);
	if (list < 0)
		return list;
	/*
	 * BG_A_COUNT: the entries to come, so the buckets are allocated once;
	 * outside the initial netns never more than its ceiling allows.
	 */
	if (tb[BG_A_COUNT])
		hint = nla_get_u32(tb[BG_A_COUNT]);
	if (!net_eq(bn->net, &init_net))
		hint = min(hint, bg_params_netns_max_list_entries());
	mutex_lock(&bn->conf_mutex);
	if (bn->staging) {
		NL_SET_ERR_MSG(info->extack,
			       "an import is under way in this netns");
		ret = -EBUSY;
		goto out;
	}
	if (tb[BG_A_MERGE] && nla_get_u8(tb[BG_A_MERGE]))
		l = bg_list_clone(bg_list_locked(bn, list), ktime_get_ns(),
				  hint);
	else
		l = bg_list_alloc_sized(hint);
	if (!l) {
		ret = -ENOMEM;
		goto out;
	}
	bn->staging = l;
	bn->staging_portid = info->snd_portid;
	bn->staging_list = list;
out:
	mutex_unlock(&bn->conf_mutex);
	return ret;
}

int bg_nl_import_chunk(struct sk_buff *skb, struct genl_info *info)
{
	struct bg_net *bn = bg_info_pernet(info);
	struct nlattr *tb[BG_A_MAX + 1];
	u64 now = ktime_get_ns();
	const struct nlattr *entry;
	u32 n = 0;
	int rem, ret;

	if (GENL_REQ_ATTR_CHECK(info, BG_A_ENTRIES)) {
		NL_SET_ERR_MSG(info->extack, "BG_A_ENTRIES is required");
		return -EINVAL;
	}
	mutex_lock(&bn->conf_mutex);
	ret = bg_import_owned(bn, info);
	if (ret)
		goto out;
	nla_for_each_nested(entry, info->attrs[BG_A_ENTRIES], rem) {
		if (++n > BG_IMPORT_CHUNK_MAX) {
			NL_SET_ERR_MSG_ATTR(info->extack, entry,
					    "more than BG_IMPORT_CHUNK_MAX entries");
			ret = -E2BIG;
			break;
		}
		ret = nla_parse_nested(tb, BG_A_MAX, entry,
				       bg_prefix_entry_policy, info->extack);
		if (!ret)
			ret = bg_list_entry_add(bn, bn->staging, tb, entry,
						true, now, info->extack);
		if (ret)
			break;
	}
	/* A bad entry ends the import: the live list never changed. */
	if (ret)
		bg_import_drop(bn);
out:
	mutex_unlock(&bn->conf_mutex);
	return ret;
}

int bg_nl_import_commit(struct sk_buff *skb, struct genl_info *info)
{
	struct bg_net *bn = bg_info_pernet(info);
	struct bg_plist *old = NULL;
	struct sk_buff *msg;
	u32 count = 0;
	void *hdr;
	int ret;

	hdr = bg_reply_start(info, &msg, BG_CMD_IMPORT_COMMIT);
	if (!hdr)
		return -ENOMEM;
	mutex_lock(&bn->conf_mutex);
	ret = bg_import_owned(bn, info);
	if (!ret) {
		count = bg_list_count(bn->staging);
		old = bg_list_swap(bn, bn->staging_list, bn->staging);
		bn->staging = NULL;
		bn->staging_portid = 0;
	}
	mutex_unlock(&bn->conf_mutex);
	if (old) {
		synchronize_rcu();
		bg_list_free(old);
	}
	if (!ret && nla_put_u32(msg, BG_A_COUNT, count))
		ret = -EMSGSIZE;
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

int bg_nl_import_abort(struct sk_buff *skb, struct genl_info *info)
{
	struct bg_net *bn = bg_info_pernet(info);
	int ret;

	mutex_lock(&bn->conf_mutex);
	ret = bg_import_owned(bn, info);
	if (!ret)
		bg_import_drop(bn);
	mutex_unlock(&bn->conf_mutex);
	return ret;
}

void bg_import_release(struct bg_net *bn, u32 portid)
{
	if (!READ_ONCE(bn->staging))
		return;
	mutex_lock(&bn->conf_mutex);
	if (bn->staging && bn->staging_portid == portid)
		bg_import_drop(bn);
	mutex_unlock(&bn->conf_mutex);
}
