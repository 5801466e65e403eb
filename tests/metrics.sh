#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# burstctl serve-metrics: scraped with curl in its own namespace, for three
# namespaces (two reached through keepers, its own as "host"), the answer
# is valid exposition format (Debian's prometheus_client parser and a
# strict reader, metrics_check.py) and equal to each namespace's /proc
# counters and rules, read with traffic stopped. It runs as nobody with no
# capabilities. Wrong path, wrong method, huge headers, a huge URI get
# 404, 405, 431, 414; fifty slow clients holding half-sent requests do
# not block a scrape, and are dropped by the server. A module unloaded
# and loaded again is seen again; SIGTERM stops it and its keepers.
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
missing=
for m in $used; do
	grep -q "^$m{" "$tmp/metrics" || missing+=" $m"
done
[[ -n $used && -z $missing ]]
check_err $? "used by the dashboard or the README but not exported:$missing"
log_test "the dashboard's and the alert rules' metric names are exported"

# Same families and values as 'burstctl stats --prometheus', with a label.
bc stats --prometheus | sed -E "s/^(burstguard_[a-z_]+) /\1{netns=\"$SRV\"} /" >"$tmp/cli"
missing=$(grep -vxF -f "$tmp/metrics" "$tmp/cli")
[[ -z $missing ]]
check_err $? "lines of stats --prometheus not in /metrics: $missing"
log_test "every line of stats --prometheus is in /metrics, labelled"

code() {	# code CURL-ARGS...: the status of a request from $MON
	in_ns "$MON" curl -s -o /dev/null -w '%{http_code}' "$@"
}
big=$(head -c 40000 /dev/zero | tr '\0' a)
[[ $(code "$URL/nope") == 404 ]]
check_err $? "wrong path: $(code "$URL/nope")"
[[ $(code "$URL/") == 200 ]]
check_err $? "/: $(code "$URL/")"
[[ $(code -X POST -d x=1 "$URL/metrics") == 405 ]]
check_err $? "POST: $(code -X POST "$URL/metrics")"
in_ns "$MON" curl -s -D - -o /dev/null -X DELETE "$URL/metrics" | grep -qi '^allow: GET, HEAD'
check_err $? "405 without Allow: GET, HEAD"
[[ $(code -I "$URL/metrics") == 200 ]]
check_err $? "HEAD: $(code -I "$URL/metrics")"
[[ $(code -H "X-Big: $big" "$URL/metrics") == 431 ]]
check_err $? "huge header: $(code -H "X-Big: $big" "$URL/metrics")"
[[ $(code "$URL/metrics?$big") == 414 ]]
check_err $? "huge URI: $(code "$URL/metrics?$big")"
printf 'NOT HTTP AT ALL\r\n\r\n' | in_ns "$MON" python3 -c '
import socket, sys
s = socket.create_connection(("127.0.0.1", 9469))
s.sendall(sys.stdin.buffer.read())
s.settimeout(30)
r = s.recv(100)
sys.exit(not r.startswith(b"HTTP/1.1 400"))'
check_err $? "garbage did not get 400"
log_test "404, 200 on /, 405 with Allow, HEAD, 431, 414, 400"

# Fifty clients send half a request each and wait; a scrape still works.
in_ns "$MON" python3 - "$tmp/slow" <<'EOF' &
import socket, sys, time
socks = []
for i in range(50):
    s = socket.create_connection(("127.0.0.1", 9469))
    s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\nX-Slow: ")
    socks.append(s)
open(sys.argv[1] + ".ready", "w").close()
closed = 0
for s in socks:
    s.settimeout(120)
    try:
        while s.recv(4096):
            pass
        closed += 1
    except OSError:
        pass
open(sys.argv[1], "w").write(f"{closed}\n")
EOF
slowpid=$!
busywait 30000 test -e "$tmp/slow.ready"
check_err $? "the slow clients did not connect"
scrape
check_err $? "a scrape failed while 50 slow clients were connected"
out=$(python3 "$CHECK" "$tmp/metrics" host "$tmp/$MON.stats" "$tmp/$MON.config" \
	"$SRV" "$tmp/$SRV.stats" "$tmp/$SRV.config" \
	"$CLI" "$tmp/$CLI.stats" "$tmp/$CLI.config")
check_err $? "$out"
wait "$slowpid"
slowpid=
[[ $(cat "$tmp/slow" 2>/dev/null) == 50 ]]
check_err $? "the server did not close all 50 slow clients: $(cat "$tmp/slow" 2>/dev/null)"
log_test "50 slow clients do not block a scrape, and are dropped"

# The module goes away and comes back: seen again, no restart.
bg_unload
check_err $? "rmmod failed"
in_ns "$MON" curl -sf -o "$tmp/metrics" "$URL/metrics"
check_err $? "no answer without the module"
[[ $(grep -c '^burstguard_up{.*} 0$' "$tmp/metrics") == 3 &&
   $(grep -c '^burstguard_attempts' "$tmp/metrics") == 0 ]]
check_err $? "without the module: $(cat "$tmp/metrics")"
bg_load rate=1/hour burst=3
check_err $? "insmod again failed"
send4 2 --src 10.0.0.2 --dport 80
in_ns "$MON" curl -sf -o "$tmp/metrics" "$URL/metrics"
grep -q "^burstguard_up{netns=\"$SRV\"} 1$" "$tmp/metrics" &&
grep -q "^burstguard_attempts_total{netns=\"$SRV\"} 2$" "$tmp/metrics"
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
[[ -z $left ]]
check_err $? "keepers left running:$left"
log_test "SIGTERM stops it and its keepers"

for args in "-l bogus" "-l 127.0.0.1:0" "-l [::1" "-n nonexistent-ns" "-n host -n host" "-u no-such-user" "extra"; do
	# shellcheck disable=SC2086
	err=$(ip netns exec "$MON" timeout 20 "$BG_BURSTCTL" serve-metrics $args 2>&1)
	check_fail $? "serve-metrics $args succeeded"
	[[ $err == "burstctl: "* ]]
	check_err $? "serve-metrics $args: $err"
done
log_test "bad arguments are refused with a message"

exit "$EXIT_STATUS"
