#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# bench/guest.sh: the guest side of make bench (bench/run boots the guest).
# For each run, each contender in turn (interleaved), each workload: fresh
# server/client namespaces joined by a veth, the contender set up in the
# server, N frames from bench/flood in the client. Prints one line per
# measurement:
#   R run contender workload packets ns seen legit_sent legit_passed
# and memory lines after run 1's W2, W4b and W5 of each filter:
#   M contender workload cache objsize objs_added slab_bytes_added objs_now
# (cache: the slab cache that gained the most objects during the flood).
#
# Contenders: none, bg0 (burstguard, no source over its limit), bg, nft
# (dynamic set + limit, prerouting priority -410), ipt (iptables-legacy raw
# table, -m hashlimit). Same key (/32, /64), rate, burst and table size for
# all; conntrack is never loaded.
#
# Every frame goes to a non-local destination with a blackhole route and
# forwarding on, so whatever the filter lets through dies at the route
# lookup, right after PRE_ROUTING, for every contender alike (burstguard
# with forward=on, so that it counts those SYNs as the others do). W5's
# legitimate sources instead send to the server's own address (port 9):
# those the filter passes reach TCP and are counted by Tcp InSegs.
set -uo pipefail
BG_REPO=${BG_REPO:-$(cd "$(dirname "$0")/.." && pwd)}
. "$BG_REPO/tests/lib.sh"
. "$BG_REPO/tests/topo.sh"

RUNS=${BG_BENCH_RUNS:-5}
PART=${BG_BENCH_PART:-all}	# main (W0-W4), big (W3/W5) or all
BIG_RUNS=${BG_BENCH_BIG_RUNS:-1}	# W3/W5: the 1M-source flood (slow under TCG)
BIG_CONTENDERS=(${BG_BENCH_BIG_CONTENDERS:-bg nft ipt})
CONTENDERS=(${BG_BENCH_CONTENDERS:-none bg0 bg nft ipt})
WORKLOADS=(${BG_BENCH_WORKLOADS:-W0 W1 W2 W4a W4b})
# W5 is W3's flood with the legitimate sources mixed in (about 0.3% of the
# frames): one 1M-source flood gives W3's time and memory and W5's drops.
BIG=(${BG_BENCH_BIG:-W5})
RATE=${BG_BENCH_RATE:-20}
BURST=${BG_BENCH_BURST:-40}
MAXSRC=${BG_BENCH_MAX_SOURCES:-131072}
BUCKETS=$((MAXSRC / 4))		# burstguard's hash size for MAXSRC
EXPIRE_MS=2000			# burstguard's GC idle time
declare -A COUNT=(
	[W0]=${BG_BENCH_N0:-5000} [W1]=${BG_BENCH_N1:-5000}
	[W2]=${BG_BENCH_N2:-65536} [W4a]=${BG_BENCH_N1:-5000}
	[W4b]=${BG_BENCH_N2:-65536} [W3]=${BG_BENCH_N3:-1000000}
	[W5]=${BG_BENCH_N3:-1000000}
)
FLOOD=$BG_REPO/bench/flood
LEGIT_N=${BG_BENCH_LEGIT_N:-100}
LEGIT_PPS=${BG_BENCH_LEGIT_PPS:-5}

# workload args: flood options for each workload
wl_args() {
	case $1 in
	W0) echo --dst 10.9.0.1 --kind ack --src-random 10.128.0.0/9 ;;
	W1) echo --dst 10.9.0.1 --src 10.1.1.1 ;;
	W2) echo --dst 10.9.0.1 --src-seq 10.64.0.0/16 ;;
	W4a) echo --dst fd09::1 --src fd01::1 ;;
	W4b) echo --dst fd09::1 --src-seq fd02::/48 ;;
	W3) echo --dst 10.9.0.1 --src-seq 100.64.0.0/10 ;;
	W5) echo --dst 10.9.0.1 --src-seq 100.64.0.0/10 --legit 192.0.2.0/24 \
		--legit-n "$LEGIT_N" --legit-pps "$LEGIT_PPS" --legit-dst 10.0.0.1 ;;
	esac
}
wl_fam() { [[ $1 == W4* ]] && echo 6 || echo 4; }

counters() {	# counters 4|6: "IP-layer packets, Tcp InSegs" of the server
	ip netns exec "$SRV" awk -v fam="$1" '
		FILENAME ~ /snmp6/ { if ($1 == "Ip6InReceives") r6 = $2; next }
		$1 == "Ip:" || $1 == "Tcp:" {
			if (!(($1) in seen)) { seen[$1] = 1; for (i = 2; i <= NF; i++) col[$1, $i] = i; next }
			if ($1 == "Ip:") r4 = $(col["Ip:", "InReceives"]); else segs = $(col["Tcp:", "InSegs"]) }
		END { print (fam == 4 ? r4 : r6), segs }' /proc/net/snmp /proc/net/snmp6
}

bg_mode=
bg_want() {	# bg_want none|bg0|bg: burstguard loaded as that contender needs
	[[ $bg_mode == "$1" ]] && return 0
	bg_loaded && { bg_unload || return 1; }
	case $1 in
	bg0) bg_load rate=1000000/s burst=1000000 max_sources="$MAXSRC" forward=on ;;
	bg) bg_load rate="$RATE/s" burst="$BURST" max_sources="$MAXSRC" forward=on ;;
	esac || return 1
	bg_mode=$1
}

