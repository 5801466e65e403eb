// SPDX-License-Identifier: GPL-2.0
/*
 * The settings of a netns as one immutable snapshot behind an RCU pointer:
 * the packet path reads a consistent set without locks, and a writer
 * builds a whole new snapshot and swaps it in, so a rejected change leaves
 * nothing half-applied.
 *
 * This file is the model of those settings: rule ids (allocation, lookup,
 * adoption by a replacing rule set), rules added and deleted. The allow
 * and deny lists live outside the snapshot (lists.c).
 * It answers -EEXIST, -ENOSPC or -ENOENT; the netlink side says which
 * attribute was wrong.
 */
#include <linux/err.h>
#include <linux/netlink.h>
#include <linux/slab.h>
#include <net/ipv6.h>
#include "internal.h"

int bg_limit_prepare(struct bg_limit *l, struct netlink_ext_ack *extack)
{
	if (!l->rate || l->rate > BG_RATE_MAX) {
		NL_SET_ERR_MSG(extack, "rate out of range");
		return -EINVAL;
	}
	if (l->period != 1 && l->period != 60 && l->period != 3600) {
		NL_SET_ERR_MSG(extack, "rate period must be 1, 60 or 3600 s");
		return -EINVAL;
	}
	if (!l->burst || l->burst > BG_BURST_MAX) {
		NL_SET_ERR_MSG(extack, "burst out of range");
		return -EINVAL;
	}
	if (l->ban > BG_BAN_MAX_S) {
		NL_SET_ERR_MSG(extack, "ban longer than a week");
		return -EINVAL;
	}
	if (l->ban_max && (l->ban_max < l->ban || l->ban_max > BG_BAN_MAX_S)) {
		NL_SET_ERR_MSG(extack, "ban max shorter than the ban");
		return -EINVAL;
	}
	if (l->mode > BG_MODE_MAX) {
		NL_SET_ERR_MSG(extack, "unknown mode");
		return -EINVAL;
	}
	l->interval_ns = bg_interval_ns(l->rate, l->period);
	l->window_ns = bg_window_ns(l->interval_ns, l->burst);
	if (!l->window_ns) {
		NL_SET_ERR_MSG(extack, "burst too large for this rate");
		return -ERANGE;
	}
	l->ban_ns = (u64)l->ban * NSEC_PER_SEC;
	l->total_interval_ns = 0;
	l->total_window_ns = 0;
	if (!l->total_rate)
		return 0;
	if (l->total_rate > BG_RATE_MAX) {
		NL_SET_ERR_MSG(extack, "total rate out of range");
		return -EINVAL;
	}
	if (l->total_period != 1 && l->total_period != 60 &&
	    l->total_period != 3600) {
		NL_SET_ERR_MSG(extack, "total period must be 1, 60 or 3600 s");
		return -EINVAL;
	}
	if (!l->total_burst || l->total_burst > BG_BURST_MAX) {
		NL_SET_ERR_MSG(extack, "total burst out of range");
		return -EINVAL;
	}
	l->total_interval_ns = bg_interval_ns(l->total_rate, l->total_period);
	l->total_window_ns = bg_window_ns(l->total_interval_ns,
					  l->total_burst);
	if (!l->total_window_ns) {
		NL_SET_ERR_MSG(extack, "total burst too large for its rate");
		return -ERANGE;
	}
	return 0;
}

void bg_total_put(struct bg_total *t)
{
	if (t && refcount_dec_and_test(&t->ref))
		kfree(t);
}

static void bg_total_get(struct bg_total *t)
{
	if (t)
		refcount_inc(&t->ref);
}

/*
 * Give every aggregate limit of @c a bucket: the one of the same rule id
 * in @old (a changed setting keeps it, as sources keep theirs), else a new,
 * full one; drop those of limits without an aggregate. At most
 * BG_MAX_RULES + 1 buckets of one cache line each per snapshot.
 */
static int bg_limit_total_bind(struct bg_limit *l, const struct bg_limit *o)
{
	struct bg_total *t;

	if (!l->total_rate) {
		bg_total_put(l->total);
		l->total = NULL;
		return 0;
	}
	if (l->total)
		return 0;
	if (o && o->total) {
		bg_total_get(o->total);
		l->total = o->total;
		return 0;
	}
	t = kzalloc(sizeof(*t), GFP_KERNEL_ACCOUNT);
	if (!t)
		return -ENOMEM;
	refcount_set(&t->ref, 1);
	l->total = t;
	return 0;
}

static int bg_conf_total_bind(struct bg_conf *c, const struct bg_conf *old)
{
	const struct bg_rule *o;
	int ret;
	u32 i;

	ret = bg_limit_total_bind(&c->limit, old ? &old->limit : NULL);
	for (i = 0; !ret && i < c->nrules; i++) {
		o = old ? bg_conf_rule(old, c->rules[i].id) : NULL;
		ret = bg_limit_total_bind(&c->rules[i].limit,
					  o ? &o->limit : NULL);
	}
	return ret;
}

struct bg_conf *bg_conf_new_default(void)
{
	struct bg_conf *c = kzalloc(sizeof(*c), GFP_KERNEL);

