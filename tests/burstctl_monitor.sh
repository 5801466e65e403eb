#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# burstctl monitor prints events as they happen: a source throttled, banned,
# released; a full table. Text and JSON (one document per line); it stops
# cleanly on SIGINT and SIGTERM.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/topo.sh"
. "$(dirname "$0")/burstctl_lib.sh"

MON_PIDS=()
cleanup() {
	local p

	for p in "${MON_PIDS[@]}"; do
		kill "$p" 2>/dev/null
	done
	bg_cleanup
}

# start_monitor FILE [ARGS]: burstctl [ARGS] monitor in the server's netns,
# output in FILE; returns once it listens.
start_monitor() {
	local out=$1
	shift

	# not through bc(): $! must be burstctl itself (ip netns exec execs it)
	ip netns exec "$SRV" "$BG_BURSTCTL" "$@" monitor >"$out" 2>"$out.err" &
	MON_PIDS+=($!)
	MON_PID=$!
	# It says so on stderr once it has joined the group.
	busywait 5000 grep -q monitoring "$out.err" >/dev/null
}

topo_setup || bg_skip "cannot build the test topology"
bg_load rate=1/s burst=3 max_sources=4
check_err $? "insmod failed"
log_test "load with rate=1/s burst=3 max_sources=4" || exit "$EXIT_STATUS"

tmp=$(mktemp -d)
start_monitor "$tmp/text"
start_monitor "$tmp/json" -j

send4 6 --src 10.0.0.2
busywait 5000 grep -q 'throttled 10.0.0.2/32 rule 0' "$tmp/text" >/dev/null
check_err $? "no throttled event: $(cat "$tmp/text")"
# The bucket refills (1/s): the next attempt is allowed, "released".
sleep 1.5
send4 1 --src 10.0.0.2
busywait 5000 grep -q 'released 10.0.0.2/32' "$tmp/text" >/dev/null
check_err $? "no released event: $(cat "$tmp/text")"
log_test "monitor: throttled, then released"

bc set ban 10m
send4 5 --src 10.0.0.3
busywait 5000 grep -q 'banned 10.0.0.3/32 rule 0 ban 600s' "$tmp/text" >/dev/null
check_err $? "no banned event: $(cat "$tmp/text")"
log_test "monitor: banned, with the ban's length"

# Four throttled sources fill the table (throttled sources are never
# evicted, and at 1/hour nothing refills); a fifth cannot be tracked.
bc set rate 1/hour ban 0 && bc flush >/dev/null
check_err $? "reconfiguring failed"
for i in 10 11 12 13 14; do
	send4 4 --src 10.0.0.$i
done
busywait 5000 grep -q 'table_full' "$tmp/text" >/dev/null
check_err $? "no table_full event: $(cat "$tmp/text")"
expect_stats "sources=4"
log_test "monitor: table full"

busywait 5000 grep -q '"event":"banned"' "$tmp/json" >/dev/null
check_err $? "JSON monitor saw no ban: $(cat "$tmp/json")"
python3 -c '
import json, sys
for line in open(sys.argv[1]):
    e = json.loads(line)
    assert e["event"] in ("throttled", "banned", "released", "table_full"), e
' "$tmp/json"
check_err $? "JSON monitor lines do not parse: $(cat "$tmp/json")"
log_test "monitor -j: one JSON document per event"

kill -INT "${MON_PIDS[0]}"
wait "${MON_PIDS[0]}"
rc=$?
[[ $rc == 0 ]]
check_err $? "monitor exit status on SIGINT: $rc"
kill -TERM "${MON_PIDS[1]}"
wait "${MON_PIDS[1]}"
rc=$?
[[ $rc == 0 ]]
check_err $? "monitor exit status on SIGTERM: $rc"
MON_PIDS=()
log_test "monitor stops cleanly on SIGINT and SIGTERM"

# Events stay in their netns: a monitor elsewhere hears none of them. Both
# monitors must be listening, the server's must hear the event, and the
# other one must hear an event of its own netns afterwards (it works).
setup_ns OTHER
start_monitor "$tmp/text2"
check_err $? "a second monitor in the server's netns did not start: $(cat "$tmp/text2.err")"
ip netns exec "$OTHER" "$BG_BURSTCTL" monitor >"$tmp/other" 2>"$tmp/other.err" &
MON_PIDS+=($!)
busywait 5000 grep -q monitoring "$tmp/other.err" >/dev/null
check_err $? "the monitor in another netns did not start: $(cat "$tmp/other.err")"
bc flush >/dev/null
send4 6 --src 10.0.0.30
busywait 5000 grep -q 'throttled 10.0.0.30/32' "$tmp/text2" >/dev/null
check_err $? "the server's monitor heard no throttled event: $(cat "$tmp/text2")"
sleep 1
[[ ! -s $tmp/other ]]
check_err $? "another netns heard: $(cat "$tmp/other")"
# Its own netns, at 1/hour with a bucket of 3: 6 SYNs over a veth pair of
# its own (loopback is never limited); the fourth and later are throttled.
ip netns exec "$OTHER" "$BG_BURSTCTL" set rate 1/hour burst 3
check_err $? "burstctl set in the other netns failed"
ip -n "$OTHER" -batch - <<-EOF
	link add a0 type veth peer name b0
	addr add 10.9.0.1/24 dev b0
	link set a0 up
	link set b0 up
EOF
check_err $? "veth in the other netns"
ip netns exec "$OTHER" bash -c '"$1" -i a0 --dst-mac "$(</sys/class/net/b0/address)" \
	--dst 10.9.0.1 --src 10.0.0.40 -c 6' - "$BG_TOOLS/bgsend" >/dev/null
check_err $? "sending in the other netns failed"
busywait 5000 grep -q 'throttled 10.0.0.40/32' "$tmp/other" >/dev/null
check_err $? "the other netns' monitor did not hear its own event: $(cat "$tmp/other")"
grep -q '10\.0\.0\.30' "$tmp/other"
check_fail $? "another netns heard the server's source: $(cat "$tmp/other")"
log_test "events are announced in their own netns only"

rm -rf "$tmp"
exit "$EXIT_STATUS"
