// SPDX-License-Identifier: GPL-2.0
/*
 * bg_collide: sources that collide in burstguard's source table under a
 * KNOWN hash key, and a sender of SYNs from them (hash_flood.sh).
 *
 * The module hashes (rule, family, plen, masked address) with jhash and
 * a random secret seed per table (kmod/table.c, bg_hash(): IPv4
 * jhash_2words(meta, addr, seed), IPv6 jhash2(addr, 4, seed ^ meta), meta
 * = rule << 16 | family << 8 | plen). This program computes the same
 * function in userspace under a seed the attacker would know if the
 * module's were not secret (zero, all ones), picks addresses that all fall
 * into one bucket of a table sized for --max-sources, and sends --times
 * SYNs from each (AF_PACKET, to --dst-mac). Under the real, random seed
 * they spread like any other sources (hash_flood.sh); under a known one
 * they pile into one chain. The module's test-only parameter
 * test_zero_hash_seed=1 gives a new netns' first table seed 0, which
 * --key zero then aims at (table_collide.sh).
 *
 *   bg_collide --selftest
 *   bg_collide [-6] --key zero|ones --max-sources N -n COUNT [--list]
 *              [-i IFACE --dst-mac MAC --dst ADDR --times K] [--plen P]
 *
 * IPv4 sources are taken from 10.128.0.0/9, IPv6 sources are /64 prefixes
 * fd00:XXXX:XXXX::/64 (the module's default prefix6 is 64; each source
 * address is the prefix with ::1). --plen must be the module's prefix4 or
 * prefix6 (default 32 and 64). Output: "sent N" or the list, one per line.
 *
 * The hash is include/linux/jhash.h's, copied word for word; --selftest
 * checks it against lookup3's (Bob Jenkins') published test vectors, so a
 * typo cannot make the test pass by accident. If bg_hash() changes, this
 * copy must follow, or the test no longer aims at one chain. The table
 * geometry (buckets = roundup_pow_of_two(max(max_sources / 4, 16))) is
 * table.c's bg_nbuckets().
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netpacket/packet.h>
#include <linux/if_ether.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

typedef uint64_t u64;
typedef uint32_t u32;

static u32 rol32(u32 w, unsigned int s)
{
	return (w << s) | (w >> (32 - s));
}

/* include/linux/jhash.h, word for word */
#define JHASH_INITVAL 0xdeadbeef

#define jhash_mix(a, b, c) do { \
	a -= c;  a ^= rol32(c, 4);  c += b; \
	b -= a;  b ^= rol32(a, 6);  a += c; \
	c -= b;  c ^= rol32(b, 8);  b += a; \
	a -= c;  a ^= rol32(c, 16); c += b; \
	b -= a;  b ^= rol32(a, 19); a += c; \
	c -= b;  c ^= rol32(b, 4);  b += a; \
} while (0)

#define jhash_final(a, b, c) do { \
	c ^= b; c -= rol32(b, 14); \
	a ^= c; a -= rol32(c, 11); \
	b ^= a; b -= rol32(a, 25); \
	c ^= b; c -= rol32(b, 16); \
	a ^= c; a -= rol32(c, 4);  \
	b ^= a; b -= rol32(a, 14); \
	c ^= b; c -= rol32(b, 24); \
} while (0)

static u32 get32(const uint8_t *k)
{
	u32 v;

	memcpy(&v, k, 4);	/* __get_unaligned_cpu32(), little endian */
	return v;
}

static u32 jhash(const void *key, u32 length, u32 initval)
{
	const uint8_t *k = key;
	u32 a, b, c;

	a = b = c = JHASH_INITVAL + length + initval;
	while (length > 12) {
		a += get32(k);
		b += get32(k + 4);
		c += get32(k + 8);
		jhash_mix(a, b, c);
		length -= 12;
		k += 12;
	}
	switch (length) {
	case 12: c += (u32)k[11] << 24;	/* fallthrough */
	case 11: c += (u32)k[10] << 16;	/* fallthrough */
	case 10: c += (u32)k[9] << 8;	/* fallthrough */
	case 9:  c += k[8];		/* fallthrough */
	case 8:  b += (u32)k[7] << 24;	/* fallthrough */
	case 7:  b += (u32)k[6] << 16;	/* fallthrough */
	case 6:  b += (u32)k[5] << 8;	/* fallthrough */
	case 5:  b += k[4];		/* fallthrough */
	case 4:  a += (u32)k[3] << 24;	/* fallthrough */
	case 3:  a += (u32)k[2] << 16;	/* fallthrough */
	case 2:  a += (u32)k[1] << 8;	/* fallthrough */
	case 1:  a += k[0];
		jhash_final(a, b, c);
		break;
	case 0:
		break;
	}
	return c;
}

static u32 jhash2(const u32 *k, u32 length, u32 initval)
{
	u32 a, b, c;

	a = b = c = JHASH_INITVAL + (length << 2) + initval;
	while (length > 3) {
		a += k[0];
		b += k[1];
		c += k[2];
		jhash_mix(a, b, c);
		length -= 3;
		k += 3;
	}
	switch (length) {
	case 3: c += k[2];	/* fallthrough */
	case 2: b += k[1];	/* fallthrough */
	case 1: a += k[0];
		jhash_final(a, b, c);
		break;
	case 0:
		break;
	}
	return c;
}

