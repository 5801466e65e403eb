#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# IPv6 SYNs hidden in fragments (issue 11, item 1): see frag_lib.sh.
. "$(dirname "$0")/frag_lib.sh"

frag_setup
# IPv6 (RFC 8200 4.5): a first fragment without the whole TCP header is
# discarded by the kernel; defrag lets it pass, the module sees it (a
# fragment, unparsable) and the IPv6 stack drops it: nothing reaches TCP.
client_addr 6
run_case 6 "IPv6, 8-byte first fragment: dropped by the kernel, none counted" \
	0 0 10 frag6 30 \
	bgsend_frag "$a" --frag 8
# A 44-byte SYN (24 bytes of header, 20 of data) in two fragments.
client_addr 6
run_case 6 "IPv6, SYN in 2 fragments, last first" 3 10 0 frag6 20 \
	bgsend_frag "$a" --kind syn-payload --frag 24 --frag-order reverse
client_addr 6
run_case 6 "IPv6, SYN in 2 fragments, shuffled, each sent twice" \
	3 10 0 frag6 40 \
	bgsend_frag "$a" --kind syn-payload --frag 24 --frag-order shuffle --frag-dup
client_addr 6
run_case 6 "IPv6, overlapping fragments: dropped by the kernel, none counted" \
	0 0 0 frag6 20 \
	bgsend_frag "$a" --kind syn-payload --frag 24 --frag-overlap

expect_stats "bad_checksum=0 forwarded=0"
log_test "no fragment counted as a bad checksum or as forwarded"

exit "$EXIT_STATUS"
