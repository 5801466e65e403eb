#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make install / make uninstall on the guest's live system, as an operator
# runs them (writable overlays over /etc and /usr/local, and a copy of this
# kernel's /lib/modules with burstguard's dependencies only): depmod makes
# 'modprobe burstguard' work with its dependencies, the unit passes
# systemd-analyze verify (man page found), and its ExecStart, ExecReload
# and ExecStop lines, run as systemd would, load the module with
# /etc/modprobe.d options, apply /etc/burstguard.conf, re-apply it and
# unload the module; make uninstall disables the unit and takes it all
# away again but the edited configuration files.
# The repository is read-only here: make install must not need to build.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/install_lib.sh"

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
[[ $deps == *nf_reject_ipv4* && $deps == *nf_reject_ipv6* &&
   $deps == *nf_defrag_ipv4* && $deps == *nf_defrag_ipv6* ]]
check_err $? "modprobe does not know burstguard's dependencies: $deps"
log_test "live install: depmod, modprobe finds burstguard and its dependencies"

out=$(systemd-analyze verify /usr/local/lib/systemd/system/burstguard.service \
	/usr/local/lib/systemd/system/burstguard-exporter.service 2>&1)
check_err $? "systemd-analyze verify failed: $out"
[[ -z $out ]]
check_err $? "systemd-analyze verify: $out"
# (/usr/local/man is a link to share/man on Debian)
out=$(man -w burstctl 2>&1)
[[ $(readlink -f "$out") == /usr/local/share/man/man8/burstctl.8 ]]
check_err $? "man -w burstctl: $out"
log_test "systemd-analyze verify burstguard.service, burstguard-exporter.service (and man:burstctl(8))"

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
