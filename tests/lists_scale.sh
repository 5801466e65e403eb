#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# lists_scale: the allow and deny lists at scale (issue 14 part 1).
# A 100,000-prefix deny list (IPv4 and IPv6) imported in one atomic step
# and dumped back exactly; SYNs from listed sources dropped, from others
# counted at the server's input hook by nft; an allowed /32 inside a denied
# /16 gets in (the allowlist is checked first); an entry with a timeout
# stops matching once it ends; a file with a bad line changes nothing;
# save/restore carries a list of 100,000 entries;
# import replaces, --merge adds; a namespace other than the initial one
# cannot go past netns_max_list_entries.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/topo.sh"
. "$(dirname "$0")/burstctl_lib.sh"

bg_require_cmd nft
topo_setup || bg_skip "cannot build the test topology"
# The test namespaces are not the initial one: allow them 100,000+ entries.
bg_load netns_max_list_entries=200000
check_err $? "insmod failed"
bg_modprobe nf_tables
ip netns exec "$SRV" nft -f - <<-'EOF2'
	table inet bgls {
		chain input {
			type filter hook input priority 0; policy accept;
			tcp dport 9999 tcp flags syn counter
		}
	}
EOF2
check_err $? "nft counter at the server's input hook failed"
log_test "load, nft counter at input" || exit "$EXIT_STATUS"

TMPD=$(mktemp -d /tmp/lists_scale.XXXXXX)
trap 'rm -rf "$TMPD"; cleanup' EXIT

at_input() {
	ip netns exec "$SRV" nft list chain inet bgls input |
		awk '/counter/ { for (i = 1; i < NF; i++) if ($i == "packets") print $(i + 1) }'
}

# show_count LIST: the entries the module counts in LIST (GET_CONFIG).
show_count() {
	bc -j show | jq_py "d['$1']"
}

# 50,000 IPv4 /32 in 172.16.0.0/12, 49,998 IPv6 /48 in 2001:db8::/32 (none
# with a zero third group: listed back canonical, with no "::" inside), a
# /24, a /16, a comment and blank lines: 100,000 entries.
awk 'BEGIN {
	print "# generated deny list"
	for (i = 0; i < 50000; i++)
		printf "172.%d.%d.%d\n", 16 + int(i / 65536), int(i / 256) % 256, i % 256
	print ""
	for (i = 1; i <= 49998; i++)
		printf "2001:db8:%x::/48\n", i
	print "198.51.100.0/24"
	print "192.168.0.0/16   # the allow /32 below is inside"
}' >"$TMPD/deny.txt"

t0=$(date +%s%N)
bc deny import "$TMPD/deny.txt"
check_err $? "deny import of 100,000 prefixes failed"
t1=$(date +%s%N)
log_info "deny import of 100,000 prefixes: $(((t1 - t0) / 1000000)) ms"
bc deny list >"$TMPD/listed.txt"
check_err $? "deny list failed"
t2=$(date +%s%N)
log_info "deny list of 100,000 prefixes: $(((t2 - t1) / 1000000)) ms"
# Listed back exactly: the file's prefixes, in canonical form.
awk '!/^#/ && NF { p = $1; if (p !~ /\//) p = p "/32"; print p }' "$TMPD/deny.txt" |
	sort >"$TMPD/want.txt"
sort "$TMPD/listed.txt" | cmp -s - "$TMPD/want.txt"
check_err $? "deny list differs from the imported file: $(sort "$TMPD/listed.txt" | diff - "$TMPD/want.txt" | head -n 4)"
[[ $(wc -l <"$TMPD/listed.txt") == 100000 && $(show_count deny) == 100000 ]]
check_err $? "deny list has $(wc -l <"$TMPD/listed.txt") entries, show counts $(show_count deny); want 100000"
log_test "deny import: 100,000 prefixes, listed back exactly"

# save/restore at this size: the 100,000 entries do not fit in one
# REPLACE_CONFIG, so restore sends the settings and rules with
# BG_A_KEEP_LISTS and then imports each list; all of it comes back, the
# timeouts included.
bc save >"$TMPD/orig.conf" &&
	bc set rate 4/min burst 6 &&
	bc rule add port 2222 rate 2/min burst 3 &&
	bc allow add 192.0.2.1 timeout 1h
