#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# crowdsec_bouncer: burstguard-crowdsec keeps the server's deny list in
# step with a real CrowdSec LAPI (crowdsec -no-cs, Debian's 1.4.6): ban
# decisions on an Ip become /32 or /128 entries, on a Range its prefix;
# deleted decisions go at the next poll; a LAPI restart changes nothing it
# has; ended decisions go when their duration ends (measured against
# crowdsec_fakelapi.py, whose durations are exact: cscli is too slow under
# TCG for a short decision to mean anything); entries added by hand are
# never touched, not even when a decision names the same prefix; a full
# list is logged, counted, and filled as room appears; stopping removes
# exactly what it added. A denied address's SYNs never reach the server's
# input hook (an nft counter), others do.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/topo.sh"
. "$(dirname "$0")/crowdsec_lib.sh"

bg_require_cmd crowdsec cscli curl nft
[[ -x $BG_BOUNCER ]] ||
	{ echo "FAIL: $BG_BOUNCER not built (make -C userspace)"; exit "$ksft_fail"; }

cleanup() {
	cs_cleanup
	rm -rf "${TMPD:-/nonexistent}"
	bg_cleanup
}

bc() {
	ip netns exec "$SRV" "$BG_BURSTCTL" "$@"
}

TMPD=$(mktemp -d /tmp/crowdsec_bouncer.XXXXXX)
# Expiry, beside the rest: a fake LAPI in namespace EXP (its own deny list)
# streams 10.0.0.53 for exactly ${D}s and 10.0.0.54 for 1h, then nothing new.
D=10
setup_ns EXP || bg_skip "cannot create namespaces"
printf '[{"status": 200, "body": {"deleted": null, "new": [
 {"scope": "Ip", "value": "10.0.0.53", "id": 53, "type": "ban", "duration": "%ss"},
 {"scope": "Ip", "value": "10.0.0.54", "id": 54, "type": "ban", "duration": "1h"}]}},
 {"status": 200, "body": {"deleted": null, "new": null}}]\n' "$D" >"$TMPD/exp.json"
ip -n "$EXP" link set lo up &&
	ip netns exec "$EXP" python3 "$BG_REPO/tests/crowdsec_fakelapi.py" 18081 \
		"$TMPD/served" "$TMPD/exp.json" >"$TMPD/fake.log" 2>&1 &
FAKE_PID=$!
topo_setup || bg_skip "cannot build the test topology"
bg_load rate=100/s burst=100
check_err $? "insmod failed"
printf 'api_url: http://127.0.0.1:18081/\napi_key: k\nupdate_frequency: 200ms\nlog_level: debug\n' \
	>"$TMPD/exp.yaml"
ip netns exec "$EXP" "$BG_BOUNCER" -c "$TMPD/exp.yaml" >>"$TMPD/exp.log" 2>&1 &
BOUNCER_PID[exp]=$!
bg_modprobe nf_tables
check_err $? "cannot load nf_tables"
# What reaches the server past PRE_ROUTING, counted per source.
ip netns exec "$SRV" nft -f - <<'EOF_NFT'
table inet bgcs {
	chain in {
		type filter hook input priority 0;
		ip saddr 10.0.0.50 tcp dport 80 counter
		ip saddr 10.0.0.60 tcp dport 80 counter
		ip6 saddr fd00::50 tcp dport 80 counter
	}
}
EOF_NFT
check_err $? "cannot set up the server's input counters"
# Entries of the operator's own: they stay whatever the bouncer does.
HAND="10.0.0.99/32 198.51.100.0/24"
bc deny add 10.0.0.99 && bc deny add 198.51.100.0/24
check_err $? "burstctl deny add failed"
got=$(busywait 60000 deny_is "$EXP" "10.0.0.53/32 10.0.0.54/32")
check_err $? "the fake LAPI's decisions did not reach EXP's deny list: $got $(tail -n 3 "$TMPD/exp.log" "$TMPD/fake.log")"
# The real LAPI; bouncer srv's key added while the database is quiet.
cs_setup "$TMPD/cs" && bouncer_conf srv "$SRV" && cs_start -no-cs
check_err $? "cannot start the LAPI"
log_test "module, hand-made deny entries, a LAPI" || exit "$EXIT_STATUS"

# nft_count SADDR: packets the input hook counted from SADDR.
nft_count() {
	ip netns exec "$SRV" nft list chain inet bgcs in |
		awk -v s="$1" '$2 == "saddr" && $3 == s { for (i = 1; i < NF; i++) if ($i == "packets") print $(i + 1) }'
}

