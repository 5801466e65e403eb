#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# bench/guest.sh: the guest side of make bench (bench/run boots the guest).
#
# Every measurement (each run, condition, contender, workload) gets its own
# fresh server/client namespaces joined by a veth, with the contender's
# filter (and so a fresh, empty table) in the server, and starts only once
# the previous measurement's namespaces are completely torn down: the next
# server namespace is created with user.max_net_namespaces at 1, which the
# kernel grants only when no other namespace exists any more, and it drops
# a dying namespace from that count at the very end of its cleanup (after
# every pernet exit, so after burstguard's, nft's and hashlimit's tables
# are freed, and after an rcu_barrier()). Then the guest idles 2 s (guest
# time; free under -icount sleep=off) so that link-up work is done.
# Contenders are interleaved within each run: run r of contender X is
# paired with run r of none.
#
# Lines printed (report.py reads them):
#   R run cond contender workload packets ns seen legit_sent legit_passed
#   M run cond contender workload cache objsize objs_added slab_bytes_added objs_now
#   S run cond contender workload name=value...      (burstguard's counters)
#   X run cond contender workload key=value...       (conntrack entries, waits)
#   T/F run cond contender workload ...              (W5 samples, see flood.c)
#   L run cond contender workload key=value...       (W5 totals)
#   I ...                                            (information)
# M: the slab cache that gained the most objects during the flood, measured
# in every run for W2, W4b and W5.
#
# Contenders: none, bg0 (burstguard, no source over its limit), bg, nft
# (dynamic set + limit, prerouting priority -410), ipt (iptables-legacy raw
# table, -m hashlimit). Same key (/32, /64), rate, burst and table size for
# all.
#
# Conditions (cond): base: no conntrack, every flood frame goes to a
# non-local destination with a blackhole route and forwarding on, so what a
# filter lets through dies at the route lookup right after PRE_ROUTING
# (burstguard is loaded with forward=on so that it counts those SYNs, to
# a non-local destination, as the other contenders do).
# ct: the same with conntrack active in the server (an nft input chain with
# "ct state established,related accept", as a stateful firewall has).
# listen: the frames go to the server's own address, port 80, where a
# listening socket (backlog 511) waits, so what passes reaches TCP
# (SYN-ACKs, syncookies; the replies to spoofed sources find no route).
# lists: burstguard with full allow and deny lists (1024 IPv4 prefixes
# each, none matching the traffic). rules: burstguard with 64 port rules,
# the one for port 80 (same rate and burst) last.
#
# lists (part lists): per-SYN cost against the size of the deny list,
# burstguard side by side with an nft interval set and an ipset hash:net
# holding the same prefixes (IPv4 only: nft's set and ipset's hash:net
# take one family). For each size (BG_BENCH_LIST_SIZES: 0 1000 100000
# 1000000) the prefixes are generated deterministically (every 50th a /16
# from 128.0.0.0/2, every odd one a /24 from 32.0.0.0/5, the rest /32s
# from 64.0.0.0/8, none overlapping) and loaded in each run's fresh server
# namespace with burstctl deny import, nft -f, or ipset restore (with an
# iptables-legacy raw PREROUTING -m set --match-set ... src -j DROP).
# Condition l<SIZE>, contenders none, bg, nftset, ipset; two SYN floods
# of BG_BENCH_NL frames each in that setup: 'hit' (random sources in
# 128.0.0.0/16, a denied /16; only with SIZE > 0) and then 'miss' (random
# sources in 10.128.0.0/9, which no entry covers: every SYN does the lookup
# and misses). nft sets are loaded only up to BG_BENCH_NFT_MAX entries
# (1000000; a million-element interval set took 47.6 s of guest CPU time
# to load on 6.12, the run of 323ad6e stopped nft at 100000).
#   Y run cond contender entries=N real_s=R user_s=U sys_s=S slab_kb=D vmalloc_kb=D
# Y: the load's guest time (bash's time: real includes the guest clock's
# jumps while the guest idles waiting for the host's 9p; user + sys, the
# CPU time of the loading processes, kernel work in their context included,
# does not) and the growth of /proc/meminfo's Slab and VmallocUsed across
# it.
#
# W5: W3's million-source flood with legitimate sources inside: 100 that
# send from the start (port 9) and 100 that start only after 40% of the
# frames (port 10), once every table is full. The server answers a
# legitimate SYN that gets through with a RST, which flood counts per group
# (independently of the filter); every 25,000 frames flood samples the
# slab cache of the contender's entries, the route cache statistics (in_no_route counts the flood
# frames that got past the filter into the blackhole route) and
# burstguard's counters.
set -uo pipefail
BG_REPO=${BG_REPO:-$(cd "$(dirname "$0")/.." && pwd)}
. "$BG_REPO/tests/lib.sh"

