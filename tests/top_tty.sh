#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# burstctl top's interactive view in an 80x24 tmux pane (send-keys,
# capture-pane) while three paced senders run: the flooding source is on
# top; a source's attempts/s is its attempts over the interval the header
# shows (exact counts, whatever the host's speed: see the case); the keys
# r and a sort by refusals/s and attempts/s, / filters by prefix, a resize
# redraws at the new size, and q or SIGTERM leave the terminal as it was
# (stty settings, normal screen) with exit status 0.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/topo.sh"
. "$(dirname "$0")/burstctl_lib.sh"

bg_require_cmd tmux
tmp=$(mktemp -d)
TMUX_SOCK=bgtop$$
export TMUX_TMPDIR=$tmp

cleanup() {
	[[ -n ${floods:-} ]] && kill $floods 2>/dev/null
	tmux -L "$TMUX_SOCK" kill-server 2>/dev/null
	wait 2>/dev/null
	rm -rf "$tmp"
	bg_cleanup
}

topo_setup || bg_skip "cannot build the test topology"
bg_load rate=1/hour burst=3 max_sources=1000
check_err $? "insmod failed"
log_test "load" || exit "$EXIT_STATUS"

bc rule add port 8080 rate 10000/s burst 10000
bc rule add port 23 rate 1/hour burst 1
check_err $? "rule add failed"
# run.sh N: top in a terminal; afterwards, whether the terminal settings
# are what they were, and top's exit status.
cat >"$tmp/run.sh" <<EOF
before=\$(stty -g)
$BG_BURSTCTL top -d 5 </dev/tty &
echo \$! >$tmp/top\$1.pid
wait \$!
rc=\$?
[[ \$(stty -g) == "\$before" ]] && echo "RESTORED rc=\$rc" || echo "NOT RESTORED rc=\$rc"
sleep 600
EOF
# Session 1 gets the keys and q; session 2 gets SIGTERM at the end.
for n in 1 2; do
	tmux -L "$TMUX_SOCK" -f /dev/null new-session -d -s "v$n" -x 80 -y 24 \
		"ip netns exec $SRV bash $tmp/run.sh $n"
	check_err $? "tmux failed"
done
pane() {	# pane [N]: the text on session N's screen (default 1)
	tmux -L "$TMUX_SOCK" capture-pane -p -t "v${1:-1}"
}
keys() {
	tmux -L "$TMUX_SOCK" send-keys -t v1 "$@"
}
# wait_pane N SECONDS ERE: until session N's screen has a line matching ERE
# (polled here, not in a new process each time: processes are slow here).
wait_pane() {
	local i

	for ((i = 0; i < $2 * 2; i++)); do
		pane "$1" | grep -Eq -- "$3" && return 0
		sleep 0.5
	done
	return 1
}
# first_source: the first row under the SOURCE header, "prefix att/s ref/s"
first_source() {
	pane | awk '/^SOURCE/ { getline; print $1, $4, $5; exit }'
}
# next_frame: wait until the header's time changes (a new read).
next_frame() {
	local h i

	h=$(pane | head -n 1)
	for ((i = 0; i < 40; i++)); do
		sleep 0.5
		[[ $(pane | head -n 1) != "$h" ]] && return 0
	done
	return 1
}

wait_pane 1 30 '^SOURCE' && wait_pane 2 30 '^SOURCE'
check_err $? "the view did not come up: $(pane)"
# A at 100/s, allowed; B at 30/s, refused; C at 10/s: until killed.
flood() {	# flood SRC PORT PPS: in the background, adds its pid to $floods
	ip netns exec "$CLI" "$BG_TOOLS/bgsend" -i c0 --dst-mac "$SRV_MAC" \
		--dst 10.0.0.1 --src "$1" --dport "$2" --pps "$3" -c 1000000 >/dev/null &
	floods+=" $!"
}
flood 10.0.0.20 8080 100
flood 10.0.0.21 23 30
flood 10.0.0.22 8080 10
# Once all three show, the next frame's interval is all flood.
wait_pane 1 60 '^10\.0\.0\.22/32'
check_err $? "the senders do not show: $(pane)"
next_frame
check_err $? "no new frame: $(pane)"
read -r src rate ref <<<"$(first_source)"
[[ $src == 10.0.0.20/32 ]]
check_err $? "the flooding source is not on top: $(pane)"
(($(pane | wc -l) <= 24)) && pane | grep -q '^q quit' && ! pane | awk 'length > 80' | grep -q .
check_err $? "the view does not fit 80x24: $(pane)"
log_test "top in 80x24: the flooding source on top"

# The rate is the attempts over the interval. No check against a sender's
# pace (a busy host delays a paced sender, which then catches up: 121-157/s
# were seen for 100/s); instead a counted burst between two reads. Pause
# (top reads nothing while paused), wait past the interval, send exactly
# 300 SYNs from a new source, 10.0.0.23, to a port of the default limit
# (1/hour burst 3: 3 allowed, 297 refused, and no refill or GC forgets it
# during the test), and see the module count them all; then "p p": the
# first p unpauses, and since the interval is over top reads at once,
# then the second p pauses on that frame. Its header gives the interval I
# (one decimal) between the read before the burst and the one after, and
# the new source has all its attempts in it: its ATT/S must be 300 / I
# and its REF/S 297 / I, within the rounding of I (+-0.05 s) and of the
# rate (+-0.5), its ATTEMPTS exactly 300.
keys p
wait_pane 1 10 '\[paused\]'
check_err $? "p did not pause: $(pane)"
hdr=$(pane | head -n 1)
sleep 6	# past top's 5 s interval, so that unpausing reads at once
ip netns exec "$CLI" "$BG_TOOLS/bgsend" -i c0 --dst-mac "$SRV_MAC" \
	--dst 10.0.0.1 --src 10.0.0.23 --dport 9 -c 300 | grep -qx 'sent 300'