# Decisions before the bouncer starts: its startup=true poll takes them.
# (cscli decisions import takes its scope from --scope, as it is spelled:
# the LAPI streams only "Ip" and "Range"; a scope column is not used.)
printf 'duration,value,type\n1h,10.0.0.50,ban\n1h,fd00::50,ban\n1h,10.0.0.99,ban\n1h,10.0.0.51,captcha\n' >"$TMPD/ip.csv"
printf 'duration,value,type\n1h,203.0.113.7/24,ban\n1h,2001:db8:40::/48,ban\n' >"$TMPD/range.csv"
# One after the other: two at once can fail in the LAPI with "database
# is locked" (sqlite).
cs_cli decisions import --scope Ip -i "$TMPD/ip.csv" >/dev/null &&
	cs_cli decisions import --scope Range -i "$TMPD/range.csv" >/dev/null
check_err $? "cscli decisions import failed"
t0=$(now_ms)
bouncer_run srv
WANT="$HAND 10.0.0.50/32 203.0.113.0/24 fd00::50/128 2001:db8:40::/48"
got=$(busywait 60000 deny_is "$SRV" "$WANT")
check_err $? "deny list after the bouncer started: $got; want $WANT"
log_info "startup: the deny list followed the LAPI in $(($(now_ms) - t0)) ms"
grep -q "10.0.0.99/32 was already in the deny list" "$CS_DIR/srv.log"
check_err $? "the bouncer did not log that 10.0.0.99/32 was there before it"
log_test "startup: Ip -> /32 and /128, Range -> its prefix; captcha ignored"

# SYNs: 5 from the denied 10.0.0.50 and fd00::50, 5 from 10.0.0.60.
send4 5 --src 10.0.0.50 --dport 80 && send4 5 --src 10.0.0.60 --dport 80 &&
	send6 5 --src fd00::50 --dport 80
check_err $? "bgsend failed"
got=$(busywait 5000 bash -c "[[ \$(ip netns exec $SRV nft list chain inet bgcs in | grep -c 'packets 5 ') == 1 ]] && echo ok")
check_err $? "nft input counters: $(ip netns exec "$SRV" nft list chain inet bgcs in | grep -o 'saddr [^ ]*.*packets [0-9]*' | tr '\n' ';')"
for s in 10.0.0.50:0 10.0.0.60:5 fd00::50:0; do
	n=$(nft_count "${s%:*}")
	[[ $n == "${s##*:}" ]]
	check_err $? "SYNs from ${s%:*} that reached the server's input hook: $n, want ${s##*:}"
done
expect_stats "attempts=15 denied=10 allowed=5"
log_test "denied addresses' SYNs dropped before input; others pass"

# Deltas: one call deletes 10.0.0.50, 10.0.0.51 (captcha) and the decision
# on the hand-made 10.0.0.99 (one change, so one poll sees all three);
# another adds 10.0.1.52. The hand-made entry stays.
t0=$(now_ms)
cs_cli decisions delete --range 10.0.0.0/24 --contained >/dev/null &&
	cs_cli decisions add --ip 10.0.1.52 --duration 1h >/dev/null
check_err $? "cscli failed"
WANT="$HAND 10.0.1.52/32 203.0.113.0/24 fd00::50/128 2001:db8:40::/48"
got=$(busywait 60000 deny_is "$SRV" "$WANT")
check_err $? "deny list after delete 10.0.0.0/24 contained, add 10.0.1.52: $got; want $WANT"
log_info "deltas: followed in $(($(now_ms) - t0)) ms"
log_test "deltas: new decisions added, deleted ones removed, hand-made kept"

# Expiry (started at the beginning, against the fake): 10.0.0.53 left EXP's
# list, 10.0.0.54 did not. When: the bouncer's own log line of the deny del
# against the moment the fake sent the decision.
got=$(busywait 60000 deny_is "$EXP" "10.0.0.54/32")
check_err $? "EXP's deny list: $got; want 10.0.0.54/32 alone, 10.0.0.53 (${D}s) ended"
ts=$(awk '$1 == 1 { print $2 }' "$TMPD/served.log")
# The bouncer's own removal, or (its kernel timeout, the decision's time
# left rounded up, ended first) its finding the entry gone.
line=$(grep -m1 -e 'deny del 10.0.0.53/32' -e '10.0.0.53/32 was already gone' "$TMPD/exp.log")
td=$(date -d "${line%% *}" +%s%3N 2>/dev/null)
[[ $ts =~ ^[0-9]+$ && $td =~ ^[0-9]+$ ]]
check_err $? "no time for the decision's start ($ts) or its removal ($line)"
late=$((td - ts - D * 1000))
log_info "the ${D}s decision left the deny list $late ms after its end (the answer's send + ${D}s)"
((late >= 0))
check_err $? "removed $((-late)) ms before the decision ended"
bouncer_stop exp
check_err $? "the EXP bouncer did not exit 0 on SIGTERM"
got=$(deny_is "$EXP" "")
check_err $? "EXP's deny list after its bouncer stopped: $got"
log_test "a decision's end removes its entry, not before; others stay"

