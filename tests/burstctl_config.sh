#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# burstctl set changes only what it names, live: tracked sources keep their
# buckets and bans (no flush on reconfiguration, table resize included).
# Errors name the bad word or print the kernel's message, exit 1 and
# change nothing.
#
# The limits are per hour: at 1/hour and then 2/hour a throttled source's
# next token is 30 minutes away (the GCRA cut to the new window, see
# kmod/bucket.h), longer than the runner lets this test run (tests/settings,
# 600 s; 1500 s on the debug kernel). So no token can come back between two
# steps however slow the host is, and every count below is exact. (At
# 2/min a busy host took more than the 30 s of one token between the flood
# and the throttled case, and one more attempt was allowed.)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/topo.sh"
. "$(dirname "$0")/burstctl_lib.sh"

topo_setup || bg_skip "cannot build the test topology"
bg_load rate=1/hour burst=10
check_err $? "insmod failed"
log_test "load with rate=1/hour burst=10" || exit "$EXIT_STATUS"

out=$(bc show)
check_err $? "burstctl show failed"
[[ $out == *"rate 1/hour burst 10 ban 0 mode drop"* ]]
check_err $? "show: $out"
[[ $(bc) == "$out" ]]
check_err $? "show is not the default command"
log_test "show prints the module's settings"

send4 30 --src 10.0.0.2
expect_src 10.0.0.2/32 default "throttled 30 20"
bc set ban 0 mode reject prefix6 56 max-sources 60000
check_err $? "set failed"
out=$(bc show)
[[ $out == *"rate 1/hour burst 10 ban 0 mode reject"* &&
   $out == *"prefix4 32 prefix6 56 max-sources 60000"* ]]
check_err $? "show after set: $out"
expect_src 10.0.0.2/32 default "throttled 30 20"
expect_stats "attempts=30 allowed=10 dropped=20 sources=1 max_sources=60000"
log_test "set changes only what it names; the table resize keeps sources"

# Still throttled under the new settings: no refill was granted.
send4 2 --src 10.0.0.2
expect_stats "attempts=32 allowed=10 dropped=20 rejected=2"
bc set rate 2/hour
check_err $? "set rate failed"
[[ $(bc show) == *"rate 2/hour burst 10 ban 0 mode reject"* ]]
check_err $? "rate change touched more: $(bc show)"
expect_src 10.0.0.2/32 default "throttled 32 22"
log_test "a throttled source stays throttled across reconfiguration"

out=$(bc show)
[[ $out == *"max-sources 60000 forward off"* ]]
check_err $? "show does not say forward off: $out"
bc set forward on && [[ $(bc show) == *"max-sources 60000 forward on"* ]] &&
	ip netns exec "$SRV" grep -qx "forward on" "$BG_PROC/config" &&
	[[ $(bc -j show) == *'"forward":true'* ]] &&
	bc set forward off && [[ $(bc show) == *"forward off"* ]]
check_err $? "set forward on/off: $(bc show)"
log_test "set forward on|off: show, -j show and /proc config follow"

before=$(bc show)
for bad in "burst 0" "burst 1000001" "rate 0/s" "rate 5/fortnight" \
	   "ban 8d" "mode block" "prefix4 33" "prefix6 129" "max-sources 0" \
	   "max-sources 16777217" "forward yes" "forward 1" "forward" \
	   "bogus 1" "burst" "burst 3 burst 4"; do
	# shellcheck disable=SC2086
	err=$(bc set $bad 2>&1)
	rc=$?
	[[ $rc == 1 ]]
	check_err $? "set $bad: exit $rc, not 1"
	kw=${bad%% *} val=${bad#* }
	[[ $err == *"$kw"* && ($err != *invalid* || $err == *"'$val'"*) ]]
	check_err $? "set $bad: error does not name the bad word: $err"
done
[[ $(bc show) == "$before" ]]
check_err $? "a rejected set changed something"
log_test "bad words exit 1, are named, and change nothing"

err=$(bc set rate 1/hour burst 400000 2>&1)
check_fail $? "rate 1/hour burst 400000 accepted"
[[ $err == *"burst"* && $err == *"too large"* ]]
check_err $? "no kernel extack message: $err"
[[ $(bc show) == "$before" ]]
check_err $? "a rejected set changed something"
log_test "rate times burst overflow: the kernel's message is printed"

exit "$EXIT_STATUS"
