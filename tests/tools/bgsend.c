/*
 * bgsend - craft Ethernet/IPv4/IPv6 test frames and send them with AF_PACKET.
 *
 * Used by the burstguard tests between network namespaces the test creates.
 * The destination address is always explicit (no default that points anywhere).
 * Frames are built one by one (per-packet random source/port/seq) and sent in
 * batches with sendmmsg().  ENOBUFS from the device (e.g. veth peer backlog
 * full) is retried, so "sent N" means N frames were accepted by the device.
 *
 * A small capture mode (--capture) prints received frames as hex so the
 * self-test can check the bytes with an independent parser.
 *
 * --frag N sends each datagram as IP fragments of N bytes of payload (the
 * first one then holds N bytes of the TCP header, 8 or 16 being less than
 * a whole one), in order, reversed or shuffled, optionally each twice, or
 * with the second overlapping the first by 8 bytes.
 */
#include "bgutil.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <ifaddrs.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAXFRAME 256
#define MAXBATCH 1024

enum kind {
	K_SYN, K_ACK, K_SYNACK, K_SYNRST, K_SYNFIN, K_RST, K_SYNPAY, K_UDP,
	K_IHL4, K_BADLEN, K_BADLEN_LONG, K_BADLEN_SHORT, K_IPOPTS, K_DOFF4,
	K_TRUNC, K_FRAGF, K_FRAGL, K_V6EXT, K_V6EXTLONG, K_V6EXTTRUNC,
	K_V6FRAGF, K_V6FRAGL, K_SYNBADSUM, K_NKINDS
};

/* fam: 0 = either (from --dst), 4 or 6 = only that family. */
static const struct { const char *name; int fam; const char *desc; } kinds[] = {
	[K_SYN] = {"syn", 0, "SYN (ACK clear), MSS option, valid checksums"},
	[K_ACK] = {"ack", 0, "bare ACK, no options"},
	[K_SYNACK] = {"synack", 0, "SYN+ACK, MSS option"},
	[K_SYNRST] = {"synrst", 0, "SYN+RST, MSS option"},
	[K_SYNFIN] = {"synfin", 0, "SYN+FIN, MSS option"},
	[K_RST] = {"rst", 0, "bare RST, no options"},
	[K_SYNPAY] = {"syn-payload", 0, "SYN, MSS option, 20 bytes of data"},
	[K_UDP] = {"udp", 0, "UDP with 16 bytes of data"},
	[K_IHL4] = {"ihl4", 4, "syn bytes but IPv4 ihl=4 (hdr csum over 16 bytes)"},
	[K_BADLEN] = {"badlen", 4, "alternates badlen-long (even i) / badlen-short (odd i)"},
	[K_BADLEN_LONG] = {"badlen-long", 4, "syn, IPv4 total length = real + 64 (> frame)"},
	[K_BADLEN_SHORT] = {"badlen-short", 4, "syn, IPv4 total length = 16 (< header)"},
	[K_IPOPTS] = {"ipopts", 4, "valid syn behind IPv4 options: ihl=6 (even i) / ihl=7 (odd i)"},
	[K_DOFF4] = {"doff4", 0, "syn bytes but TCP doff=4"},
	[K_TRUNC] = {"trunc-tcp", 0, "IP says TCP, only first 14 TCP bytes present (flags=SYN)"},
	[K_FRAGF] = {"frag-first", 0, "first fragment (MF, offset 0) holding the 24-byte SYN header"},
	[K_FRAGL] = {"frag-later", 0, "last fragment, offset 24 bytes, 8 data bytes"},
	[K_V6EXT] = {"v6-ext", 6, "SYN behind hop-by-hop + dest-opts + routing headers"},
	[K_V6EXTLONG] = {"v6-ext-long", 6, "SYN behind 10 extension headers (HBH, 8 dest-opts, routing)"},
	[K_V6EXTTRUNC] = {"v6-ext-trunc", 6, "hop-by-hop + dest-opts cut after 4 of its 16 bytes"},
	[K_V6FRAGF] = {"v6-frag-first", 6, "IPv6 frag-first"},
	[K_V6FRAGL] = {"v6-frag-later", 6, "IPv6 frag-later"},
	[K_SYNBADSUM] = {"syn-badsum", 0, "syn with a wrong TCP checksum"},
};

enum srcmode { SRC_IFACE, SRC_FIXED, SRC_RANDOM, SRC_SEQ };

struct cfg {
	const char *ifname;
	int ifindex;
	uint8_t dmac[6], smac[6];
	int have_smac;
	int fam;                 /* 4 or 6 */
	uint8_t dst[16], src[16]; /* v4 uses the first 4 bytes */
	int plen;                /* prefix length for --src-random/--src-seq */
	enum srcmode srcmode;
	unsigned dport_lo, dport_hi;
	int sport;               /* -1 = random per packet */
	uint64_t count, pps, seed;
	unsigned batch;
	enum kind kind;
	uint16_t ipid_base;      /* IPv4 id = base + i, IPv6 frag id = base32 + i */
	uint32_t fragid_base;
	unsigned frag;           /* --frag: payload bytes per fragment, 0 = off */
	enum { FO_IN, FO_REVERSE, FO_SHUFFLE } frag_order;
	int frag_dup, frag_overlap;
};

