#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Unloading with packets in flight: a flood of spoofed SYNs keeps entering
# the server namespace while the module is unloaded and loaded again five
# times, with /proc/net/burstguard/sources held open by a reader. The run
# fails on any kernel splat (tests/vm/run checks the log) or leak: the
# module's slab caches must be empty when they are destroyed.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/topo.sh"

topo_setup || bg_skip "cannot build the test topology"
bg_load rate=1/hour burst=5 max_sources=5000
check_err $? "insmod failed"

ip netns exec "$CLI" "$BG_TOOLS/bgsend" -i c0 --dst-mac "$SRV_MAC" \
	--dst 10.0.0.1 --src-random 10.64.0.0/10 -c 50000000 >/dev/null 2>&1 &
flood=$!
cleanup() {
	kill "$flood" 2>/dev/null
	bg_cleanup
}

# counting_over N: the module in $SRV has counted more than N attempts.
counting_over() {
	local n

	n=$(bg_counter "$SRV" attempts 2>/dev/null) && ((n > $1))
}

busywait 10000 counting_over 1000 >/dev/null
check_err $? "the flood did not reach the module"
log_test "flood running" || exit "$EXIT_STATUS"

# held_reader: open the sources file, read its header, wait for the module
# to go, then read on: that read must fail (EIO), not crash or hang.
held_reader() {
	local h

	exec 4<"$BG_PROC/sources" && read -r -u 4 h || return 2
	touch "$1"
	busywait 10000 bash -c '! test -e /sys/module/burstguard' >/dev/null
	cat <&4 >/dev/null 2>&1
}

for i in 1 2 3 4 5; do
	export -f held_reader busywait
	export BG_PROC
	ready=/tmp/held.$$.$i
	ip netns exec "$SRV" bash -c "held_reader $ready" &
	reader=$!
	busywait 10000 test -e "$ready"
	check_err $? "the reader did not open the sources file"
	bg_unload
	check_err $? "rmmod $i during the flood failed"
	wait "$reader"
	rc=$?
	((rc == 1))
	check_err $? "reading a held sources file after unload $i: status $rc, want 1"
	bg_load rate=1/hour burst=5 max_sources=5000
	check_err $? "insmod $i during the flood failed"
	busywait 10000 counting_over 100 >/dev/null
	check_err $? "no attempts counted after reload $i"
done
log_test "5 unloads and loads during a flood, sources file held open"

kill -0 "$flood"
check_err $? "the flood sender died"
(($(source_count) <= 5000))
check_err $? "more sources than max_sources"
log_test "still bounded after the reloads"

exit "$EXIT_STATUS"
