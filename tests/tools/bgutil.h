/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Code shared by burstguard's packet tools (tests/tools/bgsend, bgconnect),
 * the collision test (tests/bg_collide.c) and the benchmark (bench/flood.c,
 * bench/micro/): option parsing, the Internet checksum, one TCP frame
 * builder, and the kernel's jhash. One copy of each, here.
 */
#ifndef BGUTIL_H
#define BGUTIL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Print "PROG: message" to stderr and exit 1 (usage/system error). */
void bg_die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
void bg_set_prog(const char *name);

/* Parse a decimal unsigned number in [min,max]; on failure die naming OPT. */
uint64_t bg_parse_u64(const char *opt, const char *s, uint64_t min, uint64_t max);

/* Monotonic clock in nanoseconds. */
int64_t bg_now_ns(void);

/* Big-endian stores. */
static inline void bg_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void bg_put32(uint8_t *p, uint32_t v)
{
	bg_put16(p, (uint16_t)(v >> 16));
	bg_put16(p + 2, (uint16_t)v);
}

/*
 * The Internet checksum (RFC 1071): bg_csum_add() sums 16-bit big-endian
 * words (an odd tail byte padded with zero) onto @sum, bg_csum_fold()
 * folds the carries and complements. bg_pseudo_sum() is the sum of the
 * pseudo-header of RFC 793 (IPv4, @fam 4) or RFC 8200 section 8.1 (IPv6)
 * for an upper-layer packet of @len bytes of protocol @proto.
 *
 * These and the frame builder below are inline: bench/flood builds every
 * frame inside its timed loop, and inlined they cost it what its own
 * builder did.
 */
static inline uint32_t bg_csum_add(uint32_t sum, const void *p, size_t len)
{
	const uint8_t *b = p;

	for (; len > 1; b += 2, len -= 2)
		sum += (uint32_t)b[0] << 8 | b[1];
	if (len)
		sum += (uint32_t)b[0] << 8;
	return sum;
}

static inline uint16_t bg_csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static inline uint32_t bg_pseudo_sum(int fam, const uint8_t *src,
				     const uint8_t *dst, uint8_t proto,
				     size_t len)
{
	size_t alen = fam == 4 ? 4 : 16;
	uint32_t s = bg_csum_add(0, src, alen);

	s = bg_csum_add(s, dst, alen);
	return s + proto + (uint32_t)(len >> 16) + (uint32_t)(len & 0xffff);
}

/* TCP flags (RFC 9293). */
#define BG_TCP_FIN 0x01
#define BG_TCP_SYN 0x02
#define BG_TCP_RST 0x04
#define BG_TCP_ACK 0x10

/* An IPv4 or IPv6 header: what bg_put_ip() writes. */
struct bg_ip {
	int fam;			/* 4 or 6 */
	const uint8_t *src, *dst;	/* 4 or 16 bytes */
	uint8_t proto;			/* IPv4 protocol, IPv6 next header */
	uint8_t ttl;			/* IPv4 TTL, IPv6 hop limit */
	uint16_t id;			/* IPv4 identification */
	uint16_t frag;			/* IPv4 flags and fragment offset (0x4000: DF) */
	uint8_t opt_len;		/* IPv4 options (NOPs, then End of Options), 0 to 40 */
};

/* A TCP segment: what bg_put_tcp() writes. */
struct bg_tcp {
	uint16_t sport, dport, window;
	uint32_t seq, ack;
	uint8_t flags;			/* BG_TCP_* */
	uint8_t doff;			/* data offset in words; 0: 5 + options */
	const uint8_t *opt;		/* options, a multiple of 4 bytes */
	size_t opt_len;
	const uint8_t *data;		/* payload */
	size_t data_len;
};

/* The Ethernet header (type IPv4 or IPv6 for @fam): returns 14. */
static inline size_t bg_put_eth(uint8_t *f, const uint8_t *dmac,
				const uint8_t *smac, int fam)
{
	memcpy(f, dmac, 6);
	memcpy(f + 6, smac, 6);
	bg_put16(f + 12, fam == 4 ? 0x0800 : 0x86dd);
	return 14;
}

