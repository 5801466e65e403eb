#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# burstctl serve-metrics: scraped with curl in its own namespace, for three
# namespaces (two reached through keepers, its own as "host"), the answer
# is valid exposition format (Debian's prometheus_client parser and a
# strict reader, metrics_check.py) and equal to each namespace's /proc
# counters and rules, read with traffic stopped; it has every line of
# "stats --prometheus", labelled, and every metric name the dashboard and
# the README's alert rules use. It and its keepers run as nobody with no
# capabilities. (metrics_http.sh: bad requests, slow clients, reloads.)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/topo.sh"
. "$(dirname "$0")/burstctl_lib.sh"

bg_require_cmd curl
python3 -c 'import prometheus_client' 2>/dev/null ||
	bg_skip "python3-prometheus-client is not installed (make deps)"
CHECK=$(dirname "$0")/metrics_check.py
tmp=$(mktemp -d)
chmod 755 "$tmp"
URL=http://127.0.0.1:9469

cleanup() {
	[[ -n ${smpid:-} ]] && kill "$smpid" 2>/dev/null
	[[ -n ${slowpid:-} ]] && kill "$slowpid" 2>/dev/null
	wait 2>/dev/null
	rm -rf "$tmp"
	bg_cleanup
}

topo_setup || bg_skip "cannot build the test topology"
setup_ns MON || bg_skip "no namespaces"
bg_load rate=1/hour burst=3 max_sources=1000
check_err $? "insmod failed"
log_test "load" || exit "$EXIT_STATUS"

bc rule add port 22 rate 1/hour burst 2 ban 1h &&
# Every bucket stays short of full (1/hour): no source can expire and
# move the counters between two reads.
bc rule add port 8000-8080 rate 1/hour burst 4 mode monitor &&
bc allow add 10.0.0.50
check_err $? "configuring failed"
ip netns exec "$CLI" "$BG_BURSTCTL" set rate 20/s burst 7 mode reject
check_err $? "configuring $CLI failed"
send4 8 --src 10.0.0.2 --dport 80	# 3 allowed, 5 dropped
send4 5 --src 10.0.0.3 --dport 22	# 2 allowed, 1 dropped, 2 banned
send4 6 --src 10.0.0.5 --dport 8080	# 4 allowed, 2 would_drop
send4 4 --src 10.0.0.50		# allowlisted
send6 3 --src fd00::7			# allowed
check_err $? "sending failed"
expect_stats "attempts=26 allowed=12 dropped=6 banned=2 would_drop=2 allowlisted=4"
log_test "traffic into $SRV"

# The default address (127.0.0.1:9469), in a namespace of its own.
ip netns exec "$MON" "$BG_BURSTCTL" serve-metrics -n host -n "$SRV" -n "$CLI" \
	2>"$tmp/sm.err" &
smpid=$!
busywait 20000 in_ns "$MON" curl -sf -o /dev/null "$URL/metrics"
check_err $? "no answer on $URL/metrics: $(cat "$tmp/sm.err")"
log_test "serve-metrics answers on 127.0.0.1:9469" || exit "$EXIT_STATUS"

# As nobody, without capabilities, it and its keepers.
bad=
for pid in "$smpid" $(cat /proc/"$smpid"/task/*/children); do
	uids=$(awk '/^Uid:/ { print $2, $3, $4, $5 }' /proc/"$pid"/status)
	caps=$(awk '/^CapEff:|^CapPrm:/ { printf "%s ", $2 }' /proc/"$pid"/status)
	[[ $uids == "65534 65534 65534 65534" &&
	   $caps == "0000000000000000 0000000000000000 " ]] ||
		bad+=" $pid: uids $uids caps $caps;"
done
keepers=$(cat /proc/"$smpid"/task/*/children | wc -w)
[[ -z $bad && $keepers == 2 ]]
check_err $? "privileges:$bad keepers $keepers"
log_test "it and its 2 keepers run as nobody without capabilities"

