#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The host-wide budget (issue 12): all namespaces but the initial one
# track at most netns_budget sources together; the initial namespace is
# not counted and keeps tracking its own. An attempt refused an entry by
# the budget is judged by its overflow slot, like one into a full table
# (table_full, overflow), so the limit still holds.
#
# Module netns_budget=256 rate=1/hour burst=5. Client namespace C with a
# veth to each of S1, S2 and the initial namespace. Every sender runs
# pinned to CPU 0 (taskset): the budget is a per-CPU counter read without
# summing, which holds to within 32 sources per CPU; from one CPU its
# global value moves in steps of 32 and the counts below are exact.
#  1. S1: 200 spoofed sources, one SYN each: 200 entries.
#  2. S2: 200 more: exactly 56 get entries (256 in all), 144 table_full,
#     none evicted for them;
#     the nft counter in S2's input hook sees at least the 56 tracked.
#  3. S2: a fresh source sends 20 SYNs: exactly its burst, 5, reach S2's
#     listener (nft counter), the rest refused by its overflow slot.
#  4. The initial namespace: 100 spoofed sources get 100 entries.
#  5. burstctl flush in S1 gives its 200 back: 100 new sources in S2 all
#     get entries.
#  6. A budget of 0 is refused by the parameter; the value stays.
. "$(dirname "$0")/lib.sh"

bg_require_cmd nft taskset

BUDGET=/sys/module/burstguard/parameters/netns_budget

cleanup() {
	ip link del bgb_i 2>/dev/null
	bg_cleanup
}

setup_ns C S1 S2 || bg_skip "cannot make namespaces"
bg_modprobe veth nf_tables || bg_skip "no veth or nf_tables"
bg_load netns_budget=256 rate=1/hour burst=5
check_err $? "insmod failed"
log_test "module loaded with netns_budget=256" || exit "$EXIT_STATUS"

# link N NS: veth c$N (in C, 10.0.N.2) to s$N (in NS, "" the initial one: 10.0.N.1).
link() {
	local n=$1 ns=$2 peer=bgb_s$1

	[[ -z $ns ]] && peer=bgb_i
	if [[ -n $ns ]]; then
		ip link add c"$n" netns "$C" type veth peer name "$peer" netns "$ns"
	else
		ip link add "$peer" type veth peer name c"$n" netns "$C"
	fi || return 1
	ip -n "$C" addr add 10.0.$n.2/24 dev c"$n" &&
		in_ns "$ns" ip addr add 10.0.$n.1/24 dev "$peer" &&
		ip -n "$C" link set c"$n" up && in_ns "$ns" ip link set "$peer" up
}

# send N ARGS...: bgsend on veth cN pinned to CPU 0, to 10.0.N.1.
send() {
	local n=$1 ns=$2 mac out
	shift 2

	mac=$(in_ns "$ns" cat /sys/class/net/"$([[ -n $ns ]] && echo bgb_s$n || echo bgb_i)"/address)
	out=$(ip netns exec "$C" taskset -c 0 "$BG_TOOLS/bgsend" -i c"$n" \
		--dst-mac "$mac" --dst 10.0.$n.1 "$@") || return 1
	[[ $out == "sent "* ]] || { echo "bgsend: $out" >&2; return 1; }
}

# nft_setup NS: count the SYNs that reach NS's input hook.
nft_setup() {
	ip netns exec "$1" nft -f - <<-EOF
	table inet bgt {
		chain in {
			type filter hook input priority 0;
			ip saddr 10.66.0.0/16 tcp flags & (syn | ack) == syn counter
			ip saddr 10.0.2.2 tcp flags & (syn | ack) == syn counter
		}
	}
	EOF
}

# nft_count NS N: packets of the Nth counter (1: the spoofed, 2: 10.0.2.2).
nft_count() {
	ip netns exec "$1" nft list chain inet bgt in |
		awk -v n="$2" '/counter packets/ { if (++i == n) {
			for (f = 1; f < NF; f++) if ($f == "packets") print $(f + 1) } }'
}

# ctr NS NAME
ctr() {
	bg_counter "$1" "$2"
}

link 1 "$S1" && link 2 "$S2" && link 3 ""
check_err $? "veth setup failed"
nft_setup "$S2"
check_err $? "nft setup failed"
log_test "three links and an nft counter" || exit "$EXIT_STATUS"

send 1 "$S1" -c 200 --src-seq 10.65.0.0/24
check_err $? "send failed"
[[ $(ctr "$S1" sources) == 200 && $(ctr "$S1" table_full) == 0 ]]
check_err $? "S1: sources $(ctr "$S1" sources) table_full $(ctr "$S1" table_full), want 200 and 0"
log_test "S1: 200 sources tracked"

send 2 "$S2" -c 200 --src-seq 10.66.0.0/24
check_err $? "send failed"
[[ $(ctr "$S2" sources) == 56 && $(ctr "$S2" created) == 56 &&
	$(ctr "$S2" table_full) == 144 && $(ctr "$S2" overflow) == 144 &&
	$(ctr "$S2" evicted) == 0 ]]
check_err $? "S2: sources $(ctr "$S2" sources) created $(ctr "$S2" created) table_full $(ctr "$S2" table_full) overflow $(ctr "$S2" overflow) evicted $(ctr "$S2" evicted), want 56 56 144 144 0"
got=$(nft_count "$S2" 1)
((got >= 56 && got <= 200))
check_err $? "S2's input hook saw $got SYNs of the 200, want 56 to 200"
log_test "S2: the budget leaves 56 entries, 144 attempts judged by overflow slots"

send 2 "$S2" -c 20 --src 10.0.2.2
check_err $? "send failed"
got=$(nft_count "$S2" 2)
[[ $got == 5 ]]
check_err $? "S2's listener saw $got SYNs of the fresh source, want 5 (its burst)"
[[ $(ctr "$S2" table_full) == 164 && $(ctr "$S2" sources) == 56 ]]
check_err $? "S2: table_full $(ctr "$S2" table_full) sources $(ctr "$S2" sources), want 164 and 56"
log_test "S2: a fresh source with no budget left: 5 of 20 reach the listener"

send 3 "" -c 100 --src-seq 10.67.0.0/24
check_err $? "send failed"
[[ $(ctr "" sources) == 100 && $(ctr "" table_full) == 0 ]]
check_err $? "initial netns: sources $(ctr "" sources) table_full $(ctr "" table_full), want 100 and 0"
log_test "the initial namespace tracks its own sources, outside the budget"

ip netns exec "$S1" "$BG_BURSTCTL" flush >/dev/null
check_err $? "burstctl flush in S1 failed"
send 2 "$S2" -c 100 --src-seq 10.66.1.0/24
check_err $? "send failed"
[[ $(ctr "$S2" sources) == 156 && $(ctr "$S2" table_full) == 164 ]]
check_err $? "S2: sources $(ctr "$S2" sources) table_full $(ctr "$S2" table_full), want 156 and 164"
log_test "S1's flush gives its 200 back: S2 tracks 100 more"

! echo 0 2>/dev/null >"$BUDGET"
check_err $? "netns_budget=0 was accepted"
[[ $(<"$BUDGET") == 256 ]]
check_err $? "netns_budget is $(<"$BUDGET") after a refused write, want 256"
echo 1000 >"$BUDGET" && [[ $(<"$BUDGET") == 1000 ]]
check_err $? "netns_budget cannot be raised at run time"
log_test "netns_budget: 0 refused, 1000 taken at run time"

exit "$EXIT_STATUS"