/*
 * The IP header for @payload bytes behind it, IPv4 with its checksum;
 * returns its length (20 + opt_len, or 40).
 */
static inline size_t bg_put_ip(uint8_t *ip, const struct bg_ip *h,
			       size_t payload)
{
	size_t hl;

	if (h->fam == 6) {
		ip[0] = 0x60;
		ip[1] = ip[2] = ip[3] = 0;
		bg_put16(ip + 4, (uint16_t)payload);
		ip[6] = h->proto;
		ip[7] = h->ttl;
		memcpy(ip + 8, h->src, 16);
		memcpy(ip + 24, h->dst, 16);
		return 40;
	}
	hl = 20 + (size_t)h->opt_len;
	ip[0] = (uint8_t)(0x40 | hl / 4);
	ip[1] = 0;
	bg_put16(ip + 2, (uint16_t)(hl + payload));
	bg_put16(ip + 4, h->id);
	bg_put16(ip + 6, h->frag);
	ip[8] = h->ttl;
	ip[9] = h->proto;
	ip[10] = ip[11] = 0;
	memcpy(ip + 12, h->src, 4);
	memcpy(ip + 16, h->dst, 4);
	if (h->opt_len) {
		memset(ip + 20, 1, h->opt_len);	/* NOP ... */
		ip[hl - 1] = 0;			/* ... End of Options */
	}
	bg_put16(ip + 10, bg_csum_fold(bg_csum_add(0, ip, hl)));
	return hl;
}

/*
 * The TCP segment @t at @seg, its checksum over the pseudo-header of
 * @fam, @src, @dst, the header as written (doff included), options and
 * data; returns its length (20 + opt_len + data_len).
 */
static inline size_t bg_put_tcp(uint8_t *seg, const struct bg_tcp *t, int fam,
				const uint8_t *src, const uint8_t *dst)
{
	size_t hl = 20 + t->opt_len, len = hl + t->data_len;

	bg_put16(seg, t->sport);
	bg_put16(seg + 2, t->dport);
	bg_put32(seg + 4, t->seq);
	bg_put32(seg + 8, t->ack);
	seg[12] = (uint8_t)((t->doff ? t->doff : hl / 4) << 4);
	seg[13] = t->flags;
	bg_put16(seg + 14, t->window);
	seg[16] = seg[17] = seg[18] = seg[19] = 0;	/* checksum, urgent pointer */
	if (t->opt_len)
		memcpy(seg + 20, t->opt, t->opt_len);
	if (t->data_len)
		memcpy(seg + hl, t->data, t->data_len);
	bg_put16(seg + 16, bg_csum_fold(bg_csum_add(bg_pseudo_sum(fam, src, dst,
								  6, len),
						    seg, len)));
	return len;
}

/*
 * The frame builder of the tools, the tests and the bench: [Ethernet
 * (when @dmac is not NULL),] the IP header @ip with protocol TCP, the
 * segment @t; every checksum valid. Returns the frame's length.
 */
static inline size_t bg_tcp_frame(uint8_t *f, const uint8_t *dmac,
				  const uint8_t *smac, const struct bg_ip *ip,
				  const struct bg_tcp *t)
{
	struct bg_ip h = *ip;
	size_t n = dmac ? bg_put_eth(f, dmac, smac, ip->fam) : 0;
	size_t hl = ip->fam == 4 ? 20 + (size_t)ip->opt_len : 40;
	size_t len = bg_put_tcp(f + n + hl, t, ip->fam, ip->src, ip->dst);

	h.proto = 6;	/* IPPROTO_TCP */
	bg_put_ip(f + n, &h, len);
	return n + hl + len;
}

/*
 * The kernel's jhash (include/linux/jhash.h, Bob Jenkins' lookup3), word
 * for word: what kmod/table.c hashes sources with. Inline as in the
 * kernel, so that bench/micro (table.c compiled in userspace against this
 * copy) runs the code the kernel runs. jhash() reads its key as
 * little-endian words (__get_unaligned_cpu32 on x86).
 * tests/bg_collide --selftest checks them against lookup3's test vectors.
 */
