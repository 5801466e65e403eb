#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The packet tools' own self-test (tests/tools/selftest.sh: bgsend and
# bgconnect craft and capture what the other tests claim they do), which
# nothing ran before. Its TAP lines are indented: they are its own, not
# cases of this suite. A test of its own, not part of malformed.sh, so each
# has the runner's whole per-test timeout.
. "$(dirname "$0")/lib.sh"

bg_require_cmd nft python3
out=$("$BG_TOOLS/selftest.sh" 2>&1)
rc=$?
sed 's/^/  /' <<<"$out"
check_err $rc "tests/tools/selftest.sh failed: $(grep -c '^not ok' <<<"$out") check(s)"
log_test "the packet tools pass their self-test ($(grep -c '^ok' <<<"$out") checks)"

exit "$EXIT_STATUS"
