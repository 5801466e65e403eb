// SPDX-License-Identifier: GPL-2.0
/*
 * flood - the benchmark's traffic generator (make bench, in the guest).
 *
 * Sends N crafted TCP frames on IFACE with AF_PACKET/sendmmsg and times the
 * send loop with CLOCK_MONOTONIC. On one vCPU a frame handed to a veth is
 * received (netif_rx, then the softirq at the next local_bh_enable) before
 * the send call returns, so the loop's elapsed guest time covers every
 * frame's whole receive path, netfilter hooks included. Under QEMU
 * -icount shift=0 that time counts instructions (1 ns each).
 *
 *   flood -i IF --dst-mac MAC --dst ADDR -c N
 *         [--src ADDR | --src-seq CIDR | --src-random CIDR] [--kind syn|ack]
 *         [--dport P] [--legit CIDR --legit-n K --legit-pps R --legit-dst ADDR
 *          [--late CIDR --late-n K --late-after F]]
 *         [--sample-every F --sample FILE[=PREFIX,PREFIX...]...]
 *
 * --src-seq: source prefix + (i mod prefix size); --src-random: uniform in
 * the prefix (xorshift, --seed); for IPv6 the index numbers /64 networks.
 * --dport: the flood's destination port (80). --legit: K further sources
 * (prefix + j) each send R SYNs per second of guest time to --legit-dst
 * (port 9), taking the place of flood frames when due. --late: another K
 * sources at the same rate that start only after F frames (once the
 * filter's table is full), to port 10.
 *
 * With --legit, replies (any IPv4 TCP frame received on IF, addressed to a
 * legitimate source: the server's RST or SYN-ACK) are counted per group: a
 * reply means the SYN got past the filter into TCP.
 *
 * --sample-every F: every F frames, and once after the last, read each
 * --sample FILE (up to 8; only lines starting with one of the PREFIXes) and
 * the reply counts; the samples are printed after the timed loop, and the
 * time spent sampling is left out of T. Sample lines:
 *   T frame ns early_sent early_replies late_sent late_replies
 *   F file frame line
 * Prints, last, "sent N ns T legit L late L2 replies R R2 other O
 * sample_ns S" (the legacy fields first).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <fcntl.h>
#include <unistd.h>

#include "../tests/tools/bgutil.h"

#define BATCH 64
#define MAXFILES 8
#define MAXSAMPLES 4096
#define SAMPLEBUF 65536
#define FLEN 74		/* largest: eth 14 + ipv6 40 + tcp 20 */

struct pfx {
	int fam;
	uint8_t a[16];
	int len;
};

static int fam;
static uint8_t dst[16], ldst[16], dmac[6], smac[6];

static void die(const char *m)
{
	fprintf(stderr, "flood: %s%s%s\n", m, errno ? ": " : "",
		errno ? strerror(errno) : "");
	exit(1);
}

static int parse_addr(const char *s, uint8_t *a)
{
	if (inet_pton(AF_INET, s, a) == 1)
		return 4;
	if (inet_pton(AF_INET6, s, a) == 1)
		return 6;
	errno = 0;
	die("bad address");
	return 0;
}

static void parse_pfx(const char *s, struct pfx *p)
{
	char buf[64], *sl;

	snprintf(buf, sizeof(buf), "%s", s);
	sl = strchr(buf, '/');
	if (!sl) {
		errno = 0;
		die("prefix needs /len");
	}
	*sl = 0;
	p->fam = parse_addr(buf, p->a);
	p->len = atoi(sl + 1);
}

/* Address number i in prefix p (wrapping at its size), into a. */
static void pfx_nth(const struct pfx *p, uint64_t i, uint8_t *a)
{
	/* IPv6: i numbers /64 networks (the sources burstguard counts). */
	int top = p->fam == 4 ? 32 : 64, bits = top - p->len, k;
	uint64_t v;

	if (bits < 64)
		i &= (1ULL << bits) - 1;
	memcpy(a, p->a, p->fam == 4 ? 4 : 16);
	v = i;
	for (k = top / 8 - 1; k >= 0 && v; k--) {
		unsigned int s = a[k] + (v & 0xff);

		a[k] = s & 0xff;
		v = (v >> 8) + (s >> 8);
	}
}

