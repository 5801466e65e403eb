#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Sources are counted per prefix: IPv6 per /64 by default (one host owns a
# /64), IPv4 per /32; both lengths are module parameters.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/topo.sh"

topo_setup || bg_skip "cannot build the test topology"
bg_load rate=1/hour burst=10
check_err $? "insmod failed"
log_test "load with the default prefixes" || exit "$EXIT_STATUS"

send6 30 --src-random fd00:1:2:3::/64 --seed 7
check_err $? "send failed"
expect_stats "attempts=30 allowed=10 dropped=20 sources=1"
expect_source fd00:1:2:3::/64 "0 0 30 20 throttled"
log_test "30 SYNs from random addresses of one /64 share one bucket"

for i in 1 2 3 4 5; do
	send6 2 --src "fd00:9:0:$i::1"
done
expect_stats "attempts=40 allowed=20 dropped=20 sources=6"
expect_source fd00:9:0:3::/64 "0 8 2 0 ok"
log_test "five other /64s are five buckets"

send4 12 --src-seq 10.7.7.0/24
expect_stats "attempts=52 allowed=32 dropped=20 sources=18"
log_test "IPv4: 12 addresses of a /24 are 12 sources at /32"

bg_unload && bg_load rate=1/hour burst=10 prefix4=24 prefix6=48
check_err $? "reload with prefix4=24 prefix6=48 failed"
send4 12 --src-seq 10.7.7.0/24
send6 6 --src fd00:1:2:3::1
send6 6 --src fd00:1:2:4::1
expect_stats "attempts=24 allowed=20 dropped=4 sources=2"
expect_source 10.7.7.0/24 "0 0 12 2 throttled"
expect_source fd00:1:2::/48 "0 0 12 2 throttled"
log_test "prefix4=24 and prefix6=48 aggregate"

exit "$EXIT_STATUS"
