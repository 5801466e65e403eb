# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# The topology of the module's traffic tests, sourced after lib.sh:
#
#     $CLI                                   $SRV (the module counts here)
#   +--------------------+   veth    +--------------------+
#   | c0  10.0.0.2/24    |-----------| s0  10.0.0.1/24    |
#   |     fd00::2/64     |           |     fd00::1/64     |
#   +--------------------+           +--------------------+
#
# Crafted SYNs (tests/tools/bgsend) leave c0 with any source address we
# choose; replies to spoofed sources have no route and go nowhere.

# topo_setup: create $SRV and $CLI and the veth between them.
topo_setup() {
	setup_ns SRV CLI || return 1
	bg_modprobe veth || return 1
	ip link add s0 netns "$SRV" type veth peer name c0 netns "$CLI" ||
		return 1
	ip -n "$SRV" addr add 10.0.0.1/24 dev s0 &&
	ip -n "$SRV" addr add fd00::1/64 dev s0 nodad &&
	ip -n "$CLI" addr add 10.0.0.2/24 dev c0 &&
	ip -n "$CLI" addr add fd00::2/64 dev c0 nodad &&
	ip -n "$SRV" link set s0 up &&
	ip -n "$CLI" link set c0 up || return 1
	SRV_MAC=$(ip -n "$SRV" -br link show s0 | awk '{ print $3 }')
}

# send N BGSEND-ARGS...: N crafted frames from $CLI to the server's MAC;
# fails unless all N went out.
send() {
	local n=$1 out
	shift

	out=$(ip netns exec "$CLI" "$BG_TOOLS/bgsend" -i c0 \
		--dst-mac "$SRV_MAC" -c "$n" "$@") || return 1
	[[ $out == "sent $n" ]] || { echo "bgsend: $out" >&2; return 1; }
}

# send4 N ARGS / send6 N ARGS: SYNs to the server's IPv4 / IPv6 address.
send4() {
	local n=$1
	shift
	send "$n" --dst 10.0.0.1 "$@"
}

send6() {
	local n=$1
	shift
	send "$n" --dst fd00::1 "$@"
}

# expect_stats [NS] "name=value ..." (NS defaults to $SRV): every named
# counter of /proc/net/burstguard/stats has exactly that value. On a
# mismatch the case fails with the whole list of differences.
expect_stats() {
	local ns=$SRV want stats bad="" kv
	(($# == 2)) && { ns=$1; shift; }
	want=$1

	stats=$(in_ns "$ns" cat "$BG_PROC/stats") || {
		check_err 1 "cannot read $BG_PROC/stats"
		return 1
	}
	for kv in $want; do
		local name=${kv%%=*} value=${kv#*=} got
		got=$(awk -v n="$name" '$1 == n { print $2 }' <<<"$stats")
		[[ $got == "$value" ]] || bad+=" $name=$got(want $value)"
	done
	[[ -z $bad ]] && return 0
	check_err 1 "counters:$bad"
	return 1
}

# source_line PREFIX [NS]: the line of /proc/net/burstguard/sources for
# PREFIX (e.g. 10.0.0.2/32), as "prefix rule tokens attempts drops state".
source_line() {
	in_ns "${2:-$SRV}" awk -v p="$1" \
		'$1 == p { print $1, $2, $3, $4, $5, $6; found = 1 }
		 END { exit !found }' "$BG_PROC/sources"
}

# expect_source PREFIX "rule tokens attempts drops state" [NS]
expect_source() {
	local got

	got=$(source_line "$1" "${3:-$SRV}")
	[[ $got == "$1 $2" ]] && return 0
	check_err 1 "source $1: got '${got:-nothing}', want '$1 $2'"
	return 1
}

# source_count [NS]: lines in /proc/net/burstguard/sources, header excluded.
source_count() {
	in_ns "${1:-$SRV}" awk 'NR > 1' "$BG_PROC/sources" | wc -l
}