RUNS=${BG_BENCH_RUNS:-5}
PART=${BG_BENCH_PART:-all}	# main (W0-W4), big (W5), cond, or all
BIG_RUNS=${BG_BENCH_BIG_RUNS:-3}
COND_RUNS=${BG_BENCH_COND_RUNS:-3}
CONTENDERS=(${BG_BENCH_CONTENDERS:-none bg0 bg nft ipt})
BIG_CONTENDERS=(${BG_BENCH_BIG_CONTENDERS:-none bg nft ipt})
WORKLOADS=(${BG_BENCH_WORKLOADS:-W0 W1 W2 W4a W4b})
CONDS=(${BG_BENCH_CONDS:-ct listen lists rules})
COND_WORKLOADS=(${BG_BENCH_COND_WORKLOADS:-W0 W1 W2})
RATE=${BG_BENCH_RATE:-20}
BURST=${BG_BENCH_BURST:-40}
MAXSRC=${BG_BENCH_MAX_SOURCES:-131072}
BUCKETS=$((MAXSRC / 4))		# burstguard's hash size for MAXSRC
EXPIRE_MS=2000			# burstguard's GC idle time
LIST_SIZES=(${BG_BENCH_LIST_SIZES:-0 1000 100000 1000000})
LIST_RUNS=${BG_BENCH_LIST_RUNS:-3}
NFT_MAX=${BG_BENCH_NFT_MAX:-1000000}
declare -A COUNT=(
	[miss]=${BG_BENCH_NL:-20000} [hit]=${BG_BENCH_NL:-20000}
	[W0]=${BG_BENCH_N0:-5000} [W1]=${BG_BENCH_N1:-5000}
	[W2]=${BG_BENCH_N2:-65536} [W4a]=${BG_BENCH_N1:-5000}
	[W4b]=${BG_BENCH_N2:-65536} [W5]=${BG_BENCH_N3:-1000000}
)
FLOOD=$BG_REPO/bench/flood
LEGIT_N=${BG_BENCH_LEGIT_N:-100}
LEGIT_PPS=${BG_BENCH_LEGIT_PPS:-5}
LATE_AFTER=${BG_BENCH_LATE_AFTER:-$((COUNT[W5] * 2 / 5))}
SAMPLE_EVERY=${BG_BENCH_SAMPLE_EVERY:-25000}
SETTLE_S=2

# cond_contenders COND: the contenders a condition is measured with.
cond_contenders() {
	case $1 in
	lists | rules) echo none bg ;;
	*) echo none bg nft ipt ;;
	esac
}

# wl_args WORKLOAD COND: flood options
wl_args() {
	local d4=10.9.0.1 d6=fd09::1

	[[ $2 == listen ]] && { d4=10.0.0.1; d6=fd00::1; }
	case $1 in
	W0) echo --dst $d4 --kind ack --src-random 10.128.0.0/9 ;;
	W1) echo --dst $d4 --src 10.1.1.1 ;;
	W2) echo --dst $d4 --src-seq 10.64.0.0/16 ;;
	W4a) echo --dst $d6 --src fd01::1 ;;
	W4b) echo --dst $d6 --src-seq fd02::/48 ;;
	miss) echo --dst $d4 --src-random 10.128.0.0/9 ;;
	hit) echo --dst $d4 --src-random 128.0.0.0/16 ;;
	W5) echo --dst $d4 --src-seq 100.64.0.0/10 --legit 192.0.2.0/25 \
		--legit-n "$LEGIT_N" --legit-pps "$LEGIT_PPS" --legit-dst 10.0.0.1 \
		--late 192.0.2.128/25 --late-n "$LEGIT_N" --late-after "$LATE_AFTER" \
		--sample-every "$SAMPLE_EVERY" ;;
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
	cleanup_all_ns
	bg_loaded && { bg_unload || return 1; }
	case $1 in
	bg0) bg_load rate=1000000/s burst=1000000 max_sources="$MAXSRC" forward=on ;;
	bg) bg_load rate="$RATE/s" burst="$BURST" max_sources="$MAXSRC" forward=on ;;
	esac || return 1
	bg_mode=$1
}

setup_contender() {
	case $1 in
	none | bg0 | bg | nftset | ipset) return 0 ;;
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