#define JHASH_INITVAL 0xdeadbeef

static inline uint32_t bg_rol32(uint32_t w, unsigned int s)
{
	return (w << s) | (w >> ((-s) & 31));
}

#define __jhash_mix(a, b, c)				\
{							\
	a -= c;  a ^= bg_rol32(c, 4);  c += b;		\
	b -= a;  b ^= bg_rol32(a, 6);  a += c;		\
	c -= b;  c ^= bg_rol32(b, 8);  b += a;		\
	a -= c;  a ^= bg_rol32(c, 16); c += b;		\
	b -= a;  b ^= bg_rol32(a, 19); a += c;		\
	c -= b;  c ^= bg_rol32(b, 4);  b += a;		\
}

#define __jhash_final(a, b, c)				\
{							\
	c ^= b; c -= bg_rol32(b, 14);			\
	a ^= c; a -= bg_rol32(c, 11);			\
	b ^= a; b -= bg_rol32(a, 25);			\
	c ^= b; c -= bg_rol32(b, 16);			\
	a ^= c; a -= bg_rol32(c, 4);			\
	b ^= a; b -= bg_rol32(a, 14);			\
	c ^= b; c -= bg_rol32(b, 24);			\
}

static inline uint32_t bg_get32le(const uint8_t *k)
{
	return (uint32_t)k[0] | (uint32_t)k[1] << 8 | (uint32_t)k[2] << 16 |
	       (uint32_t)k[3] << 24;
}

static inline uint32_t jhash(const void *key, uint32_t length, uint32_t initval)
{
	const uint8_t *k = key;
	uint32_t a, b, c;

	a = b = c = JHASH_INITVAL + length + initval;
	while (length > 12) {
		a += bg_get32le(k);
		b += bg_get32le(k + 4);
		c += bg_get32le(k + 8);
		__jhash_mix(a, b, c);
		length -= 12;
		k += 12;
	}
	switch (length) {
	case 12: c += (uint32_t)k[11] << 24;	/* fall through */
	case 11: c += (uint32_t)k[10] << 16;	/* fall through */
	case 10: c += (uint32_t)k[9] << 8;	/* fall through */
	case 9:  c += k[8];			/* fall through */
	case 8:  b += (uint32_t)k[7] << 24;	/* fall through */
	case 7:  b += (uint32_t)k[6] << 16;	/* fall through */
	case 6:  b += (uint32_t)k[5] << 8;	/* fall through */
	case 5:  b += k[4];			/* fall through */
	case 4:  a += (uint32_t)k[3] << 24;	/* fall through */
	case 3:  a += (uint32_t)k[2] << 16;	/* fall through */
	case 2:  a += (uint32_t)k[1] << 8;	/* fall through */
	case 1:  a += k[0];
		__jhash_final(a, b, c);
		break;
	case 0:
		break;
	}
	return c;
}

static inline uint32_t jhash2(const uint32_t *k, uint32_t length, uint32_t initval)
{
	uint32_t a, b, c;

	a = b = c = JHASH_INITVAL + (length << 2) + initval;
	while (length > 3) {
		a += k[0];
		b += k[1];
		c += k[2];
		__jhash_mix(a, b, c);
		length -= 3;
		k += 3;
	}
	switch (length) {
	case 3: c += k[2];	/* fall through */
	case 2: b += k[1];	/* fall through */
	case 1: a += k[0];
		__jhash_final(a, b, c);
		break;
	case 0:
		break;
	}
	return c;
}

static inline uint32_t __jhash_nwords(uint32_t a, uint32_t b, uint32_t c,
				      uint32_t initval)
{
	a += initval;
	b += initval;
	c += initval;
	__jhash_final(a, b, c);
	return c;
}

static inline uint32_t jhash_2words(uint32_t a, uint32_t b, uint32_t initval)
{
	return __jhash_nwords(a, b, 0, initval + JHASH_INITVAL + (2 << 2));
}

#endif
