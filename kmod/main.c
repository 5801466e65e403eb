// SPDX-License-Identifier: GPL-2.0
/*
 * burstguard: per-source throttling of new TCP connection attempts.
 *
 * Module entry and exit. Everything is set up in dependency order and
 * unwound in reverse with goto labels, so a failure at any step leaves
 * nothing behind. The netlink family comes last and goes first, so no
 * request can reach per-netns state that is being freed.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include "internal.h"

static int __init bg_mod_init(void)
{
	int ret;

	ret = bg_params_check();
	if (ret)
		goto err_params;
	ret = bg_table_cache_init();
	if (ret)
		goto err_cache;
	ret = bg_pernet_init();
	if (ret)
		goto err_pernet;
	ret = bg_genl_init();
	if (ret)
		goto err_genl;

	pr_info("loaded\n");
	return 0;

err_genl:
	bg_events_stop();
	bg_pernet_exit();
err_pernet:
	bg_table_cache_exit();
err_cache:
err_params:
	return ret;
}

static void __exit bg_mod_exit(void)
{
	bg_events_stop();
	bg_genl_exit();
	bg_pernet_exit();
	bg_table_cache_exit();
	pr_info("unloaded\n");
}

module_init(bg_mod_init);
module_exit(bg_mod_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Per-source throttling of TCP connection bursts");
MODULE_AUTHOR("burstguard developers");
