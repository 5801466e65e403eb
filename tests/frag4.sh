#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# IPv4 SYNs hidden in fragments (issue 11, item 1): see frag_lib.sh.
. "$(dirname "$0")/frag_lib.sh"

frag_setup
client_addr 4
# hping3 -f: fragments of 16 bytes, so the first holds 16 of the TCP
# header's 20 bytes (no flags in it would be readable before defrag).
run_case 4 "IPv4, hping3 -f: 16-byte fragments, burst 3 lets 3 through" \
	3 10 0 IpReasmOKs 10 \
	hping3_frag "$a"
client_addr 4
run_case 4 "IPv4, 8-byte first fragment, in order" 3 10 0 IpReasmOKs 10 \
	bgsend_frag "$a" --frag 8
client_addr 4
run_case 4 "IPv4, 8-byte fragments, last first" 3 10 0 IpReasmOKs 10 \
	bgsend_frag "$a" --frag 8 --frag-order reverse
client_addr 4
run_case 4 "IPv4, 8-byte fragments, shuffled, each sent twice" \
	3 10 0 IpReasmOKs 10 \
	bgsend_frag "$a" --frag 8 --frag-order shuffle --frag-dup
client_addr 4
run_case 4 "IPv4, overlapping fragments: dropped by the kernel, none counted" \
	0 0 0 IpExtReasmOverlaps 10 \
	bgsend_frag "$a" --frag 8 --frag-overlap

expect_stats "bad_checksum=0 forwarded=0"
log_test "no fragment counted as a bad checksum or as forwarded"

exit "$EXIT_STATUS"
