#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# burstctl --help exits 0 and prints its usage on stdout. Skipped only while
# userspace/ has no Makefile (make check builds burstctl once it has one).
. "$(dirname "$0")/lib.sh"

if [[ ! -x $BG_BURSTCTL ]]; then
	[[ -f $BG_REPO/userspace/Makefile ]] &&
		{ echo "FAIL: $BG_BURSTCTL not built, though userspace/Makefile exists"; exit "$ksft_fail"; }
	bg_skip "$BG_BURSTCTL not built yet (no userspace/Makefile)"
fi

out=$("$BG_BURSTCTL" --help)
rc=$?
check_err $rc "burstctl --help exited $rc"
[[ $out == *[Uu]sage:*burstctl* ]]
check_err $? "burstctl --help printed no 'usage: burstctl' on stdout: '$out'"
log_test "burstctl --help"

exit "$EXIT_STATUS"
