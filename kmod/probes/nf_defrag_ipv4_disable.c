// SPDX-License-Identifier: GPL-2.0
/*
 * nf_defrag_ipv4_disable(net): IPv4 defragmentation reference-counted per
 * netns, released by each user (mainline 5.13, "netfilter: nf_defrag_ipv4:
 * add nf_defrag_ipv4_disable"). Before, nf_defrag_ipv4_enable() switched
 * it on for good: its hooks stayed until the netns went away.
 */
#include <net/net_namespace.h>
#include <net/netfilter/ipv4/nf_defrag_ipv4.h>

void probe(struct net *net);
void probe(struct net *net)
{
	nf_defrag_ipv4_disable(net);
}
