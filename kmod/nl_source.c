// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink handlers of the tracked sources and the counters: GET_SOURCE
 * (a dump of the table), FORGET, FLUSH and GET_STATS.
 */
#include "nl.h"
#include "compat.h"

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
			      BG_A_PAD) ||
	    nla_put_u32(a->skb, BG_A_STRIKES, src->strikes)) {
		genlmsg_cancel(a->skb, hdr);
		return 1;
	}
	genlmsg_end(a->skb, hdr);
	return 0;
}

int bg_nl_source_start(struct netlink_callback *cb)
{
	if (bg_genl_dump_hdr_check(cb))
		return -EINVAL;
	cb->args[0] = 0;	/* chain */
	cb->args[1] = 0;	/* sources of that chain already sent */
	return 0;
}

int bg_nl_source_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct bg_net *bn = bg_cb_pernet(cb);
	struct bg_source_arg a = { .skb = skb, .cb = cb };
	unsigned long chain = cb->args[0], skip = cb->args[1];
	int more;

	/* Any insert or removal since the first part marks the dump. */
	cb->seq = bg_table_gen(bn) + 1 ? : 1;
	more = bg_table_walk(bn, &chain, &skip, bg_source_fill, &a);
	cb->args[0] = chain;
	cb->args[1] = skip;
	if (!more)
		return skb->len;	/* the next call finds nothing: DONE */
	return skb->len ? skb->len : -EMSGSIZE;
}

/* Forget the sources in @p (NULL: all of them); reply with how many. */
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

int bg_nl_forget(struct sk_buff *skb, struct genl_info *info)
{
	struct bg_prefix p;
	int ret;

	ret = bg_prefix_parse(info->attrs, NULL, &p, info->extack);
	if (ret)
		return ret;
	return bg_nl_remove(info, &p);
}

int bg_nl_flush(struct sk_buff *skb, struct genl_info *info)
{
	return bg_nl_remove(info, NULL);
}

int bg_nl_get_stats(struct sk_buff *skb, struct genl_info *info)
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
