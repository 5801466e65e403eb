#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# crowdsec_badinput: burstguard-crowdsec facing a "LAPI" (a small Python
# HTTP server, tests/crowdsec_fakelapi.py) that answers garbage: not JSON,
# JSON of the wrong shape, HTTP errors, decisions with bad addresses, ids
# and durations, a reply larger than it accepts. Nothing of a bad answer
# is applied, bad decisions are skipped one by one, the good ones of the
# same answer are applied, entries it has are kept, and it keeps running
# and stops cleanly, removing only its own entry. Bad config files are
# refused with a message naming the problem.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/crowdsec_lib.sh"

[[ -x $BG_BOUNCER ]] ||
	{ echo "FAIL: $BG_BOUNCER not built (make -C userspace)"; exit "$ksft_fail"; }

SRVPID=
cleanup() {
	[[ -n $SRVPID ]] && kill "$SRVPID" 2>/dev/null
	cs_cleanup
	rm -rf "${TMPD:-/nonexistent}"
	bg_cleanup
}

TMPD=$(mktemp -d /tmp/crowdsec_badinput.XXXXXX)
CS_DIR=$TMPD
setup_ns SRV CSNS || bg_skip "cannot create namespaces"
bg_load
check_err $? "insmod failed"
ip netns exec "$SRV" "$BG_BURSTCTL" deny add 10.0.0.99
check_err $? "burstctl deny add failed"
log_test "module and a hand-made entry" || exit "$EXIT_STATUS"

# Config files: each refused with its reason, exit status 1.
i=0
while IFS='|' read -r conf want; do
	i=$((i + 1))
	printf '%b\n' "$conf" >"$TMPD/bad$i.yaml"
	out=$("$BG_BOUNCER" -c "$TMPD/bad$i.yaml" 2>&1)
	rc=$?
	[[ $rc == 1 && $out == *"$want"* ]]
	check_err $? "config '$conf': exit $rc, '$out'; want 1 and '$want'"
done <<'EOF_CONF'
api_key: k|api_url is missing
api_url: http://a/|api_key is missing
api_url: ftp://a/\napi_key: k|is not an http:// or https:// URL
api_url: http://a/\napi_key: k\nupdate_frequency: 5x|update_frequency: '5x' is not a duration
api_url: http://a/\napi_key: k\nupdate_frequency: 1ms|update_frequency: '1ms' is not a duration
api_url: http://a/\napi_key: k\nscopes: [country]|'country' is not a scope
api_url: http://a/\napi_key: k\nscopes: []|scopes is empty
api_url: http://a/\napi_key: k\nlog_level: loud|log_level: 'loud'
api_url: "open|found unexpected end of stream
a: {b: c}|a nested mapping
- 1|a list is only allowed for scopes
api_url: &x http://a/\napi_key: *x|aliases are not supported
api_url: http://a/\napi_key: k\nnetns: nosuchns|network namespace /run/netns/nosuchns
EOF_CONF
out=$("$BG_BOUNCER" -c "$TMPD/nonexistent.yaml" 2>&1)
[[ $? == 1 && $out == *"nonexistent.yaml: No such file"* ]]
check_err $? "missing config: $out"
"$BG_BOUNCER" --bogus >/dev/null 2>&1
[[ $? == 2 ]]
check_err $? "a bad option does not exit 2"
log_test "bad config files and options refused with their reason"

ip netns exec "$CSNS" python3 "$BG_REPO/tests/crowdsec_fakelapi.py" 18080 "$TMPD/served" \
	>"$TMPD/fake.log" 2>&1 &
SRVPID=$!
busywait 30000 bash -c "ip netns exec $CSNS curl -s -o /dev/null http://127.0.0.1:18080/" >/dev/null
check_err $? "the fake LAPI did not start: $(cat "$TMPD/fake.log")"
cat >"$TMPD/b.yaml" <<EOF_B
api_url: http://127.0.0.1:18080/
api_key: whatever
update_frequency: 200ms
netns: $SRV
EOF_B
ip netns exec "$CSNS" "$BG_BOUNCER" -d -c "$TMPD/b.yaml" >>"$TMPD/b.log" 2>&1 &
BOUNCER_PID[b]=$!
# The fake serves its answers in order, then the last one again and again.
busywait 120000 bash -c "[[ \$(cat $TMPD/served 2>/dev/null) -ge 19 ]]" >/dev/null
check_err $? "the bouncer did not ask 19 times: $(cat "$TMPD/served" 2>/dev/null)"
kill -0 "${BOUNCER_PID[b]}"
check_err $? "the bouncer died: $(tail -n 5 "$TMPD/b.log")"
got=$(deny_is "$SRV" "10.0.0.99/32 10.0.0.9/32 10.0.0.0/24")
check_err $? "deny list: $got; want the hand-made 10.0.0.99/32 and the two good decisions"
for w in "not a JSON object" "answered HTTP 500" "answered HTTP 403 (api_key not accepted" \
	'"new" or "deleted" is not a list' "larger than 256 MiB refused" "synchronised"; do
	grep -qF "$w" "$TMPD/b.log"
	check_err $? "the bouncer's log lacks '$w'"
done
log_test "garbage answers change nothing; bad decisions skipped, good ones applied"

bouncer_stop b
check_err $? "the bouncer did not exit 0 on SIGTERM"
got=$(deny_is "$SRV" "10.0.0.99/32")
check_err $? "after stop: $got; want only the hand-made 10.0.0.99/32"
log_test "stop after garbage: only its own entries removed"

log_info "crowdsec_badinput took ${SECONDS} s"
exit "$EXIT_STATUS"
