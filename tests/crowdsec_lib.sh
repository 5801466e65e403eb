# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# A real CrowdSec (Debian's crowdsec, 1.4.6) for the crowdsec_*.sh tests,
# sourced after lib.sh. Everything it writes is under $CS_DIR (in /tmp: the
# guest's root is read-only). CrowdSec, cscli and the bouncers run in a
# namespace of their own, $CSNS, whose lo only they use: the LAPI listens
# on 127.0.0.1:$CS_PORT there. A bouncer reaches its host's deny list with
# its netns: setting.
#
#   cs_setup DIR [ACQUIS_FILE]   config, database, a machine for cscli
#   cs_start [-no-cs]            start it (LAPI only with -no-cs), wait
#                                until the LAPI answers
#   cs_stop                      SIGTERM, wait until it is gone
#   cs_cli ARGS...               cscli with that config
#   cs_key NAME                  add bouncer NAME, print its API key
#   fake_start NS PORT SERVED [SCRIPT]  crowdsec_fakelapi.py in NS
#   bouncer_conf NAME NETNS      bouncer NAME's key and config (as below)
#   bouncer_start NAME NETNS     burstguard-crowdsec for NETNS's deny list,
#                                key of bouncer NAME, its log in
#                                $CS_DIR/NAME.log, pid in BOUNCER_PID[NAME]
#   bouncer_stop NAME            SIGTERM, wait until it has exited; its
#                                exit status is returned
#   deny_list NETNS              the deny list's prefixes as burstctl prints them, sorted

CS_PORT=${CS_PORT:-18080}
CS_PID=
BG_BOUNCER=${BG_BOUNCER:-$BG_REPO/userspace/burstguard-crowdsec}
declare -A BOUNCER_PID=()

cs_setup() {
	local acquis=${2:-}

	CS_DIR=$1
	setup_ns CSNS || return 1
	mkdir -p "$CS_DIR"/{etc,data,log} || return 1
	# The grok patterns and the hub index are Debian's, read only.
	ln -s /etc/crowdsec/patterns "$CS_DIR/etc/patterns" || return 1
	cat >"$CS_DIR/etc/config.yaml" <<-EOF
	common:
	  daemonize: false
	  log_media: file
	  log_level: info
	  log_dir: $CS_DIR/log/
	  working_dir: .
	config_paths:
	  config_dir: $CS_DIR/etc/
	  data_dir: $CS_DIR/data/
	  simulation_path: $CS_DIR/etc/simulation.yaml
	  hub_dir: /var/lib/crowdsec/hub/
	  index_path: /var/lib/crowdsec/hub/.index.json
	  notification_dir: $CS_DIR/etc/notifications/
	  plugin_dir: /usr/lib/crowdsec/plugins/
	crowdsec_service:
	  acquisition_path: $CS_DIR/etc/acquis.yaml
	  parser_routines: 1
	cscli:
	  output: human
	  color: no
	db_config:
	  log_level: info
	  type: sqlite
	  use_wal: true
	  db_path: $CS_DIR/data/crowdsec.db
	api:
	  client:
	    credentials_path: $CS_DIR/etc/local_api_credentials.yaml
	  server:
	    log_level: info
	    listen_uri: 127.0.0.1:$CS_PORT
	    profiles_path: $CS_DIR/etc/profiles.yaml
	    trusted_ips:
	      - 127.0.0.1
	prometheus:
	  enabled: false
	EOF
	echo 'simulation: off' >"$CS_DIR/etc/simulation.yaml"
	# Debian's default profile: an alert on an Ip becomes a 4h ban.
	cp /etc/crowdsec/profiles.yaml "$CS_DIR/etc/profiles.yaml" || return 1
	if [[ -n $acquis ]]; then
		# burstguard's own parsers and scenario, as the package installs them
		mkdir -p "$CS_DIR"/etc/parsers/{s00-raw,s01-parse} "$CS_DIR/etc/scenarios"
		cp "$BG_REPO/packaging/crowdsec/burstguard-raw.yaml" "$CS_DIR/etc/parsers/s00-raw/" &&
		cp "$BG_REPO/packaging/crowdsec/burstguard-logs.yaml" "$CS_DIR/etc/parsers/s01-parse/" &&
		cp "$BG_REPO/packaging/crowdsec/burstguard-ban.yaml" "$CS_DIR/etc/scenarios/" || return 1
		sed "s|/var/log/burstguard-events.log|$acquis|" \
			"$BG_REPO/packaging/crowdsec/acquis-burstguard.yaml" >"$CS_DIR/etc/acquis.yaml"
	else
		: >"$CS_DIR/etc/acquis.yaml"
	fi
	cs_cli machines add local --auto --force \
		-f "$CS_DIR/etc/local_api_credentials.yaml" \
		-u "http://127.0.0.1:$CS_PORT/" >/dev/null
}

