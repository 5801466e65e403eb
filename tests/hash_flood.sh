#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Hash flooding: sources an attacker would choose to collide, if the table's
# hash key were known, must spread like any others. tests/bg_collide
# computes the module's bucket function (jhash of rule, family, prefix
# length and masked address; checked against lookup3's test vectors) under
# the zero seed (what an uninitialised key would give) and the all-ones
# seed, picks N sources that all fall into bucket 0 of the
# table for max_sources=4096 (1024 buckets), and sends 2 SYNs from each at
# rate=1/hour burst=1: each source is allowed once, refused once, and so
# becomes throttled, which the table never evicts.
#
# Pass: every source is tracked, exactly: sources = created = N,
# allowed = dropped = N, evicted = table_full = overflow = rehashed = 0.
# Were the seed the zero (or ones) seed, the N sources would share one
# chain, which holds at most BG_CHAIN_MAX (16) entries: the rest would be
# table_full, judged by overflow slots, and the table would rehash
# (table_collide.sh shows that case with the test-only zero seed).
# N is 2000 per family (at most ~2 per bucket on average under the real
# key, so no chain nears 16 by chance); BG_HEAVY=1 adds the ones key.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/topo.sh"

BG_TESTBIN=${BG_TESTBIN:-$BG_REPO/.cache/tests}
collide=$BG_TESTBIN/bg_collide
[[ -x $collide ]] || bg_skip "no $collide (make tests)"
N=2000
MAX=4096
keys=(zero)
[[ ${BG_HEAVY:-0} == 1 ]] && keys=(zero ones)

"$collide" --selftest >/dev/null
check_err $? "the userspace jhash does not match lookup3's test vectors"
log_test "jhash replica matches lookup3's test vectors" || exit "$EXIT_STATUS"

topo_setup || bg_skip "cannot build the test topology"

for key in "${keys[@]}"; do
	for fam in 4 6; do
		bg_load rate=1/hour burst=1 max_sources=$MAX
		check_err $? "insmod failed"
		args=(--key "$key" --max-sources "$MAX" -n "$N" --times 2)
		[[ $fam == 6 ]] && args+=(-6 --dst fd00::1) || args+=(--dst 10.0.0.1)
		out=$(ip netns exec "$CLI" "$collide" -i c0 --dst-mac "$SRV_MAC" "${args[@]}")
		check_err $? "bg_collide failed: $out"
		[[ $out == "sent $((2 * N))" ]]
		check_err $? "bg_collide: '$out', want 'sent $((2 * N))'"
		expect_stats "attempts=$((2 * N)) allowed=$N dropped=$N sources=$N created=$N evicted=0 table_full=0 overflow=0 rehashed=0"
		(($(source_count) == N))
		check_err $? "$BG_PROC/sources lists $(source_count) sources, want $N"
		log_test "IPv$fam: $N sources colliding under the $key key all tracked, none evicted"
		bg_unload
		check_err $? "rmmod failed"
	done
done

exit "$EXIT_STATUS"
