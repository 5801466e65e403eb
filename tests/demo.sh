#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The guest side of 'make demo' (tests/vm/run 6.12 tests/demo.sh): shows
# what burstguard does, as a transcript of commands and their output.
# Extend it as the module grows; it is not a test, it only must not fail.
. "$(dirname "$0")/lib.sh"

# show CMD...: print the command like a shell prompt would, then run it.
show() {
	printf '\n$ %s\n' "$*"
	"$@"
}

echo "== the module"
show modinfo -F description "$BG_KO"
show modinfo -F parm "$BG_KO"

echo
echo "== loading it"
setup_ns CLIENT SERVER || exit 1
bg_load || exit 1
show cat /proc/sys/kernel/tainted
show cat /sys/module/burstguard/taint
for p in /sys/module/burstguard/parameters/*; do
	[[ -e $p ]] && printf '%s = %s\n' "${p##*/}" "$(<"$p")"
done

echo
echo "== a /proc/net/burstguard/ in every network namespace"
for ns in "$CLIENT" "$SERVER"; do
	show ip netns exec "$ns" ls "$BG_PROC"
done
if [[ -e $BG_PROC/stats ]]; then
	show ip netns exec "$SERVER" cat "$BG_PROC/stats"
fi

if [[ -x $BG_BURSTCTL ]]; then
	echo
	echo "== burstctl"
	show "$BG_BURSTCTL" --help | head -n 20
fi

echo
echo "== unloading it"
show bg_unload || exit 1
show ip netns exec "$SERVER" ls "$BG_PROC" 2>&1
echo
echo "demo done"
