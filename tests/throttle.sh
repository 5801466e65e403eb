#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The token bucket per source, with exact counts: a burst above the limit,
# two sources that do not share a bucket, the refill of an emptied one,
# non-SYN traffic that is not counted, and one log line per throttled
# source, not one per packet.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/topo.sh"

topo_setup || bg_skip "cannot build the test topology"
# 1/hour: nothing refills during the test.
bg_load rate=1/hour burst=10
check_err $? "insmod failed"
log_test "load with rate=1/hour burst=10" || exit "$EXIT_STATUS"

bg_log_mark
send4 30 --src 10.0.0.2
check_err $? "send failed"
expect_stats "attempts=30 allowed=10 dropped=20 sources=1 created=1"
expect_source 10.0.0.2/32 "0 0 30 20 throttled"
log_test "30 SYNs from one source: 10 allowed, 20 dropped"

send4 5 --src 10.0.0.3
send4 12 --src 10.0.0.4
expect_stats "attempts=47 allowed=25 dropped=22 sources=3 created=3"
expect_source 10.0.0.3/32 "0 5 5 0 ok"
expect_source 10.0.0.4/32 "0 0 12 2 throttled"
log_test "two more sources have buckets of their own"

send4 40 --src 10.0.0.5 --kind ack
send4 40 --src 10.0.0.5 --kind synack
send4 40 --src 10.0.0.5 --kind rst
send4 40 --src 10.0.0.5 --kind udp
expect_stats "attempts=47 allowed=25 dropped=22 unparsable=0 sources=3"
log_test "ACK, SYN+ACK, RST and UDP are not attempts"

log=$(bg_log_since)
n=$(grep -c 'burstguard: .* throttled' <<<"$log")
[[ $n == 2 ]]
check_err $? "want 2 'throttled' log lines (10.0.0.2, 10.0.0.4), got $n"
grep -q 'burstguard: 10.0.0.2/32 throttled (rule 0, netns [0-9]*)' <<<"$log"
check_err $? "no log line naming 10.0.0.2/32 and its netns"
log_test "one log line per throttled source"

# 6/min (one token per 10 s) with a bucket of 3: empty it, wait 12 s, and
# exactly one comes back. The entry is the same one (created stays 1, its
# attempts add up): GC forgets only a source whose bucket is full, so a
# new entry with a full bucket cannot pass for a refill.
bg_unload && bg_load rate=6/min burst=3
check_err $? "reload failed"
send4 5 --src 10.0.0.2
expect_stats "attempts=5 allowed=3 dropped=2 created=1"
sleep 12
send4 5 --src 10.0.0.2
expect_stats "attempts=10 allowed=4 dropped=6 created=1"
# the same entry: its attempts and drops add up (its tokens and state
# depend on how long this took)
read -r _ _ _ att drops _ < <(source_line 10.0.0.2/32 "$SRV")
[[ $att == 10 && $drops == 6 ]]
check_err $? "source 10.0.0.2/32: attempts '$att' drops '$drops', want 10 and 6"
log_test "refill: an emptied bucket of 3 at 6/min has one token after 12 s"

exit "$EXIT_STATUS"
