/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Between netlink.c (the family, its policies and ops table, the common
 * attribute helpers, event multicast) and the handlers, one file per
 * message group: nl_conf.c (settings, rules, lists) and nl_source.c
 * (sources, forget, flush, counters). Handlers translate a request into
 * calls of the model (conf.c, table.c) and its answer into attributes;
 * they name the offending attribute in the extended ACK.
 */
#ifndef BG_NL_H
#define BG_NL_H

#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>
#include "internal.h"

/* Policies of the entries nested in a REPLACE_CONFIG request. */
extern const struct nla_policy bg_rule_entry_policy[BG_A_MAX + 1];
extern const struct nla_policy bg_prefix_entry_policy[BG_A_MAX + 1];

static inline struct bg_net *bg_info_pernet(struct genl_info *info)
{
	return bg_pernet(genl_info_net(info));
}

static inline struct bg_net *bg_cb_pernet(struct netlink_callback *cb)
{
	return bg_pernet(sock_net(cb->skb->sk));
}

/* Attributes into the model's structs. */
int bg_limit_parse(struct nlattr **tb, struct bg_limit *l,
		   struct netlink_ext_ack *extack);
void bg_config_parse(struct nlattr **tb, struct bg_conf *c);
/* Ports of a rule; @where names the rule for errors (NULL: top level). */
int bg_ports_parse(struct nlattr **tb, const struct nlattr *where,
		   u16 *min, u16 *max, struct netlink_ext_ack *extack);
/* A prefix from BG_A_ADDR4/BG_A_ADDR6 and BG_A_PLEN, host bits cleared. */
int bg_prefix_parse(struct nlattr **tb, const struct nlattr *where,
		    struct bg_prefix *p, struct netlink_ext_ack *extack);

/* The model's structs into attributes; -EMSGSIZE when @skb is full. */
int bg_put_limit(struct sk_buff *skb, const struct bg_limit *l);
int bg_put_rule(struct sk_buff *skb, const struct bg_rule *r);
/* BG_A_TOTAL_REFUSED, the count of an aggregate. */
int bg_put_total_refused(struct sk_buff *skb, u64 refused);
int bg_put_addr(struct sk_buff *skb, u8 family, const struct in6_addr *addr,
		u8 len);
int bg_put_key(struct sk_buff *skb, const struct bg_key *key);

/* Start a reply to @info; the caller sends or frees *@skb. */
void *bg_reply_start(struct genl_info *info, struct sk_buff **skb, u8 cmd);
/* Start one message of a dump. */
void *bg_dump_start_msg(struct sk_buff *skb, struct netlink_callback *cb,
			u8 cmd);

/* nl_conf.c: settings, rules, lists. */
int bg_nl_get_config(struct sk_buff *skb, struct genl_info *info);
int bg_nl_set_config(struct sk_buff *skb, struct genl_info *info);
int bg_nl_replace_config(struct sk_buff *skb, struct genl_info *info);
int bg_nl_add_rule(struct sk_buff *skb, struct genl_info *info);
int bg_nl_del_rule(struct sk_buff *skb, struct genl_info *info);
int bg_nl_rule_start(struct netlink_callback *cb);
int bg_nl_rule_dump(struct sk_buff *skb, struct netlink_callback *cb);
int bg_nl_rule_done(struct netlink_callback *cb);
int bg_nl_add_prefix(struct sk_buff *skb, struct genl_info *info);
int bg_nl_del_prefix(struct sk_buff *skb, struct genl_info *info);
int bg_nl_flush_prefix(struct sk_buff *skb, struct genl_info *info);
int bg_nl_prefix_start(struct netlink_callback *cb);
int bg_nl_prefix_dump(struct sk_buff *skb, struct netlink_callback *cb);
int bg_nl_import_begin(struct sk_buff *skb, struct genl_info *info);
int bg_nl_import_chunk(struct sk_buff *skb, struct genl_info *info);
int bg_nl_import_commit(struct sk_buff *skb, struct genl_info *info);
int bg_nl_import_abort(struct sk_buff *skb, struct genl_info *info);
/* The socket of @portid closes: drop the import it owns, if any. */
void bg_import_release(struct bg_net *bn, u32 portid);

/* nl_source.c: sources, forget, flush, counters. */
int bg_nl_source_start(struct netlink_callback *cb);
int bg_nl_source_dump(struct sk_buff *skb, struct netlink_callback *cb);
int bg_nl_forget(struct sk_buff *skb, struct genl_info *info);
int bg_nl_flush(struct sk_buff *skb, struct genl_info *info);
int bg_nl_get_stats(struct sk_buff *skb, struct genl_info *info);

#endif /* BG_NL_H */
