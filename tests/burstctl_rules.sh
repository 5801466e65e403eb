#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# More of burstctl's rules and lists against real traffic (split from
# burstctl_traffic.sh to stay within the per-test timeout on a busy TCG
# guest): rule del id, overlapping rules (the first one added decides),
# allow flush (v4 and v6), deny del.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/topo.sh"
. "$(dirname "$0")/burstctl_lib.sh"

topo_setup || bg_skip "cannot build the test topology"
bg_load rate=1/hour burst=10
check_err $? "insmod failed"
log_test "load with rate=1/hour burst=10" || exit "$EXIT_STATUS"

# rule del id: the id from rule list; the rule's ports fall back to the
# default limit, and the id is gone.
bc rule add port 9000 rate 1/hour burst 2 ban 0
check_err $? "rule add port 9000 failed"
id=$(bc -j rule list | jq_py '[r["id"] for r in d if r["port_min"] == 9000][0]')
check_err $? "no id for the rule of port 9000"
send4 3 --src 10.0.0.40 --dport 9000
expect_src 10.0.0.40/32 9000 "throttled 3 1"
bc rule del id "$id"
check_err $? "rule del id $id failed"
out=$(bc -j rule list | jq_py "[r['id'] for r in d if r['id'] == $id or r['port_min'] == 9000]")
[[ $out == "[]" ]]
check_err $? "rule $id still listed: $out"
send4 3 --src 10.0.0.40 --dport 9000
expect_src 10.0.0.40/32 default "ok 3 0"
err=$(bc rule del id "$id" 2>&1)
check_fail $? "deleting rule id $id twice succeeded"
log_test "rule del id: the rule goes, its ports get the default limit"

# Overlapping rules: the first one added decides; once it is deleted the
# next one does.
bc rule add port 9100-9199 rate 1/hour burst 2 ban 0 &&
	bc rule add port 9150 rate 1/hour burst 5 ban 0
check_err $? "adding overlapping rules failed"
send4 4 --src 10.0.0.41 --dport 9150
expect_src 10.0.0.41/32 9100-9199 "throttled 4 2"
[[ -z $(source_json 10.0.0.41/32 9150) ]]
check_err $? "the second rule also tracked 10.0.0.41: $(source_json 10.0.0.41/32 9150)"
bc rule del port 9100-9199
check_err $? "rule del port 9100-9199 failed"
send4 4 --src 10.0.0.42 --dport 9150
expect_src 10.0.0.42/32 9150 "ok 4 0"
log_test "overlapping rules: the first added decides, then the next"

# allow flush: allowlisted prefixes (v4 and v6) are limited again.
a0=$(bg_counter "$SRV" allowlisted)
bc allow add 10.0.0.0/24 && bc allow add fd00::/64
check_err $? "allow add failed"
send4 3 --src 10.0.0.43
send6 2 --src fd00::43
expect_stats "allowlisted=$((a0 + 5))"
[[ -z $(source_json 10.0.0.43/32) ]]
check_err $? "an allowlisted source is tracked"
bc allow flush
check_err $? "allow flush failed"
[[ -z $(bc allow list) ]]
check_err $? "allow list after flush: $(bc allow list)"
send4 3 --src 10.0.0.43
send6 2 --src fd00::43
expect_stats "allowlisted=$((a0 + 5))"
expect_src 10.0.0.43/32 default "ok 3 0"
expect_src fd00::/64 default "ok 2 0"
log_test "allow flush: the prefixes are limited again (v4 and v6)"

# deny del: a denylisted source is dropped, then limited normally.
d0=$(bg_counter "$SRV" denied)
bc deny add 10.0.0.44
check_err $? "deny add failed"
send4 2 --src 10.0.0.44
expect_stats "denied=$((d0 + 2))"
bc deny del 10.0.0.44
check_err $? "deny del failed"
[[ -z $(bc deny list) ]]
check_err $? "deny list after del: $(bc deny list)"
send4 2 --src 10.0.0.44
expect_stats "denied=$((d0 + 2))"
expect_src 10.0.0.44/32 default "ok 2 0"
err=$(bc deny del 10.0.0.44 2>&1)
check_fail $? "deleting a missing deny prefix succeeded"
log_test "deny del: the source is limited normally again"

exit "$EXIT_STATUS"
