#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# burstctl --help exits 0 and prints its usage on stdout.
. "$(dirname "$0")/lib.sh"

[[ -x $BG_BURSTCTL ]] ||
	{ echo "FAIL: $BG_BURSTCTL not built (make userspace)"; exit "$ksft_fail"; }

out=$("$BG_BURSTCTL" --help)
rc=$?
check_err $rc "burstctl --help exited $rc"
[[ $out == *[Uu]sage:*burstctl* ]]
check_err $? "burstctl --help printed no 'usage: burstctl' on stdout: '$out'"
log_test "burstctl --help"

exit "$EXIT_STATUS"
