#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ban: once a source goes over its limit, every attempt is refused for the
# ban's duration, counted as banned, even though its bucket refills; then
# it starts over with a full bucket. With mode reject a banned attempt gets
# a reset; with mode monitor a ban refuses nothing.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/topo.sh"

topo_setup || bg_skip "cannot build the test topology"
# 2/s refills the bucket of 3 within 1.5 s: only the ban can refuse later.
# The ban is long enough for the checks in between on a TCG guest of a
# busy host (10 s was not: a check ran after the ban had ended).
bg_load rate=2/s burst=3 ban=30s
check_err $? "insmod failed"
log_test "load with ban=30s" || exit "$EXIT_STATUS"

send4 4 --src 10.0.0.2
start=$(date +%s%N)
expect_stats "attempts=4 allowed=3 dropped=1 banned=0"
expect_source 10.0.0.2/32 "0 0 4 1 banned"
log_test "the first refusal starts a ban"

sleep 1.5
send4 5 --src 10.0.0.2
send4 2 --src 10.0.0.3
elapsed_ms=$((($(date +%s%N) - start) / 1000000))
((elapsed_ms < 29000)) || bg_skip "guest too slow: ${elapsed_ms} ms for a 30 s ban window"
expect_stats "attempts=11 allowed=5 dropped=1 banned=5"
log_test "banned for 30 s although the bucket refilled; others unaffected"

# Sleep until 30.5 s after the ban started.
ms=$(((30500000000 - ($(date +%s%N) - start)) / 1000000))
((ms > 0)) && sleep "$((ms / 1000)).$(printf %03d $((ms % 1000)))"
send4 4 --src 10.0.0.2
expect_stats "attempts=15 allowed=8 dropped=2 banned=5"
# GC may have forgotten the source once its ban ended: either way it is
# banned again now.
[[ $(source_line 10.0.0.2/32 | cut -d' ' -f6) == banned ]]
check_err $? "10.0.0.2/32 is not banned again: $(source_line 10.0.0.2/32)"
log_test "after the ban: a full bucket, then a new ban"

# A ban in mode reject: every banned attempt is answered with a reset too
# (the client sees "refused", never a timeout) and counted as banned; in
# mode monitor a ban refuses nothing: the attempts reach the listener,
# counted as would_drop, and the source shows as banned. Real TCP clients
# against a real listener; 1/hour, so nothing refills.
ip netns exec "$SRV" "$BG_TOOLS/bgconnect" --listen 10.0.0.1 8080 --daemon ||
	bg_skip "cannot start a listener on 10.0.0.1"
connect() {
	ip netns exec "$CLI" "$BG_TOOLS/bgconnect" 10.0.0.1 8080 -c "$1" --timeout 300
}
bg_unload && bg_load rate=1/hour burst=3 ban=1h mode=reject
check_err $? "reload mode=reject failed"
out=$(connect 7)
[[ $out == "connected 3 refused 4 timeout 0" ]]
check_err $? "client: $out"
expect_stats "attempts=7 allowed=3 rejected=1 banned=3 dropped=0"
[[ $(source_line 10.0.0.2/32 | cut -d' ' -f6) == banned ]]
check_err $? "10.0.0.2/32 is not banned: $(source_line 10.0.0.2/32)"
log_test "ban with mode reject: each banned attempt gets a reset"

bg_unload && bg_load rate=1/hour burst=3 ban=1h mode=monitor
check_err $? "reload mode=monitor failed"
out=$(connect 7)
[[ $out == "connected 7 refused 0 timeout 0" ]]
check_err $? "client: $out"
expect_stats "attempts=7 allowed=3 would_drop=4 banned=0 dropped=0 rejected=0"
[[ $(source_line 10.0.0.2/32 | cut -d' ' -f6) == banned ]]
check_err $? "10.0.0.2/32 is not shown as banned: $(source_line 10.0.0.2/32)"
log_test "ban with mode monitor: nothing refused, the ban is shown"

exit "$EXIT_STATUS"
