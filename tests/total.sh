#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A rule's aggregate limit ("total"): sources that each stay under their
# own limit together exceed the rule's total; exactly the total's burst
# reaches the server, counted there by an nft counter in its input hook
# (independently of the module), and the rest is counted total_refused,
# per rule and in stats. Mode monitor lets them all through and counts.
# The total's bucket survives a restore of the same rule and a new rule
# starts with a full one; the default limit takes a total too; burstctl
# save, show, rule list and -j say it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/topo.sh"
. "$(dirname "$0")/burstctl_lib.sh"

topo_setup || bg_skip "cannot build the test topology"
bg_modprobe nf_tables || bg_skip "cannot load nf_tables"
# SYNs that reach the server's input hook, per destination port.
ip netns exec "$SRV" nft -f - <<'EOF_NFT' || bg_skip "cannot set up the server's counters"
table inet bgtotal {
	chain in {
		type filter hook input priority 0;
		tcp dport 22 tcp flags & (syn | ack) == syn counter
		tcp dport 23 tcp flags & (syn | ack) == syn counter
		tcp dport 80 tcp flags & (syn | ack) == syn counter
	}
}
EOF_NFT

# reached PORT: SYNs to PORT that reached the server's input hook.
reached() {
	ip netns exec "$SRV" nft list chain inet bgtotal in |
		awk -v p="dport $1 " 'index($0, p) { sub(/.*packets /, ""); print $1; exit }'
}

# expect_reached PORT N
expect_reached() {
	local got

	got=$(reached "$1")
	[[ $got == "$2" ]] && return 0
	check_err 1 "SYNs to port $1 that reached the server: ${got:-none}, want $2"
	return 1
}

tmp=$(mktemp -d)
cleanup() {
	rm -rf "$tmp"
	bg_cleanup
}

# rule_field PORT FIELD: a field of the rule for PORT in rule list -j.
rule_field() {
	bc -j rule list | jq_py "[r['$2'] for r in d if r['port_min'] == $1][0]"
}

bg_load rate=1/hour burst=5
check_err $? "insmod failed"
log_test "load with rate=1/hour burst=5" || exit "$EXIT_STATUS"

# Four sources, four SYNs each: every one within its own burst of 5; the
# rule's total of 10 at once lets the first 10 through.
bc rule add port 22 rate 1/hour burst 5 total 1/hour burst 10
check_err $? "rule add port 22 with a total failed"
for i in 11 12 13 14; do
	send4 4 --src 10.0.0.$i --dport 22 || check_err 1 "bgsend 10.0.0.$i failed"
done
expect_reached 22 10
expect_stats "attempts=16 allowed=10 dropped=6 total_refused=6 would_drop=0 banned=0"
[[ $(rule_field 22 total_refused) == 6 ]]
check_err $? "rule list -j: total_refused $(rule_field 22 total_refused), want 6"
# The total refuses, the sources are not throttled by it (nor banned).
for i in 11 12 13 14; do
	expect_src 10.0.0.$i/32 22 "ok 4 0"
done
log_test "total: 4 sources under their limit, exactly 10 reach the server, 6 total_refused"

bc rule add port 23 rate 1/hour burst 5 mode monitor total 1/hour burst 10
check_err $? "rule add port 23 mode monitor failed"
for i in 11 12 13 14; do
	send4 4 --src 10.0.0.$i --dport 23 || check_err 1 "bgsend 10.0.0.$i failed"
done
expect_reached 23 16
expect_stats "attempts=32 allowed=20 dropped=6 would_drop=6 total_refused=12"
[[ $(rule_field 23 total_refused) == 6 ]]
check_err $? "rule 23: total_refused $(rule_field 23 total_refused), want 6"
log_test "total, mode monitor: all 16 reach the server, 6 counted would_drop and total_refused"

# What an operator reads back, and what save writes.
out=$(bc rule list)
[[ $out == *"drop total 1/hour burst 10 refused 6"* ]]
check_err $? "rule list: $out"
bc save >"$tmp/saved" 2>&1
check_err $? "save failed"
grep -qx 'rule add port 22 rate 1/hour burst 5 ban 0 mode drop total 1/hour burst 10' "$tmp/saved"
check_err $? "save: $(cat "$tmp/saved")"
grep -q '^rule 1 port 22-22 .* total 1/hour burst 10 refused 6$' \
	<(ip netns exec "$SRV" cat "$BG_PROC/config")
check_err $? "proc config: $(ip netns exec "$SRV" cat "$BG_PROC/config")"
# Restoring it keeps rule 22 (same ports, same id) and its empty bucket.
bc restore "$tmp/saved"
check_err $? "restore failed"
send4 1 --src 10.0.0.15 --dport 22
expect_reached 22 10
[[ $(rule_field 22 total_refused) == 7 ]]
check_err $? "after restore: total_refused $(rule_field 22 total_refused), want 7"
# A rule added anew has a bucket of its own, full.
bc rule del port 22 && bc rule add port 22 rate 1/hour burst 5 total 1/hour burst 10
check_err $? "re-adding rule 22 failed"
send4 1 --src 10.0.0.15 --dport 22
expect_reached 22 11
[[ $(rule_field 22 total_refused) == 0 ]]
check_err $? "new rule: total_refused $(rule_field 22 total_refused), want 0"
log_test "total: save/restore keeps the bucket, a new rule starts full; list, save, proc say it"

# The default limit takes a total too; without a burst, one second's worth
# (1/s: 1), and show says it.
bc set total 1/hour burst 3
check_err $? "set total failed"
send4 2 --src 10.0.0.21 --dport 80 && send4 2 --src 10.0.0.22 --dport 80
check_err $? "bgsend to port 80 failed"
expect_reached 80 3
out=$(bc show)
[[ $out == *"mode drop total 1/hour burst 3 refused 1"* ]]
check_err $? "show: $out"
[[ $(bc -j show | jq_py 'd["total_refused"], d["total_burst"]') == "(1, 3)" &&
   $(bc -j stats | jq_py 'd["total_refused"]') == 14 ]]
check_err $? "show -j: $(bc -j show)"
bc set total 1/s && [[ $(bc -j show | jq_py 'd["total_rate"], d["total_period"], d["total_burst"]') == "(1, 1, 1)" ]]
check_err $? "set total 1/s: $(bc -j show)"
bc set total off && [[ $(bc -j show | jq_py 'd["total_rate"], d["total_burst"]') == "(0, 0)" ]]
check_err $? "set total off: $(bc -j show)"
out=$(bc stats --prometheus)
[[ $out == *"burstguard_total_refused_total 14"* ]]
check_err $? "prometheus: no total_refused 14"
log_test "total on the default limit: 3 of 4 reach the server; show, -j, --prometheus"

exit "$EXIT_STATUS"
