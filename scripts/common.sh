# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Shared by the host-side scripts (sourced, not run). One place for the
# repository layout, the list of test kernels and kbuild-style messages.

BG_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BG_CACHE=$BG_REPO/.cache

# The kernels every change is built and tested against, oldest first:
# Debian 11's 5.10, Debian 12's 6.1, bookworm-backports' 6.12 and the newest
# series Debian offers (trixie-backports' 7.3). Where each comes from is in
# scripts/deps (SUITES); their exact ABI names are resolved there from the
# archive and recorded in $BG_CACHE/kernels/KVER.abi for the other scripts.
BG_KVERS=(5.10 6.1 6.12 7.3)
# Other series Debian offers headers for: the module is built against them
# (W=1, -Werror, and through DKMS), but no guest boots them.
BG_BUILD_KVERS=(7.2)
# The kernels of other Debian suites, and the suite whose chroot (made by
# scripts/deps) builds for each; every other kernel is Debian 12's own.
declare -A BG_CHROOT_SUITE=([5.10]=bullseye [7.2]=trixie [7.3]=trixie)

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

# bg_chroot KVER: the Debian chroot (under $BG_CACHE/chroot/) whose
# toolchain builds modules for KVER, or nothing for a kernel whose headers
# the host (Debian 12) runs itself. A kernel of another suite is built
# with that suite's compiler and glibc, as Debian built it.
bg_chroot() {
	local f=$BG_CACHE/kernels/$1.chroot

	[[ -s $f ]] || return 0
	echo "$BG_CACHE/chroot/$(<"$f")"
}

# bg_kdir KVER: the kernel build directory (make -C) of KVER, as seen by
# whatever runs the build (the host, or bg_chroot's chroot).
bg_kdir() {
	local abi root

	abi=$(bg_abi "$1")
	root=$(bg_chroot "$1")
	if [[ -n $root ]]; then
		[[ -e $root/usr/src/linux-headers-$abi/Makefile ]] ||
			die "headers of $abi are not in $root: run 'make deps' (as root)"
		echo "/usr/src/linux-headers-$abi"
	elif [[ -e /lib/modules/$abi/build/Makefile ]]; then
		echo "/lib/modules/$abi/build"
	else
		# the debug kernel (scripts/debug-kernel) has no installed headers
		echo "$(bg_kernel_tree "$1")/lib/modules/$abi/build"
	fi
}

# bg_run KVER CMD...: run CMD where KVER's modules are built: on the host,
# or (as root) in bg_chroot's chroot, in a private mount namespace that
# shows the repository at its own path, /dev and /proc. Mounts end with CMD.
bg_run() {
	local root

	root=$(bg_chroot "$1")
	shift
	if [[ -z $root ]]; then
		"$@"
		return
	fi
	[[ -e $root/.complete ]] || die "no chroot $root: run 'make deps' (as root)"
	((EUID == 0)) || die "building in the chroot $root needs root"
	mkdir -p "$root$BG_REPO"
	# shellcheck disable=SC2016
	unshare --mount --propagation private -- /bin/sh -ec '
		root=$1 repo=$2
		shift 2
		mount --bind "$repo" "$root$repo"
		mount --rbind /dev "$root/dev"
		mount -t proc proc "$root/proc"
		cd "$PWD" 2>/dev/null || cd "$repo"
		exec chroot "$root" /usr/bin/env -C "$PWD" PATH=/usr/sbin:/usr/bin:/sbin:/bin "$@"
	' bg_run "$root" "$BG_REPO" "$@"
}
