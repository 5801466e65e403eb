#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make deb's packages are well-formed and install, work and go away again
# with dpkg: in a chroot of the guest's root with a writable overlay, dpkg
# -i of both packages registers burstguard with DKMS (the build itself is
# scripts/dkms-check's job on the host: kernel headers are hidden here, so
# DKMS skips it), burstctl runs, the conffiles are registered; dpkg -r
# removes the DKMS registration, the files and the unit's link, keeping
# conffiles; dpkg -P removes those. It uses the packages make deb-check (or
# make check) built on the host in .cache/deb/ if they are newer than every
# packaged file, else builds them here (slow). Nothing in it depends on the
# kernel: it runs on 6.12. Too slow for the kselftest suite's 180 s under
# TCG on a busy host: 'make deb-check' runs it, and .ci/run runs that.
. "$(dirname "$0")/lib.sh"

bg_require_cmd dpkg dpkg-deb dpkg-shlibdeps dkms chroot
tmp=$(mktemp -d /tmp/deb.XXXXXX)
root=$tmp/root
version=$(<"$BG_REPO/VERSION")
arch=$(dpkg --print-architecture)
mounts=()

cleanup() {
	local i

	for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do
		umount "${mounts[i]}" 2>/dev/null
	done
	rm -rf "$tmp"
	bg_cleanup
}

# in_root CMD...: CMD in the chroot, output in $tmp/log (shown on failure).
in_root() {
	chroot "$root" "$@" >"$tmp/log" 2>&1 && return 0
	sed 's/^/  chroot: /' "$tmp/log" | tail -n 20
	return 1
}

[[ ${BG_KVER:-6.12} == 6.12 ]] || bg_skip "kernel-independent: runs in the 6.12 guest only"
OUT=$BG_REPO/.cache/deb
dkms_deb=$OUT/burstguard-dkms_${version}_all.deb
tools_deb=$OUT/burstguard_${version}_${arch}.deb
# Stale if any file that goes into them is newer.
stale=$(cd "$BG_REPO" && find VERSION Kbuild kmod include packaging userspace/burstctl \
	userspace/burstctl.8 userspace/burstctl.bash-completion -newer "$dkms_deb" 2>/dev/null | head -n 1)
if [[ ! -f $dkms_deb || ! -f $tools_deb || -n $stale ]]; then
	log_info "building the packages here (${stale:+$stale is newer than }$dkms_deb)"
	OUT=$tmp/out
	mkdir -p "$OUT"
	OUT=$OUT "$BG_REPO/packaging/mkdeb" >"$tmp/log" 2>&1
	check_err $? "mkdeb failed: $(tail -n 5 "$tmp/log")"
	dkms_deb=$OUT/burstguard-dkms_${version}_all.deb
	tools_deb=$OUT/burstguard_${version}_${arch}.deb
fi
[[ -f $dkms_deb && -f $tools_deb ]]
check_err $? "packages missing in $OUT"
log_test "make deb's two packages" || exit "$EXIT_STATUS"