# cs_cli ARGS...: cscli; its chatter (info, sqlite warnings) goes to
# $CS_DIR/cscli.log, and is shown when it fails.
# (One at a time: the LAPI's sqlite can refuse concurrent writes.)
cs_cli() {
	local rc err

	err=$(mktemp "$CS_DIR/cscli.XXXXXX") || return 1
	ip netns exec "$CSNS" cscli -c "$CS_DIR/etc/config.yaml" "$@" 2>"$err"
	rc=$?
	cat "$err" >>"$CS_DIR/cscli.log"
	((rc == 0)) || { echo "cscli $*: exit $rc" >&2; tail -n 5 "$err" >&2; }
	rm -f "$err"
	return "$rc"
}

# The key is the test's own (32 hex digits from NAME), so no answer needs
# parsing and a test can ask the LAPI with it (curl) without cscli.
cs_key() {
	local key

	key=$(printf '%s' "$1" | md5sum | cut -c1-32)
	cs_cli bouncers add "$1" --key "$key" -o raw >/dev/null && echo "$key"
}

# fake_start NS PORT SERVED [SCRIPT]: crowdsec_fakelapi.py on
# 127.0.0.1:PORT in NS (its lo brought up), its log in SERVED.out; waits
# until it answers. Its pid in FAKE_PID.
FAKE_PID=
fake_start() {
	ip -n "$1" link set lo up || return 1
	ip netns exec "$1" python3 "$BG_REPO/tests/crowdsec_fakelapi.py" "$2" "$3" ${4:+"$4"} \
		>"$3.out" 2>&1 &
	FAKE_PID=$!
	busywait 60000 bash -c "ip netns exec $1 curl -s -o /dev/null http://127.0.0.1:$2/" >/dev/null ||
		{ echo "the fake LAPI did not start: $(cat "$3.out")" >&2; return 1; }
}

# The LAPI answers HTTP at all (401 without a key is an answer).
cs_up() {
	[[ $(ip netns exec "$CSNS" curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$CS_PORT/v1/decisions") != 000 ]]
}

cs_start() {
	ip netns exec "$CSNS" crowdsec -c "$CS_DIR/etc/config.yaml" "$@" >>"$CS_DIR/log/stdout" 2>&1 &
	CS_PID=$!
	busywait 120000 cs_up || {
		echo "the LAPI did not answer within 120 s:" >&2
		tail -n 20 "$CS_DIR/log/crowdsec.log" "$CS_DIR/log/stdout" >&2
		return 1
	}
}

cs_stop() {
	[[ -n $CS_PID ]] || return 0
	kill "$CS_PID" 2>/dev/null
	wait "$CS_PID" 2>/dev/null
	CS_PID=
}

bouncer_start() {
	bouncer_conf "$@" && bouncer_run "$1"
}

# bouncer_conf NAME NETNS: add bouncer NAME, write its config.
bouncer_conf() {
	local name=$1 ns=$2 key

	key=$(cs_key "$name") || return 1
	cat >"$CS_DIR/$name.yaml" <<-EOF
	api_url: http://127.0.0.1:$CS_PORT/
	api_key: $key
	update_frequency: 1s
	scopes: [ip, range]
	netns: $ns
	log_level: debug
	EOF
}

# bouncer_run NAME: (again) with the config bouncer_start wrote.
bouncer_run() {
	ip netns exec "$CSNS" "$BG_BOUNCER" -c "$CS_DIR/$1.yaml" >>"$CS_DIR/$1.log" 2>&1 &
	BOUNCER_PID[$1]=$!
}

bouncer_stop() {
	local pid=${BOUNCER_PID[$1]:-} rc

	[[ -n $pid ]] || return 0
	kill "$pid" 2>/dev/null
	wait "$pid"
	rc=$?
	BOUNCER_PID[$1]=
	return "$rc"
}

cs_cleanup() {
	local n

	[[ -n $FAKE_PID ]] && kill "$FAKE_PID" 2>/dev/null

	for n in "${!BOUNCER_PID[@]}"; do
		bouncer_stop "$n"
	done
	cs_stop
}

deny_list() {
	# The prefixes only: the bouncer's entries carry their time left.
	ip netns exec "$1" "$BG_BURSTCTL" deny list | awk '{ print $1 }' | sort
}

# deny_is NETNS "PREFIX..." : the deny list is exactly these prefixes.
deny_is() {
	local want got

	want=$(tr ' ' '\n' <<<"$2" | sed '/^$/d' | sort)
	got=$(deny_list "$1") || return 1
	[[ $got == "$want" ]] || { printf '%s\n' "$got" | tr '\n' ' '; return 1; }
}

# now_ms: milliseconds since the epoch.
now_ms() {
	date +%s%3N
}