	if (!c)
		return NULL;
	bg_params_limit(&c->limit, &c->prefix4, &c->prefix6, &c->max_sources);
	c->forward = bg_params_forward();
	c->strikes_forget = bg_params_strikes_forget();
	c->next_rule_id = 1;
	/* Parameters were checked at load, so this cannot fail. */
	if (bg_limit_prepare(&c->limit, NULL)) {
		kfree(c);
		return NULL;
	}
	return c;
}

void bg_conf_free(struct bg_conf *c)
{
	u32 i;

	if (!c)
		return;
	bg_total_put(c->limit.total);
	for (i = 0; i < c->nrules; i++)
		bg_total_put(c->rules[i].limit.total);
	kfree(c->rules);
	kfree(c);
}

static void bg_conf_free_rcu(struct rcu_head *head)
{
	bg_conf_free(container_of(head, struct bg_conf, rcu));
}

struct bg_conf *bg_conf_clone(const struct bg_conf *c)
{
	struct bg_conf *n = kmemdup(c, sizeof(*c), GFP_KERNEL);
	u32 i;

	if (!n)
		return NULL;
	/* The clone holds its own references to the aggregates' buckets. */
	bg_total_get(n->limit.total);
	n->nrules = 0;
	n->rules = NULL;
	if (c->nrules) {
		n->rules = kmemdup(c->rules, c->nrules * sizeof(*c->rules),
				   GFP_KERNEL);
		if (!n->rules)
			goto err;
		n->nrules = c->nrules;
		for (i = 0; i < n->nrules; i++)
			bg_total_get(n->rules[i].limit.total);
	}
	return n;
err:
	bg_conf_free(n);
	return NULL;
}

int bg_rules_find(const struct bg_rule *rules, u32 n, u16 id)
{
	u32 i;

	for (i = 0; i < n; i++)
		if (rules[i].id == id)
			return i;
	return -ENOENT;
}

int bg_rules_find_ports(const struct bg_rule *rules, u32 n, u16 min, u16 max)
{
	u32 i;

	for (i = 0; i < n; i++)
		if (rules[i].port_min == min && rules[i].port_max == max)
			return i;
	return -ENOENT;
}

const struct bg_rule *bg_conf_rule(const struct bg_conf *c, u16 id)
{
	int i = bg_rules_find(c->rules, c->nrules, id);

	return i < 0 ? NULL : &c->rules[i];
}

const struct bg_limit *bg_conf_rule_limit(const struct bg_conf *c, u16 id)
{
	const struct bg_rule *r = bg_conf_rule(c, id);

	return r ? &r->limit : &c->limit;
}

/*
 * The next free rule id from c->next_rule_id, also unlike every id of
 * @avoid: at most BG_MAX_RULES * 2 ids are taken, so this ends quickly.
 */
static u16 bg_conf_new_rule_id(struct bg_conf *c, const struct bg_rule *rules,
			       u32 n, const struct bg_rule *avoid, u32 navoid)
{
	u16 id = c->next_rule_id ? c->next_rule_id : 1;

	while (bg_rules_find(rules, n, id) >= 0 ||
	       bg_rules_find(avoid, navoid, id) >= 0)
		id = id == U16_MAX ? 1 : id + 1;
	c->next_rule_id = id == U16_MAX ? 1 : id + 1;
	return id;
}

int bg_conf_rule_room(const struct bg_conf *c, u16 min, u16 max)
{
	if (bg_rules_find_ports(c->rules, c->nrules, min, max) >= 0)
		return -EEXIST;
	if (c->nrules >= BG_MAX_RULES)
		return -ENOSPC;
	return 0;
}

int bg_conf_rule_add(struct bg_conf *c, struct bg_rule *r)
{
	struct bg_rule *rules;
	int ret;

	ret = bg_conf_rule_room(c, r->port_min, r->port_max);
	if (ret)
		return ret;
	rules = krealloc(c->rules, (c->nrules + 1) * sizeof(*rules),
			 GFP_KERNEL);
	if (!rules)
		return -ENOMEM;
	c->rules = rules;
	r->id = bg_conf_new_rule_id(c, c->rules, c->nrules, NULL, 0);
	c->rules[c->nrules++] = *r;
	return 0;
}

void bg_conf_rule_del(struct bg_conf *c, unsigned int i)
{
	bg_total_put(c->rules[i].limit.total);
	c->nrules--;
	memmove(&c->rules[i], &c->rules[i + 1],
		(c->nrules - i) * sizeof(*c->rules));
}

u16 bg_conf_rule_adopt(const struct bg_conf *old, const struct bg_rule *rules,
		       u32 n, u16 min, u16 max)
{
	int k = bg_rules_find_ports(old->rules, old->nrules, min, max);

	if (k < 0 || bg_rules_find(rules, n, old->rules[k].id) >= 0)
		return 0;
	return old->rules[k].id;
}

void bg_conf_rules_replace(struct bg_conf *c, const struct bg_conf *old,
			   struct bg_rule *rules, u32 n)
{
	u32 i;

