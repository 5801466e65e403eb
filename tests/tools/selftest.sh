#!/bin/bash
# Self-test of the burstguard test tools (bgsend, bgconnect) on the host.
# Needs root, iproute2, nft (nftables) and python3.  Everything happens in two
# network namespaces joined by a veth pair created here (10.201.0.0/24 and
# fd00:201::/64 exist only inside them); cleaned up on exit.
# Prints TAP-ish lines; exits 0 if every check passed, 1 otherwise.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
S=$HERE/bgsend
C=$HERE/bgconnect
CHK="python3 $HERE/pktcheck.py"
NA=bgstA$$ NB=bgstB$$
A4=10.201.0.1 B4=10.201.0.2 A6=fd00:201::1 B6=fd00:201::2
SMAC=02:00:00:00:be:01 # fake source MAC of crafted frames: captures filter on it
TMP=$(mktemp -d)
PIDS=()
n=0 fails=0

ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1"; }
check() { local d=$1; shift; if "$@"; then ok "$d"; else notok "$d"; fi; }
inA() { ip netns exec "$NA" "$@"; }
inB() { ip netns exec "$NB" "$@"; }

cleanup() {
	local p
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
	ip netns del "$NA" 2>/dev/null
	ip netns del "$NB" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT

for t in ip nft python3 make cc; do
	command -v $t >/dev/null || { echo "Bail out! $t not found (nft: apt-get install nftables)"; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "Bail out! must run as root"; exit 1; }
# In the project's QEMU guest the kernel cannot autoload modules (its
# usermode modprobe lives outside the chroot): load them as tests/lib.sh does.
for m in veth nf_tables; do
	modprobe -q ${BG_MODDIR:+-d "$BG_MODDIR"} $m 2>/dev/null
done
make -s -C "$HERE" >"$TMP/build.log" 2>&1 || { cat "$TMP/build.log"; echo "Bail out! build failed"; exit 1; }

ip netns add "$NA" && ip netns add "$NB" &&
	ip link add vA netns "$NA" type veth peer name vB netns "$NB" &&
	inA ip addr add $A4/24 dev vA && inB ip addr add $B4/24 dev vB &&
	inA ip addr add $A6/64 dev vA nodad && inB ip addr add $B6/64 dev vB nodad &&
	inA ip link set vA up && inB ip link set vB up &&
	inA ip link set lo up && inB ip link set lo up ||
	{ echo "Bail out! namespace setup failed"; exit 1; }
MACB=$(inB cat /sys/class/net/vB/address)

wait_file() { # wait up to 5 s for a file to appear
	local i
	for i in $(seq 100); do [ -e "$1" ] && return 0; sleep 0.05; done
	return 1
}

# cap OUT NS IFACE FILTERMAC -- SENDER-NS bgsend-args...: capture in NS while
# bgsend runs in SENDER-NS; frames -> OUT, bgsend stdout -> OUT.sent.
# The capture is stopped 0.3 s after bgsend returns.
cap() {
	local out=$1 ns=$2 ifc=$3 mac=$4 sns=$6 rc cpid
	shift 6
	rm -f "$TMP/ready"
	ip netns exec "$ns" "$S" --capture -i "$ifc" --src-mac "$mac" --timeout 15000 \
		--ready "$TMP/ready" >"$out" 2>"$out.err" &
	cpid=$!
	wait_file "$TMP/ready"
	ip netns exec "$sns" "$S" "$@" >"$out.sent" 2>"$out.serr"
	rc=$?
	sleep 0.3 # replies and veth delivery are done well within this on the host
	kill -TERM $cpid 2>/dev/null # capture drains its queue, then exits
	wait $cpid
	return $rc
}
lines() { grep -c . "$1"; }

# --- usage errors: exit 1 and stderr names the bad argument
err() { # err WORD bgtool-args...: must exit 1 and mention WORD on stderr
	local w=$1 rc
	shift
	inA "$@" >/dev/null 2>"$TMP/err"
	rc=$?
	[ $rc = 1 ] && grep -q -- "$w" "$TMP/err"
}
check "--help works" eval "$S --help | grep -q v6-ext-trunc && $C --help | grep -q refused"
check "missing -i rejected" err "-i" "$S" --dst $B4 -c 1
check "unknown interface rejected" err "nosuchif" "$S" -i nosuchif --dst $B4 -c 1
check "missing --dst rejected" err "--dst" "$S" -i vA -c 1
check "missing -c rejected" err "-c" "$S" -i vA --dst $B4
check "bad --kind rejected" err "bogus" "$S" -i vA --dst $B4 -c 1 --kind bogus
check "-4 with IPv6 --dst rejected" err "-4" "$S" -i vA --dst $B6 -c 1 -4
check "v6-ext with IPv4 rejected" err "v6-ext" "$S" -i vA --dst $B4 -c 1 --kind v6-ext
check "ihl4 with IPv6 rejected" err "ihl4" "$S" -i vA --dst $B6 -c 1 --kind ihl4
check "bad --dport rejected" err "--dport" "$S" -i vA --dst $B4 -c 1 --dport 70000
check "bad --src-random rejected" err "--src-random" "$S" -i vA --dst $B4 -c 1 --src-random 10.0.0.0/33
check "--src family mismatch rejected" err "--src" "$S" -i vA --dst $B4 -c 1 --src $A6
check "bad --dst-mac rejected" err "--dst-mac" "$S" -i vA --dst $B4 -c 1 --dst-mac 1:2:3
check "bgconnect without -c rejected" err "-c" "$C" $B4 80
check "bgconnect non-numeric host rejected (no DNS)" err "ADDR" "$C" localhost 80 -c 1

# --- every kind, both families where the kind allows: bytes re-parsed by pktcheck.py
KINDS="syn ack synack synrst synfin rst syn-payload udp doff4 trunc-tcp frag-first frag-later"
for fam in 4 6; do
	if [ $fam = 4 ]; then
		dst=$B4 pfx=10.99.0.0/16 ks="$KINDS ihl4 badlen badlen-long badlen-short ipopts"
	else
		dst=$B6 pfx=fd00:99::/32 ks="$KINDS v6-ext v6-ext-long v6-ext-trunc v6-frag-first v6-frag-later"
	fi
	for k in $ks; do
		o=$TMP/k_${k}_$fam
		cap "$o" "$NB" vB $SMAC -- "$NA" -i vA --src-mac $SMAC --dst $dst --kind $k -c 6 \
			--src-random $pfx --dport 5000-5002
		check "kind $k IPv$fam: sent 6, 6 frames as specified" eval \
			"grep -qx 'sent 6' $o.sent && $CHK frames $k $fam $o --count 6 --dst $dst \
			--src-prefix $pfx --dports 5000-5002 --smac $SMAC"
	done
done

# --- sources
o=$TMP/seq4
cap "$o" "$NB" vB $SMAC -- "$NA" -i vA --src-mac $SMAC --dst $B4 -c 1000 --src-seq 10.99.0.0/16
check "--src-seq 10.99.0.0/16 -c 1000: 1000 distinct sources" \
	$CHK frames syn 4 "$o" --count 1000 --dst $B4 --distinct 1000 --src-prefix 10.99.0.0/16
o=$TMP/seq6
cap "$o" "$NB" vB $SMAC -- "$NA" -i vA --src-mac $SMAC --dst $B6 -c 1000 --src-seq fd00:99::/112
check "--src-seq fd00:99::/112 -c 1000: 1000 distinct sources" \
	$CHK frames syn 6 "$o" --count 1000 --dst $B6 --distinct 1000 --src-prefix fd00:99::/112
o=$TMP/rnd
cap "$o" "$NB" vB $SMAC -- "$NA" -i vA --src-mac $SMAC --dst $B4 -c 3000 --src-random 10.99.7.0/24
check "--src-random /24 x3000: inside prefix, >= 250 of 256 sources hit" eval \
	"$CHK frames syn 4 $o --count 3000 --dst $B4 --src-prefix 10.99.7.0/24 &&
	 [ \$(cut -c53-60 $o | sort -u | wc -l) -ge 250 ]"
cap "$TMP/s1" "$NB" vB $SMAC -- "$NA" -i vA --src-mac $SMAC --dst $B6 -c 50 --src-random fd00:99::/32 --seed 42
cap "$TMP/s2" "$NB" vB $SMAC -- "$NA" -i vA --src-mac $SMAC --dst $B6 -c 50 --src-random fd00:99::/32 --seed 42
cap "$TMP/s3" "$NB" vB $SMAC -- "$NA" -i vA --src-mac $SMAC --dst $B6 -c 50 --src-random fd00:99::/32 --seed 43
check "--seed: same seed same frames, other seed other frames" eval \
	"[ \$(lines $TMP/s1) = 50 ] && cmp -s $TMP/s1 $TMP/s2 && ! cmp -s $TMP/s1 $TMP/s3"
o=$TMP/fixed
cap "$o" "$NB" vB $SMAC -- "$NA" -i vA --src-mac $SMAC --dst $B4 -c 5 --sport 4242 --dport 7
check "default source is the interface address; --sport fixed" eval \
	"[ \$(cut -c53-68 $o | sort -u) = 0ac900010ac90002 ] && [ \$(cut -c69-76 $o | sort -u) = 10920007 ]"

# --- volume: every frame bgsend reports sent reaches the peer (nft ingress counter)
printf 'table netdev bgst {\n chain ing {\n  type filter hook ingress device "vB" priority 0;\n  ether saddr %s counter\n }\n}\n' \
	$SMAC | inB nft -f - || notok "nft netdev ingress table"
t0=$(date +%s.%N)
out=$(inA "$S" -i vA --src-mac $SMAC --dst $B4 -c 200000 --src-random 10.99.0.0/16)
t1=$(date +%s.%N)
got=$(inB nft list table netdev bgst | grep -o 'packets [0-9]*' | cut -d' ' -f2)
echo "# 200000 random-source SYNs in $(awk "BEGIN{printf \"%.2f\", $t1 - $t0}") s"
check "-c 200000: 'sent 200000' and peer received exactly 200000" \
	eval "[ '$out' = 'sent 200000' ] && [ '$got' = 200000 ]"
inB nft delete table netdev bgst
t0=$(date +%s%N)
out=$(inA "$S" -i vA --dst $B4 -c 200 --pps 1000)
dt=$((($(date +%s%N) - t0) / 1000000))
check "--pps 1000 -c 200 takes ~200 ms (took $dt ms)" eval "[ '$out' = 'sent 200' ] && [ $dt -ge 180 ] && [ $dt -lt 5000 ]"

# --- the real Linux stack agrees: valid SYNs to a closed port draw an RST,
# malformed ones are dropped.  Unicast to B's MAC from A's own address.
for spec in "4 syn 3" "4 ipopts 3" "4 syn-payload 3" "4 doff4 0" "4 trunc-tcp 0" "4 ihl4 0" \
	"4 badlen 0" "6 syn 3" "6 v6-ext 3" "6 v6-ext-long 3" "6 syn-payload 3" "6 doff4 0" \
	"6 trunc-tcp 0" "6 v6-ext-trunc 0"; do
	set -- $spec
	dst=$B4; [ $1 = 6 ] && dst=$B6
	o=$TMP/stack_$1_$2
	cap "$o" "$NA" vA "$MACB" -- "$NA" -i vA --dst-mac "$MACB" --dst $dst --kind $2 -c 3 --dport 9
	check "kernel answers IPv$1 $2 x3 with $3 RSTs" eval "[ \$($CHK rsts $o) = $3 ]"
done

# --- bgconnect
listen() { # listen ADDR PORT: background listener, pid recorded for cleanup
	rm -f "$TMP/l.pid"
	inB "$C" --listen "$1" "$2" --for 60 --daemon --pidfile "$TMP/l.pid" && PIDS+=("$(cat "$TMP/l.pid")")
}
listen $B4 8080 && listen $B6 8080
check "listener up (IPv4): connected 3 refused 0 timeout 0" \
	eval "[ \"\$(inA $C $B4 8080 -c 3)\" = 'connected 3 refused 0 timeout 0' ]"
check "listener up (IPv6, --bind): connected 3 refused 0 timeout 0" \
	eval "[ \"\$(inA $C $B6 8080 -c 3 --bind $A6)\" = 'connected 3 refused 0 timeout 0' ]"
check "--parallel -c 50 --interval 2: connected 50" \
	eval "[ \"\$(inA $C $B4 8080 -c 50 --parallel --interval 2)\" = 'connected 50 refused 0 timeout 0' ]"
check "no listener: refused 3" \
	eval "[ \"\$(inA $C $B4 8081 -c 3)\" = 'connected 0 refused 3 timeout 0' ]"
check "no listener (IPv6, --parallel): refused 4" \
	eval "[ \"\$(inA $C $B6 8081 -c 4 --parallel)\" = 'connected 0 refused 4 timeout 0' ]"
inB nft -f - <<'EOF'
table inet bgst {
	chain in {
		type filter hook input priority 0;
		tcp dport 8082 tcp flags syn counter drop
	}
}
EOF
listen $B4 8082
check "nft drop: timeout 3 (--timeout 300)" \
	eval "[ \"\$(inA $C $B4 8082 -c 3 --timeout 300)\" = 'connected 0 refused 0 timeout 3' ]"
check "nft drop: --parallel timeout 5" \
	eval "[ \"\$(inA $C $B4 8082 -c 5 --timeout 300 --parallel)\" = 'connected 0 refused 0 timeout 5' ]"
syns=$(inB nft list table inet bgst | grep -o 'packets [0-9]*' | cut -d' ' -f2)
check "one SYN per attempt with --timeout < 1 s (8 attempts, $syns SYNs)" [ "$syns" = 8 ]
inB "$C" --listen $B4 8083 --for 1 --pidfile "$TMP/f.pid" &
wait_file "$TMP/f.pid"
sleep 2
check "--for 1 listener exits by itself" eval "! kill -0 $(cat "$TMP/f.pid") 2>/dev/null"

echo "1..$n"
[ $fails = 0 ] || { echo "# $fails of $n checks failed"; exit 1; }