# scrape: /proc of each namespace, the exposition, /proc again: equal in
# $SRV and $CLI. In $MON, the exporter's own, the scrape's SYN on lo is the
# one attempt (allowlisted, loopback) between the reads, and the exporter
# has counted it: compare with the read after.
scrape() {
	local ns

	for ns in "$MON" "$SRV" "$CLI"; do
		in_ns "$ns" cat "$BG_PROC/stats" >"$tmp/$ns.stats" &&
		in_ns "$ns" cat "$BG_PROC/config" >"$tmp/$ns.config" || return 1
	done
	mv "$tmp/$MON.stats" "$tmp/mon.before"
	in_ns "$MON" curl -sf -o "$tmp/metrics" "$URL/metrics" || return 1
	for ns in "$SRV" "$CLI"; do
		in_ns "$ns" cat "$BG_PROC/stats" | cmp -s - "$tmp/$ns.stats" ||
			{ echo "counters of $ns moved" >&2; return 1; }
	done
	in_ns "$MON" cat "$BG_PROC/stats" >"$tmp/$MON.stats" || return 1
	diff "$tmp/mon.before" "$tmp/$MON.stats" | awk '
		/^</ { was[$2] = $3 } /^>/ { now[$2] = $3 }
		END { for (k in now) if (now[k] != was[k] + 1 || (k != "attempts" && k != "allowlisted")) bad = 1
		      if (length(now) != 2) bad = 1; exit bad }' ||
		{ echo "$MON moved by more than one loopback attempt: $(diff "$tmp/mon.before" "$tmp/$MON.stats" | tr '\n' ' ')" >&2; return 1; }
}
scrape
check_err $? "scraping failed"
out=$(python3 "$CHECK" "$tmp/metrics" host "$tmp/$MON.stats" "$tmp/$MON.config" \
	"$SRV" "$tmp/$SRV.stats" "$tmp/$SRV.config" \
	"$CLI" "$tmp/$CLI.stats" "$tmp/$CLI.config")
check_err $? "$out"
log_info "$out"
grep -q "^burstguard_attempts_total{netns=\"$SRV\"} 26$" "$tmp/metrics" &&
grep -q "^burstguard_rule_info{netns=\"$SRV\",rule=\"2\",port=\"8000-8080\",mode=\"monitor\"} 1$" "$tmp/metrics" &&
grep -q "^burstguard_rule_rate{netns=\"$CLI\",rule=\"0\"} 20$" "$tmp/metrics"
check_err $? "expected samples missing: $(grep -e attempts -e rule_info "$tmp/metrics")"
log_test "/metrics: valid, three namespaces, equal to /proc and the rules"

# The names the dashboard and the README's alert rules use are all there.
used=$(sed -n '/^## Monitoring/,/^## Compared/p' "$BG_REPO/README.md" |
	cat - "$BG_REPO/packaging/grafana-dashboard.json" |
	grep -o 'burstguard_[a-z_]*' | sort -u)
exported=$(sed -n 's/^\(burstguard_[a-z_]*\){.*/\1/p' "$tmp/metrics" | sort -u)
missing=$(comm -23 <(echo "$used") <(echo "$exported") | tr '\n' ' ')
[[ -n $used && -z $missing ]]
check_err $? "used by the dashboard or the README but not exported:$missing"
log_test "the dashboard's and the alert rules' metric names are exported"

# Same families and values as 'burstctl stats --prometheus', with a label.
bc stats --prometheus | sed -E "s/^(burstguard_[a-z_]+) /\1{netns=\"$SRV\"} /" >"$tmp/cli"
missing=$(grep -vxF -f "$tmp/metrics" "$tmp/cli")
[[ -z $missing ]]
check_err $? "lines of stats --prometheus not in /metrics: $missing"
log_test "every line of stats --prometheus is in /metrics, labelled"

exit "$EXIT_STATUS"
