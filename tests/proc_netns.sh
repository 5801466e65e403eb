#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# /proc/net/burstguard/ exists in every network namespace while the module
# is loaded: the initial one, those that existed before the load, one
# created after it; and in none after the unload. Deleting a namespace
# while loaded must run the module's per-namespace exit without a splat.
. "$(dirname "$0")/lib.sh"

# proc_dir_in NS: is the module's /proc directory there in namespace NS?
proc_dir_in() {
	in_ns "$1" test -d "$BG_PROC"
}

setup_ns NS1 NS2 || bg_skip "cannot create network namespaces"

bg_load
check_err $? "insmod $BG_KO failed"
log_test "load" || exit "$EXIT_STATUS"

setup_ns NS3
check_err $? "cannot create a namespace while loaded"
for ns in "" "$NS1" "$NS2" "$NS3"; do
	proc_dir_in "$ns"
	check_err $? "no $BG_PROC in namespace '${ns:-init}'"
done
log_test "$BG_PROC in init, 2 older and 1 newer namespaces"

cleanup_ns "$NS2"
ip netns list | grep -qw "$NS2"
check_fail $? "namespace $NS2 still listed after deletion"
proc_dir_in "$NS1"
check_err $? "$BG_PROC gone from $NS1 after deleting $NS2"
log_test "delete a namespace while loaded"

bg_unload
check_err $? "rmmod burstguard failed"
for ns in "" "$NS1" "$NS3"; do
	! proc_dir_in "$ns"
	check_err $? "$BG_PROC still in namespace '${ns:-init}' after unload"
done
log_test "$BG_PROC gone everywhere after unload"

exit "$EXIT_STATUS"
