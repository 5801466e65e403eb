#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# burstguard.ko loads and unloads cleanly, twice in a row (a second load
# fails if the first unload left anything registered), and taints the
# kernel with nothing but O and E. tests/vm/run fails the run on any
# warning the module prints on the way.
. "$(dirname "$0")/lib.sh"

[[ -f $BG_KO ]] || { echo "FAIL: no module at $BG_KO (BG_KO); make check builds it"; exit "$ksft_fail"; }

for round in 1 2; do
	bg_load
	check_err $? "insmod $BG_KO failed"
	bg_loaded
	check_err $? "/sys/module/burstguard missing after insmod"
	[[ $(cat /sys/module/burstguard/refcnt 2>/dev/null) == 0 ]]
	check_err $? "refcnt after load is '$(cat /sys/module/burstguard/refcnt 2>/dev/null)', not 0"
	[[ $(cat /sys/module/burstguard/taint 2>/dev/null) == *O* ]]
	check_err $? "module taint is '$(cat /sys/module/burstguard/taint 2>/dev/null)', without O (out-of-tree)"
	log_test "load ($round)"

	bg_unload
	check_err $? "rmmod burstguard failed"
	! bg_loaded
	check_err $? "/sys/module/burstguard still there after rmmod"
	log_test "unload ($round)"
done

bg_taint_ok
check_err $? "kernel taint $(</proc/sys/kernel/tainted): more than O and E"
log_test "no taint but O and E"

exit "$EXIT_STATUS"
