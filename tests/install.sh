#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make install / make uninstall into staging roots (DESTDIR), as a
# packager or an image builder runs them, with the default PREFIX and with
# PREFIX=/usr: every file is where it belongs with the right mode and
# content, and nothing else is installed; the unit's commands follow
# SBINDIR; the example configurations are valid (their commented lines,
# uncommented, load and restore); an edited configuration survives install
# and uninstall; uninstall also removes an enabled unit's link and leaves
# no other file. (install_live.sh does the live system.)
# The repository is read-only here: make install must not need to build.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/install_lib.sh"

us=$BG_REPO/userspace
pk=$BG_REPO/packaging
a=$stage/a
b=$stage/b
mk install DESTDIR="$a"
check_err $? "make install DESTDIR=... failed"
grep -q "SKIP    depmod" "$log"
check_err $? "depmod not skipped for a staging root without modules"
unit=usr/local/lib/systemd/system/burstguard.service
# path mode [source of its bytes]
expect_files_modes "$a" \
	"etc/burstguard.conf 644 $pk/burstguard.conf" \
	"etc/crowdsec/acquis.d/burstguard.yaml 644 $pk/crowdsec/acquis-burstguard.yaml" \
	"etc/crowdsec/bouncers/burstguard-crowdsec.yaml 600 $pk/crowdsec/burstguard-crowdsec.yaml" \
	"etc/crowdsec/parsers/s00-raw/burstguard-raw.yaml 644 $pk/crowdsec/burstguard-raw.yaml" \
	"etc/crowdsec/parsers/s01-parse/burstguard-logs.yaml 644 $pk/crowdsec/burstguard-logs.yaml" \
	"etc/crowdsec/scenarios/burstguard-ban.yaml 644 $pk/crowdsec/burstguard-ban.yaml" \
	"etc/modprobe.d/burstguard.conf 644 $pk/modprobe.conf" \
	"lib/modules/$REL/updates/burstguard.ko 644 $BG_KO" \
	"usr/local/lib/systemd/system/burstguard-crowdsec.service 644" \
	"usr/local/lib/systemd/system/burstguard-events.service 644" \
	"usr/local/lib/systemd/system/burstguard-exporter.service 644" \
	"$unit 644" \
	"usr/local/sbin/burstctl 755 $us/burstctl" \
	"usr/local/sbin/burstguard-crowdsec 755 $us/burstguard-crowdsec" \
	"usr/local/share/bash-completion/completions/burstctl 644 $us/burstctl.bash-completion" \
	"usr/local/share/burstguard/grafana-dashboard.json 644 $pk/grafana-dashboard.json" \
	"usr/local/share/man/man8/burstctl.8 644 $us/burstctl.8" \
	"usr/local/share/man/man8/burstguard-crowdsec.8 644 $us/burstguard-crowdsec.8"
log_test "DESTDIR install: every file in place, nothing else"

got=$(grep -E '^(Exec|WantedBy)' "$a/$unit")
want="ExecStart=/sbin/modprobe burstguard
ExecStart=/usr/local/sbin/burstctl restore /etc/burstguard.conf
ExecReload=/usr/local/sbin/burstctl restore /etc/burstguard.conf
ExecStop=/sbin/modprobe -r burstguard
WantedBy=multi-user.target"
[[ $got == "$want" ]]
check_err $? "unit's commands: $got"
[[ $(<"$a/$unit") != *@* &&
   $(<"$a/usr/local/lib/systemd/system/burstguard-exporter.service") != *@* ]]
check_err $? "unit has an unsubstituted @VARIABLE@"
out=$(bash -c '. "$1" && complete -p burstctl' _ \
	"$a/usr/local/share/bash-completion/completions/burstctl" 2>&1)
[[ $out == "complete -F _burstctl burstctl" ]]
check_err $? "bash completion does not load: $out"
log_test "the unit's commands and bash completion"

# The examples: every commented command line, uncommented, is valid.
setup_ns NS
opts=$(sed -n 's/^#options burstguard //p' "$a/etc/modprobe.d/burstguard.conf")
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
log_test "example configs: options load, commands restore"

# Debian's paths, into a root that has an edited /etc/burstguard.conf.
mkdir -p "$b/etc"
printf '# mine\nset burst 9\n' >"$b/etc/burstguard.conf"
mk install DESTDIR="$b" PREFIX=/usr SYSTEMDUNITDIR=/lib/systemd/system
check_err $? "make install PREFIX=/usr failed"
expect_files_modes "$b" \
	"etc/burstguard.conf 644" \
	"etc/crowdsec/acquis.d/burstguard.yaml 644 $pk/crowdsec/acquis-burstguard.yaml" \
	"etc/crowdsec/bouncers/burstguard-crowdsec.yaml 600 $pk/crowdsec/burstguard-crowdsec.yaml" \
	"etc/crowdsec/parsers/s00-raw/burstguard-raw.yaml 644 $pk/crowdsec/burstguard-raw.yaml" \
	"etc/crowdsec/parsers/s01-parse/burstguard-logs.yaml 644 $pk/crowdsec/burstguard-logs.yaml" \
	"etc/crowdsec/scenarios/burstguard-ban.yaml 644 $pk/crowdsec/burstguard-ban.yaml" \
	"etc/modprobe.d/burstguard.conf 644 $pk/modprobe.conf" \
	"lib/modules/$REL/updates/burstguard.ko 644 $BG_KO" \
	"lib/systemd/system/burstguard-crowdsec.service 644" \
	"lib/systemd/system/burstguard-events.service 644" \
	"lib/systemd/system/burstguard-exporter.service 644" \
	"lib/systemd/system/burstguard.service 644" \
	"usr/sbin/burstctl 755 $us/burstctl" \
	"usr/sbin/burstguard-crowdsec 755 $us/burstguard-crowdsec" \
	"usr/share/bash-completion/completions/burstctl 644 $us/burstctl.bash-completion" \
	"usr/share/burstguard/grafana-dashboard.json 644 $pk/grafana-dashboard.json" \
	"usr/share/man/man8/burstctl.8 644 $us/burstctl.8" \
	"usr/share/man/man8/burstguard-crowdsec.8 644 $us/burstguard-crowdsec.8"
[[ $(unit_lines "$b/lib/systemd/system/burstguard.service" ExecReload) == \
	"/usr/sbin/burstctl restore /etc/burstguard.conf" &&
   $(unit_lines "$b/lib/systemd/system/burstguard-exporter.service" ExecStart) == \
	"/usr/sbin/burstctl serve-metrics" ]]
check_err $? "unit does not follow SBINDIR"
[[ $(<"$b/etc/burstguard.conf") == $'# mine\nset burst 9' ]] &&
	grep -q "KEEP    $b/etc/burstguard.conf (exists)" "$log"
check_err $? "install overwrote an existing /etc/burstguard.conf, or did not say so"
log_test "PREFIX=/usr SYSTEMDUNITDIR=/lib/systemd/system; an existing config kept"

echo "set burst 9" >>"$a/etc/burstguard.conf"
systemctl --root="$a" enable burstguard.service >/dev/null 2>&1
check_err $? "systemctl --root enable failed"
[[ -L $a/etc/systemd/system/multi-user.target.wants/burstguard.service ]]
check_err $? "enable made no link"
mk uninstall DESTDIR="$a"
check_err $? "make uninstall failed"
grep -q "KEEP    $a/etc/burstguard.conf (changed" "$log"
check_err $? "uninstall did not say it kept the edited config"
expect_files "$a" etc/burstguard.conf
log_test "uninstall: unit disabled, all gone but an edited config"

exit "$EXIT_STATUS"