/* splitmix64: tiny, fast, good enough for uniform test traffic. */
static uint64_t rng_state;
static uint64_t rnd64(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Source address for packet i according to --src/--src-random/--src-seq. */
static void pick_src(const struct cfg *c, uint64_t i, uint8_t *out)
{
	int alen = c->fam == 4 ? 4 : 16;
	uint8_t host[16] = {0};

	memcpy(out, c->src, alen);
	if (c->srcmode == SRC_RANDOM) {
		uint64_t a = rnd64(), b = rnd64();
		memcpy(host, &a, 8);
		memcpy(host + 8, &b, 8);
	} else if (c->srcmode == SRC_SEQ) {
		for (int k = alen - 1; k >= 0 && k >= alen - 8; k--, i >>= 8)
			host[k] = i & 0xff; /* offset i, big-endian, low bytes */
	} else {
		return;
	}
	/* Keep the prefix bits of the base, take host bits from `host`. */
	for (int k = 0; k < alen; k++) {
		int bits = c->plen - 8 * k; /* prefix bits in this byte */
		uint8_t m = bits >= 8 ? 0xff : bits <= 0 ? 0 : (uint8_t)(0xff << (8 - bits));
		out[k] = (out[k] & m) | (host[k] & ~m);
	}
}

/* Fill an IPv6 options header (hop-by-hop / dest-opts) of 8*(hdrlen+1) bytes.
 * 8-byte headers use one PadN; longer ones use an unknown option of type 0x1e
 * (RFC 4727 experimental, action bits 00 = skip) because Linux rejects runs of
 * more than 7 padding bytes (ip6_parse_tlv). */
static size_t v6_opthdr(uint8_t *p, uint8_t next, uint8_t hdrlen)
{
	size_t len = 8u * (hdrlen + 1);

	memset(p, 0, len);
	p[0] = next;
	p[1] = hdrlen;
	p[2] = hdrlen ? 0x1e : 1;
	p[3] = (uint8_t)(len - 4);
	return len;
}

/* Routing header, type 253 (RFC 4727 experimental), segments left 0: a node
 * must then ignore it and go on (RFC 8200 section 4.4). */
static size_t v6_rthdr(uint8_t *p, uint8_t next)
{
	memset(p, 0, 8);
	p[0] = next;
	p[2] = 253;
	return 8;
}

/* Build frame number i into f; returns its length. */
static size_t build(const struct cfg *c, uint64_t i, uint8_t *f)
{
	enum kind k = c->kind;
	uint8_t src[16], seg[64], ext[128];
	size_t seglen = 0, extlen = 0;
	int proto = IPPROTO_TCP;

	if (k == K_BADLEN)
		k = (i & 1) ? K_BADLEN_SHORT : K_BADLEN_LONG;
	if (k == K_V6FRAGF)
		k = K_FRAGF;
	if (k == K_V6FRAGL)
		k = K_FRAGL;

	pick_src(c, i, src);
	uint16_t sport = c->sport >= 0 ? (uint16_t)c->sport : (uint16_t)(1024 + rnd64() % 64512);
	uint16_t dport = (uint16_t)(c->dport_lo + i % (c->dport_hi - c->dport_lo + 1));

	/* --- L4 segment (complete; some kinds put only part of it on the wire) */
	memset(seg, 0, sizeof(seg));
	if (k == K_UDP) {
		proto = IPPROTO_UDP;
		seglen = 8 + 16;
		bg_put16(seg, sport);
		bg_put16(seg + 2, dport);
		bg_put16(seg + 4, (uint16_t)seglen);
		memcpy(seg + 8, "burstguard-udp!!", 16);
		uint16_t ck = bg_csum_fold(bg_csum_add(bg_pseudo_sum(c->fam, src, c->dst, IPPROTO_UDP,
								     seglen), seg, seglen));
		bg_put16(seg + 6, ck ? ck : 0xffff);
	} else {
		static const uint8_t mss_opt[4] = {2, 4, 1460 >> 8, 1460 & 0xff}; /* MSS 1460 */
		struct bg_tcp t = {.sport = sport, .dport = dport, .window = 64240,
				   .flags = BG_TCP_SYN};

		switch (k) {
		case K_ACK: t.flags = BG_TCP_ACK; t.ack = (uint32_t)rnd64() | 1; break;
		case K_SYNACK: t.flags = BG_TCP_SYN | BG_TCP_ACK; t.ack = (uint32_t)rnd64() | 1; break;
		case K_SYNRST: t.flags = BG_TCP_SYN | BG_TCP_RST; break;
		case K_SYNFIN: t.flags = BG_TCP_SYN | BG_TCP_FIN; break;
		case K_RST: t.flags = BG_TCP_RST; break;
		default: break;
		}
		t.seq = (uint32_t)rnd64();
		if (t.flags & BG_TCP_SYN) { /* options only on SYN-bearing segments */
			t.opt = mss_opt;
			t.opt_len = sizeof(mss_opt);
		}
		if (k == K_DOFF4)
			t.doff = 4;
		if (k == K_SYNPAY) {
			t.data = (const uint8_t *)"burstguard-payload!!";
			t.data_len = 20;
		} else if (k == K_FRAGF || k == K_FRAGL) {
			/* the datagram being fragmented: SYN header + 8 data bytes */
			t.data = (const uint8_t *)"bgfrag!!";
			t.data_len = 8;
		}
		seglen = bg_put_tcp(seg, &t, c->fam, src, c->dst);
		if (k == K_SYNBADSUM)
			seg[17] ^= 0xff; /* never the other form of the same sum (0 vs ffff) */
	}

	/* Part of the segment that goes on the wire. */
	const uint8_t *l4 = seg;
	size_t l4len = seglen;
	if (k == K_TRUNC)
		l4len = 14; /* ports, seq, ack, doff byte, flags byte; no window/csum */
	else if (k == K_FRAGF)
		l4len = 24; /* multiple of 8 as required for a non-last fragment */
	else if (k == K_FRAGL)
		l4 = seg + 24, l4len = seglen - 24;

	/* --- Ethernet, IP */
	struct bg_ip h = {.fam = c->fam, .src = src, .dst = c->dst, .proto = (uint8_t)proto,
			  .ttl = 64};
	uint8_t *ip = f + bg_put_eth(f, c->dmac, c->smac, c->fam);

	if (c->fam == 4) {
		h.id = (uint16_t)(c->ipid_base + i);
		h.frag = k == K_FRAGF ? 0x2000 : k == K_FRAGL ? 24 / 8 : 0x4000;
		if (k == K_IPOPTS) /* NOPs closed by End-of-Options: 4 or 8 bytes */
			h.opt_len = (i & 1) ? 8 : 4;
		size_t ihl = bg_put_ip(ip, &h, l4len), tot = ihl + l4len;
		if (k == K_IHL4 || k == K_BADLEN_LONG || k == K_BADLEN_SHORT) {
			if (k == K_IHL4)
				ip[0] = 0x44;
			else
				bg_put16(ip + 2, (uint16_t)(k == K_BADLEN_LONG ? tot + 64 : 16));
			bg_put16(ip + 10, 0);
			bg_put16(ip + 10, bg_csum_fold(bg_csum_add(0, ip, k == K_IHL4 ? 16 : ihl)));
		}
		memcpy(ip + ihl, l4, l4len);
		return 14 + tot;
	}

	/* --- IPv6: extension chain in ext[], first next-header in nh */
	uint8_t nh = (uint8_t)proto;
	switch (k) {
	case K_V6EXT:
		nh = 0;
		extlen += v6_opthdr(ext + extlen, 60, 0);
		extlen += v6_opthdr(ext + extlen, 43, 0);
		extlen += v6_rthdr(ext + extlen, (uint8_t)proto);
		break;
	case K_V6EXTLONG: {
		/* HBH, DST(16), RT, DST, DST(24), DST, DST, DST, DST: 9 headers */
		static const uint8_t dlen[] = {1, 0, 0, 2, 0, 0, 0, 0};
		nh = 0;
		extlen += v6_opthdr(ext + extlen, 60, 0);
		for (size_t d = 0; d < sizeof(dlen); d++) {
			uint8_t next = d + 1 == sizeof(dlen) ? (uint8_t)proto : d == 0 ? 43 : 60;
			extlen += v6_opthdr(ext + extlen, next, dlen[d]);
			if (d == 0)
				extlen += v6_rthdr(ext + extlen, 60);
		}
		break;
	}
	case K_V6EXTTRUNC:
		nh = 0;
		extlen += v6_opthdr(ext + extlen, 60, 0);
		v6_opthdr(ext + extlen, (uint8_t)proto, 1); /* claims 16 bytes */
		extlen += 4;                                 /* only 4 on the wire */
		l4len = 0;
		break;
	case K_FRAGF:
	case K_FRAGL:
		nh = 44;
		ext[0] = (uint8_t)proto;
		ext[1] = 0;
		bg_put16(ext + 2, k == K_FRAGF ? 1 : (24 / 8) << 3); /* offset<<3 | M */
		bg_put32(ext + 4, c->fragid_base + (uint32_t)i);
		extlen = 8;
		break;
	default:
		break;
	}
	h.proto = nh;
	bg_put_ip(ip, &h, extlen + l4len);
	memcpy(ip + 40, ext, extlen);
	memcpy(ip + 40 + extlen, l4, l4len);
	return 14 + 40 + extlen + l4len;
}

static uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }

#define MAXFRAGS 128

/* Split the datagram in frame @f (from build()) into IP fragments of
 * c->frag payload bytes, in c->frag_order, each twice with --frag-dup, the
 * second starting 8 bytes early with --frag-overlap. Returns how many
 * frames were written to @out, each of out_len[k] bytes. */
static unsigned fragment(const struct cfg *c, uint64_t i, const uint8_t *f,
			 uint8_t out[][MAXFRAME], size_t *out_len)
{
	const uint8_t *ip = f + 14;
	size_t hl, plen, start[MAXFRAGS], end[MAXFRAGS];
	unsigned n = 0, order[MAXFRAGS], k, m = 0;

	if (c->fam == 4) {
		hl = (size_t)(ip[0] & 0xf) * 4;
		plen = get16(ip + 2) - hl;
	} else {
		if (ip[6] != IPPROTO_TCP && ip[6] != IPPROTO_UDP)
			bg_die("--frag: only kinds without IPv6 extension headers");
		hl = 40;
		plen = get16(ip + 4);
	}
	for (size_t o = 0; o < plen; o += c->frag) {
		if (n == MAXFRAGS / 2)
			bg_die("--frag %u: too many fragments", c->frag);
		start[n] = o;
		end[n] = o + c->frag < plen ? o + c->frag : plen;
		n++;
	}
	if (c->frag_overlap && n > 1)
		start[1] -= 8;
	for (k = 0; k < n; k++)
		order[k] = c->frag_order == FO_REVERSE ? n - 1 - k : k;
	if (c->frag_order == FO_SHUFFLE)
		for (k = n - 1; k > 0; k--) {
			unsigned j = (unsigned)(rnd64() % (k + 1)), t = order[k];
			order[k] = order[j];
			order[j] = t;
		}
	for (k = 0; k < n; k++) {
		unsigned x = order[k];
		size_t len = end[x] - start[x], more = end[x] < plen;
		uint8_t *o = out[m];
		size_t fl;

		memcpy(o, f, 14 + hl);
		if (c->fam == 4) {
			bg_put16(o + 14 + 2, (uint16_t)(hl + len));
			bg_put16(o + 14 + 6, (uint16_t)(start[x] / 8 | (more ? 0x2000 : 0)));
			bg_put16(o + 14 + 10, 0);
			bg_put16(o + 14 + 10, bg_csum_fold(bg_csum_add(0, o + 14, hl)));
			memcpy(o + 14 + hl, ip + hl + start[x], len);
			fl = 14 + hl + len;
		} else {
			uint8_t *fh = o + 14 + 40;

			o[14 + 6] = 44;
			bg_put16(o + 14 + 4, (uint16_t)(8 + len));
			fh[0] = ip[6];
			fh[1] = 0;
			bg_put16(fh + 2, (uint16_t)(start[x] | more));
			bg_put32(fh + 4, c->fragid_base + (uint32_t)i);
			memcpy(fh + 8, ip + 40 + start[x], len);
			fl = 14 + 48 + len;
		}
		out_len[m++] = fl;
		if (c->frag_dup) {
			memcpy(out[m], o, fl);
			out_len[m++] = fl;
		}
	}
	return m;
}

