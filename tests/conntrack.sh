#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# README's claim "a refused attempt costs no conntrack entry": with
# conntrack loaded and tracking in the server's netns (an nft rule that
# matches on ct state, which also counts the new connections that reach
# the input hook), SYNs from distinct sources that share one /24 bucket
# (prefix4=24, burst 5): exactly the 5 allowed ones become conntrack
# entries (nf_conntrack_count) and reach the input hook; the 95 refused
# ones leave no trace. The control: the same kind of flood before the
# module is loaded makes one entry per SYN. No route back to the spoofed
# sources, so no reply is sent and the entries stay (SYN_SENT, its timeout
# raised to an hour).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/topo.sh"

bg_require_cmd nft
topo_setup || bg_skip "cannot build the test topology"
bg_modprobe nf_conntrack nft_ct
check_err $? "loading nf_conntrack failed"
ip netns exec "$SRV" sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.s0.rp_filter=0 \
	net.netfilter.nf_conntrack_tcp_timeout_syn_sent=3600
check_err $? "sysctl in the server's netns failed"
ip netns exec "$SRV" nft -f - <<-'EOF'
	table inet bgct {
		chain input {
			type filter hook input priority 0; policy accept;
			tcp dport 80 ct state new counter
		}
	}
EOF
check_err $? "nft ruleset with ct state failed"
log_test "conntrack loaded, tracking in the server's netns" || exit "$EXIT_STATUS"

ct_count() {
	ip netns exec "$SRV" cat /proc/sys/net/netfilter/nf_conntrack_count
}
nft_new() {
	ip netns exec "$SRV" nft list chain inet bgct input |
		awk '/ct state new counter/ { for (i = 1; i < NF; i++) if ($i == "packets") print $(i + 1) }'
}

c0=$(ct_count)
send4 20 --src-seq 10.4.0.0/24 --sport 4000
check_err $? "sending failed"
c1=$(busywait 5000 bash -c "n=\$(ip netns exec $SRV cat /proc/sys/net/netfilter/nf_conntrack_count); echo \$n; ((n >= $((c0 + 20))))")
[[ $c1 == $((c0 + 20)) && $(nft_new) == 20 ]]
check_err $? "without the module: conntrack entries $c0 -> $c1, new at input $(nft_new); want +20 and 20"
log_test "control: without burstguard, 20 SYNs make 20 conntrack entries"

bg_load rate=1/hour burst=5 prefix4=24
check_err $? "insmod failed"
send4 100 --src-seq 10.3.0.0/24 --sport 4000
check_err $? "sending failed"
expect_stats "attempts=100 allowed=5 dropped=95 sources=1"
sleep 1
c2=$(ct_count)
[[ $c2 == $((c1 + 5)) ]]
check_err $? "conntrack entries $c1 -> $c2, want +5 (the allowed SYNs only)"
[[ $(nft_new) == 25 ]]
check_err $? "new connections at the input hook: $(nft_new), want 20 + 5"
log_test "100 SYNs, 95 refused: only the 5 allowed make conntrack entries"

exit "$EXIT_STATUS"
