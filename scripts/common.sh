# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Shared by the host-side scripts (sourced, not run). One place for the
# repository layout, the list of test kernels and kbuild-style messages.

BG_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BG_CACHE=$BG_REPO/.cache

# The kernels every change is built and tested against (Debian's 6.1 and
# bookworm-backports' 6.12). Their exact ABI names are resolved by
# scripts/deps from the archive and recorded in $BG_CACHE/kernels/KVER.abi.
BG_KVERS=(6.1 6.12)

# say TAG TEXT: one short line like kbuild's "  CC      foo.o".
say() {
	printf '  %-8s%s\n' "$1" "$2"
}

die() {
	printf '%s: error: %s\n' "${0##*/}" "$*" >&2
	exit 1
}

# bg_abi KVER: the ABI (uname -r) of a test kernel, as scripts/deps recorded it.
bg_abi() {
	local f=$BG_CACHE/kernels/$1.abi

	[[ -s $f ]] || die "kernel $1 is not set up: run 'make deps' (as root)"
	cat "$f"
}

# bg_kernel_tree KVER: where that kernel's image and modules were extracted.
bg_kernel_tree() {
	echo "$BG_CACHE/kernels/$(bg_abi "$1")"
}
