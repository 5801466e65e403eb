#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# burstctl stats --prometheus is valid Prometheus text exposition format
# and says exactly what /proc/net/burstguard/stats says: checked by
# prom_check.py (Debian's prometheus_client parser plus a strict reader of
# names, HELP/TYPE lines, types and values) with nearly every counter
# non-zero and distinct, and in an idle namespace where all are zero.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/topo.sh"
. "$(dirname "$0")/burstctl_lib.sh"

python3 -c 'import prometheus_client' 2>/dev/null ||
	bg_skip "python3-prometheus-client is not installed (make deps)"
CHECK=$(dirname "$0")/prom_check.py
tmp=$(mktemp -d)

cleanup() {
	rm -rf "$tmp"
	bg_cleanup
}

# prom_matches NS: burstctl's exposition in NS checks out against /proc,
# read just before and after it (they must agree: no traffic in between).
prom_matches() {
	local ns=$1 out

	in_ns "$ns" cat "$BG_PROC/stats" >"$tmp/before" &&
	in_ns "$ns" "$BG_BURSTCTL" stats --prometheus >"$tmp/prom" &&
	in_ns "$ns" cat "$BG_PROC/stats" >"$tmp/after" || {
		check_err 1 "reading the counters in $ns failed"
		return 1
	}
	cmp -s "$tmp/before" "$tmp/after" || {
		check_err 1 "counters moved while idle: $(diff "$tmp/before" "$tmp/after" | tr '\n' ' ')"
		return 1
	}
	out=$(python3 "$CHECK" "$tmp/before" <"$tmp/prom")
	check_err $? "$out"
	log_info "$out"
}

topo_setup || bg_skip "cannot build the test topology"
bg_load rate=1/hour burst=3 max_sources=1000
check_err $? "insmod failed"
log_test "load" || exit "$EXIT_STATUS"

prom_matches "$CLI"
# every counter and the sources gauge 0; max_sources is the limit (1000)
nonzero=$(awk '$1 == "max_sources" { if ($2 != 1000) print; next }
	$2 != 0 { print }' "$tmp/before" | tr '\n' ' ')
lines=$(wc -l <"$tmp/before")
[[ -z $nonzero && $lines -ge 15 ]]
check_err $? "idle namespace: not all 0 ($nonzero), or only $lines counters"
grep -Eq '^burstguard_attempts_total 0$' "$tmp/prom"
check_err $? "the exposition does not say attempts_total 0: $(head -c 300 "$tmp/prom")"
log_test "an idle namespace: every counter 0, format valid"

# Traffic that gives most counters a different, non-zero value.
bc rule add port 22 rate 1/hour burst 2 ban 1h
bc rule add port 25 rate 1/hour burst 1 mode reject
bc rule add port 8080 rate 1/hour burst 1 mode monitor
bc allow add 10.0.0.50
bc deny add 10.0.0.60
check_err $? "configuring failed"
send4 8 --src 10.0.0.2 --dport 80	# 3 allowed, 5 dropped
send4 5 --src 10.0.0.3 --dport 22	# 2 allowed, 1 dropped (ban starts), 2 banned
send4 4 --src 10.0.0.4 --dport 25	# 1 allowed, 3 rejected
send4 5 --src 10.0.0.5 --dport 8080	# 1 allowed, 4 would_drop
send4 8 --src 10.0.0.50			# allowlisted
send4 9 --src 10.0.0.60			# denied
send6 3 --src fd00::7			# allowed
send4 11 --src 10.0.0.2 --kind trunc-tcp	# unparsable, not attempts
send4 7 --src 10.0.0.2 --kind syn-badsum	# bad_checksum, not attempts
send 6 --dst 10.0.0.99 --src 10.0.0.2	# forwarded: not the server's address
check_err $? "sending failed"
expect_stats "attempts=42 allowed=10 dropped=6 rejected=3 would_drop=4 banned=2 allowlisted=8 denied=9 unparsable=11 bad_checksum=7 forwarded=6 sources=5 max_sources=1000 created=5"
log_test "traffic sets the counters"

prom_matches "$SRV"
log_test "the server's counters: format valid, values equal to /proc"

out=$(bc stats --prometheus extra 2>&1)
check_fail $? "stats --prometheus with an extra word succeeded"
[[ $out == *usage* ]]
check_err $? "no usage message: $out"
log_test "stats --prometheus refuses extra words"

exit "$EXIT_STATUS"