/* One frame: src address, dest, TCP flags, ports; returns its length. */
static int build(uint8_t *f, const uint8_t *src, const uint8_t *d,
		 uint8_t flags, uint16_t sport, uint16_t dport, uint32_t seq)
{
	struct bg_ip ip = { .fam = fam, .src = src, .dst = d, .ttl = 64,
			    .frag = 0x4000 /* DF */ };
	struct bg_tcp t = { .sport = sport, .dport = dport, .seq = seq,
			    .ack = flags & BG_TCP_ACK ? 1 : 0, .flags = flags,
			    .window = 0xffff };

	return (int)bg_tcp_frame(f, dmac, smac, &ip, &t);
}

struct sfile {
	const char *path;
	char *prefixes[16];
	int nprefix, fd;
};

static struct sfile sfiles[MAXFILES];
static int nsfiles;
static char *sout;		/* collected sample lines, printed at the end */
static size_t sout_len, sout_cap;

static void sout_add(const char *p, size_t n)
{
	if (sout_len + n + 1 > sout_cap) {
		sout_cap = (sout_len + n + 1) * 2;
		sout = realloc(sout, sout_cap);
		if (!sout)
			die("out of memory");
	}
	memcpy(sout + sout_len, p, n);
	sout_len += n;
}

static void add_sfile(char *arg)
{
	struct sfile *f;
	char *eq, *tok, *save;

	errno = 0;
	if (nsfiles == MAXFILES)
		die("at most 8 --sample files");
	f = &sfiles[nsfiles++];
	eq = strchr(arg, '=');
	if (eq) {
		*eq = 0;
		for (tok = strtok_r(eq + 1, ",", &save); tok && f->nprefix < 16;
		     tok = strtok_r(NULL, ",", &save))
			f->prefixes[f->nprefix++] = tok;
	}
	f->path = arg;
	f->fd = open(arg, O_RDONLY);
	if (f->fd < 0)
		die("cannot open a --sample file");
}

/* Append file i's kept lines as "F i frame line". */
static void sample_file(int i, uint64_t frame)
{
	static char buf[SAMPLEBUF];
	struct sfile *f = &sfiles[i];
	char head[64], *l, *nl;
	ssize_t n, got = 0;
	int k, keep;

	if (lseek(f->fd, 0, SEEK_SET) < 0)
		die("lseek on a --sample file");
	while (got < SAMPLEBUF - 1 &&
	       (n = read(f->fd, buf + got, SAMPLEBUF - 1 - got)) > 0)
		got += n;
	buf[got] = 0;
	for (l = buf; *l; l = nl) {
		nl = strchr(l, '\n');
		nl = nl ? nl + 1 : l + strlen(l);
		keep = !f->nprefix;
		for (k = 0; k < f->nprefix && !keep; k++)
			keep = !strncmp(l, f->prefixes[k], strlen(f->prefixes[k]));
		if (!keep)
			continue;
		n = snprintf(head, sizeof(head), "F %d %llu ", i,
			     (unsigned long long)frame);
		sout_add(head, n);
		sout_add(l, nl - l);
		if (nl[-1] != '\n')
			sout_add("\n", 1);
	}
}

static uint64_t now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000ULL + t.tv_nsec;
}

static int in_pfx(const struct pfx *p, const uint8_t *a)
{
	uint32_t x, y, m;

	if (!p->fam || p->len <= 0)
		return 0;
	memcpy(&x, a, 4);
	memcpy(&y, p->a, 4);
	m = p->len >= 32 ? 0xffffffffu : htonl(~(0xffffffffu >> p->len));
	return (x & m) == (y & m);
}

