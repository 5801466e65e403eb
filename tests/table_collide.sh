#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A full hash chain is not an off switch either (issue 11, item 2, and
# "Hashing"). With the test-only parameter test_zero_hash_seed the table's
# first seed is 0, so tests/bg_collide can compute sources that all fall
# into chain 0 of a table for max_sources=4096. Limit: rate=1/hour burst=5
# ban=1h.
#
# 16 colliding sources fill chain 0 (its cap), all banned. A 17th colliding
# source sends 50 SYNs: it gets no entry, is judged by its overflow slot,
# and exactly 5 reach the listener (an nft counter in the server's input
# hook). The full chain makes the table rehash itself with a new random
# seed (rehashed=1); the 16 stay banned, and the 17th then gets an entry of
# its own that starts from its slot's state (banned), so it gains nothing.
# Then a chain at its cap of sources that were never refused: the 17th
# evicts the least recently seen of them instead (evicted=1, no overflow).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/topo.sh"

BG_TESTBIN=${BG_TESTBIN:-$BG_REPO/.cache/tests}
collide=$BG_TESTBIN/bg_collide
bg_require_cmd nft
[[ -x $collide ]] || bg_skip "no $collide (make tests)"

topo_setup || bg_skip "cannot build the test topology"
bg_modprobe nf_tables || bg_skip "no nf_tables"

# nft_setup: count the SYNs that reach the server's input hook.
nft_setup() {
	ip netns exec "$SRV" nft delete table inet bgt 2>/dev/null
	ip netns exec "$SRV" nft -f - <<-EOF
	table inet bgt {
		chain in {
			type filter hook input priority 0;
			ip saddr 10.0.0.3 tcp flags & (syn | ack) == syn counter
			ip6 saddr fd00::3 tcp flags & (syn | ack) == syn counter
			ip saddr 10.128.0.0/9 tcp flags & (syn | ack) == syn counter
			ip saddr 10.1.0.0/26 tcp flags & (syn | ack) == syn counter
		}
	}
	EOF
}

# nft_count N: packets counted by the Nth rule (1: 10.0.0.3, 2: fd00::3,
# 3: 10.128.0.0/9, the colliding sources, 4: 10.1.0.0/26, the fill).
nft_count() {
	ip netns exec "$SRV" nft list chain inet bgt in |
		awk -v n="$1" '/counter packets/ { if (++i == n) {
			for (f = 1; f < NF; f++) if ($f == "packets") print $(f + 1) } }'
}

bg_load rate=1/hour burst=5 ban=1h max_sources=4096 test_zero_hash_seed=1
check_err $? "insmod failed"
nft_setup
check_err $? "nft setup failed"
mapfile -t addrs < <("$collide" --key zero --max-sources 4096 -n 17 --list)
((${#addrs[@]} == 17))
check_err $? "bg_collide listed ${#addrs[@]} sources, want 17"
# The first 16 of that list, 6 SYNs each, in one process.
out=$(ip netns exec "$CLI" "$collide" -i c0 --dst-mac "$SRV_MAC" --dst 10.0.0.1 \
	--key zero --max-sources 4096 -n 16 --times 6)
check_err $? "bg_collide failed: $out"
expect_stats "attempts=96 allowed=80 dropped=16 sources=16 created=16 table_full=0 overflow=0 rehashed=0"
log_test "16 colliding sources fill chain 0, all banned" || exit "$EXIT_STATUS"

last=${addrs[16]}
send4 50 --src "$last"
check_err $? "send from $last failed"
got=$(($(nft_count 3) - 80))
[[ $got == 5 ]]
check_err $? "the listener saw $got SYNs of the 17th colliding source, want 5"
rehashed() { [[ $(bg_counter "$SRV" rehashed) == 1 ]]; }
busywait 10000 rehashed
check_err $? "no rehash: rehashed=$(bg_counter "$SRV" rehashed)"
log_test "the 17th colliding source: 5 of 50 reach the listener, the table rehashes"

send4 1 --src "$last"
# Its attempts before the rehash were judged by its slot (overflow), the
# rest by its own entry, which started from the slot's word: 5 allowed in
# all, and banned.
line=$(source_line "$last/32")
read -r _ _ _ att drops state <<<"$line"
ovf=$(bg_counter "$SRV" overflow)
ovf_ref=$(bg_counter "$SRV" overflow_refused)
[[ $state == banned ]] && ((att + ovf == 51 && att - drops + ovf - ovf_ref == 5))
check_err $? "the 17th: '$line', overflow $ovf, overflow_refused $ovf_ref; want banned, 51 attempts, 5 allowed"
expect_stats "attempts=147 allowed=85 sources=17 created=17 evicted=0 rehashed=1"
for a in "${addrs[@]:0:16}"; do
	[[ $(source_line "$a/32" | cut -d' ' -f6) == banned ]] ||
		check_err 1 "$a is no longer banned after the rehash: $(source_line "$a/32")"
done
[[ $(nft_count 3) == 85 ]]
check_err $? "the listener saw $(nft_count 3) colliding SYNs, want 85"
log_test "after the rehash: all 16 still banned, the 17th tracked and banned"

# A chain at its cap with room in the table: a new source takes the place
# of the chain's least recently seen source that was never refused (here
# the first of the 16, each of which used 1 of its 5 tokens), and nothing
# overflows or rehashes. All 17 SYNs reach the listener.
bg_unload && bg_load rate=1/hour burst=5 ban=1h max_sources=4096 test_zero_hash_seed=1
check_err $? "reload failed"
nft_setup
check_err $? "nft setup failed"
out=$(ip netns exec "$CLI" "$collide" -i c0 --dst-mac "$SRV_MAC" --dst 10.0.0.1 \
	--key zero --max-sources 4096 -n 16 --times 1)
check_err $? "bg_collide failed: $out"
expect_stats "attempts=16 allowed=16 sources=16 created=16 evicted=0 table_full=0"
send4 1 --src "$last"
check_err $? "send from $last failed"
expect_stats "attempts=17 allowed=17 dropped=0 sources=16 created=17 evicted=1 table_full=0 overflow=0 rehashed=0"
! source_line "${addrs[0]}/32" >/dev/null
check_err $? "the least recently seen source ${addrs[0]} is still listed"
[[ $(source_line "$last/32" | cut -d' ' -f4,6) == "1 ok" ]]
check_err $? "the 17th: '$(source_line "$last/32")', want 1 attempt, ok"
[[ $(nft_count 3) == 17 ]]
check_err $? "the listener saw $(nft_count 3) colliding SYNs, want 17"
log_test "a chain at its cap: the 17th evicts the least recently seen, 17 of 17 pass"

exit "$EXIT_STATUS"
