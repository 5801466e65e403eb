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
 * The hash is include/linux/jhash.h's, the copy in tests/tools/bgutil.h
 * (which bench/micro compiles kmod/table.c against too); --selftest checks
 * it against lookup3's (Bob Jenkins') published test vectors, so a typo
 * cannot make the test pass by accident. If bg_hash() changes, this
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

#include "tools/bgutil.h"

typedef uint32_t u32;

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

/* One SYN to port 80, IP id and sequence number @seq, IP header first. */
static size_t build(uint8_t *p, int fam, const void *src, const void *dst,
		    unsigned int seq)
{
	struct bg_ip ip = { .fam = fam, .src = src, .dst = dst, .ttl = 64,
			    .id = (uint16_t)seq, .frag = 0x4000 /* DF */ };
	struct bg_tcp t = { .sport = (uint16_t)(1024 + seq % 60000),
			    .dport = 80, .seq = seq, .flags = BG_TCP_SYN,
			    .window = 64240 };

	return bg_tcp_frame(p, NULL, NULL, &ip, &t);
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
			size_t len = v6 ? build(pkt, 6, &a6, &d6, (unsigned int)(sent + 1))
					: build(pkt, 4, &a4, &d4, (unsigned int)(sent + 1));

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
