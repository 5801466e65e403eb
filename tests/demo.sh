#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The guest side of 'make demo' (tests/vm/run 6.12 tests/demo.sh): the whole
# story in a few narrated steps, with the real commands and their real
# output. A web server (10.0.0.1) in one network namespace; in another, a
# well-behaved client (10.0.0.2) and a bot (10.0.0.66, crafted SYNs from
# the same link). Load, set a limit, watch events, flood, and the module's
# own view at the end: the bot refused, the client never noticed.
# Not a test, but it fails if a step fails.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/topo.sh"

PATH=$(dirname "$BG_BURSTCTL"):$BG_TOOLS:$PATH
FLOOD=20000	# SYNs from the bot
PPS=5000	# its pace: the flood lasts while the client connects
tmp=$(mktemp -d)
pids=()

cleanup() {
	local p

	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null
	done
	wait 2>/dev/null
	rm -rf "$tmp"
	bg_cleanup
}

step() {
	printf '\n== %s\n' "$*"
}

# server CMD... / client CMD...: show the command with a prompt that says
# where it runs, then run it there.
server() {
	printf '[server]# %s\n' "$*"
	ip netns exec "$SRV" "$@" || die "'$*' failed"
}

client() {
	printf '[client]$ %s\n' "$*"
	ip netns exec "$CLI" "$@" || die "'$*' failed"
}

die() {
	echo "demo: $*" >&2
	exit 1
}

# counter NAME: one counter of the server's /proc/net/burstguard/stats.
counter() {
	bg_counter "$SRV" "$1"
}

topo_setup || die "cannot set up the namespaces"
echo "burstguard on Linux $(uname -r): a web server, 10.0.0.1:80, in one network"
echo "namespace; a client, 10.0.0.2, and a bot, 10.0.0.66, in another."

step "1. Load the module; its parameters are every namespace's defaults"
printf '[server]# insmod burstguard.ko\n'
bg_load || die "insmod failed"
server burstctl show

step "2. Limit new connections to port 80: 1/s per source, bursts of 20, then a 1 minute ban"
server burstctl rule add port 80 rate 1/s burst 20 ban 1m
server burstctl rule list

step "3. Watch events, and start the web server"
printf '[server]# burstctl monitor > events &\n'
ip netns exec "$SRV" burstctl monitor >"$tmp/events" 2>"$tmp/monitor.err" &
pids+=($!)
busywait 5000 grep -q monitoring "$tmp/monitor.err" >/dev/null || die "monitor did not start"
server bgconnect --listen 10.0.0.1 80 --daemon

step "4. The client connects (bgconnect: real TCP connections)"
client bgconnect 10.0.0.1 80 -c 5 --interval 250 --timeout 300

step "5. The bot floods $FLOOD SYNs at port 80; meanwhile the client keeps connecting"
printf '[bot]$ bgsend -i c0 --src 10.0.0.66 --dst 10.0.0.1 --dport 80 -c %s --pps %s &\n' "$FLOOD" "$PPS"
ip netns exec "$CLI" bgsend -i c0 --dst-mac "$SRV_MAC" --src 10.0.0.66 --dst 10.0.0.1 \
	--dport 80 -c "$FLOOD" --pps "$PPS" >"$tmp/bot" 2>&1 &
bot=$!
pids+=("$bot")
client bgconnect 10.0.0.1 80 -c 10 --interval 250 --timeout 300 | tee "$tmp/client"
wait "$bot" || die "bgsend failed: $(<"$tmp/bot")"
printf '[bot]   %s (done)\n' "$(<"$tmp/bot")"

step "6. What burstctl monitor printed meanwhile"
busywait 3000 grep -q 10.0.0.66 "$tmp/events" >/dev/null
cat "$tmp/events"

step "7. The module's view: the bot refused, the client untouched"
server burstctl sources
server cat /proc/net/burstguard/stats
server cat /proc/net/burstguard/sources

read -r _ ok _ refused _ timeout < <(tail -n 1 "$tmp/client")
bot_in=$(ip netns exec "$SRV" awk '$1 == "10.0.0.66/32" { print $4 - $5 }' "$BG_PROC/sources")
printf '\nThe bot got %s of its %s SYNs through, %s were refused (%s during the ban);\n' \
	"$bot_in" "$FLOOD" "$(($(counter dropped) + $(counter banned)))" "$(counter banned)"
printf 'the client connected %s times out of %s while it flooded (refused %s, timed out %s).\n' \
	"$ok" 10 "$refused" "$timeout"
