# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Sourced by scripts/check and scripts/check-debug: one verdict on a test
# suite's TAP for both. Needs $out, fail() and the totals passed, failed,
# skipped.

# count NAME TAP [T]: scripts/tap-count's verdict on TAP: its counts added to
# the totals, each reason it gives a reason to fail. The tests that must
# have run are tests/Makefile's (make -C tests list-tests, only those in T
# if given); a skip fails unless tests/skip-allowed names the test.
count() {
	local name=$1 tap=$2 list=$out/$1.tests p f s line

	make -s -C tests list-tests T="${3:-}" >"$list" || fail "$name: cannot list the tests"
	{
		read -r p f s
		passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
		while IFS= read -r line; do
			fail "$name: ${line#FAIL: }"
		done
	} < <(scripts/tap-count --expect "$list" --allow-skip tests/skip-allowed "$tap")
}
