#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# crowdsec_fleet: what one host bans, the fleet refuses. Two "hosts"
# (network namespaces A and B, each with its own burstguard state and its
# own burstguard-crowdsec bouncer) and one real CrowdSec (agent and LAPI,
# Debian's 1.4.6) reading host A's event log (burstctl monitor, as
# burstguard-events.service writes it) with burstguard's parser and
# scenario from packaging/crowdsec/. A bot floods host A and is banned
# there; the LAPI makes a decision from that ban; host B, which never saw
# the flood, then refuses the bot's first SYN (an nft counter in B's input
# hook stays 0) while another source still gets through. Prints how long
# the loop took.
#
#      BOT (bgsend, source 10.0.0.66)
#     ba |                | bb
#     a0 | 10.0.0.1       | b0 10.0.0.1
#        A                B          crowdsec + bouncers: initial namespace
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/crowdsec_lib.sh"

bg_require_cmd crowdsec cscli curl nft stdbuf
[[ -x $BG_BOUNCER ]] ||
	{ echo "FAIL: $BG_BOUNCER not built (make -C userspace)"; exit "$ksft_fail"; }

MON_PID=
cleanup() {
	[[ -n $MON_PID ]] && kill "$MON_PID" 2>/dev/null && wait "$MON_PID" 2>/dev/null
	cs_cleanup
	rm -rf "${TMPD:-/nonexistent}"
	bg_cleanup
}

TMPD=$(mktemp -d /tmp/crowdsec_fleet.XXXXXX)
setup_ns A B BOT || bg_skip "cannot create namespaces"
bg_modprobe veth nf_tables || bg_skip "cannot load veth, nf_tables"
for h in a b; do
	ns=${h^^}
	ip link add "${h}0" netns "${!ns}" type veth peer name "b$h" netns "$BOT" &&
	ip -n "${!ns}" addr add 10.0.0.1/24 dev "${h}0" &&
	ip -n "${!ns}" link set "${h}0" up &&
	ip -n "$BOT" link set "b$h" up || bg_skip "cannot build the topology"
	ip netns exec "${!ns}" nft -f - <<-'EOF_NFT' || bg_skip "nft failed"
	table inet fleet {
		chain in {
			type filter hook input priority 0;
			ip saddr 10.0.0.66 tcp dport 80 counter
			ip saddr 10.0.0.67 tcp dport 80 counter
		}
	}
	EOF_NFT
done
MAC_A=$(ip -n "$A" -br link show a0 | awk '{ print $3 }')
MAC_B=$(ip -n "$B" -br link show b0 | awk '{ print $3 }')

bg_load
check_err $? "insmod failed"
# Both hosts: 5 new connections per second, a burst of 5, a 10 minute ban.
for ns in "$A" "$B"; do
	ip netns exec "$ns" "$BG_BURSTCTL" set rate 5/s burst 5 ban 10m ||
		check_err 1 "burstctl set in $ns failed"
done
# Host A's ban events, line by line, into the log CrowdSec reads.
ip netns exec "$A" stdbuf -oL "$BG_BURSTCTL" monitor >>"$TMPD/events.log" 2>"$TMPD/monitor.err" &
MON_PID=$!
busywait 10000 grep -q "monitoring events" "$TMPD/monitor.err"
check_err $? "burstctl monitor did not start: $(cat "$TMPD/monitor.err")"
cs_setup "$TMPD/cs" "$TMPD/events.log" && cs_start
check_err $? "cannot start crowdsec"
busywait 120000 grep -q "Starting processing data" "$CS_DIR/log/crowdsec.log"
check_err $? "the crowdsec agent did not start reading: $(tail -n 5 "$CS_DIR/log/crowdsec.log")"
grep -q "burstguard/syn-burst-ban" "$CS_DIR/log/crowdsec.log"
check_err $? "crowdsec did not load burstguard's scenario"
bouncer_start host-a "$A" && bouncer_start host-b "$B"
check_err $? "cannot start the bouncers"
# Both have pulled their first stream (startup=true) before the flood: a
# decision made later reaches each of them as a delta.
for h in host-a host-b; do
	busywait 60000 grep -q synchronised "$CS_DIR/$h.log"
	check_err $? "$h's bouncer did not synchronise: $(tail -n 3 "$CS_DIR/$h.log")"
done
log_test "two hosts, each with a bouncer; crowdsec reading host A's events" ||
	exit "$EXIT_STATUS"

