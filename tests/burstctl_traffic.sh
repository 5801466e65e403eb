#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# burstctl's rules, lists, forget and flush against real traffic: a port
# rule has its own limit and its own buckets, denylisted prefixes are
# dropped, allowlisted ones pass untracked, forget lifts a ban, flush
# clears everything. (burstctl_rules.sh: rule del id, overlapping rules,
# allow flush, deny del.)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/topo.sh"
. "$(dirname "$0")/burstctl_lib.sh"

topo_setup || bg_skip "cannot build the test topology"
bg_load rate=1/hour burst=10
check_err $? "insmod failed"
log_test "load with rate=1/hour burst=10" || exit "$EXIT_STATUS"

bc rule add port 22 rate 1/hour burst 3
check_err $? "rule add port 22 failed"
bc rule add port 8000-8080 rate 1/hour burst 5 mode monitor
check_err $? "rule add port 8000-8080 failed"
out=$(bc rule list)
[[ $out == *"22 "*"1/hour"*" 3 "*drop* && $out == *"8000-8080"*monitor* ]]
check_err $? "rule list: $out"
err=$(bc rule add port 22 2>&1)
check_fail $? "a second rule for port 22 was accepted"
[[ $err == *exists* ]]
check_err $? "duplicate rule: $err"
log_test "rule add, rule list, duplicates refused"

send4 10 --src 10.0.0.2 --dport 22
send4 9 --src 10.0.0.2 --dport 80
send4 10 --src 10.0.0.2 --dport 8080
expect_stats "attempts=29 allowed=17 dropped=7 would_drop=5 sources=3"
expect_src 10.0.0.2/32 22 "throttled 10 7"
expect_src 10.0.0.2/32 default "ok 9 0"
expect_src 10.0.0.2/32 8000-8080 "throttled 10 5"
log_test "each rule limits its ports, with its own bucket per source"

bc rule del port 8000-8080
check_err $? "rule del failed"
# The rule's sources go with it (its id is never reused for their state).
expect_stats "sources=2"
out=$(bc -j rule list | jq_py 'len(d)')
[[ $out == 1 ]]
check_err $? "rules after del: $out"
err=$(bc rule del port 8000-8080 2>&1)
check_fail $? "deleting a missing rule succeeded"
[[ $err == *"No such"* || $err == *"no such"* ]]
check_err $? "missing rule: $err"
log_test "rule del"

bc deny add 10.0.0.0/24
check_err $? "deny add failed"
bc deny add fd00::/64
check_err $? "deny add v6 failed"
send4 4 --src 10.0.0.3
send6 3 --src fd00::3
expect_stats "denied=7 sources=2"
bc allow add 10.0.0.3
check_err $? "allow add failed"
send4 4 --src 10.0.0.3
expect_stats "denied=7 allowlisted=4 sources=2"
[[ $(bc allow list) == "10.0.0.3/32" ]]
check_err $? "allow list: $(bc allow list)"
[[ $(bc deny list | sort | tr '\n' ' ') == "10.0.0.0/24 fd00::/64 " ]]
check_err $? "deny list: $(bc deny list)"
log_test "deny drops, allow passes untracked and wins over deny"

bc allow del 10.0.0.3/32
check_err $? "allow del failed"
err=$(bc allow del 10.0.0.3 2>&1)
check_fail $? "deleting a missing prefix succeeded"
bc deny flush
check_err $? "deny flush failed"
[[ -z $(bc deny list) && -z $(bc allow list) ]]
check_err $? "lists not empty after del and flush"
err=$(bc deny add 10.0.0.0/33 2>&1)
check_fail $? "10.0.0.0/33 accepted"
[[ $err == *"'10.0.0.0/33'"* ]]
check_err $? "bad prefix not named: $err"
log_test "allow del, deny flush, bad prefixes named"

# A ban, then forget lifts it.
bc set ban 1h
send4 12 --src 10.0.0.7
[[ $(source_json 10.0.0.7/32 default) == banned* ]]
check_err $? "10.0.0.7 not banned: $(source_json 10.0.0.7/32 default)"
out=$(bc forget 10.0.0.7)
check_err $? "forget failed"
[[ $out == "removed 1 source" ]]
check_err $? "forget: $out"
[[ -z $(source_json 10.0.0.7/32) ]]
check_err $? "10.0.0.7 still tracked"
send4 1 --src 10.0.0.7
expect_src 10.0.0.7/32 default "ok 1 0"
log_test "forget clears a source's state and its ban"

n=$(bc -j sources | jq_py 'd["total"]')
out=$(bc flush)
check_err $? "flush failed"
[[ $out == "removed $n sources" ]]
check_err $? "flush: $out (had $n)"
expect_stats "sources=0"
[[ -z $(bc sources) ]]
check_err $? "sources left after flush"
log_test "flush removes every source"

# sources top N: most attempts first.
send4 5 --src 10.0.0.20
send4 9 --src 10.0.0.21
send4 2 --src 10.0.0.22
out=$(bc -j sources top 2 | jq_py '" ".join(s["source"] for s in d["sources"])')
[[ $out == "10.0.0.21/32 10.0.0.20/32" ]]
check_err $? "top 2: $out"
out=$(bc sources top 1 | tail -n 1)
[[ $out == 10.0.0.21/32* ]]
check_err $? "text top 1: $out"
log_test "sources top N lists the most active sources first"

exit "$EXIT_STATUS"