/* Send one frame, retrying while the device has no room (as below). */
static void send_one(int fd, const struct cfg *c, const struct sockaddr_ll *to,
		     const uint8_t *f, size_t len, int64_t stall_max, uint64_t sent)
{
	int64_t stall = 0;

	while (sendto(fd, f, len, 0, (const struct sockaddr *)to, sizeof(*to)) < 0) {
		if (errno != ENOBUFS && errno != EAGAIN && errno != EINTR)
			bg_die("sendto on %s: %s (after %llu sent)", c->ifname, strerror(errno),
			       (unsigned long long)sent);
		if (!stall)
			stall = bg_now_ns();
		else if (bg_now_ns() - stall > stall_max)
			bg_die("sendto on %s: no progress for %lld s (after %llu sent)", c->ifname,
			       (long long)(stall_max / 1000000000LL), (unsigned long long)sent);
		nanosleep(&(struct timespec){.tv_nsec = 200000}, NULL);
	}
}

static void parse_mac(const char *opt, const char *s, uint8_t *mac)
{
	unsigned v[6];
	char end;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x%c", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &end) != 6)
		bg_die("%s: '%s' is not a MAC address (aa:bb:cc:dd:ee:ff)", opt, s);
	for (int k = 0; k < 6; k++) {
		if (v[k] > 255)
			bg_die("%s: '%s' is not a MAC address", opt, s);
		mac[k] = (uint8_t)v[k];
	}
}