LISTS_CONF=/tmp/bench-lists.conf
RULES_CONF=/tmp/bench-rules.conf
write_confs() {
	local i

	{
		for ((i = 0; i < 1024; i++)); do
			echo "allow add 198.18.$((i / 256)).$((i % 256))/32"
		done
		for ((i = 0; i < 1024; i++)); do
			echo "deny add 198.19.$((i / 256)).$((i % 256))/32"
		done
	} >"$LISTS_CONF"
	{
		for ((i = 1; i <= 63; i++)); do
			echo "rule add port $((1000 + i)) rate $RATE/s burst $BURST"
		done
		echo "rule add port 80 rate $RATE/s burst $BURST"
	} >"$RULES_CONF"
}

# gen_lists SIZE: the prefixes (see the top) as burstctl, nft and ipset
# files in /tmp/bench-l.*
gen_lists() {
	awk -v n="$1" -v bg=/tmp/bench-l.bg -v nf=/tmp/bench-l.nft -v is=/tmp/bench-l.ipset 'BEGIN {
		print "table inet t {\n\tset s { type ipv4_addr; flags interval;" > nf
		if (n) print "\t\telements = {" > nf
		print "create s hash:net family inet maxelem 2000000" > is
		printf "" > bg
		for (i = 0; i < n; i++) {
			if (i % 50 == 0) { p = sprintf("%d.%d.0.0/16", 128 + int(j16 / 256), j16 % 256); j16++ }
			else if (i % 2) { p = sprintf("%d.%d.%d.0/24", 32 + int(j24 / 65536), int(j24 / 256) % 256, j24 % 256); j24++ }
			else { a = j32 * 7; p = sprintf("64.%d.%d.%d/32", int(a / 65536) % 256, int(a / 256) % 256, a % 256); j32++ }
			print p > bg
			print "add s " p > is
			print p (i < n - 1 ? "," : "") > nf
		}
		if (n) print "\t\t}" > nf
		print "\t}\n\tchain c { type filter hook prerouting priority -300; policy accept; ip saddr @s drop; }\n}" > nf
	}'
}

meminfo_kb() {	# "Slab VmallocUsed" in kB
	awk '$1 == "Slab:" { s = $2 } $1 == "VmallocUsed:" { v = $2 } END { print s, v }' /proc/meminfo
}

# load_cmd CONTENDER: load /tmp/bench-l.* into $SRV
load_cmd() {
	case $1 in
	bg) ip netns exec "$SRV" "$BG_BURSTCTL" deny import /tmp/bench-l.bg ;;
	nftset) ip netns exec "$SRV" nft -f /tmp/bench-l.nft ;;
	ipset) ip netns exec "$SRV" ipset restore </tmp/bench-l.ipset &&
		ip netns exec "$SRV" iptables-legacy -t raw -A PREROUTING -m set --match-set s src -j DROP ;;
	esac
}

# load_list SIZE CONTENDER: the contender's list of SIZE prefixes into $SRV
load_list() {
	local n=$1 c=$2 m0 m1 rc=0 TIMEFORMAT='%3R %3U %3S'

	[[ $c == none ]] && return 0
	m0=$(meminfo_kb)
	{ time load_cmd "$c" >/tmp/bench-l.out 2>&1; } 2>/tmp/bench-l.time || rc=1
	m1=$(meminfo_kb)
	((rc == 0)) || { echo "E loading $n entries into $c failed: $(head -c 300 /tmp/bench-l.out)"; return 1; }
	local -a a=($m0) b=($m1) t
	read -r -a t </tmp/bench-l.time
	echo "Y $RUN l$n $c entries=$n real_s=${t[0]} user_s=${t[1]} sys_s=${t[2]} slab_kb=$((b[0] - a[0])) vmalloc_kb=$((b[1] - a[1]))"
}

setup_cond() {	# setup_cond COND CONTENDER
	case $1 in
	base) ;;
	ct) bg_modprobe nf_conntrack nft_ct || return 1
		ip netns exec "$SRV" nft -f - <<-EOF || return 1
		table inet fw {
			chain in { type filter hook input priority 0; policy accept;
				ct state established,related accept
			}
		}
		EOF
		;;
	listen)
		local i
		ip netns exec "$SRV" python3 -c '
