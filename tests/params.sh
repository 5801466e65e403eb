#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Module parameters take the CLI's words, show them back under
# /sys/module/burstguard/parameters/, become the settings of every
# namespace, and a bad value fails the load with a log line naming it.
. "$(dirname "$0")/lib.sh"

PARAMS=/sys/module/burstguard/parameters

bg_load rate=3/min burst=5 ban=10m mode=monitor prefix4=24 prefix6=48 \
	max_sources=4096 forward=on ban_max=1h strikes_forget=2h strike_slots=64
check_err $? "insmod with every parameter failed"
got=$(cd "$PARAMS" && for p in rate burst ban mode prefix4 prefix6 max_sources forward ban_max strikes_forget strike_slots; do
	printf '%s=%s ' "$p" "$(cat "$p")"; done)
want="rate=3/min burst=5 ban=600s mode=monitor prefix4=24 prefix6=48 max_sources=4096 forward=on ban_max=3600s strikes_forget=7200s strike_slots=64 "
[[ $got == "$want" ]]
check_err $? "parameters read back as '$got'"
conf=$(tr '\n' ' ' <"$BG_PROC/config")
[[ $conf == "rate 3/min burst 5 ban 600s ban_max 3600s mode monitor prefix4 24 prefix6 48 max_sources 4096 forward on strikes_forget 7200s allow_entries 0 deny_entries 0 " ]]
check_err $? "config of the initial namespace: '$conf'"
setup_ns NS
conf=$(ip netns exec "$NS" tr '\n' ' ' <"$BG_PROC/config")
[[ $conf == "rate 3/min burst 5 ban 600s ban_max 3600s mode monitor prefix4 24 prefix6 48 max_sources 4096 forward on strikes_forget 7200s allow_entries 0 deny_entries 0 " ]]
check_err $? "config of a new namespace: '$conf'"
log_test "parameters in CLI words become every namespace's settings"

bg_unload
bg_load rate=20
check_err $? "insmod rate=20 failed"
[[ $(cat "$PARAMS/rate") == 20/s ]]
check_err $? "a bare rate is per second: $(cat "$PARAMS/rate")"
[[ $(cat "$PARAMS/forward") == off ]] && grep -qx "forward off" "$BG_PROC/config"
check_err $? "forward is not off by default: $(cat "$PARAMS/forward")"
bg_unload
log_test "a bare number is a rate per second; forward is off by default"

# bad PARAM=VALUE 'log text': the load fails and the log says why.
bad() {
	bg_log_mark
	if bg_load "$1" 2>/dev/null; then
		check_err 1 "insmod $1 succeeded"
		bg_unload
		return
	fi
	bg_loaded
	check_fail $? "module loaded after insmod $1 failed"
	bg_log_since | grep -q "burstguard: $2"
	check_err $? "no log line 'burstguard: $2' for $1"
}
bad rate=0/s "rate: '0/s' is not"
bad rate=3/fortnight "rate: '3/fortnight' is not"
bad rate=10000001 "rate: '10000001' is not"
bad ban=1y "ban: '1y' is not"
bad ban=8d "ban: '8d' is not"
bad mode=block "mode: 'block' is not"
bad burst=0 "burst: 0 is not"
bad prefix4=33 "prefix4: 33 is not"
bad prefix6=129 "prefix6: 129 is not"
bad max_sources=0 "max_sources: 0 is not"
bad forward=yes "forward: 'yes' is not on or off"
bad ban_max=8d "ban_max: '8d' is not"
bad "ban=10m ban_max=5m" "ban_max: 300s is shorter than ban 600s"
bad strikes_forget=2w "strikes_forget: '2w' is not"
bad strike_slots=100 "strike_slots: 100 is not a power of 2"
bad "rate=1/hour burst=400000" "burst 400000 at rate 1/hour spans"
log_test "bad values fail the load with a log line"

exit "$EXIT_STATUS"