check_err $? "settings before save failed"
bc save >"$TMPD/saved.conf"
check_err $? "save failed"
[[ $(grep -c '^deny add' "$TMPD/saved.conf") == 100000 ]]
check_err $? "save wrote $(grep -c '^deny add' "$TMPD/saved.conf") deny lines, want 100000"
bc set rate 9/s burst 1 && bc rule del port 2222 && bc allow flush &&
	bc deny import - <<<"10.7.0.0/16"
check_err $? "changing things before restore failed"
bc restore "$TMPD/saved.conf"
check_err $? "restore of 100,000 entries failed"
bc deny list | sort | cmp -s - "$TMPD/want.txt"
check_err $? "deny list after restore differs: $(bc deny list | sort | diff - "$TMPD/want.txt" | head -n 4)"
got=$(bc -j allow list | jq_py "[(e['prefix'], 3500 < e.get('timeout', 0) <= 3600) for e in d]")
[[ $got == "[('192.0.2.1/32', True)]" ]]
check_err $? "allow list after restore: $got"
bc save | grep -v '^allow add' >"$TMPD/saved2.conf"
grep -v '^allow add' "$TMPD/saved.conf" | cmp -s - "$TMPD/saved2.conf"
check_err $? "save after restore differs: $(grep -v '^allow add' "$TMPD/saved.conf" | diff - "$TMPD/saved2.conf" | head -n 4)"
# A restore that the kernel refuses part way (the 100,001st deny entry,
# above this namespace's ceiling) names what it kept.
P=/sys/module/burstguard/parameters/netns_max_list_entries
printf 'set rate 4/min burst 6\n' >"$TMPD/part.conf"
grep '^deny add' "$TMPD/saved.conf" >>"$TMPD/part.conf"
echo "deny add 10.6.0.0/16" >>"$TMPD/part.conf"
echo 100000 >"$P"
err=$(bc restore "$TMPD/part.conf" 2>&1)
check_fail $? "restore above netns_max_list_entries succeeded"
echo 200000 >"$P"
[[ $err == *"line 100002"* && $err == *"deny list unchanged"* && $err == *netns_max_list_entries* ]]
check_err $? "restore refused part way: '$err'"
bc deny list | sort | cmp -s - "$TMPD/want.txt"
check_err $? "a refused restore changed the deny list"
bc restore "$TMPD/orig.conf"
check_err $? "restoring the settings from before failed"
[[ $(show_count deny) == 100000 && $(show_count allow) == 0 && $(show_count rules) == 0 ]]
check_err $? "after restoring: deny $(show_count deny), allow $(show_count allow), rules $(show_count rules)"
log_test "save/restore of 100,000 entries: settings, rules, both lists and timeouts come back"

bc allow add 192.168.7.7
check_err $? "allow add 192.168.7.7 failed"
send4 3 --src 198.51.100.7 --dport 9999 &&	# in the /24: denied
	send4 2 --src 172.16.195.79 --dport 9999 &&	# a listed /32: denied
	send6 2 --src 2001:db8:c34d::1 --dport 9999 &&	# in a /48: denied
	send4 1 --src 192.168.7.8 --dport 9999 &&	# in the /16: denied
	send4 1 --src 192.168.7.7 --dport 9999 &&	# allowed /32 in the /16
	send4 2 --src 203.0.113.9 --dport 9999 &&	# unlisted
	send6 2 --src 2001:db9::1 --dport 9999		# unlisted
check_err $? "sending failed"
expect_stats "attempts=13 denied=8 allowlisted=1 allowed=4"
[[ $(at_input) == 5 ]]
check_err $? "SYNs at the server's input: $(at_input), want 5 (1 allowlisted + 4 unlisted)"
log_test "listed sources dropped, unlisted ones reach the server, allow /32 beats deny /16"

