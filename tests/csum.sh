#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Only real attempts count (issue 11, item 3): SYNs whose TCP checksum is
# wrong are not attempts. 20 such forgeries claiming a partner's address
# (hping3 -b for IPv4, bgsend --kind syn-badsum for IPv6) are counted in
# bad_checksum, reach TCP, which drops them (nstat TcpInCsumErrors counts
# them, independently of the module), and leave the partner's bucket
# alone: its 3 real connections (burst 3) all succeed, and its 4th is
# still refused, so the limit itself is untouched.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/topo.sh"

bg_require_cmd hping3 nstat
topo_setup || bg_skip "cannot build the test topology"
for a in 10.0.0.1 fd00::1; do
	ip netns exec "$SRV" "$BG_TOOLS/bgconnect" --listen "$a" 8080 --daemon ||
		bg_skip "cannot start a listener on $a"
done
bg_load rate=1/hour burst=3 ban=10m
check_err $? "insmod failed"
log_test "load: burst 3, ban 10m, listeners on port 8080" || exit "$EXIT_STATUS"

csum_errors() {
	ip netns exec "$SRV" nstat -asz TcpInCsumErrors |
		awk '$1 == "TcpInCsumErrors" { print $2 }'
}

# connect ADDR N: N real connections from the partner (10.0.0.2, fd00::2).
connect() {
	ip netns exec "$CLI" "$BG_TOOLS/bgconnect" "$1" 8080 -c "$2" \
		--timeout 300
}

# forged_seen N: TCP has counted at least N checksum errors.
forged_seen() {
	(($(csum_errors) >= $1))
}

e0=$(csum_errors)
# (hping3 exits 1 when nothing answers: its 20 are counted by TCP below)
ip netns exec "$CLI" hping3 -q -S -b -p 8080 -a 10.0.0.2 -c 20 -i u10000 \
	10.0.0.1 >/dev/null 2>&1
busywait 10000 forged_seen $((e0 + 20)) >/dev/null
e1=$(csum_errors)
((e1 - e0 == 20))
check_err $? "TcpInCsumErrors +$((e1 - e0)), want +20"
expect_stats "bad_checksum=20 attempts=0 sources=0"
out=$(connect 10.0.0.1 3)
[[ $out == "connected 3 refused 0 timeout 0" ]]
check_err $? "the partner's real connections: $out"
expect_stats "bad_checksum=20 attempts=3 allowed=3 dropped=0 banned=0"
log_test "IPv4: 20 forged SYNs with a bad checksum leave the partner's bucket full"

out=$(connect 10.0.0.1 1)
[[ $out == "connected 0 refused 0 timeout 1" ]]
check_err $? "the 4th connection: $out"
expect_stats "attempts=4 allowed=3 dropped=1"
log_test "IPv4: the partner's 4th real attempt is still refused"

send6 20 --src fd00::2 --dport 8080 --kind syn-badsum
check_err $? "sending the forgeries failed"
busywait 10000 forged_seen $((e1 + 20)) >/dev/null
e2=$(csum_errors)
((e2 - e1 == 20))
check_err $? "TcpInCsumErrors +$((e2 - e1)), want +20"
out=$(connect fd00::1 3)
[[ $out == "connected 3 refused 0 timeout 0" ]]
check_err $? "the partner's real connections: $out"
expect_stats "bad_checksum=40 attempts=7 allowed=6 dropped=1 banned=0"
log_test "IPv6: 20 forged SYNs with a bad checksum leave the partner's bucket full"

# Valid checksums on the same path still count (syn: bgsend's are right).
send4 5 --src 10.0.0.9 --dport 8080
expect_stats "bad_checksum=40 attempts=12 allowed=9"
expect_source 10.0.0.9/32 "0 0 5 2 banned"
log_test "SYNs with a right checksum are attempts as before"

exit "$EXIT_STATUS"
