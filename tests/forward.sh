#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A host that routes must not throttle what it forwards (issue 11, item
# 4). A "container" namespace routed through a "host" namespace opens 200
# connections to a "far" namespace; the host's limit is small (burst 5),
# as every namespace's is (module parameters):
#
#   $CT  ct0 10.1.0.2/24   ---  h0 10.1.0.1  $HOST  h1 10.2.0.1  ---  f0 10.2.0.2/24  $FAR
#        fd01::2/64              fd01::1           fd02::1           fd02::2/64
#
# With forward off (the default) all 200 reach the far side, counted there
# by its nft input counter and its own module; the host counts them only
# as forwarded, and still limits connections to its own address. With
# burstctl set forward on, the host's limit applies to them (mode reject:
# the client sees resets), and exactly the burst reaches the far side.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/topo.sh"	# expect_stats

bg_require_cmd nft
setup_ns CT HOST FAR || bg_skip "cannot create namespaces"
bg_modprobe veth nf_tables || bg_skip "no veth or nf_tables"
# named counters: a module of its own on 6.1, built in on 6.12
modprobe -q -d "$BG_MODDIR" nft_objref
ip link add ct0 netns "$CT" type veth peer name h0 netns "$HOST" &&
ip link add f0 netns "$FAR" type veth peer name h1 netns "$HOST" &&
ip -n "$CT" addr add 10.1.0.2/24 dev ct0 &&
ip -n "$CT" addr add fd01::2/64 dev ct0 nodad &&
ip -n "$HOST" addr add 10.1.0.1/24 dev h0 &&
ip -n "$HOST" addr add fd01::1/64 dev h0 nodad &&
ip -n "$HOST" addr add 10.2.0.1/24 dev h1 &&
ip -n "$HOST" addr add fd02::1/64 dev h1 nodad &&
ip -n "$FAR" addr add 10.2.0.2/24 dev f0 &&
ip -n "$FAR" addr add fd02::2/64 dev f0 nodad &&
ip -n "$CT" link set ct0 up && ip -n "$HOST" link set h0 up &&
ip -n "$HOST" link set h1 up && ip -n "$FAR" link set f0 up &&
ip -n "$CT" route add default via 10.1.0.1 &&
ip -n "$CT" -6 route add default via fd01::1 &&
ip -n "$FAR" route add default via 10.2.0.1 &&
ip -n "$FAR" -6 route add default via fd02::1 &&
ip netns exec "$HOST" sysctl -qw net.ipv4.ip_forward=1 \
	net.ipv6.conf.all.forwarding=1 || bg_skip "cannot build the topology"
for a in 10.2.0.2 fd02::2; do
	ip netns exec "$FAR" "$BG_TOOLS/bgconnect" --listen "$a" 8080 --daemon ||
		bg_skip "cannot start a listener on $a"
done
for a in 10.1.0.1 fd01::1; do
	ip netns exec "$HOST" "$BG_TOOLS/bgconnect" --listen "$a" 8080 --daemon ||
		bg_skip "cannot start a listener on $a"
done
ip netns exec "$FAR" nft -f - <<-'EOF2' || bg_skip "cannot set up nft counters"
	table inet bgfwd {
		counter syn { }
		chain in {
			type filter hook input priority 0; policy accept;
			tcp dport 8080 tcp flags & (syn | ack) == syn counter name syn
		}
	}
EOF2

bg_load rate=1/hour burst=5 mode=reject
check_err $? "insmod failed"
# The far side is the server being connected to: no limit of its own here.
ip netns exec "$FAR" "$BG_BURSTCTL" set rate 10000/s burst 10000
check_err $? "burstctl set in the far namespace failed"
out=$(ip netns exec "$HOST" cat "$BG_PROC/config")
[[ $out == *"forward off"* ]]
check_err $? "forward is not off by default: $out"
log_test "setup: host at burst 5, mode reject; forward off" || exit "$EXIT_STATUS"

far_syns() {
	ip netns exec "$FAR" nft list counter inet bgfwd syn |
		awk '$1 == "packets" { print $2 }'
}

# connect ADDR N: N sequential connections from the container.
connect() {
	ip netns exec "$CT" "$BG_TOOLS/bgconnect" "$1" 8080 -c "$2" \
		--timeout 1000
}

out=$(connect 10.2.0.2 200)
[[ $out == "connected 200 refused 0 timeout 0" ]]
check_err $? "container to far side: $out"
s=$(far_syns)
((s == 200))
check_err $? "the far side's nft counter saw $s SYNs, want 200"
expect_stats "$FAR" "attempts=200 allowed=200"
expect_stats "$HOST" "attempts=0 forwarded=200 sources=0"
log_test "forward off: 200 IPv4 connections through the host all get through"

out=$(connect fd02::2 50)
[[ $out == "connected 50 refused 0 timeout 0" ]]
check_err $? "container to far side over IPv6: $out"
s=$(far_syns)
((s == 250))
check_err $? "the far side's nft counter saw $s SYNs, want 250"
expect_stats "$FAR" "attempts=250 allowed=250"
expect_stats "$HOST" "attempts=0 forwarded=250 sources=0"
log_test "forward off: 50 IPv6 connections through the host all get through"

out=$(connect 10.1.0.1 8)
[[ $out == "connected 5 refused 3 timeout 0" ]]
check_err $? "container to the host itself: $out"
out=$(connect fd01::1 8)
[[ $out == "connected 5 refused 3 timeout 0" ]]
check_err $? "container to the host itself over IPv6: $out"
expect_stats "$HOST" "attempts=16 allowed=10 rejected=6 forwarded=250 sources=2"
log_test "forward off: connections to the host's own addresses are limited"

ip netns exec "$HOST" "$BG_BURSTCTL" flush >/dev/null &&
	ip netns exec "$HOST" "$BG_BURSTCTL" set forward on
check_err $? "burstctl set forward on failed"
out=$(ip netns exec "$HOST" "$BG_BURSTCTL" save)
[[ $out == *" forward on"* ]]
check_err $? "save does not say forward on: $out"
out=$(connect 10.2.0.2 200)
[[ $out == "connected 5 refused 195 timeout 0" ]]
check_err $? "container to far side, forward on: $out"
s=$(far_syns)
((s == 255))
check_err $? "the far side's nft counter saw $((s - 250)) more SYNs, want 5"
expect_stats "$FAR" "attempts=255 allowed=255"
expect_stats "$HOST" "attempts=216 allowed=15 rejected=201 forwarded=250"
log_test "forward on: the host's limit applies to forwarded IPv4 attempts"

out=$(connect fd02::2 50)
[[ $out == "connected 5 refused 45 timeout 0" ]]
check_err $? "container to far side over IPv6, forward on: $out"
s=$(far_syns)
((s == 260))
check_err $? "the far side's nft counter saw $((s - 255)) more SYNs, want 5"
expect_stats "$HOST" "attempts=266 allowed=20 rejected=246 forwarded=250"
log_test "forward on: the host's limit applies to forwarded IPv6 attempts"

ip netns exec "$HOST" "$BG_BURSTCTL" set forward off
out=$(connect 10.2.0.2 20)
[[ $out == "connected 20 refused 0 timeout 0" ]]
check_err $? "container to far side, forward off again: $out"
expect_stats "$HOST" "attempts=266 forwarded=270"
log_test "forward off again: forwarded attempts pass uncounted"

exit "$EXIT_STATUS"