/* Parse an address; returns 4 or 6. */
static int parse_addr(const char *opt, const char *s, uint8_t *out)
{
	if (inet_pton(AF_INET, s, out) == 1)
		return 4;
	if (inet_pton(AF_INET6, s, out) == 1)
		return 6;
	bg_die("%s: '%s' is not an IPv4 or IPv6 address", opt, s);
}

static int parse_cidr(const char *opt, const char *s, uint8_t *out, int *plen)
{
	char buf[INET6_ADDRSTRLEN + 8];
	char *slash;

	if (strlen(s) >= sizeof(buf) || !(slash = strchr(strcpy(buf, s), '/')))
		bg_die("%s: '%s' is not a prefix ADDR/LEN", opt, s);
	*slash = 0;
	int fam = parse_addr(opt, buf, out);
	*plen = (int)bg_parse_u64(opt, slash + 1, 0, fam == 4 ? 32 : 128);
	return fam;
}

static void usage(FILE *o)
{
	fprintf(o,
"usage: bgsend -i IFACE --dst ADDR -c N [options]\n"
"       bgsend --capture -i IFACE [-c N] [--timeout MS] [--idle MS] [--src-mac MAC]\n"
"              [--ready FILE] [--count-only]\n"
"Send crafted frames on IFACE with AF_PACKET; prints 'sent N' on success.\n"
"  -i, --iface IFACE     interface to send on (required)\n"
"      --dst ADDR        destination IPv4/IPv6 address (required)\n"
"  -4, -6                family (default: that of --dst; must agree)\n"
"      --dst-mac MAC     default ff:ff:ff:ff:ff:ff\n"
"      --src-mac MAC     default the interface's own MAC\n"
"      --src ADDR        fixed source (default: first address of IFACE)\n"
"      --src-random CIDR uniformly random source in the prefix, per packet\n"
"      --src-seq CIDR    prefix + i for packet i (N distinct for N <= size; wraps)\n"
"      --dport P[-Q]     destination port, or cycle P..Q (default 80)\n"
"      --sport P         fixed source port (default random 1024-65535 per packet)\n"
"  -c, --count N         number of frames (required)\n"
"      --pps N           pace to N frames/s (0 = as fast as possible)\n"
"      --batch N         frames per sendmmsg, 1-%d (default 256)\n"
"      --seed N          random seed (default: time and pid)\n"
"      --frag N          send each datagram as IP fragments of N bytes of payload\n"
"                        (a multiple of 8, 8 to 128); -c and 'sent' count datagrams\n"
"      --frag-order O    in (default), reverse or shuffle\n"
"      --frag-dup        send every fragment twice\n"
"      --frag-overlap    the second fragment starts 8 bytes into the first\n"
"      --kind K          frame kind (default syn), one of:\n", MAXBATCH);
	for (int k = 0; k < K_NKINDS; k++)
		fprintf(o, "        %-14s %s%s\n", kinds[k].name, kinds[k].desc,
			kinds[k].fam == 4 ? " [IPv4]" : kinds[k].fam == 6 ? " [IPv6]" : "");
	fprintf(o,
"IPv4 non-fragment kinds set DF; IP id = random base + i. Checksums are valid\n"
"(TCP/UDP over the whole segment with pseudo-header, fragments: over the whole\n"
"32-byte datagram) except where a kind corrupts the field they cover.\n"
"Capture mode prints each received (not outgoing) frame as one hex line;\n"
"--src-mac filters on the source MAC; stops after -c frames, --timeout MS\n"
"(default 3000) overall, or --idle MS without a frame once one was seen.\n"
"--ready FILE is created once the socket listens. SIGTERM/SIGINT: print what\n"
"is queued, then exit 0. --count-only prints 'captured N' instead of frames.\n");
}

static volatile sig_atomic_t stop_capture;
static void on_stop(int sig) { (void)sig; stop_capture = 1; }

