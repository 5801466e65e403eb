#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A flood of 200,000 random spoofed sources against max_sources=1000: the
# table never holds more than its bound, every source it let go is counted
# (created = sources + evicted + expired), a source that was throttled
# before the flood is still throttled after it, and a new legitimate
# source is tracked and limited exactly.
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

exit "$EXIT_STATUS"
