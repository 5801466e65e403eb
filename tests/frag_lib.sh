# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# What frag4.sh and frag6.sh share. SYNs hidden in fragments are judged like any other (issue 11, item 1):
# the module enables the kernel's defragmentation and hooks after it, so
# a SYN split into fragments, the first with less than a TCP header, in
# order or not, duplicated, is one attempt, and a burst of 3 lets exactly
# 3 reach TCP. Overlapping fragments never reassemble. What reaches TCP is
# counted independently of the module: the SYN-ACKs the listener sends (an
# nft counter in the server's output hook), and the IPv4 layer's own
# reassembly counters (IPv6: an nft counter before defrag) say that the
# fragments really arrived.
#
# Every SYN comes from an address of the client namespace (one per case,
# so that each case has its own bucket), whose kernel answers the SYN-ACK
# with a reset: no SYN-ACK is retransmitted, the counts are exact.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/topo.sh"

# frag_setup: topology, listeners, nft counters, module at burst 3.
frag_setup() {
	bg_require_cmd hping3 nft nstat
	topo_setup || bg_skip "cannot build the test topology"
	bg_modprobe nf_tables || bg_skip "no nf_tables"
	# named counters: a module of its own on 6.1, built in on 6.12
	modprobe -q -d "$BG_MODDIR" nft_objref
	for a in 10.0.0.1 fd00::1; do
		ip netns exec "$SRV" "$BG_TOOLS/bgconnect" --listen "$a" 80 --daemon ||
			bg_skip "cannot start a listener on $a"
	done
	ip netns exec "$SRV" nft -f - <<-'EOF' || bg_skip "cannot set up nft counters"
		table inet bgfrag {
			counter synack4 { }
			counter synack6 { }
			counter frag6 { }
			chain pre {
				type filter hook prerouting priority -450; policy accept;
				exthdr frag exists counter name frag6
			}
			chain out {
				type filter hook output priority 0; policy accept;
				meta nfproto ipv4 tcp sport 80 tcp flags & (syn | ack) == (syn | ack) counter name synack4
				meta nfproto ipv6 tcp sport 80 tcp flags & (syn | ack) == (syn | ack) counter name synack6
			}
		}
	EOF

	# prefix6 128: each case's client address has a bucket of its own
	bg_load rate=1/hour burst=3 prefix6=128
	check_err $? "insmod failed"
	log_test "load: burst 3, listeners on port 80, SYN-ACK counters" || exit "$EXIT_STATUS"
}

# snap: every counter this test reads, in one look (each process costs
# the guest dearly), into V: nft counters by name (synack4, synack6,
# frag6: IPv6 fragments before defrag, as nf_defrag_ipv6 keeps no MIB),
# the module's stats by name, and the IP MIBs by nstat's names
# (IpReasmOKs, IpExtReasmOverlaps).
declare -A V
snap() {
	local line name prefix k i
	local -a f keys

	V=()
	while read -r line; do
		read -r -a f <<<"$line"
		case ${f[0]} in
		counter) name=${f[1]} ;;
		packets) V[$name]=${f[1]} ;;
		*:)
			prefix=${f[0]%:}
			if [[ -z ${keys[0]} || ${keys[0]} != "$prefix" ]]; then
				keys=("$prefix" "${f[@]:1}")
			else
				for ((i = 1; i < ${#f[@]}; i++)); do
					V[$prefix${keys[i]}]=${f[i]}
				done
				keys=()
			fi ;;
		*) [[ ${#f[@]} == 2 ]] && V[${f[0]}]=${f[1]} ;;
		esac
	done < <(ip netns exec "$SRV" bash -c \
		'nft list counters table inet bgfrag; cat /proc/net/burstguard/stats /proc/net/snmp /proc/net/netstat')
	[[ -n ${V[attempts]} && -n ${V[synack4]} && -n ${V[IpReasmOKs]} ]]
}

# reached MIB MIN SYNACK MIN ATTEMPTS: the counters have got that far.
reached() {
	snap && ((V[$1] >= $2 && V[$3] >= $4 && V[attempts] >= $5))
}

# A new client address for each case: its own bucket, and its kernel
# resets the SYN-ACKs.
naddr=2
client_addr() {	# client_addr 4|6: sets $a
	naddr=$((naddr + 1))
	if [[ $1 == 4 ]]; then
		a=10.0.0.$naddr
		ip -n "$CLI" addr add "$a/24" dev c0
	else
		a=fd00::$naddr
		ip -n "$CLI" addr add "$a/64" dev c0 nodad
	fi
	check_err $? "cannot add $a to the client"
}

# hping3_frag SRC: 10 SYNs to port 80 in 16-byte fragments (-f), 20 ms apart.
hping3_frag() {
	local out

	# hping3 exits 1 when no reply came back before it stopped waiting (on
	# a slow guest the SYN-ACKs can be later than that); the case counts
	# the server's SYN-ACKs itself, so this checks only that all 10 left.
	out=$(ip netns exec "$CLI" hping3 -q -S -f -p 80 -a "$1" -c 10 \
		-i u20000 10.0.0.1 2>&1)
	grep -q '^10 packets transmitted' <<<"$out" || { echo "$out" >&2; return 1; }
}

# run_case FAM NAME WANT_SYNACK WANT_ATTEMPTS WANT_UNPARSABLE MIB WANT_MIB CMD...
# Runs CMD (which sends 10 SYNs) and checks by how much each counter grew.
run_case() {
	local fam=$1 name=$2 w_sa=$3 w_at=$4 w_un=$5 mib=$6 w_mib=$7 w_al
	local -A B
	shift 7

	snap
	check_err $? "cannot read the counters"
	for k in "synack$fam" attempts unparsable allowed "$mib"; do
		B[$k]=${V[$k]}
	done
	"$@" >/dev/null
	check_err $? "sending failed: $*"
	# The last fragments may still be on their way: wait until the IP
	# layer has seen them all and TCP has answered what it should (no
	# time is asserted; more than expected still fails below).
	busywait 20000 reached "$mib" $((B[$mib] + w_mib)) "synack$fam" \
		$((B[synack$fam] + w_sa)) $((B[attempts] + w_at)) >/dev/null
	snap
	w_al=$((w_at < 3 ? w_at : 3))
	local sa=$((V[synack$fam] - B[synack$fam])) at=$((V[attempts] - B[attempts]))
	local un=$((V[unparsable] - B[unparsable])) al=$((V[allowed] - B[allowed]))
	local mi=$((V[$mib] - B[$mib]))
	((sa == w_sa && at == w_at && un == w_un && al == w_al && mi == w_mib))
	check_err $? "SYN-ACKs +$sa (want $w_sa), attempts +$at (want $w_at), allowed +$al (want $w_al), unparsable +$un (want $w_un), $mib +$mi (want $w_mib)"
	log_test "$name"
}

# bgsend_frag SRC ARGS...: 10 SYNs from SRC to port 80 of the server.
bgsend_frag() {
	local src=$1 dst=10.0.0.1
	shift
	[[ $src == *:* ]] && dst=fd00::1
	ip netns exec "$CLI" "$BG_TOOLS/bgsend" -i c0 --dst-mac "$SRV_MAC" \
		--dst "$dst" --src "$src" --dport 80 -c 10 "$@"
}

