#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Events are rate-limited per netns (kmod/pernet.c: 100 netlink events a
# second), kernel log lines host-wide (kmod/events.c: 10 per 5 s), so a flood of
# spoofed sources costs a bounded number of messages, never one per
# source. 256 sources are each throttled once, in one burst of frames:
# burstctl monitor hears at least the budget's 100 and fewer than 256
# (exactly 100 if the burst took under a second: its duration is printed
# and bounds the count), the kernel log gets at least 10 and at most the
# budget of the seconds it took, fewer than 256, and stats count every
# one of the 512 attempts.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/topo.sh"

topo_setup || bg_skip "cannot build the test topology"
bg_load rate=1/hour burst=1 max_sources=1000
check_err $? "insmod failed"
log_test "load with rate=1/hour burst=1" || exit "$EXIT_STATUS"

tmp=$(mktemp -d)
MON=
cleanup() {
	[[ -z $MON ]] || kill "$MON" 2>/dev/null
	rm -rf "$tmp"
	bg_cleanup
}
ip netns exec "$SRV" "$BG_BURSTCTL" monitor >"$tmp/mon" 2>"$tmp/mon.err" &
MON=$!
busywait 5000 grep -q monitoring "$tmp/mon.err" >/dev/null
check_err $? "monitor did not start: $(cat "$tmp/mon.err")"

bg_log_mark
t0=$(date +%s%N)
# 10.8.0.0 + i for i < 512: each of the 256 addresses twice (it wraps);
# the second SYN of each is refused and throttles it.
send4 512 --src-seq 10.8.0.0/24
check_err $? "sending failed"
expect_stats "attempts=512 allowed=256 dropped=256 sources=256"
ms=$((($(date +%s%N) - t0) / 1000000))
sleep 1
events=$(grep -c 'throttled 10\.8\.' "$tmp/mon")
lines=$(bg_log_since | grep -c 'burstguard: .* throttled')
log_info "burst and count took $ms ms; $events events, $lines log lines"
s=$((ms / 1000 + 1))
((events >= 100 && events <= 100 * s && events < 256))
check_err $? "$events throttled events, want 100 to $((100 * s)) (and < 256)"
((lines >= 10 && lines <= 10 * ((s + 4) / 5 + 1) && lines < 256))
check_err $? "$lines throttled log lines, want 10 to $((10 * ((s + 4) / 5 + 1)))"
log_test "256 sources throttled: events and log lines stay within their budget"

exit "$EXIT_STATUS"
