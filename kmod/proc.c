// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/net/burstguard/ of each netns:
 *   stats    one "name value" line per counter (names from words.h)
 *   config   the settings, one "name value" line each, then rules and the
 *            number of entries of each list
 *   sources  one line per tracked source
 * config and sources name admin networks and offenders: only a reader
 * with CAP_NET_ADMIN in the netns' user namespace (its root: a container's
 * root reads its own) gets their contents; anyone may read stats. The
 * files belong to that root where the user namespace maps one when the
 * netns is made (as conntrack's do). unshare -Urn maps it only after, so
 * the check is on the opener's credentials, not on the file's mode.
 *
 * sources is a seq_file that walks the table one hash chain per record
 * under RCU, so any size reads in one go and the packet path never waits.
 */
#include <linux/capability.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <net/net_namespace.h>
#include "internal.h"
#include "words.h"

int bg_key_format(const struct bg_key *key, char *buf, size_t size)
{
	if (key->family == AF_INET)
		return scnprintf(buf, size, "%pI4/%u", &key->addr.v4,
				 key->plen);
	return scnprintf(buf, size, "%pI6c/%u", &key->addr.v6, key->plen);
}

static struct bg_net *bg_seq_bn(struct seq_file *seq)
{
	return bg_pernet(seq_file_net(seq));
}

static int bg_stats_show(struct seq_file *seq, void *v)
{
	struct bg_net *bn = bg_pernet(seq_file_single_net(seq));
	u64 val[__BG_STAT_MAX];
	int i;

	bg_stats_read(bn, val);
	for (i = 0; i < __BG_STAT_MAX; i++)
		if (bg_stat_names[i])
			seq_printf(seq, "%s %llu\n", bg_stat_names[i], val[i]);
	return 0;
}

static void bg_show_limit(struct seq_file *seq, const struct bg_limit *l,
			  const char *sep)
{
	seq_printf(seq, "rate%s%u/%s\n", sep, l->rate,
		   bg_period_word(l->period));
	seq_printf(seq, "burst%s%u\n", sep, l->burst);
	seq_printf(seq, "ban%s%us\n", sep, l->ban);
	if (l->ban_max)
		seq_printf(seq, "ban_max%s%us\n", sep, l->ban_max);
	seq_printf(seq, "mode%s%s\n", sep, bg_mode_names[l->mode]);
	if (l->total_rate)
		seq_printf(seq, "total%s%u/%s burst %u refused %llu\n", sep,
			   l->total_rate, bg_period_word(l->total_period),
			   l->total_burst, bg_limit_total_refused(l));
}

/* May the opener of @seq read what names networks and offenders? */
static bool bg_seq_admin(struct seq_file *seq, struct net *net)
{
	return file_ns_capable(seq->file, net->user_ns, CAP_NET_ADMIN);
}

static int bg_config_show(struct seq_file *seq, void *v)
{
	struct bg_net *bn = bg_pernet(seq_file_single_net(seq));
	const struct bg_conf *c;
	const struct bg_rule *r;
	u32 i;

	if (!bg_seq_admin(seq, seq_file_single_net(seq)))
		return -EACCES;

	rcu_read_lock();
	c = rcu_dereference(bn->conf);
	bg_show_limit(seq, &c->limit, " ");
	seq_printf(seq, "prefix4 %u\nprefix6 %u\nmax_sources %u\nforward %s\n",
		   c->prefix4, c->prefix6, c->max_sources,
		   c->forward ? "on" : "off");
	seq_printf(seq, "strikes_forget %us\n", c->strikes_forget);
	for (i = 0; i < c->nrules; i++) {
		r = &c->rules[i];
		seq_printf(seq, "rule %u port %u-%u rate %u/%s burst %u ban %us mode %s",
			   r->id, r->port_min, r->port_max, r->limit.rate,
			   bg_period_word(r->limit.period), r->limit.burst,
			   r->limit.ban, bg_mode_names[r->limit.mode]);
		if (r->limit.ban_max)
			seq_printf(seq, " ban_max %us", r->limit.ban_max);
		if (r->limit.total_rate)
			seq_printf(seq, " total %u/%s burst %u refused %llu",
				   r->limit.total_rate,
				   bg_period_word(r->limit.total_period),
				   r->limit.total_burst,
				   bg_limit_total_refused(&r->limit));
		seq_putc(seq, '\n');
	}
	/* Lists may hold a million entries: counts here, entries by netlink. */
	seq_printf(seq, "allow_entries %u\ndeny_entries %u\n",
		   bg_list_count(rcu_dereference(bn->lists[0])),
		   bg_list_count(rcu_dereference(bn->lists[1])));
	rcu_read_unlock();
	return 0;
}

/* Record n > 0 of the sources file is hash chain n - 1. */
struct bg_sources_iter {
	struct seq_net_private p;	/* first: proc_create_net() needs it */
	unsigned long chain;
};

static int bg_sources_print(const struct bg_source *s, void *arg)
{
	struct seq_file *seq = arg;
	char buf[64];

	bg_key_format(&s->key, buf, sizeof(buf));
	seq_printf(seq, "%-43s %5u %8u %10u %10u %-9s %llu %u\n", buf,
		   s->key.rule, s->tokens, s->attempts, s->drops,
		   bg_state_names[s->state], s->idle_ns / NSEC_PER_SEC,
		   s->strikes);
	return 0;
}

static void *bg_sources_seek(struct seq_file *seq, loff_t pos)
{
	struct bg_sources_iter *it = seq->private;

	if (!pos)
		return SEQ_START_TOKEN;
	it->chain = pos - 1;
	return it->chain < bg_table_nchains(bg_seq_bn(seq)) ? it : NULL;
}

static void *bg_sources_start(struct seq_file *seq, loff_t *pos)
{
	if (!bg_seq_admin(seq, seq_file_net(seq)))
		return ERR_PTR(-EACCES);
	return bg_sources_seek(seq, *pos);
}

static void *bg_sources_next(struct seq_file *seq, void *v, loff_t *pos)
{
	return bg_sources_seek(seq, ++*pos);
}

static void bg_sources_stop(struct seq_file *seq, void *v)
{
}

static int bg_sources_show(struct seq_file *seq, void *v)
{
	struct bg_sources_iter *it = v;

	if (v == SEQ_START_TOKEN) {
		seq_printf(seq, "%-43s %5s %8s %10s %10s %-9s %s %s\n",
			   "prefix", "rule", "tokens", "attempts", "drops",
			   "state", "idle_s", "strikes");
		return 0;
	}
	/* A table resized since start() may end early: nothing to print. */
	bg_table_walk_chain(bg_seq_bn(seq), it->chain, bg_sources_print,
			    seq);
	return 0;
}

static const struct seq_operations bg_sources_ops = {
	.start = bg_sources_start,
	.next = bg_sources_next,
	.stop = bg_sources_stop,
	.show = bg_sources_show,
};

int bg_proc_init(struct bg_net *bn)
{
	struct net *net = bn->net;
	kuid_t uid = make_kuid(net->user_ns, 0);
	kgid_t gid = make_kgid(net->user_ns, 0);
	struct proc_dir_entry *pde[4];
	unsigned int i;

	bn->proc_dir = proc_net_mkdir(net, "burstguard", net->proc_net);
	if (!bn->proc_dir)
		return -ENOMEM;
	pde[0] = bn->proc_dir;
	pde[1] = proc_create_net_single("stats", 0444, bn->proc_dir,
					bg_stats_show, NULL);
	pde[2] = proc_create_net_single("config", 0444, bn->proc_dir,
					bg_config_show, NULL);
	pde[3] = proc_create_net("sources", 0444, bn->proc_dir,
				 &bg_sources_ops,
				 sizeof(struct bg_sources_iter));
	for (i = 0; i < ARRAY_SIZE(pde); i++) {
		if (!pde[i]) {
			proc_remove(bn->proc_dir);
			return -ENOMEM;
		}
		/* A user namespace without a root mapped keeps them root's. */
		if (uid_valid(uid) && gid_valid(gid))
			proc_set_user(pde[i], uid, gid);
	}
	return 0;
}

void bg_proc_exit(struct bg_net *bn)
{
	/* Waits for readers inside our show functions, then fails new ones. */
	proc_remove(bn->proc_dir);
}
