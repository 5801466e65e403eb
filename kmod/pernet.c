// SPDX-License-Identifier: GPL-2.0
/*
 * Per network namespace state: created when a namespace appears (or at
 * load for every existing one), torn down when it goes away (or at unload).
 */
#include <linux/proc_fs.h>
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

	bn->net = net;
	bn->proc_dir = proc_mkdir("burstguard", net->proc_net);
	if (!bn->proc_dir)
		return -ENOMEM;
	return 0;
}

static void __net_exit bg_net_exit(struct net *net)
{
	struct bg_net *bn = bg_pernet(net);

	proc_remove(bn->proc_dir);
}

static struct pernet_operations bg_net_ops = {
	.init = bg_net_init,
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