static int capture(const struct cfg *c, uint64_t count, int have_count, int64_t timeout_ms,
		   int64_t idle_ms, const char *ready, int count_only)
{
	int fd = socket(AF_PACKET, SOCK_RAW, 0); /* proto 0: receive nothing until bind */
	struct sockaddr_ll sll = {.sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL),
				  .sll_ifindex = c->ifindex};
	int rcvbuf = 64 << 20;
	uint8_t buf[65536];
	uint64_t got = 0;
	char hex[2 * sizeof(buf) + 2];

	if (fd < 0)
		bg_die("socket(AF_PACKET): %s", strerror(errno));
	/* large buffer: the test sends bursts before we read them */
	setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf));
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0)
		bg_die("bind(%s): %s", c->ifname, strerror(errno));
	if (ready) {
		FILE *r = fopen(ready, "w");
		if (!r || fclose(r))
			bg_die("--ready %s: %s", ready, strerror(errno));
	}
	/* SIGTERM/SIGINT: read what is already queued, then finish normally;
	 * lets a test stop the capture right after its sender is done. */
	struct sigaction sa = {.sa_handler = on_stop};
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	int64_t end = bg_now_ns() + timeout_ms * 1000000, last = 0;
	while (!have_count || got < count) {
		int64_t now = bg_now_ns(), wait = end - now;
		if (idle_ms && last && last + idle_ms * 1000000 - now < wait)
			wait = last + idle_ms * 1000000 - now;
		if (wait <= 0)
			break;
		struct sockaddr_ll from;
		socklen_t fl = sizeof(from);
		ssize_t n = recvfrom(fd, buf, sizeof(buf), MSG_DONTWAIT, (struct sockaddr *)&from, &fl);
		if (n < 0) {
			if (stop_capture)
				break; /* queue drained */
			struct pollfd p = {.fd = fd, .events = POLLIN};
			poll(&p, 1, wait > 100000000 ? 100 : (int)((wait + 999999) / 1000000));
			continue;
		}
		if (from.sll_pkttype == PACKET_OUTGOING)
			continue;
		if (c->have_smac && (n < 12 || memcmp(buf + 6, c->smac, 6)))
			continue;
		last = bg_now_ns();
		got++;
		if (count_only)
			continue;
		for (ssize_t k = 0; k < n; k++)
			sprintf(hex + 2 * k, "%02x", buf[k]);
		puts(hex);
	}
	struct tpacket_stats st;
	socklen_t sl = sizeof(st);
	if (!getsockopt(fd, SOL_PACKET, PACKET_STATISTICS, &st, &sl) && st.tp_drops)
		fprintf(stderr, "bgsend: capture: %u frames dropped by the kernel\n", st.tp_drops);
	if (count_only)
		printf("captured %llu\n", (unsigned long long)got);
	return 0;
}

/* Default source: first address of that family configured on the interface. */
static void iface_addr(struct cfg *c)
{
	struct ifaddrs *ifa, *p;

	if (getifaddrs(&ifa) < 0)
		bg_die("getifaddrs: %s", strerror(errno));
	for (p = ifa; p; p = p->ifa_next) {
		if (!p->ifa_addr || strcmp(p->ifa_name, c->ifname))
			continue;
		if (c->fam == 4 && p->ifa_addr->sa_family == AF_INET) {
			memcpy(c->src, &((struct sockaddr_in *)p->ifa_addr)->sin_addr, 4);
			break;
		}
		if (c->fam == 6 && p->ifa_addr->sa_family == AF_INET6) {
			memcpy(c->src, &((struct sockaddr_in6 *)p->ifa_addr)->sin6_addr, 16);
			break;
		}
	}
	freeifaddrs(ifa);
	if (!p)
		bg_die("-i %s has no IPv%d address; give --src, --src-random or --src-seq",
		       c->ifname, c->fam);
}

