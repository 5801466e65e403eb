#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# burstctl save prints a configuration that restore applies as a whole:
# the round trip is exact, a bad line anywhere changes nothing and is named,
# tracked sources survive a restore, and every command's -j output parses.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/topo.sh"
. "$(dirname "$0")/burstctl_lib.sh"

topo_setup || bg_skip "cannot build the test topology"
bg_load rate=1/hour burst=5
check_err $? "insmod failed"
log_test "load" || exit "$EXIT_STATUS"

tmp=$(mktemp -d)
bc set rate 30/min burst 7 ban 10m mode reject prefix4 24 prefix6 48 max-sources 5000 forward on &&
bc rule add port 22 rate 3/hour burst 2 ban 0 mode drop &&
bc rule add port 8000-8100 rate 100/s burst 200 mode monitor total 1000/min burst 50 &&
bc allow add 192.0.2.0/24 &&
bc allow add 2001:db8::1 &&
bc deny add 198.51.100.0/24
check_err $? "configuring failed"
bc save >"$tmp/saved"
check_err $? "save failed"
cat >"$tmp/want" <<'END'
# burstguard settings; apply with: burstctl restore FILE
set rate 30/min burst 7 ban 10m mode reject prefix4 24 prefix6 48 max-sources 5000 forward on strikes forget 24h total off
rule add port 22 rate 3/hour burst 2 ban 0 mode drop total off
rule add port 8000-8100 rate 100/s burst 200 ban 10m mode monitor total 1000/min burst 50
allow add 192.0.2.0/24
allow add 2001:db8::1/128
deny add 198.51.100.0/24
END
diff -u "$tmp/want" "$tmp/saved"
check_err $? "save output differs"
log_test "save prints the whole configuration"

send4 8 --src 10.0.0.2 --dport 22
expect_src 10.0.0.0/24 22 "throttled 8 6"
bc set burst 99 forward off && bc rule del port 8000-8100 && bc deny flush
check_err $? "changing the configuration failed"
bc restore "$tmp/saved"
check_err $? "restore failed"
bc save >"$tmp/again"
diff -u "$tmp/saved" "$tmp/again"
check_err $? "save after restore differs"
expect_src 10.0.0.0/24 22 "throttled 8 6"
log_test "restore round-trips and keeps tracked sources and their rule"

printf '# nothing but\n\nset rate 1/hour burst 5 ban 0 mode drop\n' | bc restore
check_err $? "restore of a minimal config from stdin failed"
[[ -z $(bc rule list) && -z $(bc allow list) && -z $(bc deny list) ]]
check_err $? "restore did not replace rules and lists"
bc restore - <"$tmp/saved"
check_err $? "restore - failed"
[[ $(bc save) == "$(cat "$tmp/saved")" ]]
check_err $? "second round trip differs"
log_test "restore replaces rules and lists, reads stdin"

bc rule add port 443
check_err $? "rule add port 443 failed"
before=$(bc save)
check_err $? "save failed"
for bad in "rule add port 0" "set burst 0" "allow add 10.0.0.0/40" \
	   "rule add rate 5/s" "deny del 10.0.0.0/8" "frobnicate"; do
	printf 'set burst 9\nrule add port 25\n%s\nallow add 10.9.9.9\n' "$bad" >"$tmp/bad"
	err=$(bc restore "$tmp/bad" 2>&1)
	rc=$?
	[[ $rc == 1 && $err == *"line 3"* ]]
	check_err $? "'$bad': exit $rc, message '$err'"
done
# The kernel refuses line 3 (its window overflows): named by line too.
printf 'set burst 9\nrule add port 25\nrule add port 26 rate 1/hour burst 400000\n' >"$tmp/bad"
err=$(bc restore "$tmp/bad" 2>&1)
rc=$?
[[ $rc == 1 && $err == *"line 3"* && $err == *"too large"* ]]
check_err $? "kernel-rejected line: exit $rc, message '$err'"
printf 'rule add port 25\nrule add port 25\n' >"$tmp/bad"
err=$(bc restore "$tmp/bad" 2>&1)
check_fail $? "two rules for one port restored"
[[ $(bc save) == "$before" ]]
check_err $? "a failed restore changed something"
log_test "a bad restore changes nothing and names its line"

for cmd in show "-s show" "rule list" "allow list" "deny list" sources \
	   "sources top 3" stats "forget 10.0.0.0/24" flush "rule add port 1"; do
	# shellcheck disable=SC2086
	bc -j $cmd >"$tmp/json"
	check_err $? "burstctl -j $cmd failed"
	python3 -m json.tool <"$tmp/json" >/dev/null
	check_err $? "burstctl -j $cmd does not print JSON: $(head -c 200 "$tmp/json")"
done
log_test "-j prints one JSON document per command"

# Timeouts round-trip: save prints the time left, restore sets it again.
bc restore - <"$tmp/saved" && bc deny add 203.0.113.9 timeout 1h
check_err $? "deny add with a timeout failed"
bc save >"$tmp/timed"
line=$(grep '^deny add 203.0.113.9/32' "$tmp/timed")
[[ $line =~ ^deny\ add\ 203\.0\.113\.9/32\ timeout\ ([0-9]+)s$ ]] &&
	((BASH_REMATCH[1] > 0 && BASH_REMATCH[1] <= 3600))
check_err $? "saved as '$line'"
bc deny flush && bc restore "$tmp/timed"
check_err $? "restore of a timed entry failed"
got=$(bc -j deny list | jq_py "sorted((e['prefix'], 0 < e.get('timeout', 0) <= 3600) for e in d)")
[[ $got == "[('198.51.100.0/24', False), ('203.0.113.9/32', True)]" ]]
check_err $? "after restore: $got"
log_test "save and restore keep an entry's timeout"

out=$(bc stats --prometheus)
check_err $? "burstctl stats --prometheus failed"
python3 - "$out" <<'PY'
import re, sys
text = sys.argv[1]
for line in text.splitlines():
    assert re.match(r'^(# (HELP|TYPE) burstguard_\w+ .+|burstguard_\w+ \d+)$', line), line
assert 'burstguard_attempts_total ' in text and '# TYPE burstguard_sources gauge' in text
PY
check_err $? "not the Prometheus text format: $out"
log_test "stats --prometheus"

rm -rf "$tmp"
exit "$EXIT_STATUS"
