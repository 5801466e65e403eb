#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What a source over its limit gets: mode=drop (no answer: the client
# times out), mode=reject (a TCP RST: the client sees "connection
# refused"), mode=monitor (let through, counted as would_drop), each for
# IPv4 and IPv6; an allowlisted IPv6 prefix is never limited. Real TCP
# clients against a real listener, so the RSTs are burstguard's, not a
# closed port's. Loopback (127.0.0.1, ::1) is never throttled.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/topo.sh"

topo_setup || bg_skip "cannot build the test topology"
for a in 10.0.0.1 fd00::1 127.0.0.1 ::1; do
	ip netns exec "$SRV" "$BG_TOOLS/bgconnect" --listen "$a" 8080 --daemon ||
		bg_skip "cannot start a listener on $a"
done

# connect ADDR N: N sequential connections from $CLI, one SYN each. An
# answer (SYN-ACK or RST) later than --timeout counts as none: 900 ms, the
# most that still sends one SYN, since 300 ms was too short for a guest on a
# busy host (5.10 once: "connected 4 refused 2 timeout 2" while the
# module's counters said 5 allowed and 3 rejected, as they should).
connect() {
	ip netns exec "$CLI" "$BG_TOOLS/bgconnect" "$1" 8080 -c "$2" \
		--timeout 900
}

bg_load rate=1/hour burst=5 mode=reject
check_err $? "insmod mode=reject failed"
out=$(connect 10.0.0.1 8)
[[ $out == "connected 5 refused 3 timeout 0" ]]
check_err $? "IPv4 client: $out"
out=$(connect fd00::1 8)
[[ $out == "connected 5 refused 3 timeout 0" ]]
check_err $? "IPv6 client: $out"
expect_stats "attempts=16 allowed=10 rejected=6 dropped=0 sources=2"
log_test "reject: the client gets RSTs once over the limit (v4 and v6)"

# The resets of a netns are capped (reject_rate): a flood with forged
# sources must not turn the server into a reset cannon. Counted where
# they land: an nft counter in the client's input hook of the RSTs from a
# port no other case uses (8081, closed: the one allowed SYN gets TCP's
# own reset, the 5 of the budget are burstguard's, the other 44 none).
bg_unload && bg_load rate=1/hour burst=1 mode=reject reject_rate=5/hour
check_err $? "reload mode=reject reject_rate=5/hour failed"
bg_modprobe nf_tables
check_err $? "cannot load nf_tables"
ip netns exec "$CLI" nft -f - <<'EOF_NFT'
table inet bgrst {
	chain in {
		type filter hook input priority 0;
		ip saddr 10.0.0.1 tcp sport 8081 tcp flags & rst == rst counter
	}
}
EOF_NFT
check_err $? "cannot set up the client's RST counter"
send4 50 --src 10.0.0.2 --dport 8081
check_err $? "bgsend failed"
rsts=$(busywait 5000 bash -c "ip netns exec $CLI nft list chain inet bgrst in |
	awk '/counter packets/ { sub(/.*packets /, \"\"); print \$1; exit (\$1 != 6) }'")
check_err $? "RSTs from port 8081 that reached the client: ${rsts:-none}, want 1 + 5"
expect_stats "attempts=50 allowed=1 rejected=5 dropped=44 reject_limited=44 banned=0"
ip netns exec "$CLI" nft delete table inet bgrst
log_test "reject: at most reject_rate resets, the rest dropped and counted"

bg_unload && bg_load rate=1/hour burst=5 mode=drop
check_err $? "reload mode=drop failed"
out=$(connect 10.0.0.1 8)
[[ $out == "connected 5 refused 0 timeout 3" ]]
check_err $? "IPv4 client: $out"
out=$(connect fd00::1 8)
[[ $out == "connected 5 refused 0 timeout 3" ]]
check_err $? "IPv6 client: $out"
expect_stats "attempts=16 allowed=10 dropped=6 rejected=0 sources=2"
log_test "drop: the client times out once over the limit (v4 and v6)"

bg_unload && bg_load rate=1/hour burst=5 mode=monitor
check_err $? "reload mode=monitor failed"
out=$(connect 10.0.0.1 8)
[[ $out == "connected 8 refused 0 timeout 0" ]]
check_err $? "IPv4 client: $out"
out=$(connect fd00::1 8)
[[ $out == "connected 8 refused 0 timeout 0" ]]
check_err $? "IPv6 client: $out"
send4 10 --src 10.0.0.9
expect_stats "attempts=26 allowed=15 would_drop=11 dropped=0 rejected=0"
expect_source 10.0.0.9/32 "0 0 10 5 throttled"
expect_source fd00::/64 "0 0 8 3 throttled"
log_test "monitor: every attempt gets through, the excess is counted (v4 and v6)"

# An allowlisted IPv6 prefix: never limited, not tracked.
bg_unload && bg_load rate=1/hour burst=5 mode=drop
check_err $? "reload mode=drop failed"
ip netns exec "$SRV" "$BG_BURSTCTL" allow add fd00::/64
check_err $? "burstctl allow add fd00::/64 failed"
out=$(connect fd00::1 8)
[[ $out == "connected 8 refused 0 timeout 0" ]]
check_err $? "IPv6 client: $out"
out=$(connect 10.0.0.1 8)
[[ $out == "connected 5 refused 0 timeout 3" ]]
check_err $? "IPv4 client (not allowlisted): $out"
expect_stats "attempts=16 allowlisted=8 allowed=5 dropped=3 sources=1"
log_test "allow: an allowlisted IPv6 prefix is never limited"

bg_unload && bg_load rate=1/hour burst=5 mode=drop
out=$(ip netns exec "$SRV" "$BG_TOOLS/bgconnect" 127.0.0.1 8080 -c 12 \
	--timeout 300)
[[ $out == "connected 12 refused 0 timeout 0" ]]
check_err $? "loopback client: $out"
out=$(ip netns exec "$SRV" "$BG_TOOLS/bgconnect" ::1 8080 -c 12 \
	--timeout 300)
[[ $out == "connected 12 refused 0 timeout 0" ]]
check_err $? "IPv6 loopback client: $out"
expect_stats "attempts=24 allowlisted=24 allowed=0 dropped=0 sources=0"
log_test "loopback (127.0.0.1 and ::1) is never throttled"

exit "$EXIT_STATUS"