# A file with a bad line: an error naming the line, nothing changes.
printf '10.9.0.0/16\n# fine\n300.1.2.3\n10.9.1.1\n' >"$TMPD/bad.txt"
err=$(bc deny import "$TMPD/bad.txt" 2>&1)
check_fail $? "import of a file with a bad line succeeded"
[[ $err == *"line 3"* && $err == *"300.1.2.3"* ]]
check_err $? "bad line: '$err', want line 3 named"
printf '10.9.0.0/16 timeout 0\n' >"$TMPD/bad2.txt"
err=$(bc deny import --merge "$TMPD/bad2.txt" 2>&1)
check_fail $? "import of a zero timeout succeeded"
[[ $err == *"line 1"* ]]
check_err $? "bad timeout: '$err', want line 1 named"
[[ $(show_count deny) == 100000 ]]
check_err $? "a bad import changed the deny list: $(show_count deny) entries"
log_test "import of a file with a bad line: error with its line, list unchanged"

# --merge adds (an entry already there is not counted twice); without it
# the file replaces the list.
printf '10.9.0.0/16\n10.9.1.1 timeout 1h\n198.51.100.0/24\n' >"$TMPD/small.txt"
bc deny import --merge "$TMPD/small.txt"
check_err $? "deny import --merge failed"
[[ $(show_count deny) == 100002 ]]
check_err $? "after --merge: $(show_count deny) entries, want 100002"
bc deny import - <"$TMPD/small.txt"
check_err $? "deny import - (stdin) failed"
# The time left of 10.9.1.1 is at most its hour (it may be a little less).
got=$(bc -j deny list | jq_py "sorted((e['prefix'], 0 < e.get('timeout', 0) <= 3600) for e in d)")
[[ $got == "[('10.9.0.0/16', False), ('10.9.1.1/32', True), ('198.51.100.0/24', False)]" ]]
check_err $? "after replace: $got; $(bc deny list | tr '\n' ' ')"
send4 1 --src 172.16.195.79 --dport 9999
expect_stats "denied=8 allowed=5"
log_test "import --merge adds, import replaces (the old entries stop matching)"

# A timeout: the entry matches, is listed with its time left, and stops
# matching once it ends.
bc deny add 203.0.113.50 timeout 2s
check_err $? "deny add with timeout failed"
got=$(bc deny list | grep 203.0.113.50)
[[ $got == "203.0.113.50/32 timeout 2s" || $got == "203.0.113.50/32 timeout 1s" ]]
check_err $? "listed as '$got'"
send4 1 --src 203.0.113.50 --dport 9999
expect_stats "denied=9 allowed=5"
sleep 3
send4 1 --src 203.0.113.50 --dport 9999
expect_stats "denied=9 allowed=6"
[[ -z $(bc deny list | grep 203.0.113.50) ]]
check_err $? "an expired entry is still listed"
n=$(bc -j deny list | jq_py 'len(d)')
[[ $n == 3 ]]
check_err $? "deny list -j has $n entries, want 3"
log_test "deny add timeout 2s: denied, then let through after it ended"

# The host's ceiling for other namespaces: 0..BG_MAX_LIST_ENTRIES.
echo 1000001 >"$P" 2>/dev/null
check_fail $? "netns_max_list_entries took 1000001"
echo x3 >"$P" 2>/dev/null
check_fail $? "netns_max_list_entries took x3"
[[ $(<"$P") == 200000 ]]
check_err $? "netns_max_list_entries is $(<"$P") after bad writes, want 200000"
echo 3 >"$P"
check_err $? "setting netns_max_list_entries failed"
err=$(bc deny add 10.9.2.2 2>&1)
check_fail $? "deny add above the ceiling succeeded"
[[ $err == *netns_max_list_entries* ]]
check_err $? "above the ceiling: '$err'"
printf '10.8.0.1\n10.8.0.2\n10.8.0.3\n10.8.0.4\n' >"$TMPD/four.txt"
err=$(bc allow import "$TMPD/four.txt" 2>&1)
check_fail $? "allow import of 4 entries above a ceiling of 3 succeeded"
[[ $err == *netns_max_list_entries* && $err == *"line 4"* ]]
check_err $? "import above the ceiling: '$err'"
got=$(bc allow list)
[[ $got == "192.168.7.7/32" && $(show_count deny) == 3 ]]
check_err $? "lists changed: allow '$got', deny $(show_count deny)"
log_test "a namespace other than the initial one: -ERANGE above netns_max_list_entries"

exit "$EXIT_STATUS"
