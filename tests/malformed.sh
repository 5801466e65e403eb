#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Odd and broken packets get a defined verdict and the right counter, and
# nothing is read out of bounds. The IPv4 stack drops a header with ihl<5
# or a bad total length before PRE_ROUTING, so those never reach us: the
# stack's own counters (nstat) show it dropped them. A lone fragment
# (frag-*: each with its own id, never completed) waits in the kernel's
# reassembly queue, which runs before the hook, so the module never sees
# it (IPv4's IpReasmReqds counts them in; frag4.sh and frag6.sh send whole
# fragmented SYNs; make check's tools phase, tests/tools/selftest.sh,
# checks the packet tools themselves).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/topo.sh"

topo_setup || bg_skip "cannot build the test topology"
bg_load rate=1/hour burst=1000
check_err $? "insmod failed"
log_test "load" || exit "$EXIT_STATUS"

attempts_unparsable() {
	ip netns exec "$SRV" awk '$1 == "attempts" { a = $2 }
		$1 == "unparsable" { u = $2 } END { print a, u }' "$BG_PROC/stats"
}

# check_kind KIND ATTEMPTS UNPARSABLE [6]: 10 frames of KIND add exactly
# that many attempts and unparsable packets to the counters.
check_kind() {
	local kind=$1 want_a=$2 want_u=$3 family=${4:-4} a0 u0 a1 u1

	read -r a0 u0 < <(attempts_unparsable)
	if [[ $family == 4 ]]; then
		send4 10 --src 10.0.0.2 --kind "$kind"
	else
		send6 10 --src fd00::2 --kind "$kind"
	fi
	check_err $? "sending $kind failed"
	read -r a1 u1 < <(attempts_unparsable)
	((a1 - a0 == want_a && u1 - u0 == want_u))
	check_err $? "attempts +$((a1 - a0)) unparsable +$((u1 - u0))"
	log_test "$kind (IPv$family): attempts +$want_a, unparsable +$want_u"
}

check_kind syn 10 0
check_kind synfin 10 0
check_kind syn-payload 10 0
check_kind synrst 0 0
check_kind synack 0 0
check_kind ipopts 10 0
check_kind ihl4 0 0
check_kind badlen 0 0

# The verdict on ihl4 and badlen: the IPv4 stack dropped all 10 of each
# before PRE_ROUTING (header errors or truncated packets in the server's
# netns), so the module never saw them.
ip_drops() {
	ip netns exec "$SRV" nstat -asz IpInHdrErrors IpExtInTruncatedPkts |
		awk '$1 ~ /^Ip/ { n += $2 } END { print n + 0 }'
}
for kind in ihl4 badlen; do
	d0=$(ip_drops)
	send4 10 --src 10.0.0.2 --kind "$kind"
	check_err $? "sending $kind failed"
	d1=$(ip_drops)
	((d1 - d0 == 10))
	check_err $? "IP header/truncated drops +$((d1 - d0)), want +10"
	log_test "$kind: the IPv4 stack drops all 10 before the hook"
done
check_kind doff4 0 10
check_kind trunc-tcp 0 10
check_kind frag-first 0 0
check_kind frag-later 0 0
# The verdict on lone IPv4 fragments: all 10 of each went into the
# reassembly queue before the hook (IpReasmReqds), where they wait.
ip_reasm() {
	ip netns exec "$SRV" nstat -asz IpReasmReqds |
		awk '$1 == "IpReasmReqds" { n += $2 } END { print n + 0 }'
}
for kind in frag-first frag-later; do
	r0=$(ip_reasm)
	read -r a0 u0 < <(attempts_unparsable)
	send4 10 --src 10.0.0.2 --kind "$kind"
	check_err $? "sending $kind failed"
	r1=$(ip_reasm)
	read -r a1 u1 < <(attempts_unparsable)
	((r1 - r0 == 10 && a1 == a0 && u1 == u0))
	check_err $? "reassembly requests +$((r1 - r0)) (want +10), attempts +$((a1 - a0)), unparsable +$((u1 - u0)) (want 0)"
	log_test "$kind: all 10 wait in IPv4 reassembly, the hook sees none"
done
check_kind syn 10 0 6
check_kind synfin 10 0 6
check_kind syn-payload 10 0 6
check_kind synrst 0 0 6
check_kind synack 0 0 6
check_kind doff4 0 10 6
check_kind trunc-tcp 0 10 6
check_kind v6-ext 10 0 6
check_kind v6-ext-long 10 0 6
check_kind v6-frag-first 0 0 6
check_kind v6-frag-later 0 0 6
check_kind v6-ext-trunc 0 10 6

exit "$EXIT_STATUS"
