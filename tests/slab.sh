# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Slab object counts for the adversarial tests (sourced after lib.sh).
#
# /sys/kernel/slab/CACHE/objects counts the objects of a cache, but two
# things make it inexact: SLUB merges caches of the same size (Debian's
# kernels do: burstguard_src4 shares ":0000064" with other users), and
# objects free in a CPU's slab still count as used. slab_exact tells
# whether CACHE is a cache of its own (the debug kernel disables merging);
# slab_objects shrinks it first (flushing the CPU slabs), so what it prints
# is exactly the objects in use. slab_objects_fast skips the shrink (an
# upper bound, cheap enough to sample during a flood).

# slab_exact CACHE: CACHE exists and no other cache is merged into it.
slab_exact() {
	local d=/sys/kernel/slab/$1

	[[ -r $d/objects && -r $d/aliases ]] && (($(<"$d/aliases") == 0))
}

# slab_objects CACHE: objects in use now (after a shrink).
slab_objects() {
	local d=/sys/kernel/slab/$1 v

	echo 1 >"$d/shrink" 2>/dev/null
	read -r v _ <"$d/objects" || return 1
	echo "$v"
}

slab_objects_fast() {
	local v

	read -r v _ <"/sys/kernel/slab/$1/objects" || return 1
	echo "$v"
}
