#!/usr/bin/env python3
"""Independent checker for frames captured by `bgsend --capture` (hex lines).

Used by selftest.sh on the host only (never in the QEMU guest).  It re-parses
every frame from scratch, so a bug in bgsend's builder cannot hide behind the
same bug in the checker.

  pktcheck.py frames KIND FAM FILE [--count N] [--dst A] [--src-prefix CIDR]
              [--distinct N] [--dports P-Q] [--smac MAC]
  pktcheck.py rsts FILE      -> prints the number of TCP frames with RST set
Exit 0 if all checks pass, 1 (with messages on stderr) otherwise.
"""
import ipaddress
import struct
import sys

MSS = bytes([2, 4, 0x05, 0xb4])
FLAGS = {"syn": 0x02, "ack": 0x10, "synack": 0x12, "synrst": 0x06, "synfin": 0x03,
         "rst": 0x04, "syn-payload": 0x02, "ihl4": 0x02, "badlen": 0x02, "ipopts": 0x02,
         "doff4": 0x02, "trunc-tcp": 0x02, "frag-first": 0x02, "v6-ext": 0x02,
         "v6-ext-long": 0x02, "badlen-long": 0x02, "badlen-short": 0x02}


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return s  # 0xffff when the data (with its checksum field) verifies


def pseudo(fam, src, dst, proto, length):
    if fam == 4:
        return src + dst + struct.pack("!BBH", 0, proto, length)
    return src + dst + struct.pack("!IxxxB", length, proto)


class Bad(Exception):
    pass


def need(cond, what):
    if not cond:
        raise Bad(what)


def check_tcp(kind, fam, src, dst, seg, full_len=None, extra=b""):
    """seg: TCP bytes on the wire; extra: bytes of the datagram not on the wire."""
    flags = FLAGS[kind]
    need(len(seg) >= 14, "tcp too short")
    need(seg[13] == flags, "tcp flags %#x != %#x" % (seg[13], flags))
    if kind == "trunc-tcp":
        need(len(seg) == 14, "trunc-tcp: %d TCP bytes, want 14" % len(seg))
        return
    doff = seg[12] >> 4
    if kind == "doff4":
        need(doff == 4 and len(seg) == 24, "doff4: doff=%d len=%d" % (doff, len(seg)))
    else:
        want = 6 if flags & 2 else 5
        need(doff == want, "doff %d != %d" % (doff, want))
        if want == 6:
            need(seg[20:24] == MSS, "MSS option missing")
    ack = struct.unpack("!I", seg[8:12])[0]
    need((ack != 0) == bool(flags & 0x10), "ack field %d with flags %#x" % (ack, flags))
    if kind == "syn-payload":
        need(seg[24:] == b"burstguard-payload!!", "payload %r" % seg[24:])
    elif kind != "frag-first":
        need(len(seg) == doff * 4 or kind == "doff4", "unexpected TCP data")
    whole = seg + extra
    need(csum(pseudo(fam, src, dst, 6, len(whole)) + whole) == 0xffff, "tcp checksum")


