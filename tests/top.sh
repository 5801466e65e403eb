#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# burstctl top in batch mode (-b, -j, and when stdout is not a terminal)
# under a known paced flood: the per-refresh deltas add up, digit for
# digit, to the final counters, which equal /proc and (for what got
# through) an nft counter in the server's input hook; plain snapshots show
# the exact numbers. (top_tty.sh drives the interactive view.)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/topo.sh"
. "$(dirname "$0")/burstctl_lib.sh"

bg_require_cmd nft
tmp=$(mktemp -d)

cleanup() {
	[[ -n ${topjob:-} ]] && kill "$topjob" 2>/dev/null
	[[ -n ${floods:-} ]] && kill $floods 2>/dev/null
	wait 2>/dev/null
	rm -rf "$tmp"
	bg_cleanup
}

topo_setup || bg_skip "cannot build the test topology"
bg_modprobe nf_tables || bg_skip "no nf_tables"
bg_load rate=1/hour burst=3 max_sources=1000
check_err $? "insmod failed"
log_test "load" || exit "$EXIT_STATUS"

# What gets past burstguard to the server, counted by nftables.
in_ns "$SRV" nft -f - <<'EOF'
table inet t {
	chain in {
		type filter hook input priority 0;
		tcp flags & (syn | ack) == syn tcp dport 80 counter
		tcp flags & (syn | ack) == syn tcp dport 22 counter
	}
}
EOF
check_err $? "nft failed"
nft_count() {	# nft_count PORT: SYNs to PORT that reached the input hook
	in_ns "$SRV" nft list chain inet t in |
		awk -v p="$1" '$0 ~ "dport " p " counter" { for (i = 1; i < NF; i++) if ($i == "packets") print $(i + 1) }'
}
bc rule add port 22 rate 1/hour burst 5 ban 1h
check_err $? "rule add failed"

##############################################################################
# Batch mode, JSON, under a paced flood.

# Not through bc(): $! must be burstctl itself, not a subshell.
ip netns exec "$SRV" "$BG_BURSTCTL" top -j -d 1 >"$tmp/top.json" 2>"$tmp/top.err" &
topjob=$!
# Polled slowly: the paced senders need the guest's CPU more than we do.
for ((i = 0; i < 40; i++)); do
	[[ -s $tmp/top.json ]] && break
	sleep 0.5
done
[[ -s $tmp/top.json ]]
check_err $? "no JSON document within 20 s: $(cat "$tmp/top.err")"
send4 50 --src 10.0.0.7 --dport 80 --pps 25 &
floods=$!
send4 20 --src 10.0.0.8 --dport 22 --pps 10
check_err $? "sending to port 22 failed"
wait "$floods"
check_err $? "sending to port 80 failed"
floods=
# Two refreshes with nothing moving, then stop it as a script would.
n=$(wc -l <"$tmp/top.json")
for ((i = 0; i < 60; i++)); do
	(($(wc -l <"$tmp/top.json") >= n + 2)) && break
	sleep 0.5
done
(($(wc -l <"$tmp/top.json") >= n + 2))
check_err $? "top -j stopped refreshing"
kill -TERM "$topjob"
wait "$topjob"
check_err $? "top -j did not exit 0 on SIGTERM: $(cat "$tmp/top.err")"
topjob=

