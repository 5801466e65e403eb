#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Odd and broken packets get a defined verdict and the right counter, and
# nothing is read out of bounds. The IPv4 stack drops a header with ihl<5
# or a bad total length before PRE_ROUTING, so those never reach us.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/topo.sh"

topo_setup || bg_skip "cannot build the test topology"
bg_load rate=1/hour burst=1000
check_err $? "insmod failed"
log_test "load" || exit "$EXIT_STATUS"

# kind "attempts unparsable" after 10 frames of it, each from a source of
# its own, counted from zero (the module is reloaded for each kind).
check_kind() {
	local kind=$1 want=$2 family=${3:-4}

	bg_unload && bg_load rate=1/hour burst=1000 || return 1
	if [[ $family == 4 ]]; then
		send4 10 --src 10.0.0.2 --kind "$kind"
	else
		send6 10 --src fd00::2 --kind "$kind"
	fi
	check_err $? "sending $kind failed"
	expect_stats "$want"
	log_test "$kind (IPv$family): $want"
}

check_kind syn "attempts=10 unparsable=0"
check_kind synfin "attempts=10 unparsable=0"
check_kind syn-payload "attempts=10 unparsable=0"
check_kind synrst "attempts=0 unparsable=0"
check_kind synack "attempts=0 unparsable=0"
check_kind ipopts "attempts=10 unparsable=0"
check_kind ihl4 "attempts=0 unparsable=0"
check_kind badlen "attempts=0 unparsable=0"
check_kind doff4 "attempts=0 unparsable=10"
check_kind trunc-tcp "attempts=0 unparsable=10"
check_kind frag-first "attempts=10 unparsable=0"
check_kind frag-later "attempts=0 unparsable=10"
check_kind syn "attempts=10 unparsable=0" 6
check_kind doff4 "attempts=0 unparsable=10" 6
check_kind trunc-tcp "attempts=0 unparsable=10" 6
check_kind v6-ext "attempts=10 unparsable=0" 6
check_kind v6-ext-long "attempts=10 unparsable=0" 6
check_kind v6-frag-first "attempts=10 unparsable=0" 6
check_kind v6-frag-later "attempts=0 unparsable=10" 6
check_kind v6-ext-trunc "attempts=0 unparsable=10" 6

exit "$EXIT_STATUS"
