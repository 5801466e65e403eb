# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Helpers of the burstctl_*.sh tests, sourced after lib.sh and topo.sh.

# bc ARGS...: burstctl in the server's netns (as an operator would run it).
bc() {
	ip netns exec "$SRV" "$BG_BURSTCTL" "$@"
}

# jq_py EXPR: evaluate a Python expression on the JSON document on stdin,
# bound to d; prints the result (e.g. jq_py 'd["burst"]').
jq_py() {
	python3 -c 'import json, sys; d = json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"
}

# source_json PREFIX [PORT]: the JSON object of one tracked source, or
# nothing. PORT is "default" or the rule's port range.
source_json() {
	bc -j sources | python3 -c '
import json, sys
want, port = sys.argv[1], sys.argv[2]
for s in json.load(sys.stdin)["sources"]:
    if s["source"] == want and (port == "" or s["port"] == port):
        print(s["state"], s["attempts"], s["drops"])
' "$1" "${2:-}"
}

# expect_src PREFIX PORT "state attempts drops"
expect_src() {
	local got

	got=$(source_json "$1" "$2")
	[[ $got == "$3" ]] && return 0
	check_err 1 "source $1 ($2): got '${got:-nothing}', want '$3'"
	return 1
}

[[ -x $BG_BURSTCTL ]] ||
	{ echo "FAIL: $BG_BURSTCTL not built (make -C userspace)"; exit "$ksft_fail"; }
bg_require_cmd python3