	/* Ids for new rules, unlike any kept or current one. */
	for (i = 0; i < n; i++)
		if (!rules[i].id)
			rules[i].id = bg_conf_new_rule_id(c, rules, n, old->rules,
							  old->nrules);
	for (i = 0; i < c->nrules; i++)
		bg_total_put(c->rules[i].limit.total);
	kfree(c->rules);
	c->rules = rules;
	c->nrules = n;
}

/*
 * Does going from @old to @c leave tracked sources to clean up: a rule
 * deleted (its sources are forgotten, so a new rule never inherits them)
 * or a window that shrank (debts are cut to it)?
 */
static bool bg_conf_needs_tidy(const struct bg_conf *old,
				   const struct bg_conf *c)
{
	const struct bg_rule *r;
	u32 i;

	if (c->limit.window_ns < old->limit.window_ns)
		return true;
	for (i = 0; i < old->nrules; i++) {
		r = bg_conf_rule(c, old->rules[i].id);
		if (!r || r->limit.window_ns < old->rules[i].limit.window_ns)
			return true;
	}
	return false;
}

int bg_conf_commit(struct bg_net *bn, struct bg_conf *c,
		   struct netlink_ext_ack *extack)
{
	struct bg_conf *old = bg_conf_locked(bn);
	struct bg_table *t, *nt = NULL;
	bool tidy;
	int ret;
	u32 i;

	ret = bg_limit_prepare(&c->limit, extack);
	if (ret)
		return ret;
	for (i = 0; i < c->nrules; i++) {
		ret = bg_limit_prepare(&c->rules[i].limit, extack);
		if (ret)
			return ret;
	}
	if (c->nrules > BG_MAX_RULES) {
		NL_SET_ERR_MSG(extack, "too many rules");
		return -ENOSPC;
	}
	if (!c->max_sources || c->max_sources > BG_MAX_SOURCES_LIMIT) {
		NL_SET_ERR_MSG(extack, "max_sources out of range");
		return -EINVAL;
	}
	if (c->strikes_forget > BG_BAN_MAX_S) {
		NL_SET_ERR_MSG(extack, "strikes forget longer than a week");
		return -EINVAL;
	}
	if (c->forward > 1) {
		NL_SET_ERR_MSG(extack, "forward must be 0 or 1");
		return -EINVAL;
	}
	/*
	 * The host's ceiling for other namespaces: a container (or anyone
	 * with unshare -Urn) must not make the kernel allocate more for its
	 * table than the host allows. Checked when the value changes, so a
	 * namespace above a ceiling lowered later keeps working.
	 */
	if (c->max_sources != old->max_sources &&
	    !net_eq(bn->net, &init_net) &&
	    c->max_sources > bg_params_netns_max_sources()) {
		NL_SET_ERR_MSG(extack,
			       "max_sources above netns_max_sources, the host's ceiling for namespaces other than the initial one");
		return -ERANGE;
	}
	if (c->prefix4 > 32 || c->prefix6 > 128) {
		NL_SET_ERR_MSG(extack, "prefix length out of range");
		return -EINVAL;
	}
	ret = bg_conf_total_bind(c, old);
	if (ret) {
		NL_SET_ERR_MSG(extack, "no memory for a total's bucket");
		return ret;
	}

	t = rcu_dereference_protected(bn->table,
				      lockdep_is_held(&bn->conf_mutex));
	if (old && bg_table_needs_rebuild(t, old, c)) {
		nt = bg_table_resized(bn, t, c, extack);
		if (IS_ERR(nt))
			return PTR_ERR(nt);
	}
	tidy = old && bg_conf_needs_tidy(old, c);

	rcu_assign_pointer(bn->conf, c);
	if (nt)
		rcu_assign_pointer(bn->table, nt);
	if (nt || tidy) {
		/* No packet uses the old settings or the old table after this. */
		synchronize_net();
	}
	if (nt) {
		/* Attempts that raced with the copy count in the new table. */
		bg_table_catch_up(bn, t, nt, c);
		bg_table_free(t);
	}
	if (tidy)
		bg_table_apply_conf(bn, c);
	if (old)
		call_rcu(&old->rcu, bg_conf_free_rcu);
	return 0;
}

void bg_prefix_mask(struct bg_prefix *p)
{
	unsigned int bits = p->len, i;

	if (p->family == AF_INET) {
		p->addr.s6_addr32[0] &= bits ? htonl(~0U << (32 - bits)) : 0;
		p->addr.s6_addr32[1] = 0;
		p->addr.s6_addr32[2] = 0;
		p->addr.s6_addr32[3] = 0;
		return;
	}
	for (i = 0; i < 4; i++, bits = bits > 32 ? bits - 32 : 0) {
		if (bits >= 32)
			continue;
		p->addr.s6_addr32[i] &= bits ? htonl(~0U << (32 - bits)) : 0;
	}
}

bool bg_prefix_match(const struct bg_prefix *p, u8 family,
		     const struct in6_addr *addr)
{
	struct bg_prefix a = { .family = family, .len = p->len };

	if (p->family != family)
		return false;
	a.addr = *addr;
	bg_prefix_mask(&a);
	return ipv6_addr_equal(&a.addr, &p->addr);
}
