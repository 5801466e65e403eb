# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Helpers for burstguard's shell tests, in the style of the kernel's
# tools/testing/selftests/net/lib.sh. A test does:
#
#     . "$(dirname "$0")/lib.sh"
#     setup_ns NS1 NS2          # creates namespaces, sets $NS1, $NS2
#     bg_load                   # its dependencies first, then burstguard.ko
#     ip netns exec "$NS1" ...; check_err $? "what went wrong"
#     log_test "what was tested"
#     exit "$EXIT_STATUS"		# 0 pass, 1 fail (bg_skip: 4)
#
# The EXIT trap calls cleanup(): by default it deletes the namespaces and
# unloads the module; a test that needs more defines its own cleanup() after
# sourcing this file and calls bg_cleanup from it.
#
# Tests run as root in a guest (tests/vm/run), whose / is read-only: write
# only under /tmp. Traffic only inside namespaces the test created.
#
# Environment (defaults for the guest kernel that runs the test):
#   BG_ABI       its uname -r; BG_KVER (6.1, 6.12) comes from tests/vm/run
#   BG_KO        the module to load   (.cache/build/$BG_ABI/burstguard.ko)
#   BG_MODDIR    extracted kernel tree, for modprobe -d (.cache/kernels/$BG_ABI)
#   BG_BURSTCTL  the CLI              (userspace/burstctl)
#   BG_TOOLS     test tools           (tests/tools)

