/* SPDX-License-Identifier: GPL-2.0 */
/* Stand-in for <linux/netfilter.h>: struct bg_net holds its hooks' ops. */
struct nf_hook_ops { void *hook; void *priv; int pf, hooknum, priority; };