static u32 jhash_2words(u32 a, u32 b, u32 initval)
{
	u32 c = 0;

	initval += JHASH_INITVAL + (2 << 2);
	a += initval;
	b += initval;
	c += initval;
	jhash_final(a, b, c);
	return c;
}

/*
 * jhash is Bob Jenkins' lookup3 hashlittle(): check it against lookup3.c's
 * own test vectors, and jhash2()/jhash_2words() against jhash() on the same
 * little-endian words, so a typo cannot make the test pass by accident.
 */
static int selftest(int verbose)
{
	static const char four[] = "Four score and seven years ago";
	static const uint8_t b16[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
					 13, 14, 15, 16 };
	u32 w[4];
	int bad = 0;

	memcpy(w, b16, 16);
	bad |= jhash("", 0, 0) != 0xdeadbeefU;
	bad |= jhash(four, 30, 0) != 0x17770551U;
	bad |= jhash(four, 30, 1) != 0xcd628161U;
	bad |= jhash2(w, 4, 7) != jhash(b16, 16, 7);
	bad |= jhash2(w, 2, 7) != jhash(b16, 8, 7);
	bad |= jhash_2words(w[0], w[1], 7) != jhash2(w, 2, 7);
	if (bad) {
		fprintf(stderr, "jhash replica wrong: %08x %08x\n",
			jhash(four, 30, 0), jhash(four, 30, 1));
		return 1;
	}
	if (verbose)
		printf("jhash replica matches lookup3's test vectors\n");
	return 0;
}

static uint16_t csum_fold(u32 sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static u32 csum_add(u32 sum, const void *p, size_t len)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (u32)b[i] << 8 | b[i + 1];
	if (len & 1)
		sum += (u32)b[len - 1] << 8;
	return sum;
}

/* A 20-byte TCP SYN to port 80 into @tcp; checksum over @pseudo too. */
static void put_syn(uint8_t *tcp, u32 pseudo_sum, unsigned int seq)
{
	uint16_t c;

	memset(tcp, 0, 20);
	tcp[0] = (uint8_t)((1024 + seq % 60000) >> 8);
	tcp[1] = (uint8_t)(1024 + seq % 60000);
	tcp[3] = 80;
	memcpy(tcp + 4, &seq, 4);
	tcp[12] = 5 << 4;
	tcp[13] = 0x02;		/* SYN */
	tcp[14] = 0xfa;		/* window 64240 */
	tcp[15] = 0xf0;
	c = csum_fold(csum_add(pseudo_sum, tcp, 20));
	tcp[16] = c >> 8;
	tcp[17] = c & 0xff;
}

static size_t build4(uint8_t *p, const struct in_addr *src,
		     const struct in_addr *dst, unsigned int seq)
{
	u32 ps = 0;
	uint16_t c;

	memset(p, 0, 20);
	p[0] = 0x45;
	p[3] = 40;
	p[4] = (uint8_t)(seq >> 8);
	p[5] = (uint8_t)seq;
	p[6] = 0x40;		/* DF */
	p[8] = 64;
	p[9] = IPPROTO_TCP;
	memcpy(p + 12, src, 4);
	memcpy(p + 16, dst, 4);
	c = csum_fold(csum_add(0, p, 20));
	p[10] = c >> 8;
	p[11] = c & 0xff;
	ps = csum_add(ps, p + 12, 8);
	ps += IPPROTO_TCP + 20;
	put_syn(p + 20, ps, seq);
	return 40;
}