# tests/vm/run exports BG_REPO and BG_ABI: every process costs a good part
# of a second under TCG, so only compute them when run some other way.
BG_REPO=${BG_REPO:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
BG_ABI=${BG_ABI:-$(uname -r)}
BG_KO=${BG_KO:-$BG_REPO/.cache/build/$BG_ABI/burstguard.ko}
BG_MODDIR=${BG_MODDIR:-$BG_REPO/.cache/kernels/$BG_ABI}
BG_BURSTCTL=${BG_BURSTCTL:-$BG_REPO/userspace/burstctl}
BG_TOOLS=${BG_TOOLS:-$BG_REPO/tests/tools}
BG_PROC=/proc/net/burstguard

# Modules burstguard.ko needs loaded before it (it calls into them:
# modinfo -F depends).
BG_MOD_DEPS=(nf_reject_ipv4 nf_reject_ipv6 nf_defrag_ipv4 nf_defrag_ipv6)

# kselftest exit codes
ksft_pass=0
ksft_fail=1
ksft_xfail=2
ksft_skip=4

# RET: result of the current test case (reset by log_test);
# EXIT_STATUS: of the whole script.
RET=0
EXIT_STATUS=0
retmsg=
NS_LIST=()

##############################################################################
# Results

# check_err RC MSG: the step should have succeeded (RC 0).
check_err() {
	if ((RET == 0 && $1 != 0)); then
		RET=$ksft_fail
		retmsg=$2
	fi
}

# check_fail RC MSG: the step should have failed (RC not 0).
check_fail() {
	if ((RET == 0 && $1 == 0)); then
		RET=$ksft_fail
		retmsg=$2
	fi
}

# log_test NAME: report the case ended by this call, then start a new one.
# Returns 1 if it failed: 'log_test "setup" || exit' stops a test whose
# later steps make no sense without this one.
log_test() {
	local ret=$RET

	if ((ret == ksft_pass)); then
		printf 'TEST: %-60s  [ OK ]\n' "$1"
	else
		printf 'TEST: %-60s  [FAIL]\n\t%s\n' "$1" "$retmsg"
		EXIT_STATUS=$ksft_fail
	fi
	RET=0
	retmsg=
	((ret == ksft_pass))
}

log_info() {
	echo "INFO: $*"
}

# bg_skip REASON: the whole test cannot run here (exit code 4). After a
# failed case (EXIT_STATUS or RET set) a skip would hide the failure: the
# test then fails (exit code 1) instead.
bg_skip() {
	if ((EXIT_STATUS != 0 || RET != 0)); then
		echo "FAIL: skip ($*) after a failed case: the test fails"
		exit "$ksft_fail"
	fi
	echo "SKIP: $*"
	exit "$ksft_skip"
}

# bg_require_cmd CMD...: skip unless each command exists.
bg_require_cmd() {
	local c

	for c in "$@"; do
		command -v "$c" >/dev/null || bg_skip "$c not found"
	done
}

##############################################################################
# The kernel log. Never clear it (dmesg -C): tests/run_all and tests/vm/run
# check it for splats. A test that looks for its own log lines marks where
# they start instead.

# bg_log_mark: write a marker into the kernel log; bg_log_since prints
# the kernel log after the last marker.
BG_LOG_MARK=
bg_log_mark() {
	BG_LOG_MARK="bg_test[$$]: mark $RANDOM$RANDOM"
	echo "$BG_LOG_MARK" >/dev/kmsg
}

bg_log_since() {
	dmesg | awk -v m="$BG_LOG_MARK" 'found; !found && substr($0, length($0) - length(m) + 1) == m { found = 1 }'
}

##############################################################################
# Waiting

# busywait TIMEOUT_MS CMD...: run CMD until it succeeds; 1 on timeout.
# Prints CMD's last output, so 'x=$(busywait 2000 get_x)' works.
busywait() {
	local timeout_ms=$1 out end
	shift

	end=$(($(date +%s%3N) + timeout_ms))
	while true; do
		out=$("$@") && { printf '%s' "$out"; return 0; }
		(($(date +%s%3N) > end)) && { printf '%s' "$out"; return 1; }
		sleep 0.05
	done
}

##############################################################################
# Network namespaces

# setup_ns VAR...: for each VAR create a namespace with a unique name,
# store the name in $VAR, bring its lo up. cleanup() deletes them.
setup_ns() {
	local var name

	for var in "$@"; do
		name=${var,,}-$(mktemp -u XXXXXX)
		ip netns add "$name" || return "$ksft_fail"
		NS_LIST+=("$name")
		ip -n "$name" link set lo up || return "$ksft_fail"
		printf -v "$var" '%s' "$name"
	done
}

# cleanup_ns NAME...: kill what runs in them, delete them.
cleanup_ns() {
	local ns rest=()

	for ns in "$@"; do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null
		ip netns del "$ns" 2>/dev/null
	done
	for ns in "${NS_LIST[@]}"; do
		[[ " $* " == *" $ns "* ]] || rest+=("$ns")
	done
	NS_LIST=("${rest[@]}")
}

cleanup_all_ns() {
	cleanup_ns "${NS_LIST[@]}"
}

# in_ns NS CMD...: run CMD in namespace NS; NS "" is the initial one.
in_ns() {
	local ns=$1
	shift

	if [[ -n $ns ]]; then
		ip netns exec "$ns" "$@"
	else
		"$@"
	fi
}

##############################################################################
# The module

# bg_modprobe MOD...: load modules of the guest kernel (veth, nf_tables, ...).
bg_modprobe() {
	local m

	for m in "$@"; do
		modprobe -d "$BG_MODDIR" "$m" || { echo "modprobe $m failed" >&2; return 1; }
	done
}

bg_loaded() {
	[[ -d /sys/module/burstguard ]]
}

# bg_load [PARAM=VALUE...]: load burstguard.ko with these parameters, after
# its dependencies. A copy left loaded by an earlier test is removed first.
bg_load() {
	[[ -f $BG_KO ]] || { echo "no module at $BG_KO (BG_KO)" >&2; return 1; }
	if bg_loaded; then
		log_info "burstguard was still loaded; unloading it first"
		bg_unload || return 1
	fi
	bg_modprobe "${BG_MOD_DEPS[@]}" || return 1
	insmod "$BG_KO" "$@"
}

# bg_unload: rmmod, and wait until the module is really gone.
bg_unload() {
	rmmod burstguard || return 1
	busywait 5000 bash -c '! test -e /sys/module/burstguard' >/dev/null
}

# bg_taint_ok: the kernel carries no taint but O (out-of-tree) and E
# (unsigned module), which loading burstguard.ko is expected to set.
bg_taint_ok() {
	local t

	t=$(</proc/sys/kernel/tainted)
	if ((t & ~((1 << 12) | (1 << 13)))); then
		echo "kernel taint $t has flags other than O and E" >&2
		return 1
	fi
}

# bg_counter NS NAME: print counter NAME from /proc/net/burstguard/stats
# ("name value" lines) as seen in namespace NS ("" for the initial one).
bg_counter() {
	in_ns "$1" awk -v name="$2" '$1 == name { print $2; found = 1 }
		END { exit !found }' "$BG_PROC/stats"
}

# The default EXIT trap. Tests may redefine cleanup() and call bg_cleanup.
bg_cleanup() {
	cleanup_all_ns
	if bg_loaded; then
		rmmod burstguard 2>/dev/null
	fi
	return 0
}

cleanup() {
	bg_cleanup
}

trap cleanup EXIT