import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", 80)); s.listen(511)
t = socket.socket(socket.AF_INET6); t.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
t.bind(("::", 80)); t.listen(511)
print("ready", flush=True)
time.sleep(10**7)' >/tmp/bench-listen.out 2>&1 &
		PIDS+=($!)
		# Counted tries, not a timeout: the guest clock jumps ahead
		# while the guest waits for the host.
		for ((i = 0; i < 600; i++)); do
			[[ $(</tmp/bench-listen.out) == ready ]] && break
			sleep 0.1
		done
		[[ $(</tmp/bench-listen.out) == ready ]] ||
			{ echo "E listener did not start: $(cat /tmp/bench-listen.out)"; return 1; }
		;;
	l[0-9]*) load_list "${1#l}" "$2" ;;
	lists | rules)
		[[ $2 == bg ]] || return 0
		local f=$LISTS_CONF
		[[ $1 == rules ]] && f=$RULES_CONF
		ip netns exec "$SRV" "$BG_BURSTCTL" restore "$f" ||
			{ echo "E burstctl restore $f failed"; return 1; }
		;;
	esac
}

# Processes are what setting up costs (each a good part of a second of
# host time under TCG): builtins where they do, one ip -batch per side.
PIDS=()
drop_all() {	# kill what we started in the namespaces, delete them all
	((${#PIDS[@]})) && kill "${PIDS[@]}" 2>/dev/null
	PIDS=()
	ip -all netns delete 2>/dev/null
	NS_LIST=()
}
cleanup_all_ns() { drop_all; }

# new_srv: create $SRV once every earlier namespace is gone (see the top).
new_srv() {
	local max tries=0

	SRV=srv-$RANDOM$RANDOM
	max=$(</proc/sys/user/max_net_namespaces)
	echo 1 >/proc/sys/user/max_net_namespaces
	until ip netns add "$SRV" 2>/dev/null; do
		((++tries > 600)) && break
		sleep 0.05
	done
	echo "$max" >/proc/sys/user/max_net_namespaces
	((tries <= 600)) || return 1
	NS_LIST+=("$SRV")
	WAITED="tries=$tries"
}

# ns_sh NS SYSCTL=VALUE... -- IP-BATCH-LINES (stdin): sysctls by builtins,
# then ip -batch, in one process chain.
ns_sh() {
	local ns=$1
	shift
	ip netns exec "$ns" bash -c '
		while (($#)); do
			k=${1%%=*}; echo "${1#*=}" >"/proc/sys/${k//.//}" || exit 1; shift
		done
		exec ip -batch -' _ "$@"
}

# fresh COND CONTENDER: new namespaces, the contender's filter in the server.
fresh() {
	drop_all
	new_srv || { echo "E namespaces of earlier measurements did not go away"; return 1; }
	CLI=cli-$RANDOM$RANDOM
	ip netns add "$CLI" || return 1
	NS_LIST+=("$CLI")
	local v6=(net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.default.router_solicitations=0
		net.ipv6.conf.default.accept_ra=0)
	# The defaults apply to the veth created next.
	ns_sh "$CLI" "${v6[@]}" <<<"link set lo up" || { echo "E client sysctls failed"; return 1; }
	ns_sh "$SRV" "${v6[@]}" net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 \
		<<<"link set lo up" || { echo "E server sysctls failed"; return 1; }
	ip link add s0 netns "$SRV" address 02:00:00:00:00:02 type veth \
		peer name c0 netns "$CLI" address 02:00:00:00:00:01 ||
		{ echo "E veth failed"; return 1; }
	SRV_MAC=02:00:00:00:00:02
	# W5's legitimate sources get their replies (RST) back to flood, to
	# a known neighbour (no ARP inside a measurement); the client takes
	# them as local (so they do not count as in_no_route there).
	ip -n "$CLI" -batch - <<-EOF || { echo "E client setup failed"; return 1; }
		addr add 10.0.0.2/24 dev c0
		addr add fd00::2/64 dev c0 nodad
		link set c0 up
		route add local 192.0.2.0/24 dev lo
		EOF
	ip -n "$SRV" -batch - <<-EOF || { echo "E server setup failed"; return 1; }
		addr add 10.0.0.1/24 dev s0
		addr add fd00::1/64 dev s0 nodad
		link set s0 up
		route add blackhole 10.9.0.0/16
		route add blackhole fd09::/64
		route add 192.0.2.0/24 via 10.0.0.2
		neigh replace 10.0.0.2 lladdr 02:00:00:00:00:01 dev s0 nud permanent
		EOF
	setup_contender "$2" || { echo "E setup of $2 failed"; return 1; }
	setup_cond "$1" "$2" || return 1
	# A process in the server namespace: flood reads the server's
	# counters through /proc/PID/net.
	ip netns exec "$SRV" sleep 100000 &
	SAMPLER=$!
	PIDS+=("$SAMPLER")
	sleep "$SETTLE_S"
	[[ -e /proc/$SAMPLER/net/snmp6 ]] || { echo "E no sampler in $SRV"; return 1; }
}

# measure RUN COND CONTENDER WORKLOAD [mem]
# flood itself reads the slab caches and burstguard's counters right before
# and right after its send loop: the guest clock jumps ahead while the
# guest waits for the host (9p), so a later reading would already see the
# GC's work.
measure() {
	local run=$1 cond=$2 c=$3 w=$4 mem=${5:-} n out last
	local tag="$1 $2 $3 $4" every files=() roles=() args=() i
	local proc=/proc/$SAMPLER/net

	n=${COUNT[$w]}
	every=$n
	files+=("$proc/snmp=Ip:,Tcp:" "$proc/snmp6=Ip6InReceives ") roles+=(snmp snmp6)
	if [[ $w == W5 ]]; then
		every=$SAMPLE_EVERY
		files+=(/proc/net/stat/rt_cache) roles+=(rt)
		case $c in
		bg*) files+=("/proc/slabinfo=burstguard_src4 ") ;;
		nft) files+=("/proc/slabinfo=kmalloc-128 ,kmalloc-32 ") ;;
		ipt) files+=("/proc/slabinfo=xt_hashlimit ") ;;
		*) files+=("/proc/slabinfo=burstguard_src4 ,kmalloc-128 ,xt_hashlimit ") ;;
		esac
		roles+=(occ)
	fi
	if [[ $c == bg* ]]; then
		files+=("$proc/burstguard/stats") roles+=(stats)
	fi
	[[ $cond == ct ]] && { files+=("$proc/stat/nf_conntrack"); roles+=(ct); }
	[[ -n $mem ]] && { files+=(/proc/slabinfo); roles+=(slab); }
	for i in "${files[@]}"; do
		args+=(--sample "$i")
	done
	args+=(--sample-every "$every")
	# shellcheck disable=SC2046
	out=$(ip netns exec "$CLI" "$FLOOD" -i c0 --dst-mac "$SRV_MAC" -c "$n" \
		--seed $((run * 7919 + 1)) $(wl_args "$w" "$cond") "${args[@]}") ||
		{ echo "E flood $tag: ${out##*$'\n'}"; return 1; }
	last=${out##*$'\n'}
	# sent N ns T legit L late L2 replies R R2 other O sample_ns S
	local -a f
	read -r -a f <<<"$last"
	[[ ${f[0]} == sent && ${f[1]} == "$n" ]] || { echo "E flood $tag: $last"; return 1; }
	# Samples: the server's IP-layer frames (all must arrive) and Tcp
	# InSegs, first and last; W5's go to the report; M (the slab cache
	# that grew the most holds the per-source entries) and S from the
	# first and last.
	awk -v tag="$tag" -v roles="${roles[*]}" -v n="$n" -v w5="$([[ $w == W5 ]] && echo 1)" \
		-v fam="$(wl_fam "$w")" -v f="${f[*]}" -v waited="$WAITED" '
		function hex(x,   i, d, v) {
			v = 0
			for (i = 1; i <= length(x); i++) { d = index("0123456789abcdef", substr(x, i, 1)); v = v * 16 + d - 1 }
			return v
		}
		BEGIN { split(roles, role, " "); split(f, o, " ") }
		$1 == "T" { if (w5) { $1 = ""; print "T " tag $0 } next }
		$1 != "F" { next }
		{ r = role[$2 + 1]; fr = $3 }
		r == "snmp" && ($4 in seenhdr) {
			for (i = 5; i <= NF; i++) v[$4, hdr[$4, i]] = $i
			if ($4 == "Ip:") ip4[fr] = v["Ip:", "InReceives"]; else segs[fr] = v["Tcp:", "InSegs"]
			next }
		r == "snmp" { seenhdr[$4] = 1; for (i = 5; i <= NF; i++) hdr[$4, i] = $i; next }
		r == "snmp6" { ip6[fr] = $5; next }
		r == "ct" && $4 != "entries" && fr == n && cte == "" { cte = hex($4) }
		r == "slab" && fr == 0 && NF > 6 { b[$4] = $5 * $7; bo[$4] = $5; next }
		r == "slab" && fr == n && NF > 6 { a[$4] = $5; as[$4] = $5 * $7; sz[$4] = $7; next }
		r == "stats" && fr == n { st = st $4 "=" $5 " " }
		w5 && r != "slab" { $1 = ""; print "F " tag $0 }
		END {
			seen = fam == 4 ? ip4[n] - ip4[0] : ip6[n] - ip6[0]
			print "R", tag, n, o[4], seen, o[6] + o[8], segs[n] - segs[0]
			print "X", tag, waited, "ct=" (roles ~ /ct/ ? cte : "-")
			if (w5) print "L", tag, "early_sent=" o[6], "late_sent=" o[8], "early_replies=" o[10],
				"late_replies=" o[11], "other=" o[13], "sample_ns=" o[15], "passed_tcp=" segs[n] - segs[0]
			for (k in a) { d = as[k] - b[k]; tot += d; if (a[k] - bo[k] > best) { best = a[k] - bo[k]; name = k } }
			if (roles ~ /slab/) print "M", tag, name, sz[name], best, tot, a[name]
			if (st != "") print "S", tag, st
		}' <<<"$out"
}

# one RUN COND CONTENDER WORKLOAD: a fresh setup and one measurement.
one() {
	local mem=
	[[ $3 != none && ($4 == W2 || $4 == W4b || $4 == W5) && $2 == base ]] && mem=1
	bg_want "$([[ $3 == bg* ]] && echo "$3" || echo none)" || exit 1
	fresh "$2" "$3" || return 1
	measure "$@" $mem
}

# Module autoloading would run the initramfs's modprobe: load what the
# contenders need up front (no hooks until a netns uses them); conntrack
# only once the ct condition needs it.
bg_modprobe veth nf_tables nft_limit x_tables ip_tables ip6_tables \
	iptable_raw ip6table_raw xt_tcpudp xt_hashlimit || exit 1
write_confs
echo "I kernel $(uname -r) cpus $(nproc) cmdline $(cat /proc/cmdline)"
echo "I part $PART: counts $(for w in "${!COUNT[@]}"; do printf '%s=%s ' "$w" "${COUNT[$w]}"; done)"
echo "I rate $RATE/s burst $BURST max_sources $MAXSRC runs $RUNS big_runs $BIG_RUNS cond_runs $COND_RUNS late_after $LATE_AFTER legit $LEGIT_N+$LEGIT_N x $LEGIT_PPS/s"
if [[ $PART == main || $PART == all ]]; then
	for ((run = 1; run <= RUNS; run++)); do
		for c in "${CONTENDERS[@]}"; do
			for w in "${WORKLOADS[@]}"; do
				one "$run" base "$c" "$w"
			done
		done
	done
fi
if [[ $PART == big || $PART == all ]]; then
	for ((run = 1; run <= BIG_RUNS; run++)); do
		for c in "${BIG_CONTENDERS[@]}"; do
			one "$run" base "$c" W5
		done
	done
fi
if [[ $PART == cond || $PART == all ]]; then
	for ((run = 1; run <= COND_RUNS; run++)); do
		for cond in "${CONDS[@]}"; do
			for c in $(cond_contenders "$cond"); do
				for w in "${COND_WORKLOADS[@]}"; do
					one "$run" "$cond" "$c" "$w"
				done
			done
		done
	done
fi
if [[ $PART == lists ]]; then
	bg_modprobe ip_set ip_set_hash_net xt_set || exit 1
	echo "I lists: sizes ${LIST_SIZES[*]} runs $LIST_RUNS frames ${COUNT[miss]} nft_max $NFT_MAX"
	for size in "${LIST_SIZES[@]}"; do
		gen_lists "$size" || { echo "E generating $size prefixes failed"; exit 1; }
		for ((RUN = 1; RUN <= LIST_RUNS; RUN++)); do
			for c in none bg nftset ipset; do
				if [[ $c == nftset ]] && ((size > NFT_MAX)); then
					((RUN == 1)) && echo "I nft: not measured with $size entries (above BG_BENCH_NFT_MAX=$NFT_MAX)"
					continue
				fi
				bg_want "$([[ $c == bg ]] && echo bg || echo none)" || exit 1
				[[ $c == bg ]] && echo "$size" >/sys/module/burstguard/parameters/netns_max_list_entries
				fresh "l$size" "$c" || continue
				((size)) && measure "$RUN" "l$size" "$c" hit
				measure "$RUN" "l$size" "$c" miss
			done
		done
		rm -f /tmp/bench-l.*
	done
fi
bg_want none
cleanup_all_ns
echo "I done $PART"
