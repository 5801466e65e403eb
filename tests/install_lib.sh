# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Helpers of install.sh and install_live.sh, sourced after lib.sh: a
# scratch directory, mounts undone at exit, make in the (read-only)
# repository, and checks of installed files.

bg_require_cmd make systemctl systemd-analyze depmod modprobe modinfo
REL=$(uname -r)
stage=$(mktemp -d /tmp/install.XXXXXX)
log=$stage.log
mounts=()

cleanup() {
	local i

	for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do
		umount "${mounts[i]}" 2>/dev/null
	done
	bg_cleanup
	rm -rf "$stage" "$stage.ov" "$log"
}

# mk ARGS...: make in the repository with the module built for this
# kernel; output in $log (shown when a step fails).
mk() {
	make -C "$BG_REPO" --no-print-directory KO="$BG_KO" "$@" >"$log" 2>&1 && return 0
	sed 's/^/  make: /' "$log" | tail -n 20
	return 1
}

# files ROOT: every file and link under ROOT, relative, sorted.
files() {
	(cd "$1" && find . -not -type d | sed 's|^\./||' | sort)
}

# expect_files_modes ROOT "PATH MODE [SOURCE]"...: exactly these files
# under ROOT (PATHs in sort order), regular files with MODE and, where
# SOURCE is given, the same bytes. One stat for all: every exec is slow here.
expect_files_modes() {
	local root=$1 spec path mode src got want=()
	shift

	for spec in "$@"; do
		want+=("${spec%% *}")
	done
	expect_files "$root" "$(printf '%s\n' "${want[@]}")" || return 1
	got=$(cd "$root" && stat -c '%F %a' "${want[@]}")
	for spec in "$@"; do
		read -r path mode src <<<"$spec"
		read -r -a f <<<"${got%%$'\n'*}"
		got=${got#*$'\n'}
		[[ ${f[*]} == "regular file $mode" ]] ||
			check_err 1 "$path: ${f[*]}, want regular file $mode"
		[[ -z $src ]] || cmp -s "$src" "$root/$path" ||
			check_err 1 "$path: differs from $src"
	done
}

# expect_files ROOT LIST: exactly these files (and links) under ROOT.
expect_files() {
	local got

	got=$(files "$1")
	[[ $got == "$2" ]] && return 0
	check_err 1 "files under $1: $(diff <(echo "$2") <(echo "$got") | grep '^[<>]' | tr '\n' ' ')"
}

# unit_lines UNIT KEY: the values of KEY= lines (ExecStart, ...) of UNIT.
unit_lines() {
	sed -n "s/^$2=//p" "$1"
}

[[ -f $BG_KO ]] || bg_skip "no module at $BG_KO"
[[ $(modinfo -F vermagic "$BG_KO") == "$REL "* ]]
check_err $? "$BG_KO is not for $REL"
log_test "the module to install is for this kernel ($REL)" || exit "$EXIT_STATUS"
