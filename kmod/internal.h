/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Interfaces shared between the module's files. Nothing here is uapi.
 */
#ifndef BG_INTERNAL_H
#define BG_INTERNAL_H

#include <linux/types.h>
#include <net/net_namespace.h>

struct proc_dir_entry;

/* Per network namespace state, reached with bg_pernet(net). */
struct bg_net {
	struct net *net;
	struct proc_dir_entry *proc_dir;
};

struct bg_net *bg_pernet(const struct net *net);
int bg_pernet_init(void);
void bg_pernet_exit(void);

#endif