# send IFACE MAC N SRC: N SYNs to port 80 from SRC.
send() {
	local out

	out=$(ip netns exec "$BOT" "$BG_TOOLS/bgsend" -i "$1" --dst-mac "$2" \
		--dst 10.0.0.1 --src "$4" --dport 80 -c "$3" ${5:+--pps "$5"}) &&
		[[ $out == "sent $3" ]]
}

# nft_count NS SADDR
nft_count() {
	ip netns exec "$1" nft list chain inet fleet in |
		awk -v s="$2" '$2 == "saddr" && $3 == s { for (i = 1; i < NF; i++) if ($i == "packets") print $(i + 1) }'
}

send bb "$MAC_B" 1 10.0.0.67
check_err $? "bgsend to B failed"
busywait 5000 bash -c "[[ \$(ip netns exec $B nft list chain inet fleet in | grep -c 'packets 1 ') == 1 ]]"
check_err $? "B's input did not count the SYN from 10.0.0.67"
log_test "before: B lets SYNs in"

t0=$(now_ms)
send ba "$MAC_A" 100 10.0.0.66
check_err $? "the flood of A failed"
busywait 10000 grep -q "banned 10.0.0.66/32" "$TMPD/events.log"
check_err $? "A did not ban the bot: events: $(cat "$TMPD/events.log")"
a_in=$(nft_count "$A" 10.0.0.66)
[[ $a_in == 5 ]]
check_err $? "SYNs of the flood that reached A's input: $a_in, want the burst of 5"
log_test "A bans the bot after its burst"

got=$(busywait 180000 bash -c "ip netns exec $B $BG_BURSTCTL deny list | awk '{ print \$1 }' | grep -x 10.0.0.66/32")
check_err $? "B's deny list never got 10.0.0.66/32 (crowdsec: $(grep -c 'syn-burst-ban' "$CS_DIR/log/crowdsec.log") lines on the scenario)"
t1=$(now_ms)
send bb "$MAC_B" 1 10.0.0.66 && send bb "$MAC_B" 1 10.0.0.67
check_err $? "bgsend to B failed"
busywait 5000 bash -c "[[ \$(ip netns exec $B nft list chain inet fleet in | grep -c 'packets 2 ') == 1 ]]"
check_err $? "the second SYN from 10.0.0.67 did not reach B"
b_in=$(nft_count "$B" 10.0.0.66)
[[ $b_in == 0 ]]
check_err $? "SYNs of the bot that reached B's input: $b_in, want 0"
expect_stats() {
	local got
	got=$(ip netns exec "$1" awk '{ printf "%s=%s ", $1, $2 }' "$BG_PROC/stats")
	for kv in $2; do
		[[ " $got " == *" $kv "* ]] || { check_err 1 "$3: want $kv in: $got"; return; }
	done
}
expect_stats "$B" "attempts=3 allowed=2 denied=1" "B's counters"
log_info "ban on host A -> host B refuses the bot: $((t1 - t0)) ms from the start of the flood to B's deny list"
# The LAPI's own record of it, asked with host B's key (no cscli start-up).
dec=$(ip netns exec "$CSNS" curl -s -m 60 -H "X-Api-Key: $(awk '$1 == "api_key:" { print $2 }' "$CS_DIR/host-b.yaml")" \
	"http://127.0.0.1:$CS_PORT/v1/decisions?ip=10.0.0.66")
[[ $dec == *'"scenario":"burstguard/syn-burst-ban"'* && $dec == *'"type":"ban"'* ]]
check_err $? "the LAPI's decision on 10.0.0.66: $dec"
log_test "B refuses the bot's first SYN; the LAPI's decision names burstguard's scenario"

# Host A has the fleet's decision too; stopping both removes only theirs.
got=$(ip netns exec "$A" "$BG_BURSTCTL" deny list)
# The decision's time left comes with it (the LAPI's 4h ban at most).
[[ $got =~ ^10\.0\.0\.66/32\ timeout\ [0-9hms]+$ ]]
check_err $? "A's deny list: $got, want 10.0.0.66/32"
bouncer_stop host-a && bouncer_stop host-b
check_err $? "a bouncer did not exit 0 on SIGTERM"
for ns in "$A" "$B"; do
	got=$(ip netns exec "$ns" "$BG_BURSTCTL" deny list)
	[[ -z $got ]]
	check_err $? "deny list of $ns after its bouncer stopped: $got"
done
log_test "both bouncers enforce the decision; stopped, they leave no entries"

log_info "crowdsec_fleet took ${SECONDS} s"
exit "$EXIT_STATUS"
