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
 */
#include <linux/percpu.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <net/net_namespace.h>	/* 5.10: generic.h does not include it */
#include <net/netns/generic.h>
#include "internal.h"

static unsigned int bg_net_id __read_mostly;

struct bg_net *bg_pernet(const struct net *net)
{
	return net_generic(net, bg_net_id);
}

static int __net_init bg_net_init(struct net *net)
{
	struct bg_net *bn = bg_pernet(net);
	struct bg_conf *c;
	struct bg_table *t;
	int ret = -ENOMEM;

	bn->net = net;
	mutex_init(&bn->conf_mutex);
	get_random_bytes(&bn->hash_key, sizeof(bn->hash_key));
	/* At most 10 log lines per 5 s and 100 events per second. */
	ratelimit_state_init(&bn->log_rs, 5 * HZ, 10);
	ratelimit_set_flags(&bn->log_rs, RATELIMIT_MSG_ON_RELEASE);
	ratelimit_state_init(&bn->event_rs, HZ, 100);
	ratelimit_set_flags(&bn->event_rs, RATELIMIT_MSG_ON_RELEASE);
	INIT_DEFERRABLE_WORK(&bn->gc_work, bg_gc_work);

	bn->stats = alloc_percpu(struct bg_stats);
	if (!bn->stats)
		goto err_stats;
	c = bg_conf_new_default();
	if (!c)
		goto err_conf;
	RCU_INIT_POINTER(bn->conf, c);
	t = bg_table_alloc(c->max_sources);
	if (!t)
		goto err_table;
	RCU_INIT_POINTER(bn->table, t);
	ret = bg_proc_init(bn);
	if (ret)
		goto err_proc;
	ret = bg_hooks_register(net);
	if (ret)
		goto err_hooks;
	queue_delayed_work(system_power_efficient_wq, &bn->gc_work, HZ);
	return 0;

err_hooks:
	bg_proc_exit(bn);
err_proc:
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
}

static void __net_exit bg_net_exit(struct net *net)
{
	struct bg_net *bn = bg_pernet(net);

	bg_proc_exit(bn);
	cancel_delayed_work_sync(&bn->gc_work);
	/* Hooks are gone and a grace period has passed since pre_exit. */
	bg_table_free(rcu_dereference_protected(bn->table, true));
	bg_conf_free(rcu_dereference_protected(bn->conf, true));
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
