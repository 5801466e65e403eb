#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# burstctl serve-metrics against bad requests and a changing module:
# a wrong path, wrong methods, huge headers, a huge URI and garbage get
# 404, 405 (with Allow), 431, 414 and 400; fifty slow clients holding
# half-sent requests do not block a scrape and are dropped by the server
# (metrics_http.py). A module unloaded shows as burstguard_up 0 and, loaded
# again, is read again without a restart; SIGTERM stops it and its
# keeper; bad arguments are refused with a message.
. "$(dirname "$0")/lib.sh"

bg_require_cmd curl
python3 -c 'import prometheus_client' 2>/dev/null ||
	bg_skip "python3-prometheus-client is not installed (make deps)"
tmp=$(mktemp -d)
URL=http://127.0.0.1:9469

cleanup() {
	[[ -n ${smpid:-} ]] && kill "$smpid" 2>/dev/null
	wait 2>/dev/null
	rm -rf "$tmp"
	bg_cleanup
}

setup_ns MON SRV || bg_skip "no namespaces"
bg_load
check_err $? "insmod failed"
log_test "load" || exit "$EXIT_STATUS"

ip netns exec "$MON" "$BG_BURSTCTL" serve-metrics -l 127.0.0.1:9469 \
	-n host -n "$SRV" 2>"$tmp/sm.err" &
smpid=$!
busywait 20000 in_ns "$MON" curl -sf -o /dev/null "$URL/metrics"
check_err $? "no answer on $URL/metrics: $(cat "$tmp/sm.err")"
log_test "serve-metrics answers" || exit "$EXIT_STATUS"

out=$(in_ns "$MON" python3 "$(dirname "$0")/metrics_http.py" 9469)
check_err $? "$out"
log_info "$out"
log_test "bad requests get their status; slow clients block no scrape"

bg_unload
check_err $? "rmmod failed"
in_ns "$MON" curl -sf -o "$tmp/metrics" "$URL/metrics"
check_err $? "no answer without the module"
[[ $(grep -c '^burstguard_up{.*} 0$' "$tmp/metrics") == 2 &&
   $(grep -c '^burstguard_attempts' "$tmp/metrics") == 0 ]]
check_err $? "without the module: $(cat "$tmp/metrics")"
bg_load
check_err $? "insmod again failed"
in_ns "$MON" curl -sf -o "$tmp/metrics" "$URL/metrics"
grep -q "^burstguard_up{netns=\"$SRV\"} 1$" "$tmp/metrics" &&
grep -q "^burstguard_attempts_total{netns=\"$SRV\"} 0$" "$tmp/metrics"
check_err $? "after reloading: $(grep -e up -e attempts "$tmp/metrics")"
log_test "an unloaded module is burstguard_up 0; reloaded, it is read again"

children=$(cat /proc/"$smpid"/task/*/children)
kill -TERM "$smpid"
wait "$smpid"
check_err $? "serve-metrics did not exit 0 on SIGTERM: $(cat "$tmp/sm.err")"
smpid=
left=
for pid in $children; do
	[[ -e /proc/$pid ]] && left+=" $pid"
done
[[ -n $children && -z $left ]]
check_err $? "keepers '$children', left running:$left"
log_test "SIGTERM stops it and its keeper"

for args in "-l bogus" "-n nonexistent-ns" "-n host -n host" "extra"; do
	# shellcheck disable=SC2086
	err=$(ip netns exec "$MON" timeout 20 "$BG_BURSTCTL" serve-metrics $args 2>&1)
	check_fail $? "serve-metrics $args succeeded"
	[[ $err == "burstctl: "* ]]
	check_err $? "serve-metrics $args: $err"
done
log_test "bad arguments are refused with a message"

exit "$EXIT_STATUS"