/* Drain the reply socket: count IPv4 TCP frames to either group. */
static void drain(int rfd, const struct pfx *g1, const struct pfx *g2,
		  uint64_t *r1, uint64_t *r2, uint64_t *other)
{
	uint8_t b[128];
	ssize_t n;

	if (rfd < 0)
		return;
	while ((n = recv(rfd, b, sizeof(b), MSG_DONTWAIT | MSG_TRUNC)) > 0) {
		if (n < 20 || (b[0] >> 4) != 4 || b[9] != IPPROTO_TCP)
			(*other)++;
		else if (in_pfx(g1, b + 16))
			(*r1)++;
		else if (in_pfx(g2, b + 16))
			(*r2)++;
		else
			(*other)++;
	}
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"dst-mac", 1, 0, 'M'}, {"dst", 1, 0, 'd'}, {"src", 1, 0, 's'},
		{"src-seq", 1, 0, 'q'}, {"src-random", 1, 0, 'r'},
		{"kind", 1, 0, 'k'}, {"seed", 1, 0, 'S'}, {"legit", 1, 0, 'L'},
		{"legit-n", 1, 0, 'n'}, {"legit-pps", 1, 0, 'p'},
		{"legit-dst", 1, 0, 'D'}, {"late", 1, 0, 'l'},
		{"late-n", 1, 0, 'N'}, {"late-after", 1, 0, 'A'},
		{"sample-every", 1, 0, 'E'}, {"sample", 1, 0, 'F'},
		{"dport", 1, 0, 'P'}, {0, 0, 0, 0}
	};
	const char *ifname = NULL;
	struct pfx src = {0}, legit = {0}, late = {0};
	int mode = 0, c, fd, rfd = -1, one = 1, i, k;
	uint64_t n = 0, sent = 0, rnd = 88172645463325252ULL, lsent = 0;
	uint64_t legit_n = 0, legit_pps = 0, lint = 0, lnext = 0;
	uint64_t late_n = 0, late_after = 0, late_sent = 0, late_next = 0;
	uint64_t every = 0, next_sample = 0, sample_ns = 0, ts;
	uint64_t rep1 = 0, rep2 = 0, other = 0;
	uint16_t dport = 80;
	char line[160];
	uint8_t flags = 0x02, frames[BATCH][FLEN], a[16];
	struct mmsghdr mm[BATCH];
	struct iovec iov[BATCH];
	struct sockaddr_ll sll = {0};
	uint64_t t0, t1;

	while ((c = getopt_long(argc, argv, "i:c:", opts, NULL)) != -1) {
		switch (c) {
		case 'i': ifname = optarg; break;
		case 'c': n = strtoull(optarg, NULL, 0); break;
		case 'M':
			if (sscanf(optarg, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &dmac[0],
				   &dmac[1], &dmac[2], &dmac[3], &dmac[4], &dmac[5]) != 6)
				die("bad MAC");
			break;
		case 'd': fam = parse_addr(optarg, dst); break;
		case 's':
			src.fam = parse_addr(optarg, src.a);
			src.len = src.fam == 4 ? 32 : 128;
			mode = 0;
			break;
		case 'q': parse_pfx(optarg, &src); mode = 1; break;
		case 'r': parse_pfx(optarg, &src); mode = 2; break;
		case 'k': flags = strcmp(optarg, "ack") ? 0x02 : 0x10; break;
		case 'S': rnd = strtoull(optarg, NULL, 0) | 1; break;
		case 'L': parse_pfx(optarg, &legit); break;
		case 'n': legit_n = strtoull(optarg, NULL, 0); break;
		case 'p': legit_pps = strtoull(optarg, NULL, 0); break;
		case 'D': parse_addr(optarg, ldst); break;
		case 'l': parse_pfx(optarg, &late); break;
		case 'N': late_n = strtoull(optarg, NULL, 0); break;
		case 'A': late_after = strtoull(optarg, NULL, 0); break;
		case 'E': every = strtoull(optarg, NULL, 0); break;
		case 'F': add_sfile(optarg); break;
		case 'P': dport = (uint16_t)strtoul(optarg, NULL, 0); break;
		default: errno = 0; die("bad option (see the source)");
		}
	}
	errno = 0;
	if (!ifname || !n || !fam || src.fam != fam)
		die("need -i, -c, --dst and a source of the same family");
	if (legit_n && (!legit_pps || legit.fam != fam))
		die("--legit needs --legit-pps and the same family");
	if (late_n && (!legit_n || late.fam != fam))
		die("--late needs --legit and the same family");
	if (legit_n && fam != 4)
		die("--legit is IPv4 only");
	if (nsfiles && !every)
		die("--sample needs --sample-every");

	fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (fd < 0)
		die("socket");
	sll.sll_family = AF_PACKET;
	sll.sll_ifindex = if_nametoindex(ifname);
	sll.sll_halen = 6;
	memcpy(sll.sll_addr, dmac, 6);
	if (!sll.sll_ifindex)
		die("no such interface");
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)))
		die("bind");
	setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one));
	smac[0] = 0x02;
	smac[5] = 0x01;
	for (i = 0; i < BATCH; i++) {
		iov[i].iov_base = frames[i];
		memset(&mm[i], 0, sizeof(mm[i]));
		mm[i].msg_hdr.msg_iov = &iov[i];
		mm[i].msg_hdr.msg_iovlen = 1;
	}
	if (legit_n) {
		lint = 1000000000ULL / (legit_n * legit_pps);
		/* Only incoming IPv4 frames: the server's replies. */
		rfd = socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_IP));
		if (rfd < 0)
			die("reply socket");
		sll.sll_protocol = htons(ETH_P_IP);
		if (bind(rfd, (struct sockaddr *)&sll, sizeof(sll)))
			die("bind reply socket");
		sll.sll_protocol = 0;
		i = 4 << 20;
		setsockopt(rfd, SOL_SOCKET, SO_RCVBUF, &i, sizeof(i));
	}

	t0 = now_ns();
	lnext = t0;
	for (;;) {
		int b = n - sent < BATCH ? (int)(n - sent) : BATCH;
		uint64_t t = legit_n ? now_ns() : 0;

		if (every && (sent >= next_sample || sent == n)) {
			ts = now_ns();
			drain(rfd, &legit, &late, &rep1, &rep2, &other);
			k = snprintf(line, sizeof(line),
				     "T %llu %llu %llu %llu %llu %llu\n",
				     (unsigned long long)sent,
				     (unsigned long long)(ts - t0 - sample_ns),
				     (unsigned long long)lsent,
				     (unsigned long long)rep1,
				     (unsigned long long)late_sent,
				     (unsigned long long)rep2);
			sout_add(line, k);
			for (k = 0; k < nsfiles; k++)
				sample_file(k, sent);
			next_sample += every;
			t = now_ns();
			sample_ns += t - ts;
		}
		if (sent >= n)
			break;
		if (late_n && sent >= late_after && !late_next)
			late_next = t;
		for (i = 0; i < b; i++) {
			uint64_t idx = sent + i;

			if (late_next && t >= late_next) {
				pfx_nth(&late, late_sent % late_n, a);
				iov[i].iov_len = build(frames[i], a, ldst, 0x02,
						       1024 + (idx & 0x7fff), 10, idx);
				late_sent++;
				late_next += 1000000000ULL / (late_n * legit_pps);
				continue;
			}
			if (legit_n && t >= lnext) {
				pfx_nth(&legit, lsent % legit_n, a);
				iov[i].iov_len = build(frames[i], a, ldst, 0x02,
						       1024 + (idx & 0x7fff), 9, idx);
				lsent++;
				lnext += lint;
				continue;
			}
			if (mode == 0) {
				memcpy(a, src.a, 16);
			} else {
				if (mode == 2) {
					rnd ^= rnd << 13;
					rnd ^= rnd >> 7;
					rnd ^= rnd << 17;
				}
				pfx_nth(&src, mode == 1 ? idx : rnd, a);
			}
			iov[i].iov_len = build(frames[i], a, dst, flags,
					       1024 + (idx & 0x7fff), dport, idx);
		}
		for (k = 0; k < b;) {
			int r = sendmmsg(fd, mm + k, b - k, 0);

			if (r < 0) {
				if (errno == ENOBUFS || errno == EAGAIN)
					continue;
				die("sendmmsg");
			}
			k += r;
		}
		sent += b;
	}
	t1 = now_ns();
	if (rfd >= 0) {
		/* Replies still on their way: 50 ms is many round trips. */
		usleep(50000);
		drain(rfd, &legit, &late, &rep1, &rep2, &other);
	}
	if (sout_len)
		fwrite(sout, 1, sout_len, stdout);
	printf("sent %llu ns %llu legit %llu late %llu replies %llu %llu other %llu sample_ns %llu\n",
	       (unsigned long long)sent,
	       (unsigned long long)(t1 - t0 - sample_ns),
	       (unsigned long long)lsent, (unsigned long long)late_sent,
	       (unsigned long long)rep1, (unsigned long long)rep2,
	       (unsigned long long)other, (unsigned long long)sample_ns);
	return 0;
}
