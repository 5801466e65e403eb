#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Unloading with packets in flight: a flood of spoofed SYNs keeps entering
# the server namespace while the module is unloaded and loaded again, each
# time with /proc/net/burstguard/sources held open by a reader and a
# netlink source dump in progress (tests/nl_hold: first part read, the rest
# not yet).
#
# Each round, exactly:
#   - rmmod while the dump is in progress fails (the dump holds a reference
#     on the module) and changes nothing: the module still counts;
#   - the dump is then read to its end (even rounds: NLMSG_DONE, at most
#     max_sources sources) or abandoned by closing the socket (odd rounds);
#   - rmmod then succeeds; the module's slab caches are destroyed empty
#     (where they are caches of their own, as on the debug kernel, a
#     leftover entry is a "BUG ... Objects remaining" that fails the run;
#     Debian's kernels merge them with others and cannot tell);
#   - the held sources file fails its next read (status 1, EIO), no crash;
#   - the module loads again and counts the flood.
# Rounds: 3, or 50 with BG_HEAVY=1 (the debug kernel's run, which also
# checks with kmemleak that nothing leaked).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/topo.sh"

BG_TESTBIN=${BG_TESTBIN:-$BG_REPO/.cache/tests}
ROUNDS=3
[[ ${BG_HEAVY:-0} == 1 ]] && ROUNDS=50
MAX=5000
# How long to wait for each step at most (busywait returns as soon as it
# holds): generous, the debug kernel is many times slower than Debian's.
W=60000
hold=$BG_TESTBIN/nl_hold
[[ -x $hold ]] || bg_skip "no $hold (make tests)"

topo_setup || bg_skip "cannot build the test topology"
bg_load rate=1/hour burst=5 max_sources=$MAX
check_err $? "insmod failed"

ip netns exec "$CLI" "$BG_TOOLS/bgsend" -i c0 --dst-mac "$SRV_MAC" \
	--dst 10.0.0.1 --src-random 10.64.0.0/10 -c 500000000 >/dev/null 2>&1 &
flood=$!
tmp=$(mktemp -d)
cleanup() {
	kill "$flood" 2>/dev/null
	rm -rf "$tmp"
	bg_cleanup
}

# counter_over NAME N: the module in $SRV has counter NAME above N.
counter_over() {
	local n

	n=$(bg_counter "$SRV" "$1" 2>/dev/null) && ((n > $2))
}

busywait "$W" counter_over attempts 1000 >/dev/null
check_err $? "the flood did not reach the module"
log_test "flood running" || exit "$EXIT_STATUS"

# held_reader READY: open the sources file, read its header, wait for the
# module to go, then read on: that read must fail (EIO), not crash or hang.
held_reader() {
	local h

	exec 4<"$BG_PROC/sources" && read -r -u 4 h || return 2
	touch "$1"
	# (10 min at most; a fork every 0.2 s, not a bash every 50 ms)
	local end=$((SECONDS + 600))
	while [[ -e /sys/module/burstguard ]] && ((SECONDS < end)); do
		sleep 0.2
	done
	cat <&4 >/dev/null 2>&1
}
export -f held_reader
export BG_PROC

for ((i = 1; i <= ROUNDS; i++)); do
	mode=done
	((i % 2)) && mode=abandon
	rm -f "$tmp"/*
	# enough sources for a dump of several parts
	busywait "$W" counter_over sources 1000 >/dev/null
	check_err $? "round $i: the table did not fill"

	ip netns exec "$SRV" bash -c "held_reader $tmp/proc" &
	reader=$!
	ip netns exec "$SRV" "$hold" "$tmp/dump" "$tmp/go" "$mode" >"$tmp/hold.out" 2>&1 &
	holder=$!
	busywait "$W" test -e "$tmp/proc" -a -e "$tmp/dump"
	check_err $? "round $i: the reader or the dump did not start"

	! rmmod burstguard 2>/dev/null
	check_err $? "round $i: rmmod succeeded with a dump in progress"
	bg_loaded
	check_err $? "round $i: the module is gone with a dump in progress"
	a0=$(bg_counter "$SRV" attempts)
	busywait "$W" counter_over attempts "$a0" >/dev/null
	check_err $? "round $i: no longer counting after the refused rmmod"

	touch "$tmp/go"
	wait "$holder"
	check_err $? "round $i: the dump failed: $(<"$tmp/hold.out")"
	out=$(<"$tmp/hold.out")
	if [[ $mode == done ]]; then
		[[ $out =~ ^done\ ([0-9]+)\ intr\ [01]$ ]] && ((BASH_REMATCH[1] <= MAX))
		check_err $? "round $i: dump read to its end: '$out', want 'done N<=$MAX intr 0|1'"
	else
		[[ $out =~ ^abandoned\ [0-9]+$ ]]
		check_err $? "round $i: abandoned dump: '$out'"
	fi

	# The dump's reference goes with its socket (after an RCU grace period).
	busywait "$W" rmmod burstguard >/dev/null 2>&1
	check_err $? "round $i: rmmod failed after the dump ended"
	busywait "$W" bash -c '! test -e /sys/module/burstguard' >/dev/null
	check_err $? "round $i: the module did not go"
	wait "$reader"
	rc=$?
	((rc == 1))
	check_err $? "round $i: reading the held sources file after unload: status $rc, want 1"

	bg_load rate=1/hour burst=5 max_sources=$MAX
	check_err $? "round $i: insmod during the flood failed"
	busywait "$W" counter_over attempts 100 >/dev/null
	check_err $? "round $i: no attempts counted after reload"
	((RET == 0)) || break
done
log_test "$ROUNDS unloads and loads during a flood, dump in progress, sources file held"

kill -0 "$flood"
check_err $? "the flood sender died"
# The gauge, not the listing: a /proc listing read in parts while the
# flood churns the table may show an entry twice (seq_file positions).
sources=$(bg_counter "$SRV" sources)
((sources <= MAX))
check_err $? "$sources sources, more than max_sources $MAX"
log_test "still bounded after the reloads"

exit "$EXIT_STATUS"
