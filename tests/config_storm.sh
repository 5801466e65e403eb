#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Configuration storm: two writers, one pinned to each CPU
# (tests/nl_storm change), change rate, period, burst, ban, mode, prefix
# lengths, max_sources (so the table is resized both ways), rules, both
# lists, REPLACE_CONFIG, FORGET and FLUSH as fast as they can, while
# IPv4 and IPv6 floods of spoofed SYNs to ports 20-40 hit those rules and
# lists (one of them from 1024 recurring sources, so attempts are refused
# and sources banned), a netlink dumper (nl_storm dump) and a /proc reader
# read everything.
#
# Pass, exactly:
#   - every request succeeds or fails with the errno the protocol gives a
#     race between writers (EEXIST, ENOENT, ENOSPC); every dump ends
#     cleanly;
#   - the kernel log stays clean (tests/vm/run: lockdep, RCU, KASAN, ...);
#   - once the floods stop, every attempt is counted exactly once:
#     attempts = allowed + dropped + rejected + would_drop + banned +
#     allowlisted + denied, in /proc and over netlink alike, and some
#     were refused (the limits were exercised, not only the table);
#   - the table holds no more than the max_sources the storm left, and
#     /proc lists exactly as many sources as the gauge says.
# 15 s of storm, 120 s with BG_HEAVY=1 (BG_STORM_S overrides).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/topo.sh"

BG_TESTBIN=${BG_TESTBIN:-$BG_REPO/.cache/tests}
storm=$BG_TESTBIN/nl_storm
[[ -x $storm ]] || bg_skip "no $storm (make tests)"
bg_require_cmd taskset
S=15
[[ ${BG_HEAVY:-0} == 1 ]] && S=120
S=${BG_STORM_S:-$S}

topo_setup || bg_skip "cannot build the test topology"
bg_load rate=10/s burst=5 max_sources=2000
check_err $? "insmod failed"

tmp=$(mktemp -d)
pids=()
cleanup() {
	kill "${pids[@]}" 2>/dev/null
	rm -rf "$tmp"
	bg_cleanup
}

ip netns exec "$CLI" "$BG_TOOLS/bgsend" -i c0 --dst-mac "$SRV_MAC" --dst 10.0.0.1 \
	--src-random 10.64.0.0/10 --dport 20-40 -c 2000000000 >/dev/null 2>&1 &
pids+=($!)
ip netns exec "$CLI" "$BG_TOOLS/bgsend" -i c0 --dst-mac "$SRV_MAC" --dst fd00::1 \
	--src-random fd00:1::/48 --dport 20-40 -c 2000000000 >/dev/null 2>&1 &
pids+=($!)
# 1024 sources that come back again and again: refusals and bans race
# with the changes too.
ip netns exec "$CLI" "$BG_TOOLS/bgsend" -i c0 --dst-mac "$SRV_MAC" --dst 10.0.0.1 \
	--src-random 10.64.4.0/22 --dport 20-40 -c 2000000000 >/dev/null 2>&1 &
pids+=($!)
busywait 60000 bash -c "(( \$(ip netns exec $SRV awk '\$1 == \"attempts\" { print \$2 }' $BG_PROC/stats) > 1000 ))" >/dev/null
check_err $? "the floods do not reach the module"
log_test "floods running" || exit "$EXIT_STATUS"

ip netns exec "$SRV" bash -c "end=\$((SECONDS + $S)); while ((SECONDS < end)); do
	cat $BG_PROC/sources $BG_PROC/config $BG_PROC/stats >/dev/null || exit 1; done" &
reader=$!
ip netns exec "$SRV" "$storm" dump "$S" >"$tmp/dump" 2>&1 &
dumper=$!
ip netns exec "$SRV" taskset -c 0 "$storm" change "$S" $RANDOM >"$tmp/w0" 2>&1 &
w0=$!
ip netns exec "$SRV" taskset -c 1 "$storm" change "$S" $RANDOM >"$tmp/w1" 2>&1 &
w1=$!
for p in "$w0" "$w1" "$dumper" "$reader"; do
	wait "$p"
	check_err $? "a storm process failed: $(cat "$tmp"/w0 "$tmp"/w1 "$tmp"/dump)"
done
log_info "writer 0: $(head -c 300 "$tmp/w0"); writer 1: $(head -c 300 "$tmp/w1"); $(head -c 300 "$tmp/dump")"
grep -q '^ops [1-9]' "$tmp/w0" && grep -q '^ops [1-9]' "$tmp/w1" && grep -q '^dumps [1-9]' "$tmp/dump"
check_err $? "the storm did nothing"
log_test "$S s of config changes on both CPUs, dumps and /proc reads, during floods"

kill "${pids[@]}"
wait "${pids[@]}" 2>/dev/null
pids=()
sleep 1	# packets still in the veth queues
stats=$(ip netns exec "$SRV" cat "$BG_PROC/stats")
# The counters in arrays, /proc's and netlink's: no process per lookup.
declare -A P L
while read -r k v; do P[$k]=$v; done <<<"$stats"
get() { echo "${P[$1]}"; }
sum=$(($(get allowed) + $(get dropped) + $(get rejected) + $(get would_drop) + \
	$(get banned) + $(get allowlisted) + $(get denied)))
(($(get attempts) == sum))
check_err $? "attempts $(get attempts) != sum of verdicts $sum: $(tr '\n' ' ' <<<"$stats")"
log_info "$(tr '\n' ' ' <<<"$stats")"
nl=$(ip netns exec "$SRV" "$BG_BURSTCTL" stats 2>&1)
while read -r k v _; do L[$k]=$v; done <<<"$nl"
for k in attempts allowed dropped rejected would_drop banned allowlisted denied; do
	[[ ${L[$k]} == "${P[$k]}" ]]
	check_err $? "$k: netlink '${L[$k]}', /proc '${P[$k]}'"
done
(($(get dropped) + $(get rejected) + $(get would_drop) + $(get banned) > 0))
check_err $? "no attempt was ever refused: the storm did not exercise the limits"
log_test "every attempt counted exactly once"

max=$(ip netns exec "$SRV" awk '$1 == "max_sources" { print $2 }' "$BG_PROC/config")
((max > 0 && $(get sources) <= max))
check_err $? "sources $(get sources) > max_sources $max"
# GC keeps reclaiming idle sources after the floods: compare the listing
# with the gauge read just before and just after it, until both agree.
# shellcheck disable=SC2317
listed_is_gauge() {
	local g1 g2 n

	g1=$(bg_counter "$SRV" sources) && n=$(source_count) &&
		g2=$(bg_counter "$SRV" sources) || return 1
	echo "gauge $g1..$g2, listed $n"
	((g1 == n && g2 == n && n <= max))
}
out=$(busywait 60000 listed_is_gauge)
check_err $? "the sources file never listed what the gauge said ($out)"
log_test "table within max_sources ($max), /proc lists what the gauge says"

exit "$EXIT_STATUS"