expect_stats "attempts=70 allowed=8 dropped=48 banned=14 sources=2"
[[ $(nft_count 80) == 3 && $(nft_count 22) == 5 ]]
check_err $? "nft counted $(nft_count 80) SYNs to port 80 and $(nft_count 22) to 22, want 3 and 5"
out=$(python3 - "$tmp/top.json" <<'EOF'
import json, sys
docs = [json.loads(l) for l in open(sys.argv[1])]
bad = []
last = docs[-1]
# Every document's deltas are the differences of consecutive values.
for a, b in zip(docs, docs[1:]):
    for name, st in b["stats"].items():
        if "delta" in st and st["delta"] != st["value"] - a["stats"][name]["value"]:
            bad.append(f"{name}: delta {st['delta']} != {st['value']} - {a['stats'][name]['value']}")
# A source's deltas over the run add up to its attempts and refusals.
for src, want_att, want_ref, state in (("10.0.0.7/32", 50, 47, "throttled"),
                                       ("10.0.0.8/32", 20, 15, "banned")):
    rows = [s for d in docs for s in d["sources"] if s["source"] == src]
    att = sum(s["attempts_delta"] for s in rows)
    ref = sum(s["refused_delta"] for s in rows)
    fin = [s for s in last["sources"] if s["source"] == src]
    if att != want_att or ref != want_ref:
        bad.append(f"{src}: deltas add up to {att} attempts, {ref} refused; want {want_att}, {want_ref}")
    if not fin or (fin[0]["attempts"], fin[0]["drops"], fin[0]["state"]) != (want_att, want_ref, state):
        bad.append(f"{src}: last document has {fin}")
    elif fin[0]["attempts_per_s"] != 0:
        bad.append(f"{src}: {fin[0]['attempts_per_s']}/s after the flood ended")
if src and not [s for s in last["sources"] if s["source"] == "10.0.0.8/32" and s["ban_left_ms"] > 0]:
    bad.append("10.0.0.8/32 has no ban left")
rules = {r["port"]: r for r in last["rules"]}
want = {"default": (1, 1, 0, "drop"), "22": (1, 0, 1, "drop")}
for port, w in want.items():
    r = rules.get(port)
    got = r and (r["sources"], r["throttled"], r["banned"], r["mode"])
    if got != w:
        bad.append(f"rule {port}: {got}, want {w}")
tot = sum(d["stats"]["attempts"]["delta"] for d in docs[1:])
if tot != last["stats"]["attempts"]["value"] - docs[0]["stats"]["attempts"]["value"]:
    bad.append("attempt deltas do not add up")
print("; ".join(bad) if bad else f"ok {len(docs)} documents")
sys.exit(1 if bad else 0)
EOF
)
check_err $? "top -j: $out"
log_info "$out"
log_test "top -j under a paced flood: deltas add up to the exact counters"

# Plain snapshots: -b, and stdout not a terminal.
bc top -b -n 1 -d 0.2 >"$tmp/b1"
check_err $? "top -b failed"
bc top -n 1 -d 0.2 | cat >"$tmp/b2"
check_err $? "top | cat failed"
for f in b1 b2; do
	row=$(awk '$1 == "10.0.0.7/32"' "$tmp/$f")
	[[ $(awk '{ print $2, $3, $4, $5, $6, $7, $8 }' <<<"$row") == "default throttled 0 0 0 50 -" ]]
	check_err $? "$f: source row '$row'"
	row=$(awk '$1 == "10.0.0.8/32"' "$tmp/$f")
	[[ $(awk '{ print $2, $3, $4, $5, $6, $7 }' <<<"$row") == "22 banned 0 0 0 20" ]]
	check_err $? "$f: source row '$row'"
	row=$(awk '$1 == "1" && $2 == "22"' "$tmp/$f")
	[[ $(awk '{ print $3, $4, $5, $6, $7, $8, $9, $10, NF }' <<<"$row") == "1/hour 5 drop 1 0 1 0 0 10" ]]
	check_err $? "$f: rule row '$row'"
	grep -q $'\e' "$tmp/$f"
	check_fail $? "$f has escape sequences"
	grep -q "^attempts 0/s" "$tmp/$f"
	check_err $? "$f: no 'attempts 0/s' header: $(head -3 "$tmp/$f")"
done
log_test "top -b and top | cat: plain snapshots with exact numbers"

for bad in "-d 0" "-o bogus" "extra"; do
	# shellcheck disable=SC2086
	err=$(bc top -b $bad 2>&1)
	check_fail $? "top $bad succeeded"
	[[ $err == "burstctl: top: "* ]]
	check_err $? "top $bad: $err"
done
log_test "bad arguments are refused with a message"

exit "$EXIT_STATUS"