# LAPI restart: while it is down the bouncer keeps what it has.
cs_stop
busywait 30000 grep -q "unreachable" "$CS_DIR/srv.log"
check_err $? "the bouncer did not log the LAPI as unreachable"
got=$(deny_is "$SRV" "$WANT")
check_err $? "deny list while the LAPI is down: $got; want $WANT"
cs_start -no-cs
check_err $? "cannot restart the LAPI"
t0=$(now_ms)
cs_cli decisions add --ip 10.0.0.54 --duration 1h >/dev/null
check_err $? "cscli after the restart failed"
WANT="$HAND 10.0.0.54/32 10.0.1.52/32 203.0.113.0/24 fd00::50/128 2001:db8:40::/48"
got=$(busywait 90000 deny_is "$SRV" "$WANT")
check_err $? "deny list after the LAPI restart: $got; want $WANT"
log_info "after the LAPI's restart: followed in $(($(now_ms) - t0)) ms"
grep -q "reachable again" "$CS_DIR/srv.log"
check_err $? "the bouncer did not log the LAPI as reachable again"
log_test "LAPI down: entries kept; restarted: followed again"

# Stop: only its own entries go; start again: startup=true brings them back.
bouncer_stop srv
check_err $? "the bouncer did not exit 0 on SIGTERM"
got=$(deny_is "$SRV" "$HAND")
check_err $? "deny list after the bouncer stopped: $got; want $HAND"
bouncer_run srv
got=$(busywait 60000 deny_is "$SRV" "$WANT")
check_err $? "deny list after the bouncer restarted: $got; want $WANT"
log_test "stop removes exactly its own entries; restart resynchronises"

# A full list: the host's ceiling for this namespace at 1024, hand-made
# entries up to 1024 - 2, then the bouncer's 5 decisions: 2 fit, 3 are
# logged and counted.
bouncer_stop srv
echo 1024 >/sys/module/burstguard/parameters/netns_max_list_entries
check_err $? "setting netns_max_list_entries failed"
{
	bc save | grep -v '^deny add'
	for i in $(seq 1 1020); do
		echo "deny add 100.64.$((i / 256)).$((i % 256))"
	done
	echo "deny add 10.0.0.99"
	echo "deny add 198.51.100.0/24"
} >"$TMPD/full.conf"
bc restore "$TMPD/full.conf"
check_err $? "burstctl restore of 1022 deny entries failed"
deny_list "$SRV" >"$TMPD/hand.list"
# ours: how many entries are the bouncer's (not in the hand-made 1022)
ours() {
	deny_list "$SRV" | comm -23 - "$TMPD/hand.list" | wc -l
}
: >"$CS_DIR/srv.log"
bouncer_run srv
busywait 60000 bash -c "grep -c 'deny list full' $CS_DIR/srv.log | grep -qx 3" >/dev/null
check_err $? "the bouncer did not log 3 decisions that did not fit: $(grep 'full' "$CS_DIR/srv.log")"
n=$(deny_list "$SRV" | wc -l)
((n == 1024))
check_err $? "deny list has $n entries, want 1024"
n=$(ours)
((n == 2))
check_err $? "$n of the 5 decisions in the list, want 2"
# Room for one: the bouncer fills it at its next pass.
bc deny del 100.64.0.1
check_err $? "burstctl deny del failed"
grep -vx 100.64.0.1/32 "$TMPD/hand.list" >"$TMPD/hand2.list" && mv "$TMPD/hand2.list" "$TMPD/hand.list"
got=$(busywait 30000 bash -c "n=\$(ip netns exec $SRV $BG_BURSTCTL deny list | awk '{ print \$1 }' | sort | comm -23 - $TMPD/hand.list | wc -l); ((n == 3)) || { echo \$n; false; }")
check_err $? "the freed slot was not given to a waiting decision: $got of ours"
bouncer_stop srv
grep -q "3 did not fit (list full)" "$CS_DIR/srv.log"
check_err $? "the stop line does not count 3 decisions that did not fit: $(tail -n 1 "$CS_DIR/srv.log")"
n=$(deny_list "$SRV" | wc -l)
((n == 1021))
check_err $? "after stop: $n entries, want the 1021 hand-made ones"
n=$(ours)
((n == 0))
check_err $? "after stop: $n of the bouncer's entries left"
log_test "full list: logged and counted, filled as room appears, stop removes its own"

log_info "crowdsec_bouncer took ${SECONDS} s"
exit "$EXIT_STATUS"