static size_t build6(uint8_t *p, const struct in6_addr *src,
		     const struct in6_addr *dst, unsigned int seq)
{
	u32 ps = 0;

	memset(p, 0, 40);
	p[0] = 0x60;
	p[5] = 20;
	p[6] = IPPROTO_TCP;
	p[7] = 64;
	memcpy(p + 8, src, 16);
	memcpy(p + 24, dst, 16);
	ps = csum_add(ps, p + 8, 32);
	ps += IPPROTO_TCP + 20;
	put_syn(p + 40, ps, seq);
	return 60;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: bg_collide --selftest\n"
		"       bg_collide [-6] --key zero|ones --max-sources N -n COUNT [--plen P]\n"
		"                  (--list | -i IFACE --dst-mac MAC --dst ADDR [--times K])\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "selftest", no_argument, NULL, 'S' },
		{ "key", required_argument, NULL, 'k' },
		{ "max-sources", required_argument, NULL, 'm' },
		{ "plen", required_argument, NULL, 'p' },
		{ "list", no_argument, NULL, 'l' },
		{ "iface", required_argument, NULL, 'i' },
		{ "dst-mac", required_argument, NULL, 'M' },
		{ "dst", required_argument, NULL, 'd' },
		{ "times", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	u32 seed = 0;
	unsigned long max_sources = 0, n = 0, times = 1, found = 0, sent = 0;
	int v6 = 0, list = 0, plen = -1, opt, fd = -1;
	const char *iface = NULL, *mac = NULL, *dst = NULL;
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_halen = 6 };
	struct in_addr d4;
	struct in6_addr d6;
	u32 nb, mask, meta, cand, want_bucket = 0;
	unsigned int mb[6];
	uint8_t pkt[64];

	while ((opt = getopt_long(argc, argv, "6n:i:", opts, NULL)) != -1) {
		switch (opt) {
		case 'S':
			return selftest(1);
		case '6':
			v6 = 1;
			break;
		case 'k':
			if (!strcmp(optarg, "ones"))
				seed = ~0U;
			else if (strcmp(optarg, "zero"))
				usage();
			break;
		case 'm':
			max_sources = strtoul(optarg, NULL, 0);
			break;
		case 'n':
			n = strtoul(optarg, NULL, 0);
			break;
		case 'p':
			plen = atoi(optarg);
			break;
		case 'l':
			list = 1;
			break;
		case 'i':
			iface = optarg;
			break;
		case 'M':
			mac = optarg;
			break;
		case 'd':
			dst = optarg;
			break;
		case 't':
			times = strtoul(optarg, NULL, 0);
			break;
		default:
			usage();
		}
	}
	if (!max_sources || !n || (!list && (!iface || !mac || !dst)))
		usage();
	if (selftest(0))
		return 1;
	if (plen < 0)
		plen = v6 ? 64 : 32;
	if ((!v6 && plen != 32) || (v6 && plen > 64))
		usage();	/* sources below are built for these */

	/* table.c: bg_nbuckets() */
	nb = (u32)(max_sources / 4 > 16 ? max_sources / 4 : 16);
	for (mask = 1; mask < nb; mask <<= 1)
		;
	mask -= 1;
	/* rule 0 (the default), family, plen */
	meta = (u32)(v6 ? AF_INET6 : AF_INET) << 8 | (u32)plen;

	if (!list) {
		fd = socket(AF_PACKET, SOCK_DGRAM, 0);
		if (fd < 0) {
			perror("socket(AF_PACKET)");
			return 1;
		}
		sll.sll_ifindex = (int)if_nametoindex(iface);
		sll.sll_protocol = htons(v6 ? ETH_P_IPV6 : ETH_P_IP);
		if (!sll.sll_ifindex ||
		    sscanf(mac, "%x:%x:%x:%x:%x:%x", &mb[0], &mb[1], &mb[2],
			   &mb[3], &mb[4], &mb[5]) != 6) {
			fprintf(stderr, "bad interface or MAC\n");
			return 1;
		}
		for (opt = 0; opt < 6; opt++)
			sll.sll_addr[opt] = (uint8_t)mb[opt];
		if ((v6 ? inet_pton(AF_INET6, dst, &d6) : inet_pton(AF_INET, dst, &d4)) != 1) {
			fprintf(stderr, "bad --dst\n");
			return 1;
		}
	}

	/* Every candidate is a distinct source; keep those in bucket 0. */
	for (cand = 0; found < n && cand < (1U << 23); cand++) {
		struct in6_addr a6 = { 0 };
		struct in_addr a4;
		char buf[INET6_ADDRSTRLEN];
		u32 h;
		unsigned long k;

		if (v6) {
			a6.s6_addr[0] = 0xfd;
			a6.s6_addr[1] = 0x00;
			/* fd00:XXXX:XXXX::/64 with XXXX:XXXX = cand + 1 */
			a6.s6_addr[2] = (uint8_t)((cand + 1) >> 24);
			a6.s6_addr[3] = (uint8_t)((cand + 1) >> 16);
			a6.s6_addr[4] = (uint8_t)((cand + 1) >> 8);
			a6.s6_addr[5] = (uint8_t)(cand + 1);
			{
				u32 w[4];

				memcpy(w, &a6, 16);
				h = jhash2(w, 4, seed ^ meta);
			}
			a6.s6_addr[15] = 1;	/* the host, inside the /64 */
		} else {
			a4.s_addr = htonl(0x0a800000U | cand);	/* 10.128.0.0/9 */
			h = jhash_2words(meta, a4.s_addr, seed);
		}
		if ((h & mask) != want_bucket)
			continue;
		found++;
		if (list) {
			if (v6)
				inet_ntop(AF_INET6, &a6, buf, sizeof(buf));
			else
				inet_ntop(AF_INET, &a4, buf, sizeof(buf));
			printf("%s\n", buf);
			continue;
		}
		for (k = 0; k < times; k++) {
			size_t len = v6 ? build6(pkt, &a6, &d6, (unsigned int)(sent + 1))
					: build4(pkt, &a4, &d4, (unsigned int)(sent + 1));

			while (sendto(fd, pkt, len, 0, (struct sockaddr *)&sll,
				      sizeof(sll)) < 0) {
				if (errno != ENOBUFS && errno != EAGAIN) {
					perror("sendto");
					return 1;
				}
				usleep(1000);
			}
			sent++;
		}
	}
	if (found < n) {
		fprintf(stderr, "only %lu colliding sources found\n", found);
		return 1;
	}
	if (!list)
		printf("sent %lu\n", sent);
	return 0;
}
