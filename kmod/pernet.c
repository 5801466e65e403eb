// SPDX-License-Identifier: GPL-2.0
/*
 * Per network namespace state: created when a namespace appears (or at
 * load for every existing one) from the module parameters, torn down when
 * it goes away (or at unload).
 *
 * Teardown order matters because packets may be in flight: pre_exit
 * unregisters the hooks (which waits for running hooks), the netns core
 * then waits for an RCU grace period, and only exit frees what the hooks
 * read.
 *
 * Every netns also gets the kernel's IPv4 and IPv6 defragmentation
 * (nf_defrag_ipv4/6, the same hooks conntrack uses, reference-counted per
 * netns), so that the hook judges a SYN sent in fragments on the
 * reassembled packet (hook.c). They are enabled before our hooks and
 * released after them.
 */
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <net/net_namespace.h>	/* 5.10: generic.h does not include it */
#include <net/netns/generic.h>
#include <net/netfilter/ipv4/nf_defrag_ipv4.h>
#include <net/netfilter/ipv6/nf_defrag_ipv6.h>
#include "internal.h"
#include "compat.h"

unsigned int bg_net_id __read_mostly;

#define BG_GC_PERIOD		HZ

static void bg_gc_released(struct bg_net *bn, const struct bg_key *key)
{
	bg_event(bn, BG_EVENT_RELEASED, key, 0);
}

/* Unlink the list entries whose expiry passed (they stopped matching then). */
static void bg_lists_expire(struct bg_net *bn)
{
	u64 now = ktime_get_ns();
	int i;

	mutex_lock(&bn->conf_mutex);
	for (i = 0; i < 2; i++)
		if (bg_list_expire(rcu_dereference_protected(bn->lists[i],
				   lockdep_is_held(&bn->conf_mutex)), now))
			bn->list_gen++;	/* a dump's cursor may have moved */
	mutex_unlock(&bn->conf_mutex);
}

/*
 * Once a second: forget the sources that went quiet (table.c), reclaim
 * expired list entries (lists.c).
 */
static void bg_gc_work(struct work_struct *work)
{
	struct bg_net *bn = container_of(to_delayed_work(work), struct bg_net,
					 gc_work);

	bg_table_expire(bn, bg_gc_released);
	bg_lists_expire(bn);
	queue_delayed_work(system_power_efficient_wq, &bn->gc_work,
			   BG_GC_PERIOD);
}

static int __net_init bg_net_init(struct net *net)
{
	struct bg_net *bn = bg_pernet(net);
	struct bg_conf *c;
	struct bg_table *t;
	struct bg_plist *allow, *deny;
	int ret = -ENOMEM;

	bn->net = net;
	mutex_init(&bn->conf_mutex);
	/* At most 100 events per second (log lines: see events.c). */
	ratelimit_state_init(&bn->event_rs, HZ, 100);
	ratelimit_set_flags(&bn->event_rs, RATELIMIT_MSG_ON_RELEASE);
	INIT_DEFERRABLE_WORK(&bn->gc_work, bg_gc_work);
	INIT_DELAYED_WORK(&bn->rehash_work, bg_rehash_work);

	bn->stats = alloc_percpu(struct bg_stats);
	if (!bn->stats)
		goto err_stats;
	c = bg_conf_new_default();
	if (!c)
		goto err_conf;
	RCU_INIT_POINTER(bn->conf, c);
	t = bg_table_alloc(c->max_sources, !net_eq(net, &init_net));
	if (!t)
		goto err_table;
	RCU_INIT_POINTER(bn->table, t);
	allow = bg_list_alloc();
	deny = bg_list_alloc();
	if (!allow || !deny)
		goto err_lists;
	bg_list_set_live(allow);
	bg_list_set_live(deny);
	RCU_INIT_POINTER(bn->lists[0], allow);
	RCU_INIT_POINTER(bn->lists[1], deny);
	ret = bg_strikes_alloc(bn, bg_params_strike_slots());
	if (ret)
		goto err_strikes;
	ret = bg_proc_init(bn);
	if (ret)
		goto err_proc;
	ret = nf_defrag_ipv4_enable(net);
	if (ret)
		goto err_defrag4;
	ret = nf_defrag_ipv6_enable(net);
	if (ret)
		goto err_defrag6;
	ret = bg_hooks_register(net);
	if (ret)
		goto err_hooks;
	queue_delayed_work(system_power_efficient_wq, &bn->gc_work,
			   BG_GC_PERIOD);
	return 0;

err_hooks:
	bg_nf_defrag_ipv6_disable(net);
err_defrag6:
	bg_nf_defrag_ipv4_disable(net);
err_defrag4:
	bg_proc_exit(bn);
err_proc:
	bg_strikes_free(bn);
err_strikes:
err_lists:
	bg_list_free(allow);
	bg_list_free(deny);
	bg_table_free(t);
err_table:
	bg_conf_free(c);
err_conf:
	free_percpu(bn->stats);
err_stats:
	return ret;
}

static void __net_exit bg_net_pre_exit(struct net *net)
{
	bg_hooks_unregister(net);
	bg_nf_defrag_ipv6_disable(net);
	bg_nf_defrag_ipv4_disable(net);
}

static void __net_exit bg_net_exit(struct net *net)
{
	struct bg_net *bn = bg_pernet(net);

	bg_proc_exit(bn);
	cancel_delayed_work_sync(&bn->gc_work);
	/* No hook can ask for a rehash any more. */
	cancel_delayed_work_sync(&bn->rehash_work);
	/* Hooks are gone and a grace period has passed since pre_exit. */
	bg_table_free(rcu_dereference_protected(bn->table, true));
	bg_conf_free(rcu_dereference_protected(bn->conf, true));
	bg_list_free(rcu_dereference_protected(bn->lists[0], true));
	bg_list_free(rcu_dereference_protected(bn->lists[1], true));
	/* An import still open when the netns goes (its owner is gone too). */
	bg_list_free(bn->staging);
	bg_strikes_free(bn);
	free_percpu(bn->stats);
	mutex_destroy(&bn->conf_mutex);
}

static struct pernet_operations bg_net_ops = {
	.init = bg_net_init,
	.pre_exit = bg_net_pre_exit,
	.exit = bg_net_exit,
	.id = &bg_net_id,
	.size = sizeof(struct bg_net),
};

int bg_pernet_init(void)
{
	return register_pernet_subsys(&bg_net_ops);
}

void bg_pernet_exit(void)
{
	unregister_pernet_subsys(&bg_net_ops);
}