def check_frame(kind, fam, i, f, opts):
    need(f[:6] == b"\xff" * 6, "dst mac not broadcast")
    if opts.get("smac"):
        need(f[6:12] == opts["smac"], "src mac")
    et = struct.unpack("!H", f[12:14])[0]
    ip = f[14:]
    if fam == 4:
        need(et == 0x0800, "ethertype %#x" % et)
        need(ip[0] >> 4 == 4, "ip version")
        ihl = (ip[0] & 15) * 4
        tot, ipid, frag, ttl, proto = struct.unpack("!2xHHHBB", ip[:10])
        src, dst = ip[12:16], ip[16:20]
        real = len(ip)
        k = kind
        if kind == "badlen":
            k = "badlen-short" if i % 2 else "badlen-long"
        if k == "ihl4":
            need(ihl == 16, "ihl4: ihl=%d" % ihl)
            need(csum(ip[:16]) == 0xffff, "ip header checksum (16 bytes)")
            ihl = 20  # physically a 20-byte header follows
        else:
            want_ihl = (28 if i % 2 else 24) if k == "ipopts" else 20
            need(ihl == want_ihl, "ihl %d != %d" % (ihl, want_ihl))
            need(csum(ip[:ihl]) == 0xffff, "ip header checksum")
            if k == "ipopts":
                need(ip[20:ihl] == b"\x01" * (ihl - 21) + b"\0", "ip options")
        want_tot = real + 64 if k == "badlen-long" else 16 if k == "badlen-short" else real
        need(tot == want_tot, "total length %d != %d" % (tot, want_tot))
        need(ttl == 64, "ttl")
        want_frag = {"frag-first": 0x2000, "frag-later": 3}.get(k, 0x4000)
        need(frag == want_frag, "frag field %#x != %#x" % (frag, want_frag))
        l4 = ip[ihl:]
        need(dst == opts["dst"], "dst address")
    else:
        need(et == 0x86DD, "ethertype %#x" % et)
        need(ip[0] >> 4 == 6, "ip version")
        plen, nh, hop = struct.unpack("!HBB", ip[4:8])
        src, dst = ip[8:24], ip[24:40]
        need(plen == len(ip) - 40, "payload length %d != %d" % (plen, len(ip) - 40))
        need(hop == 64, "hop limit")
        need(dst == opts["dst"], "dst address")
        off, chain, frag = 40, [], None
        while nh in (0, 43, 60, 44):
            need(nh != 0 or off == 40, "hop-by-hop not first")
            chain.append(nh)
            if nh == 44:
                need(len(ip) >= off + 8, "fragment header truncated")
                frag = struct.unpack("!HI", ip[off + 2:off + 8])
                nh, off = ip[off], off + 8
                break
            if len(ip) < off + 2:
                raise Bad("ext header truncated at %d" % off)
            hl = (ip[off + 1] + 1) * 8
            if len(ip) < off + hl:
                need(kind == "v6-ext-trunc", "ext header %d truncated" % nh)
                need(chain == [0, 60] and len(ip) - off == 4 and hl == 16, "trunc shape")
                return src
            if nh == 43:
                need(ip[off + 2] == 253 and ip[off + 3] == 0, "routing type/segleft")
            else:  # walk the TLV options: they must exactly fill the header
                p = off + 2
                while p < off + hl:
                    need(ip[p] in (1, 0x1e), "option type %#x" % ip[p])
                    p += 2 + ip[p + 1]
                need(p == off + hl, "options overrun header")
            nh, off = ip[off], off + hl
        want_chain = {"v6-ext": [0, 60, 43], "v6-ext-long": [0, 60, 43] + [60] * 7,
                      "frag-first": [44], "frag-later": [44]}.get(kind, [])
        need(chain == want_chain, "ext chain %s != %s" % (chain, want_chain))
        need(kind != "v6-ext-trunc", "v6-ext-trunc not truncated")
        if frag:
            want = (1, "first") if kind == "frag-first" else ((3 << 3), "later")
            need(frag[0] == want[0], "fragment offset/M %#x" % frag[0])
        proto, l4 = nh, ip[off:]
        if kind == "v6-ext-long":
            need(off == 40 + 8 + 16 + 8 + 8 + 8 + 24 + 8 * 4, "v6-ext-long size")
    need(dst == opts["dst"], "dst address")
    if kind == "udp":
        need(proto == 17, "proto %d" % proto)
        need(struct.unpack("!H", l4[4:6])[0] == len(l4) == 24, "udp length")
        need(l4[8:] == b"burstguard-udp!!", "udp payload")
        need(csum(pseudo(fam, src, dst, 17, len(l4)) + l4) == 0xffff, "udp checksum")
    else:
        need(proto == 6, "proto %d" % proto)
        if kind == "frag-later":
            need(l4 == b"bgfrag!!", "later fragment data %r" % l4)
            return src
        if kind == "frag-first":
            need(len(l4) == 24, "first fragment holds %d bytes" % len(l4))
            check_tcp(kind, fam, src, dst, l4, extra=b"bgfrag!!")
        else:
            check_tcp(kind, fam, src, dst, l4)
    if opts.get("dports"):
        lo, hi = opts["dports"]
        dp = struct.unpack("!H", l4[2:4])[0]
        need(dp == lo + i % (hi - lo + 1), "dport %d for frame %d" % (dp, i))
    return src


def main(argv):
    if len(argv) == 2 and argv[0] == "rsts":
        n = 0
        for line in open(argv[1]):
            f = bytes.fromhex(line.strip())
            et = f[12:14]
            if et == b"\x08\x00" and f[23] == 6:
                tcp = f[14 + (f[14] & 15) * 4:]
            elif et == b"\x86\xdd" and f[20] == 6:
                tcp = f[54:]
            else:
                continue
            n += bool(tcp[13] & 4)
        print(n)
        return 0
    if len(argv) < 4 or argv[0] != "frames":
        print(__doc__, file=sys.stderr)
        return 1
    kind, fam, path = argv[1], int(argv[2]), argv[3]
    kind = {"v6-frag-first": "frag-first", "v6-frag-later": "frag-later"}.get(kind, kind)
    opts, args = {}, argv[4:]
    for k, v in zip(args[::2], args[1::2]):
        opts[k.lstrip("-")] = v
    if "dst" in opts:
        opts["dst"] = ipaddress.ip_address(opts["dst"]).packed
    if "smac" in opts:
        opts["smac"] = bytes.fromhex(opts["smac"].replace(":", ""))
    if "dports" in opts:
        opts["dports"] = tuple(int(x) for x in opts["dports"].split("-"))
    frames = [bytes.fromhex(x.strip()) for x in open(path) if x.strip()]
    errors, srcs = 0, set()
    for i, f in enumerate(frames):
        try:
            srcs.add(check_frame(kind, fam, i, f, opts))
        except (Bad, IndexError, struct.error) as e:
            errors += 1
            if errors <= 5:
                print("frame %d (%s/%d): %s: %s" % (i, kind, fam, e, f.hex()), file=sys.stderr)
    if "count" in opts and len(frames) != int(opts["count"]):
        print("got %d frames, want %s" % (len(frames), opts["count"]), file=sys.stderr)
        errors += 1
    if "src-prefix" in opts:
        net = ipaddress.ip_network(opts["src-prefix"])
        out = [s for s in srcs if ipaddress.ip_address(s) not in net]
        if out:
            print("%d sources outside %s" % (len(out), net), file=sys.stderr)
            errors += 1
    if "distinct" in opts and len(srcs) != int(opts["distinct"]):
        print("%d distinct sources, want %s" % (len(srcs), opts["distinct"]), file=sys.stderr)
        errors += 1
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
