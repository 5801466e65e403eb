#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Each network namespace has its own table and counters, and deleting a
# namespace while a flood is entering it is safe.
#
#   $CLI c0 --- s0 $SRV     (topo.sh)
#   $CLI c1 --- s1 $SRV2    10.0.1.0/24
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/topo.sh"

topo_setup || bg_skip "cannot build the test topology"
setup_ns SRV2 || bg_skip "cannot create a namespace"
ip link add s1 netns "$SRV2" type veth peer name c1 netns "$CLI" &&
	ip -n "$SRV2" addr add 10.0.1.1/24 dev s1 &&
	ip -n "$CLI" addr add 10.0.1.2/24 dev c1 &&
	ip -n "$SRV2" link set s1 up && ip -n "$CLI" link set c1 up ||
	bg_skip "cannot build the second link"
mac2=$(ip -n "$SRV2" -br link show s1 | awk '{ print $3 }')

bg_load rate=1/hour burst=10
check_err $? "insmod failed"
send4 30 --src 10.0.0.2
expect_stats "attempts=30 dropped=20 sources=1"
expect_stats "$SRV2" "attempts=0 dropped=0 sources=0"
expect_stats "" "attempts=0 sources=0"
log_test "a flood into one namespace is invisible in the others"

out=$(ip netns exec "$CLI" "$BG_TOOLS/bgsend" -i c1 --dst-mac "$mac2" \
	--dst 10.0.1.1 --src 10.0.0.2 -c 4)
expect_stats "$SRV2" "attempts=4 allowed=4 dropped=0 sources=1"
expect_stats "attempts=30 dropped=20 sources=1"
log_test "the same source has a full bucket in another namespace"

ip netns exec "$CLI" "$BG_TOOLS/bgsend" -i c1 --dst-mac "$mac2" \
	--dst 10.0.1.1 --src-random 10.64.0.0/10 -c 3000000 >/dev/null 2>&1 &
flood=$!
counting_over() {
	local n

	n=$(bg_counter "$SRV2" attempts 2>/dev/null) && ((n > $1))
}
busywait 10000 counting_over 1000 >/dev/null
check_err $? "the flood did not start"
cleanup_ns "$SRV2"
check_err $? "deleting the namespace failed"
kill "$flood" 2>/dev/null
wait "$flood" 2>/dev/null
expect_stats "attempts=30 dropped=20 sources=1"
log_test "deleting a namespace during a flood into it"

exit "$EXIT_STATUS"
