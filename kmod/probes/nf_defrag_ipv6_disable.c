// SPDX-License-Identifier: GPL-2.0
/*
 * nf_defrag_ipv6_disable(net): the IPv6 side of the same change (mainline
 * 5.13, "netfilter: nf_defrag_ipv6: add nf_defrag_ipv6_disable").
 */
#include <net/net_namespace.h>
#include <net/netfilter/ipv6/nf_defrag_ipv6.h>

void probe(struct net *net);
void probe(struct net *net)
{
	nf_defrag_ipv6_disable(net);
}