int main(int argc, char **argv)
{
	struct cfg c = {.dport_lo = 80, .dport_hi = 80, .sport = -1, .batch = 256};
	int want_fam = 0, have_dst = 0, have_count = 0, cap = 0, count_only = 0, have_seed = 0;
	int srcfam = 0;
	int64_t timeout_ms = 3000, idle_ms = 0;
	const char *ready = NULL, *srcopt = NULL;
	enum { O_DST = 256, O_DMAC, O_SMAC, O_DPORT, O_SPORT, O_SRC, O_SRCRND, O_SRCSEQ,
	       O_PPS, O_BATCH, O_KIND, O_SEED, O_CAP, O_TMO, O_IDLE, O_READY, O_CONLY,
	       O_FRAG, O_FORDER, O_FDUP, O_FOVER };
	static const struct option opts[] = {
		{"iface", 1, 0, 'i'}, {"count", 1, 0, 'c'}, {"help", 0, 0, 'h'},
		{"dst", 1, 0, O_DST}, {"dst-mac", 1, 0, O_DMAC}, {"src-mac", 1, 0, O_SMAC},
		{"dport", 1, 0, O_DPORT}, {"sport", 1, 0, O_SPORT}, {"src", 1, 0, O_SRC},
		{"src-random", 1, 0, O_SRCRND}, {"src-seq", 1, 0, O_SRCSEQ},
		{"pps", 1, 0, O_PPS}, {"batch", 1, 0, O_BATCH}, {"kind", 1, 0, O_KIND},
		{"seed", 1, 0, O_SEED}, {"capture", 0, 0, O_CAP}, {"timeout", 1, 0, O_TMO},
		{"idle", 1, 0, O_IDLE}, {"ready", 1, 0, O_READY}, {"count-only", 0, 0, O_CONLY},
		{"frag", 1, 0, O_FRAG}, {"frag-order", 1, 0, O_FORDER},
		{"frag-dup", 0, 0, O_FDUP}, {"frag-overlap", 0, 0, O_FOVER},
		{0, 0, 0, 0}};
	int o;

	bg_set_prog("bgsend");
	memset(c.dmac, 0xff, 6);
	while ((o = getopt_long(argc, argv, "i:c:46h", opts, NULL)) != -1) {
		switch (o) {
		case 'i': c.ifname = optarg; break;
		case 'c': c.count = bg_parse_u64("-c", optarg, 0, UINT64_MAX / 2); have_count = 1; break;
		case '4': want_fam = 4; break;
		case '6': want_fam = 6; break;
		case 'h': usage(stdout); return 0;
		case O_DST: c.fam = parse_addr("--dst", optarg, c.dst); have_dst = 1; break;
		case O_DMAC: parse_mac("--dst-mac", optarg, c.dmac); break;
		case O_SMAC: parse_mac("--src-mac", optarg, c.smac); c.have_smac = 1; break;
		case O_DPORT: {
			char *dash = strchr(optarg, '-');
			if (dash)
				*dash = 0;
			c.dport_lo = c.dport_hi = (unsigned)bg_parse_u64("--dport", optarg, 0, 65535);
			if (dash)
				c.dport_hi = (unsigned)bg_parse_u64("--dport", dash + 1, c.dport_lo, 65535);
			break;
		}
		case O_SPORT: c.sport = (int)bg_parse_u64("--sport", optarg, 0, 65535); break;
		case O_SRC:
			srcfam = parse_addr("--src", optarg, c.src);
			c.srcmode = SRC_FIXED, srcopt = "--src";
			break;
		case O_SRCRND:
		case O_SRCSEQ:
			srcopt = o == O_SRCRND ? "--src-random" : "--src-seq";
			srcfam = parse_cidr(srcopt, optarg, c.src, &c.plen);
			c.srcmode = o == O_SRCRND ? SRC_RANDOM : SRC_SEQ;
			break;
		case O_PPS: c.pps = bg_parse_u64("--pps", optarg, 0, 1000000000); break;
		case O_BATCH: c.batch = (unsigned)bg_parse_u64("--batch", optarg, 1, MAXBATCH); break;
		case O_KIND: {
			int k;
			for (k = 0; k < K_NKINDS && strcmp(kinds[k].name, optarg); k++)
				;
			if (k == K_NKINDS)
				bg_die("--kind: unknown kind '%s' (see --help)", optarg);
			c.kind = (enum kind)k;
			break;
		}
		case O_SEED: c.seed = bg_parse_u64("--seed", optarg, 0, UINT64_MAX); have_seed = 1; break;
		case O_CAP: cap = 1; break;
		case O_TMO: timeout_ms = (int64_t)bg_parse_u64("--timeout", optarg, 1, 86400000); break;
		case O_IDLE: idle_ms = (int64_t)bg_parse_u64("--idle", optarg, 1, 86400000); break;
		case O_READY: ready = optarg; break;
		case O_CONLY: count_only = 1; break;
		case O_FRAG:
			c.frag = (unsigned)bg_parse_u64("--frag", optarg, 8, 128);
			if (c.frag % 8)
				bg_die("--frag: %u is not a multiple of 8", c.frag);
			break;
		case O_FORDER:
			if (!strcmp(optarg, "in"))
				c.frag_order = FO_IN;
			else if (!strcmp(optarg, "reverse"))
				c.frag_order = FO_REVERSE;
			else if (!strcmp(optarg, "shuffle"))
				c.frag_order = FO_SHUFFLE;
			else
				bg_die("--frag-order: '%s' is not in, reverse or shuffle", optarg);
			break;
		case O_FDUP: c.frag_dup = 1; break;
		case O_FOVER: c.frag_overlap = 1; break;
		default: usage(stderr); return 1;
		}
	}
	if (optind < argc)
		bg_die("unexpected argument '%s' (see --help)", argv[optind]);
	if (!c.ifname)
		bg_die("-i IFACE is required");
	if (!(c.ifindex = (int)if_nametoindex(c.ifname)))
		bg_die("-i %s: no such interface", c.ifname);
	if (cap)
		return capture(&c, c.count, have_count, timeout_ms, idle_ms, ready, count_only);

	if (!have_dst)
		bg_die("--dst ADDR is required");
	if (!have_count)
		bg_die("-c N is required");
	if (want_fam && want_fam != c.fam)
		bg_die("--dst is IPv%d but -%d was given", c.fam, want_fam);
	if (kinds[c.kind].fam && kinds[c.kind].fam != c.fam)
		bg_die("--kind %s needs an IPv%d --dst", kinds[c.kind].name, kinds[c.kind].fam);
	if (srcopt && srcfam != c.fam)
		bg_die("%s is IPv%d but --dst is IPv%d", srcopt, srcfam, c.fam);
	if (c.srcmode == SRC_IFACE)
		iface_addr(&c);

	int fd = socket(AF_PACKET, SOCK_RAW, 0); /* proto 0: never receives */
	if (fd < 0)
		bg_die("socket(AF_PACKET): %s", strerror(errno));
	if (!c.have_smac) {
		struct ifreq ifr = {0};
		snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", c.ifname);
		if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0)
			bg_die("-i %s: cannot read MAC: %s", c.ifname, strerror(errno));
		memcpy(c.smac, ifr.ifr_hwaddr.sa_data, 6);
	}
	rng_state = have_seed ? c.seed : (uint64_t)time(NULL) << 20 ^ (uint64_t)getpid();
	c.ipid_base = (uint16_t)rnd64();
	c.fragid_base = (uint32_t)rnd64();

	struct sockaddr_ll to = {.sll_family = AF_PACKET, .sll_ifindex = c.ifindex,
				 .sll_protocol = htons(c.fam == 4 ? ETH_P_IP : ETH_P_IPV6), .sll_halen = 6};
	memcpy(to.sll_addr, c.dmac, 6);
	static uint8_t frames[MAXBATCH][MAXFRAME];
	static struct iovec iov[MAXBATCH];
	static struct mmsghdr msgs[MAXBATCH];
	unsigned batch = c.batch;
	if (c.pps && batch > c.pps / 200)
		batch = c.pps / 200 ? (unsigned)(c.pps / 200) : 1; /* bursts of <= 5 ms */
	for (unsigned j = 0; j < batch; j++) {
		iov[j].iov_base = frames[j];
		msgs[j].msg_hdr = (struct msghdr){.msg_name = &to, .msg_namelen = sizeof(to),
						  .msg_iov = &iov[j], .msg_iovlen = 1};
	}

	/* How long the receiver may take to drain a full backlog before we
	 * give up: 5 s, more where packets are slow to process (make
	 * check-debug's KASAN/lockdep kernel sets BG_SEND_STALL_S). */
	const char *stall_env = getenv("BG_SEND_STALL_S");
	int64_t stall_max = (stall_env && atoi(stall_env) > 0 ? atoi(stall_env) : 5) * 1000000000LL;

	uint64_t sent = 0;
	int64_t t0 = bg_now_ns();
	if (c.frag) {
		static uint8_t dgram[MAXFRAME], frags[MAXFRAGS][MAXFRAME];
		static size_t flen[MAXFRAGS];

		if (c.kind == K_FRAGF || c.kind == K_FRAGL || c.kind == K_V6FRAGF ||
		    c.kind == K_V6FRAGL)
			bg_die("--frag: --kind %s is a fragment already", kinds[c.kind].name);
		for (; sent < c.count; sent++) {
			unsigned m;

			build(&c, sent, dgram);
			m = fragment(&c, sent, dgram, frags, flen);
			if (c.pps) {
				int64_t t = t0 + (int64_t)((double)sent * 1e9 / (double)c.pps);
				struct timespec ts = {.tv_sec = t / 1000000000, .tv_nsec = t % 1000000000};
				while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
					;
			}
			for (unsigned k = 0; k < m; k++)
				send_one(fd, &c, &to, frags[k], flen[k], stall_max, sent);
		}
		printf("sent %llu\n", (unsigned long long)sent);
		return 0;
	}
	while (sent < c.count) {
		unsigned n = c.count - sent < batch ? (unsigned)(c.count - sent) : batch;
		for (unsigned j = 0; j < n; j++)
			iov[j].iov_len = build(&c, sent + j, frames[j]);
		if (c.pps) {
			int64_t t = t0 + (int64_t)((double)sent * 1e9 / (double)c.pps);
			struct timespec ts = {.tv_sec = t / 1000000000, .tv_nsec = t % 1000000000};
			while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
				;
		}
		unsigned off = 0;
		int64_t stall = 0;
		while (off < n) {
			int r = sendmmsg(fd, msgs + off, n - off, 0);
			if (r > 0) {
				off += (unsigned)r;
				sent += (unsigned)r;
				stall = 0;
				continue;
			}
			/* ENOBUFS: device dropped (e.g. veth peer backlog full); the
			 * frame was not delivered, so send it again after a pause. */
			if (r < 0 && errno != ENOBUFS && errno != EAGAIN && errno != EINTR)
				bg_die("sendmmsg on %s: %s (after %llu sent)", c.ifname, strerror(errno),
				       (unsigned long long)sent);
			if (!stall)
				stall = bg_now_ns();
			else if (bg_now_ns() - stall > stall_max)
				bg_die("sendmmsg on %s: no progress for %lld s (after %llu sent)", c.ifname,
				       (long long)(stall_max / 1000000000LL), (unsigned long long)sent);
			/* Sleep, not sched_yield(): the softirq work that drains the
			 * backlog needs this CPU, and yield gives it up only weakly. */
			nanosleep(&(struct timespec){.tv_nsec = 200000}, NULL);
		}
	}
	printf("sent %llu\n", (unsigned long long)sent);
	return 0;
}