contents() {
	dpkg-deb --fsys-tarfile "$1" | tar -t | grep -v '/$' | sed 's|^\./||' | sort
}
got=$(contents "$dkms_deb")
want=$( (cd "$BG_REPO" && ls Kbuild VERSION include/*.h kmod/*.[ch] kmod/probes/configure kmod/probes/*.c) |
	sed "s|^|usr/src/burstguard-$version/|"
	echo "usr/src/burstguard-$version/dkms.conf"
	echo usr/share/doc/burstguard-dkms/copyright)
want=$(sort <<<"$want")
[[ $got == "$want" ]]
check_err $? "burstguard-dkms files: $(diff <(echo "$want") <(echo "$got") | grep '^[<>]' | tr '\n' ' ')"
dpkg-deb --fsys-tarfile "$dkms_deb" | tar -xO "./usr/src/burstguard-$version/dkms.conf" |
	grep -qx "PACKAGE_VERSION=\"$version\""
check_err $? "dkms.conf does not carry version $version"
got=$(contents "$tools_deb")
want="etc/burstguard.conf
etc/crowdsec/acquis.d/burstguard.yaml
etc/crowdsec/bouncers/burstguard-crowdsec.yaml
etc/crowdsec/parsers/s00-raw/burstguard-raw.yaml
etc/crowdsec/parsers/s01-parse/burstguard-logs.yaml
etc/crowdsec/scenarios/burstguard-ban.yaml
etc/modprobe.d/burstguard.conf
lib/systemd/system/burstguard-crowdsec.service
lib/systemd/system/burstguard-events.service
lib/systemd/system/burstguard-exporter.service
lib/systemd/system/burstguard.service
usr/sbin/burstctl
usr/sbin/burstguard-crowdsec
usr/share/bash-completion/completions/burstctl
usr/share/burstguard/grafana-dashboard.json
usr/share/doc/burstguard/copyright
usr/share/man/man8/burstctl.8.gz
usr/share/man/man8/burstguard-crowdsec.8.gz"
[[ $got == "$want" ]]
check_err $? "burstguard files: $(echo "$got" | tr '\n' ' ')"
[[ $(dpkg-deb -f "$tools_deb" Depends) == *libmnl0* &&
   $(dpkg-deb -f "$dkms_deb" Depends) == dkms* ]]
check_err $? "Depends: '$(dpkg-deb -f "$tools_deb" Depends)' / '$(dpkg-deb -f "$dkms_deb" Depends)'"
[[ $(dpkg-deb -I "$tools_deb" conffiles) == "/etc/burstguard.conf
/etc/crowdsec/acquis.d/burstguard.yaml
/etc/crowdsec/bouncers/burstguard-crowdsec.yaml
/etc/crowdsec/parsers/s00-raw/burstguard-raw.yaml
/etc/crowdsec/parsers/s01-parse/burstguard-logs.yaml
/etc/crowdsec/scenarios/burstguard-ban.yaml
/etc/modprobe.d/burstguard.conf" ]]
check_err $? "conffiles: $(dpkg-deb -I "$tools_deb" conffiles | tr '\n' ' ')"
log_test "package contents, control fields, conffiles"

# A writable copy of this root to install into.
bg_modprobe overlay || bg_skip "no overlayfs"
mkdir -p "$tmp/upper" "$tmp/work" "$root"
mount -t overlay overlay -o "lowerdir=/,upperdir=$tmp/upper,workdir=$tmp/work" "$root" ||
	bg_skip "cannot overlay /"
mounts+=("$root")
for m in proc:proc dev:bind tmp:tmpfs run:tmpfs; do
	d=$root/${m%%:*}
	case ${m#*:} in
	bind) mount --bind "/${m%%:*}" "$d" ;;
	*) mount -t "${m#*:}" "${m#*:}" "$d" ;;
	esac || bg_skip "cannot mount $d"
	mounts+=("$d")
done
# No kernel headers in there: DKMS registers the module, skips the build.
rm -f "$root"/lib/modules/*/build
# and no man-db trigger (mandb over 9p under TCG takes minutes).
rm -f "$root/var/lib/man-db/auto-update"
[[ ! -e $root/usr/src/burstguard-$version && ! -e $root/var/lib/dkms/burstguard ]] ||
	bg_skip "burstguard is installed on the host already"
# dpkg reads every installed package's file list on each run (a thousand,
# over 9p, under TCG: minutes): give it a database of the packages ours
# depend on only. Their dependencies are checked, their files are all there.
deps=$( (dpkg-deb -f "$dkms_deb" Depends; dpkg-deb -f "$tools_deb" Depends) |
	tr ',' '\n' | sed 's/^ *//; s/[ (].*//' | grep -v '^burstguard' | sort -u)
# shellcheck disable=SC2086
dpkg-query -s $deps >"$root/var/lib/dpkg/status" ||
	bg_skip "dependencies not installed: $deps"
cp "$dkms_deb" "$tools_deb" "$root/tmp/"

in_root dpkg -i "/tmp/${dkms_deb##*/}" "/tmp/${tools_deb##*/}"
check_err $? "dpkg -i failed"
grep -q "skipped since the" "$tmp/log"
check_err $? "the DKMS postinst did not run as expected"
# What 'dkms status' would call "added" (dkms itself is slow to start here).
[[ $(readlink "$root/var/lib/dkms/burstguard/$version/source") == "/usr/src/burstguard-$version" ]]
check_err $? "not added to DKMS (no /var/lib/dkms/burstguard/$version/source link)"
in_root burstctl --version
grep -qx "burstctl .*" "$tmp/log"
check_err $? "burstctl does not run: $(<"$tmp/log")"
[[ $(chroot "$root" dpkg-query -W -f='${db:Status-Abbrev}' burstguard burstguard-dkms) == "ii ii " ]]
check_err $? "not both installed"
[[ -f $root/lib/systemd/system/burstguard.service && -f $root/etc/burstguard.conf ]]
check_err $? "unit or config missing"
log_test "dpkg -i: registered with DKMS, burstctl runs"

in_root systemctl enable burstguard.service
check_err $? "systemctl enable in the chroot failed"
in_root dpkg -r burstguard burstguard-dkms
check_err $? "dpkg -r failed"
[[ ! -e $root/usr/src/burstguard-$version && ! -e $root/var/lib/dkms/burstguard &&
   ! -e $root/usr/sbin/burstctl && ! -e $root/lib/systemd/system/burstguard.service &&
   ! -e $root/etc/systemd/system/multi-user.target.wants/burstguard.service ]]
check_err $? "dpkg -r left files: $(cd "$tmp/upper" && find usr/src var/lib/dkms usr/sbin etc/systemd -name '*burstguard*' 2>/dev/null | tr '\n' ' ')"
[[ -f $root/etc/burstguard.conf ]]
check_err $? "dpkg -r removed a conffile"
in_root dpkg -P burstguard burstguard-dkms
check_err $? "dpkg -P failed"
[[ ! -e $root/etc/burstguard.conf && ! -e $root/etc/modprobe.d/burstguard.conf ]]
check_err $? "dpkg -P left conffiles"
log_test "dpkg -r removes DKMS registration, files, unit link; -P the conffiles"

exit "$EXIT_STATUS"