setup_contender() {
	case $1 in
	none | bg0 | bg) return 0 ;;
	nft) ip netns exec "$SRV" nft -f - <<-EOF
		table ip bench {
			set s { type ipv4_addr; size $MAXSRC; flags dynamic,timeout; timeout ${EXPIRE_MS}ms; }
			chain pre { type filter hook prerouting priority -410; policy accept;
				tcp flags & (fin|syn|rst|ack) == syn update @s { ip saddr limit rate over $RATE/second burst $BURST packets } drop
			}
		}
		table ip6 bench {
			set s { type ipv6_addr; size $MAXSRC; flags dynamic,timeout; timeout ${EXPIRE_MS}ms; }
			chain pre { type filter hook prerouting priority -410; policy accept;
				tcp flags & (fin|syn|rst|ack) == syn update @s { ip6 saddr & ffff:ffff:ffff:ffff:: limit rate over $RATE/second burst $BURST packets } drop
			}
		}
		EOF
		;;
	ipt)
		local hl=(-m hashlimit --hashlimit-above "$RATE/second"
			--hashlimit-burst "$BURST" --hashlimit-mode srcip
			--hashlimit-htable-size "$BUCKETS" --hashlimit-htable-max "$MAXSRC"
			--hashlimit-htable-expire "$EXPIRE_MS")
		ip netns exec "$SRV" iptables-legacy -t raw -A PREROUTING -p tcp --syn \
			"${hl[@]}" --hashlimit-srcmask 32 --hashlimit-name b4 -j DROP &&
		ip netns exec "$SRV" ip6tables-legacy -t raw -A PREROUTING -p tcp --syn \
			"${hl[@]}" --hashlimit-srcmask 64 --hashlimit-name b6 -j DROP
		;;
	esac
}

slab_snap() {	# name active_objs objsize, every cache
	awk 'NR > 2 { print $1, $2, $4 }' /proc/slabinfo
}

# fresh CONTENDER: new namespaces, the contender's filter in the server.
fresh() {
	cleanup_all_ns
	topo_setup || { echo "E topo_setup failed"; return 1; }
	ip netns exec "$SRV" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
	ip -n "$SRV" route add blackhole 10.9.0.0/16
	ip -n "$SRV" -6 route add blackhole fd09::/64
	setup_contender "$1" || { echo "E setup of $1 failed"; return 1; }
}

# measure RUN CONTENDER WORKLOAD [mem]
measure() {
	local run=$1 c=$2 w=$3 mem=${4:-} fam n r0 r1 t0 t1 out ns legit=0 passed=0
	local before after

	fam=$(wl_fam "$w")
	n=${COUNT[$w]}
	[[ -n $mem ]] && before=$(slab_snap)
	read -r r0 t0 < <(counters "$fam")
	# shellcheck disable=SC2046
	out=$(ip netns exec "$CLI" "$FLOOD" -i c0 --dst-mac "$SRV_MAC" -c "$n" \
		--seed $((run * 7919 + 1)) $(wl_args "$w")) || { echo "E flood: $out"; return 1; }
	read -r r1 t1 < <(counters "$fam")
	read -r _ _ _ ns _ legit <<<"$out"
	passed=$((t1 - t0))
	echo "R $run $c $w $n $ns $((r1 - r0)) $legit $passed"
	if [[ -n $mem ]]; then
		after=$(slab_snap)
		# The cache that grew the most holds the per-source entries.
		awk -v c="$c" -v w="$w" 'NR == FNR { b[$1] = $2 * $3; bo[$1] = $2; next }
			{ a[$1] = $2; d = $2 * $3 - b[$1]; tot += d; if ($2 - bo[$1] > best) { best = $2 - bo[$1]; name = $1; sz = $3 } }
			END { print "M", c, w, name, sz, best, tot, a[name] }' \
			<(echo "$before") <(echo "$after")
	fi
	if [[ $c == bg* ]]; then
		echo "S $run $c $w $(ip netns exec "$SRV" awk '{ printf "%s=%s ", $1, $2 }' "$BG_PROC/stats")"
	fi
}

# Module autoloading would run the initramfs's modprobe: load what the
# contenders need up front (no hooks until a netns uses them).
bg_modprobe veth nf_tables nft_limit x_tables ip_tables ip6_tables \
	iptable_raw ip6table_raw xt_tcpudp xt_hashlimit || exit 1
echo "I kernel $(uname -r) cpus $(nproc) cmdline $(cat /proc/cmdline)"
echo "I part $PART: counts $(for w in "${WORKLOADS[@]}" "${BIG[@]}"; do printf '%s=%s ' "$w" "${COUNT[$w]}"; done)"
echo "I rate $RATE/s burst $BURST max_sources $MAXSRC runs $RUNS big_runs $BIG_RUNS"
if [[ $PART != big ]]; then
	for ((run = 1; run <= RUNS; run++)); do
		for c in "${CONTENDERS[@]}"; do
			bg_want "$([[ $c == bg* ]] && echo "$c" || echo none)" || exit 1
			# One topology and filter per contender and run: the
			# workloads use disjoint sources, so no reset between them.
			fresh "$c" || continue
			for w in "${WORKLOADS[@]}"; do
				mem=
				((run == 1)) && [[ $c != none && $c != bg0 ]] &&
					[[ $w == W2 || $w == W4b ]] && mem=1
				measure "$run" "$c" "$w" $mem
			done
		done
	done
fi
if [[ $PART != main ]]; then
	for ((run = 1; run <= BIG_RUNS; run++)); do
		for c in "${BIG_CONTENDERS[@]}"; do
			bg_want "$([[ $c == bg* ]] && echo "$c" || echo none)" || exit 1
			for w in "${BIG[@]}"; do
				fresh "$c" || continue
				measure "$run" "$c" "$w" 1
			done
		done
	done
fi
bg_want none
cleanup_all_ns
echo "I done $PART"
