#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A flood of 200,000 random spoofed sources against max_sources=1000: the
# table never holds more than its bound, every source it let go is counted
# (created = sources + evicted + expired), a source that was throttled
# before the flood is still throttled after it, and a new legitimate
# source is tracked and limited exactly. Shrinking max-sources keeps the
# throttled sources first.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/topo.sh"

topo_setup || bg_skip "cannot build the test topology"
bg_load rate=1/hour burst=10 max_sources=1000
check_err $? "insmod failed"
log_test "load with max_sources=1000" || exit "$EXIT_STATUS"

send4 15 --src 10.0.0.2
expect_source 10.0.0.2/32 "0 0 15 5 throttled"
log_test "an attacker is throttled before the flood"

send4 200000 --src-random 10.128.0.0/9 --seed 1
check_err $? "flood failed"
stats=$(ip netns exec "$SRV" cat "$BG_PROC/stats")
get() { awk -v n="$1" '$1 == n { print $2 }' <<<"$stats"; }
(($(get sources) == 1000))
check_err $? "sources $(get sources), want exactly max_sources=1000"
(($(get created) == $(get sources) + $(get evicted) + $(get expired)))
check_err $? "created $(get created) != sources + evicted + expired"
(($(get evicted) > 190000))
check_err $? "evicted $(get evicted): the flood should have replaced itself"
(($(get allowed) + $(get dropped) == $(get attempts)))
check_err $? "allowed + dropped != attempts"
(($(source_count) == 1000))
check_err $? "$BG_PROC/sources lists $(source_count) lines, want 1000"
log_test "200,000 spoofed sources: table stays at 1000, all accounted"

send4 5 --src 10.0.0.2
expect_source 10.0.0.2/32 "0 0 20 10 throttled"
log_test "the attacker is still throttled after the flood"

send4 15 --src 10.0.0.3
expect_source 10.0.0.3/32 "0 0 15 5 throttled"
log_test "a new source after the flood is tracked and limited exactly"

# Shrinking max-sources below the number of tracked sources: the table
# keeps the sources that must stay tracked (throttled) first. 20 throttled
# sources and 20 within their limit (burst 1, so one SYN each), then
# max-sources 30: all 20 throttled ones stay, with their counts, and 10 of
# the others; then 10, below the throttled count: refused, nothing lost,
# and a throttled source is still refused.
bg_unload && bg_load rate=1/hour burst=1 max_sources=100
check_err $? "reload with max_sources=100 failed"
send4 20 --src-seq 10.6.0.0/24	# 10.6.0.0 .. 10.6.0.19: one each, allowed
send4 20 --src-seq 10.6.0.0/24	# the same again: each throttled
send4 20 --src-seq 10.7.0.0/24	# 20 more, one each: within the limit
expect_stats "attempts=60 allowed=40 dropped=20 sources=40"
throttled() {
	in_ns "$SRV" awk 'NR > 1 && $6 == "throttled" && $4 == 2 && $5 == 1' "$BG_PROC/sources" | wc -l
}
ip netns exec "$SRV" "$BG_BURSTCTL" set max-sources 30
check_err $? "set max-sources 30 failed"
expect_stats "sources=30 max_sources=30"
(($(throttled) == 20))
check_err $? "$(throttled) of 20 throttled sources kept (attempts 2, drops 1), want 20"
# Below the throttled count the shrink is refused and nothing changes.
ip netns exec "$SRV" "$BG_BURSTCTL" set max-sources 10 2>/dev/null
check_fail $? "set max-sources 10 below 20 throttled sources succeeded"
expect_stats "sources=30 max_sources=30"
(($(throttled) == 20 && $(source_count) == 30))
check_err $? "$(throttled) throttled of $(source_count) sources, want 20 of 30"
kept=$(in_ns "$SRV" awk 'NR > 1 && $6 == "throttled" { print $1; exit }' "$BG_PROC/sources")
d0=$(bg_counter "$SRV" dropped)
send4 1 --src "${kept%/32}"
expect_stats "dropped=$((d0 + 1))"
log_test "shrinking max-sources keeps throttled sources first, refuses below them"

exit "$EXIT_STATUS"
