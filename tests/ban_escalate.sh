#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Escalating bans ("ban 5s max 20s"): a source banned again after its ban
# ended gets twice its previous ban (5 s, then 10 s); its strike count outlives its table
# entry (GC reclaims the entry once the ban is over and it is idle, the
# strike stays); forget clears the strikes, so the next ban is 5 s again. (Bans of seconds, not
# less: a TCG guest on a busy host took 2.6 s from a SYN to reading sources.)
# The ban lengths are read where they are announced (the kernel log of
# the banned event, which carries the length) and in sources (strikes,
# ban left); the SYNs that reach the server are counted there by an nft
# counter in its input hook.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/topo.sh"
. "$(dirname "$0")/burstctl_lib.sh"

topo_setup || bg_skip "cannot build the test topology"
bg_modprobe nf_tables || bg_skip "cannot load nf_tables"
ip netns exec "$SRV" nft -f - <<'EOF_NFT' || bg_skip "cannot set up the server's counter"
table inet bgesc {
	chain in {
		type filter hook input priority 0;
		tcp dport 22 tcp flags & (syn | ack) == syn counter
	}
}
EOF_NFT

reached() {
	ip netns exec "$SRV" nft list chain inet bgesc in |
		awk '/counter packets/ { sub(/.*packets /, ""); print $1; exit }'
}

# src_esc: "state strikes ban_left_ms" of 10.0.0.5/32, or nothing.
src_esc() {
	bc -j sources | python3 -c '
import json, sys
for s in json.load(sys.stdin)["sources"]:
    if s["source"] == "10.0.0.5/32":
        print(s["state"], s["strikes"], s["ban_left_ms"])
'
}

# ban_once SECONDS: 3 SYNs (burst 2, the third starts a ban); the ban
# announced must be SECONDS long. Sets state, strikes and left (ms) as
# sources shows them right after.
ban_once() {
	bg_log_mark
	send4 3 --src 10.0.0.5 --dport 22 || { check_err 1 "bgsend failed"; return 1; }
	read -r state strikes left < <(src_esc)
	busywait 3000 bash -c "dmesg | grep -q '10.0.0.5/32 banned for ${1}s (rule 1,'" >/dev/null
	check_err $? "no 'banned for ${1}s' in the log: $(bg_log_since | grep burstguard)"
}

bg_load rate=1/hour burst=2
check_err $? "insmod failed"
bc rule add port 22 rate 1/hour burst 2 ban 5s max 20s
check_err $? "rule add ... ban 5s max 20s failed"
[[ $(bc -j rule list | jq_py 'd[0]["ban"], d[0]["ban_max"]') == "(5, 20)" ]]
check_err $? "rule list: $(bc -j rule list)"
grep -qx 'rule add port 22 rate 1/hour burst 2 ban 5s max 20s mode drop total off' <(bc save)
check_err $? "save: $(bc save)"
log_test "ban 5s max 20s: set, listed and saved" || exit "$EXIT_STATUS"

ban_once 5
[[ $state == banned && $strikes == 1 ]] && ((left <= 5000))
check_err $? "first ban: state $state strikes $strikes ban left ${left}ms"
log_test "first ban: 5 s, 1 strike"

# Its ban over and idle, GC reclaims the entry; the strike stays.
gone=1
for ((end = $(date +%s) + 20; $(date +%s) < end; )); do
	[[ -z $(src_esc) ]] && { gone=0; break; }
	sleep 0.2
done
check_err $gone "10.0.0.5 still tracked: $(src_esc)"
ban_once 10
[[ $state == banned && $strikes == 2 ]] && ((left > 5000 && left <= 10000))
check_err $? "second ban: state $state strikes $strikes ban left ${left}ms, want 2 strikes and more than 5 s"
log_test "banned again after its entry was reclaimed: 10 s, 2 strikes"

out=$(bc forget 10.0.0.5)
[[ $out == "removed 1 source" ]]
check_err $? "forget: $out"
ban_once 5
[[ $state == banned && $strikes == 1 ]] && ((left <= 5000))
check_err $? "after forget: state $state strikes $strikes ban left ${left}ms"
[[ $(reached) == 6 ]]
check_err $? "SYNs that reached the server: $(reached), want 3 times 2"
expect_stats "attempts=9 allowed=6 dropped=3 banned=0"
log_test "forget clears the strikes: the next ban is 5 s again"

exit "$EXIT_STATUS"
