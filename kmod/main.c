// SPDX-License-Identifier: GPL-2.0
/*
 * burstguard: per-source throttling of new TCP connection attempts.
 *
 * Module entry and exit. Everything is set up in dependency order and
 * unwound in reverse with goto labels, so a failure at any step leaves
 * nothing behind.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include "internal.h"

static int __init bg_mod_init(void)
{
	int ret;

	ret = bg_pernet_init();
	if (ret)
		goto err_pernet;

	pr_info("loaded\n");
	return 0;

err_pernet:
	return ret;
}

static void __exit bg_mod_exit(void)
{
	bg_pernet_exit();
	pr_info("unloaded\n");
}

module_init(bg_mod_init);
module_exit(bg_mod_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Per-source throttling of TCP connection bursts");
MODULE_AUTHOR("burstguard developers");
