#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A full table is not an off switch (issue 11, item 2). An attempt that
# cannot get an entry of its own is judged by its overflow slot under its
# rule's limit, bans included, and counted (overflow, overflow_refused).
# Limit everywhere: rate=1/hour burst=5 ban=1h.
#
# The table (max_sources=64) is filled with 64 banned spoofed IPv4
#    sources, which are never evicted. A fresh source then sends 50 SYNs:
#    exactly its burst (5) reach the listener, counted independently by an
#    nft counter in the server's input hook; the 64 stay tracked and
#    banned. Once with a fresh IPv4 source, once (a new module) with a
#    fresh IPv6 one.
# table_collide.sh does the same with one full hash chain.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/topo.sh"

bg_require_cmd nft

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

for fam in 4 6; do
	bg_load rate=1/hour burst=5 ban=1h max_sources=64
	check_err $? "insmod failed"
	nft_setup
	check_err $? "nft setup failed"
	# 64 sources, 6 SYNs each: 5 allowed, the 6th starts a ban.
	send4 384 --src-seq 10.1.0.0/26
	check_err $? "fill failed"
	expect_stats "attempts=384 allowed=320 dropped=64 sources=64 created=64 evicted=0 table_full=0 overflow=0"
	[[ $(nft_count 4) == 320 ]]
	check_err $? "the listener saw $(nft_count 4) SYNs of the fill, want 320"
	expect_source 10.1.0.17/32 "0 0 6 1 banned"
	log_test "IPv$fam: the table is full of 64 banned sources" || break

	if [[ $fam == 4 ]]; then
		send4 50 --src 10.0.0.3
		src=10.0.0.3/32 rule=1
	else
		send6 50 --src fd00::3
		src=fd00::/64 rule=2
	fi
	check_err $? "send failed"
	got=$(nft_count $rule)
	[[ $got == 5 ]]
	check_err $? "the listener saw $got SYNs of the fresh source, want 5 (its burst)"
	expect_stats "attempts=434 allowed=325 sources=64 created=64 evicted=0 table_full=50 overflow=50 overflow_refused=45"
	! source_line "$src" >/dev/null
	check_err $? "the fresh source got an entry: $(source_line "$src")"
	(($(in_ns "$SRV" awk '$6 == "banned"' "$BG_PROC/sources" | wc -l) == 64))
	check_err $? "not all 64 fill sources are still banned"
	log_test "IPv$fam: a fresh source into the full table: 5 of 50 reach the listener"
	bg_unload
	check_err $? "rmmod failed"
done

exit "$EXIT_STATUS"
