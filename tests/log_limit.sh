#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Kernel log lines are rate-limited host-wide (10 per 5 s for all
# namespaces together), while each netns keeps its own events: 16
# namespaces throttle a source each within a few milliseconds (one Python
# process sends every frame), and the log shows exactly 10 "throttled"
# lines, while every netns counts its own refusal and its monitor hears
# its own event.
. "$(dirname "$0")/lib.sh"

N=16
bg_require_cmd python3

bg_modprobe veth || bg_skip "no veth"
setup_ns CLI || bg_skip "cannot create namespaces"
# Few processes (each costs a good part of a second under TCG): one ip
# batch makes the namespaces and veths, one more per namespace sets it up.
srvs=() macs=() batch=
for ((i = 0; i < N; i++)); do
	srvs+=("logl$i-$(mktemp -u XXXXXX)")
	macs+=("$(printf '02:00:00:00:02:%02x' "$i")")
	batch+="netns add ${srvs[i]}"$'\n'
	batch+="link add c$i netns $CLI address $(printf '02:00:00:00:01:%02x' "$i")"
	batch+=" type veth peer name s0 netns ${srvs[i]} address ${macs[i]}"$'\n'
done
NS_LIST+=("${srvs[@]}")
ip -b - <<<"$batch"
check_err $? "cannot create the namespaces and veths"
for ((i = 0; i < N; i++)); do
	ip -n "${srvs[i]}" -b - <<-EOF_IP
		link set lo up
		addr add 10.0.0.1/24 dev s0
		link set s0 up
	EOF_IP
	check_err $? "cannot set up ${srvs[i]}"
done
batch=
for ((i = 0; i < N; i++)); do
	batch+="link set c$i up"$'\n'
done
ip -n "$CLI" -b - <<<"$batch"
check_err $? "cannot bring the client's veths up"
log_test "$N server namespaces behind one client" || exit "$EXIT_STATUS"

bg_load rate=1/hour burst=1
check_err $? "insmod failed"
# Each netns' own monitor must hear its own event (events stay per netns).
for ((i = 0; i < 3; i++)); do
	ip netns exec "${srvs[i]}" "$BG_BURSTCTL" monitor >"/tmp/log_limit.mon$i" 2>&1 &
done
sleep 1

bg_log_mark
# Two valid SYNs per interface from 10.9.9.9: the second one is refused.
ip netns exec "$CLI" python3 - "${macs[@]}" <<'EOF_PY'
import socket, struct, sys

def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff

src, dst = socket.inet_aton("10.9.9.9"), socket.inet_aton("10.0.0.1")
socks = []
for i, dmac in enumerate(sys.argv[1:]):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind(("c%d" % i, 0))
    with open("/sys/class/net/c%d/address" % i) as f:
        smac = bytes.fromhex(f.read().strip().replace(":", ""))
    socks.append((s, bytes.fromhex(dmac.replace(":", "")) + smac))
frames = []
for s, macs in socks:
    for seq in (1, 2):
        tcp = struct.pack("!HHIIBBHHH", 40000 + seq, 80, seq * 1000, 0,
                          5 << 4, 0x02, 64240, 0, 0)
        tcp = tcp[:16] + struct.pack("!H", csum(src + dst + struct.pack(
            "!BBH", 0, 6, len(tcp)) + tcp)) + tcp[18:]
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), seq,
                         0x4000, 64, 6, 0, src, dst)
        ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
        frames.append((s, macs + b"\x08\x00" + ip + tcp))
for s, f in frames:
    s.send(f)
EOF_PY
check_err $? "the sender failed"
for ((i = 0; i < N; i++)); do
	got=$(ip netns exec "${srvs[i]}" cat "$BG_PROC/stats")
	want="attempts 2|allowed 1|dropped 1|sources 1"
	[[ $(grep -cEx "$want" <<<"$got") == 4 ]]
	check_err $? "netns $i: want $want, got: $(tr '\n' ' ' <<<"$got")"
done
log_test "every netns throttled its own source"

lines=$(bg_log_since | grep -c 'burstguard: 10\.9\.9\.9/32 throttled')
[[ $lines == 10 ]]
check_err $? "kernel log lines for $N throttled sources: $lines, want 10 (host-wide limit)"
log_test "log lines rate-limited host-wide, not per netns"

for ((i = 0; i < 3; i++)); do
	busywait 5000 grep -q 'throttled 10\.9\.9\.9/32' "/tmp/log_limit.mon$i" >/dev/null
	check_err $? "monitor in netns $i did not hear its event: $(cat "/tmp/log_limit.mon$i")"
done
log_test "events stay per netns"

exit "$EXIT_STATUS"
