#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make install / make uninstall, as an operator runs them:
#  - into a staging root (DESTDIR) with the default PREFIX and with
#    PREFIX=/usr: every file is where it belongs with the right mode and
#    content, and nothing else is installed; the example configurations
#    are valid (their commented lines, uncommented, load and restore);
#    an edited configuration survives install and uninstall; uninstall
#    also removes an enabled unit's link and leaves no other file;
#  - on the guest's live system (writable overlays over /etc, /usr/local
#    and this kernel's /lib/modules): depmod makes 'modprobe burstguard'
#    work with its dependencies, the unit passes systemd-analyze verify
#    (man page found), and its ExecStart/ExecReload/ExecStop lines, run as
#    systemd would, load the module with /etc/modprobe.d options, apply
#    /etc/burstguard.conf, re-apply it and unload the module; uninstall
#    takes it all away again.
# The repository is read-only here: make install must not need to build.
. "$(dirname "$0")/lib.sh"

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

# expect_file ROOT PATH MODE [SOURCE]: PATH exists under ROOT as a regular
# file with MODE and, if SOURCE is given, the same bytes.
expect_file() {
	local f=$1/$2 mode

	[[ -f $f && ! -L $f ]] || { check_err 1 "$2: missing"; return 1; }
	mode=$(stat -c %a "$f")
	[[ $mode == "$3" ]] || check_err 1 "$2: mode $mode, want $3"
	[[ -z ${4:-} ]] || cmp -s "$4" "$f" || check_err 1 "$2: differs from $4"
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

# ---------------------------------------------------------------------------
[[ -f $BG_KO ]] || bg_skip "no module at $BG_KO"
[[ $(modinfo -F vermagic "$BG_KO") == "$REL "* ]]
check_err $? "$BG_KO is not for $REL"
log_test "the module to install is for this kernel ($REL)" || exit "$EXIT_STATUS"

us=$BG_REPO/userspace
pk=$BG_REPO/packaging
mk install DESTDIR="$stage/a"
check_err $? "make install DESTDIR=... failed"
grep -q "SKIP    depmod" "$log"
check_err $? "depmod not skipped for a staging root without modules"
a=$stage/a
unit=usr/local/lib/systemd/system/burstguard.service
expect_file "$a" "lib/modules/$REL/updates/burstguard.ko" 644 "$BG_KO"
expect_file "$a" usr/local/sbin/burstctl 755 "$us/burstctl"
expect_file "$a" usr/local/share/man/man8/burstctl.8 644 "$us/burstctl.8"
expect_file "$a" usr/local/share/bash-completion/completions/burstctl 644 \
	"$us/burstctl.bash-completion"
expect_file "$a" "$unit" 644
expect_file "$a" etc/burstguard.conf 644 "$pk/burstguard.conf"
expect_file "$a" etc/modprobe.d/burstguard.conf 644 "$pk/modprobe.conf"
expect_files "$a" "$(printf '%s\n' etc/burstguard.conf etc/modprobe.d/burstguard.conf \
	"lib/modules/$REL/updates/burstguard.ko" "$unit" usr/local/sbin/burstctl \
	usr/local/share/bash-completion/completions/burstctl \
	usr/local/share/man/man8/burstctl.8 | sort)"
log_test "DESTDIR install: every file in place, nothing else"

got=$(grep -E '^(Exec|WantedBy)' "$a/$unit")
want="ExecStart=/sbin/modprobe burstguard
ExecStart=/usr/local/sbin/burstctl restore /etc/burstguard.conf
ExecReload=/usr/local/sbin/burstctl restore /etc/burstguard.conf
ExecStop=/sbin/modprobe -r burstguard
WantedBy=multi-user.target"
[[ $got == "$want" ]]
check_err $? "unit's commands: $got"
[[ $(<"$a/$unit") != *@* ]]
check_err $? "unit has an unsubstituted @VARIABLE@"
out=$(bash -c '. "$1" && complete -p burstctl' _ \
	"$a/usr/local/share/bash-completion/completions/burstctl" 2>&1)
[[ $out == "complete -F _burstctl burstctl" ]]
check_err $? "bash completion does not load: $out"
log_test "the unit's commands and bash completion"

# The examples: every commented command line, uncommented, is valid.
setup_ns NS
opts=$(sed -n 's/^#options burstguard //p' "$a/etc/modprobe.d/burstguard.conf" | tr '\n' ' ')
[[ -n $opts ]]
check_err $? "no '#options burstguard' lines in the modprobe.d example"
# shellcheck disable=SC2086
bg_load $opts
check_err $? "the example's options do not load: $opts"
sed -E 's/^#((set|rule|allow|deny) )/\1/' "$a/etc/burstguard.conf" >"$stage/conf"
ip netns exec "$NS" "$BG_BURSTCTL" restore "$stage/conf"
check_err $? "burstctl restore of the uncommented example failed"
saved=$(ip netns exec "$NS" "$BG_BURSTCTL" save)
[[ $saved == *"rule add port 22 rate 3/min burst 5 ban 10m"* ]]
check_err $? "the SSH rule was not applied: $saved"
ip netns exec "$NS" "$BG_BURSTCTL" restore "$a/etc/burstguard.conf"
check_err $? "restore of the example as installed (all comments) failed"
bg_unload
cleanup_ns "$NS"
log_test "example configs: options load, commands restore"

mk install DESTDIR="$stage/b" PREFIX=/usr SYSTEMDUNITDIR=/lib/systemd/system
check_err $? "make install PREFIX=/usr failed"
b=$stage/b
expect_files "$b" "$(printf '%s\n' etc/burstguard.conf etc/modprobe.d/burstguard.conf \
	"lib/modules/$REL/updates/burstguard.ko" lib/systemd/system/burstguard.service \
	usr/sbin/burstctl usr/share/bash-completion/completions/burstctl \
	usr/share/man/man8/burstctl.8 | sort)"
[[ $(unit_lines "$b/lib/systemd/system/burstguard.service" ExecReload) == \
	"/usr/sbin/burstctl restore /etc/burstguard.conf" ]]
check_err $? "unit does not follow SBINDIR"
log_test "PREFIX=/usr SYSTEMDUNITDIR=/lib/systemd/system"

echo "set burst 9" >>"$a/etc/burstguard.conf"
cp "$a/etc/burstguard.conf" "$stage/edited"
mk install DESTDIR="$stage/a"
check_err $? "second make install failed"
grep -q "KEEP    $a/etc/burstguard.conf" "$log" && cmp -s "$stage/edited" "$a/etc/burstguard.conf"
check_err $? "install overwrote an edited /etc/burstguard.conf"
systemctl --root="$a" enable burstguard.service >/dev/null 2>&1
check_err $? "systemctl --root enable failed"
[[ -L $a/etc/systemd/system/multi-user.target.wants/burstguard.service ]]
check_err $? "enable made no link"
mk uninstall DESTDIR="$stage/a"
check_err $? "make uninstall failed"
grep -q "KEEP    $a/etc/burstguard.conf (changed" "$log"
check_err $? "uninstall did not say it kept the edited config"
expect_files "$a" etc/burstguard.conf
mk uninstall DESTDIR="$stage/b" PREFIX=/usr SYSTEMDUNITDIR=/lib/systemd/system
check_err $? "make uninstall PREFIX=/usr failed"
expect_files "$b" ""
log_test "uninstall: unit disabled, all gone but an edited config"

# ---------------------------------------------------------------------------
# The live system: writable overlays where make install writes, and in
# place of this kernel's /lib/modules a copy with only burstguard's
# dependencies (depmod over all of a kernel's modules takes minutes here).
bg_modprobe overlay || bg_skip "no overlayfs"
for d in /etc /usr/local; do
	o=$stage.ov/${d//\//_}
	mkdir -p "$o/upper" "$o/work"
	mount -t overlay overlay -o "lowerdir=$d,upperdir=$o/upper,workdir=$o/work" "$d" ||
		bg_skip "cannot overlay $d"
	mounts+=("$d")
done
mods=$stage.ov/modules
# shellcheck disable=SC2046
for ko in $(modprobe --show-depends -a $(modinfo -F depends "$BG_KO" | tr , ' ') |
	    awk '$1 == "insmod" { print $2 }'); do
	install -D -m 0644 "$ko" "$mods/${ko#*/"$REL"/}"
done
cp "/lib/modules/$REL"/modules.{order,builtin,builtin.modinfo} "$mods/"
mount --bind "$mods" "/lib/modules/$REL" || bg_skip "cannot replace /lib/modules/$REL"
mounts+=("/lib/modules/$REL")
depmod "$REL"
check_err $? "depmod of the reduced module tree failed"
[[ ! -e /etc/burstguard.conf && ! -e /usr/local/sbin/burstctl ]] ||
	bg_skip "burstguard is installed on the host already"

mk install
check_err $? "make install failed"
grep -q "^depmod $REL" "$log"
check_err $? "make install ran no depmod"
out=$(modinfo -n burstguard 2>&1)
[[ $out == "/lib/modules/$REL/updates/burstguard.ko" ]]
check_err $? "modinfo -n burstguard: $out"
deps=$(modprobe --show-depends burstguard 2>&1)
[[ $deps == *nf_reject_ipv4* && $deps == *nf_reject_ipv6* ]]
check_err $? "modprobe does not know burstguard's dependencies: $deps"
log_test "live install: depmod, modprobe finds burstguard and its dependencies"

out=$(systemd-analyze verify /usr/local/lib/systemd/system/burstguard.service 2>&1)
check_err $? "systemd-analyze verify failed: $out"
[[ -z $out ]]
check_err $? "systemd-analyze verify: $out"
# (/usr/local/man is a link to share/man on Debian)
out=$(man -w burstctl 2>&1)
[[ $(readlink -f "$out") == /usr/local/share/man/man8/burstctl.8 ]]
check_err $? "man -w burstctl: $out"
log_test "systemd-analyze verify burstguard.service (and man:burstctl(8))"

# Boot, as systemd would run the unit: options from modprobe.d, rules from
# /etc/burstguard.conf.
unit=/usr/local/lib/systemd/system/burstguard.service
echo "options burstguard burst=7 prefix4=24" >/etc/modprobe.d/burstguard.conf
printf '%s\n' "set rate 30/min" "rule add port 22 rate 3/min burst 5 ban 10m" \
	"allow add 192.0.2.10" >/etc/burstguard.conf
while read -r cmd; do
	# shellcheck disable=SC2086
	$cmd
	check_err $? "ExecStart=$cmd failed"
done < <(unit_lines "$unit" ExecStart)
[[ $(</sys/module/burstguard/parameters/burst) == 7 &&
   $(</sys/module/burstguard/parameters/prefix4) == 24 ]]
check_err $? "modprobe.d options not applied"
saved=$(burstctl save)
[[ $saved == *"set rate 30/min burst 7 ban 0 mode drop prefix4 24 "* &&
   $saved == *"rule add port 22 rate 3/min burst 5 ban 10m mode drop"* &&
   $saved == *"allow add 192.0.2.10/32"* ]]
check_err $? "configuration not applied: $saved"
log_test "ExecStart: module loaded with its options, config restored"

echo "rule add port 443 rate 10/s burst 20" >>/etc/burstguard.conf
$(unit_lines "$unit" ExecReload)
check_err $? "ExecReload failed"
saved=$(burstctl save)
[[ $saved == *"rule add port 443 rate 10/s burst 20"* ]]
check_err $? "reload did not apply the new rule: $saved"
$(unit_lines "$unit" ExecStop)
check_err $? "ExecStop failed"
! bg_loaded
check_err $? "module still loaded after ExecStop"
log_test "ExecReload re-applies the file, ExecStop unloads"

systemctl --root=/ enable burstguard.service >/dev/null 2>&1
check_err $? "systemctl enable failed"
mk uninstall
check_err $? "make uninstall failed"
grep -q "^depmod $REL" "$log"
check_err $? "make uninstall ran no depmod"
modprobe -n burstguard 2>/dev/null
check_fail $? "modprobe still finds burstguard"
left=$(files "$stage.ov/_usr_local/upper"; files "$stage.ov/_etc/upper" |
	grep -v -x -e burstguard.conf -e modprobe.d/burstguard.conf)
[[ -z $left ]]
check_err $? "left behind: $left"
grep -q "KEEP    /etc/modprobe.d/burstguard.conf (changed" "$log" &&
	grep -q "KEEP    /etc/burstguard.conf (changed" "$log"
check_err $? "edited configs not reported as kept"
! grep -rqs burstguard "/lib/modules/$REL/modules.dep" "/lib/modules/$REL/updates"
check_err $? "the module is still in /lib/modules/$REL"
log_test "live uninstall: unit disabled, module and tools gone, edited configs kept"

exit "$EXIT_STATUS"