check_err $? "bgsend did not send 300 SYNs from 10.0.0.23"
busywait 10000 bash -c "[[ \$(ip netns exec $SRV awk '\$1 == \"10.0.0.23/32\" { print \$4 }' $BG_PROC/sources) == 300 ]]"
check_err $? "the module did not count 300 attempts of 10.0.0.23: $(ip netns exec "$SRV" cat "$BG_PROC/sources")"
[[ $(pane | head -n 1) == "$hdr" ]]
check_err $? "top read while paused: $(pane | head -n 1)"
keys p p
for ((i = 0; i < 40; i++)); do
	[[ $(pane | head -n 1) != "$hdr" ]] && pane | grep -q '^10\.0\.0\.23/32' &&
		pane | head -n 1 | grep -q '\[paused\]' && break
	sleep 0.5
done
view=$(pane)
interval=$(head -n 1 <<<"$view" | sed -n 's/.*  interval \([0-9.]*\)s .*/\1/p')
read -r src rate ref tokens attempts < <(awk '$1 == "10.0.0.23/32" { print $1, $4, $5, $6, $7 }' <<<"$view")
[[ $src == 10.0.0.23/32 && $attempts == 300 && -n $interval ]] &&
	python3 -c '
import sys
i = float(sys.argv[1])
def near(n, r):
    return n / (i + 0.05) - 0.5 <= float(r) <= n / (i - 0.05) + 0.5
sys.exit(not (i > 0.05 and near(300, sys.argv[2]) and near(297, sys.argv[3])))' \
		"$interval" "$rate" "$ref"
check_err $? "300 attempts (297 refused) in an interval of ${interval:-?}s, shown as ${rate:-?}/s (${ref:-?}/s refused), attempts ${attempts:-?}: $view"
log_info "10.0.0.23/32: 300 attempts in ${interval}s, shown as $rate/s ($ref/s refused)"
keys p
wait_pane 1 10 '^10\.0\.0\.23/32 +[^ ]+ +[^ ]+ +0 '
check_err $? "after unpausing, the next frame does not show 10.0.0.23 at 0/s: $(pane)"
log_test "a source's attempts/s is its attempts over the interval: 300 in one interval"

keys r
wait_pane 1 10 'by refusals/s'
read -r src rate ref <<<"$(first_source)"
[[ $src == 10.0.0.21/32 ]]
check_err $? "sorted by refusals, 10.0.0.21 is not on top: $(pane)"
keys a
wait_pane 1 10 'by attempts/s'
[[ $(first_source) == "10.0.0.20/32 "* ]]
check_err $? "sorted by attempts/s again, 10.0.0.20 is not on top: $(pane)"
log_test "keys r and a sort by refusals/s and attempts/s"

keys / 10.0.0.22 Enter
wait_pane 1 10 'filter: 10\.0\.0\.22/32'
check_err $? "no filter shown: $(pane)"
shown=$(pane | awk '/^SOURCE/ { on = 1; next } on && /^[0-9]/ { print $1 }' | sort -u | tr '\n' ' ')
[[ $shown == "10.0.0.22/32 " ]]
check_err $? "filtered by 10.0.0.22, shows: $shown"
keys c
log_test "/ filters by prefix"

tmux -L "$TMUX_SOCK" resize-window -t v1 -x 120 -y 40
for ((i = 0; i < 20; i++)); do
	[[ $(pane | grep -n '^q quit' | cut -d: -f1) == 40 ]] && break
	sleep 0.5
done
[[ $(pane | grep -n '^q quit' | cut -d: -f1) == 40 ]]
check_err $? "after a resize to 120x40 the key line is not on line 40: $(pane)"
log_test "a resize redraws at the new size"

keys q
wait_pane 1 20 'RESTORED rc='
out=$(pane | grep 'RESTORED rc=')
[[ $out == "RESTORED rc=0" ]]
check_err $? "after q: '$out'"
! pane | grep -q '^SOURCE'
check_err $? "the view is still on the screen after q: $(pane)"
log_test "q quits and restores the terminal"

kill -TERM "$(cat "$tmp/top2.pid")"
wait_pane 2 20 'RESTORED rc='
out=$(pane 2 | grep 'RESTORED rc=')
[[ $out == "RESTORED rc=0" ]]
check_err $? "after SIGTERM: '$out'"
! pane 2 | grep -q '^SOURCE'
check_err $? "the view is still on the screen after SIGTERM: $(pane 2)"
log_test "SIGTERM ends it and restores the terminal"

kill $floods 2>/dev/null
wait $floods 2>/dev/null
floods=
exit "$EXIT_STATUS"
