/*
 * bgconnect - real TCP client/server for burstguard end-to-end checks.
 *
 *   bgconnect --listen ADDR PORT [--for SECONDS] [--pidfile F] [--daemon]
 *   bgconnect ADDR PORT -c N [--timeout MS] [--interval MS] [--bind SRC] [--parallel]
 *
 * The client prints exactly one line "connected X refused Y timeout Z".
 * Addresses are numeric only (no DNS lookups, nothing implicit).
 *
 * SYNs per attempt: connect() is non-blocking and the socket is closed when
 * --timeout expires (closing a SYN_SENT socket sends nothing).  TCP_SYNCNT=1
 * makes the kernel give up (ETIMEDOUT, counted as timeout) ~3 s after the
 * first SYN.  The first retransmit fires after the initial RTO of 1 s, so:
 *   --timeout < 1000 ms  -> exactly 1 SYN per attempt;
 *   --timeout = 1000 ms  -> 1 SYN, rarely 2 (our timer races the kernel's);
 *   --timeout > 1000 ms  -> 1 + one per retransmit due before the timeout:
 *                           at ~1 s and, on kernels with
 *                           net.ipv4.tcp_syn_linear_timeouts (6.x), ~2 s;
 *                           at most 3 SYNs (measured on 6.18: 1500 ms -> 2,
 *                           2900 ms -> 3, 10000 ms -> 3, gave up at 3.07 s).
 * Use --timeout 900 or less when a test counts SYNs.
 */
#include "bgutil.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { R_CONN, R_REFUSED, R_TIMEOUT, R_ERROR, R_PENDING };

static void resolve(const char *opt, const char *addr, const char *port, struct sockaddr_storage *ss,
		    socklen_t *len)
{
	struct addrinfo hints = {.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE,
				 .ai_socktype = SOCK_STREAM};
	struct addrinfo *ai;
	int e = getaddrinfo(addr, port, &hints, &ai);

	if (e)
		bg_die("%s: '%s' port '%s': %s", opt, addr, port, gai_strerror(e));
	memcpy(ss, ai->ai_addr, ai->ai_addrlen);
	*len = ai->ai_addrlen;
	freeaddrinfo(ai);
}

static void write_pidfile(const char *path, pid_t pid)
{
	char tmp[4096];
	FILE *f;

	/* write + rename so a waiting test never reads a half-written file */
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f || fprintf(f, "%d\n", (int)pid) < 0 || fclose(f) || rename(tmp, path))
		bg_die("--pidfile %s: %s", path, strerror(errno));
}

static int do_listen(const char *addr, const char *port, uint64_t secs, const char *pidfile, int daemon)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	int one = 1;

	resolve("--listen", addr, port, &ss, &sl);
	int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		bg_die("socket: %s", strerror(errno));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (ss.ss_family == AF_INET6) /* listen on exactly the given v6 address */
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, sl) < 0)
		bg_die("--listen %s %s: bind: %s", addr, port, strerror(errno));
	if (listen(fd, 4096) < 0)
		bg_die("listen: %s", strerror(errno));
	/* Already listening here, so a test may connect as soon as the pidfile
	 * exists (or, with --daemon, as soon as this command has returned). */
	if (daemon) {
		pid_t pid = fork();
		if (pid < 0)
			bg_die("fork: %s", strerror(errno));
		if (pid > 0) {
			if (pidfile)
				write_pidfile(pidfile, pid);
			return 0;
		}
		setsid();
		int nul = open("/dev/null", O_RDWR);
		if (nul >= 0) {
			dup2(nul, 0);
			dup2(nul, 1);
		}
	} else if (pidfile) {
		write_pidfile(pidfile, getpid());
	}
	int64_t end = secs ? bg_now_ns() + (int64_t)secs * 1000000000 : INT64_MAX;
	for (;;) {
		int64_t left = end - bg_now_ns();
		if (left <= 0)
			break;
		struct pollfd p = {.fd = fd, .events = POLLIN};
		poll(&p, 1, left > 1000000000LL ? 1000 : (int)(left / 1000000) + 1);
		int c;
		while ((c = accept4(fd, NULL, NULL, SOCK_CLOEXEC)) >= 0)
			close(c);
	}
	return 0;
}

/* Start one non-blocking connect; returns R_PENDING with *fdp set, or a result. */
static int start(const struct sockaddr_storage *dst, socklen_t dl, const struct sockaddr_storage *src,
		 socklen_t srcl, int *fdp)
{
	int one = 1, fd = socket(dst->ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0)
		bg_die("socket: %s", strerror(errno));
	setsockopt(fd, IPPROTO_TCP, TCP_SYNCNT, &one, sizeof(one));
	if (src) {
		/* port chosen at connect(): bind-time port allocation would skip
		 * ports still in TIME_WAIT and could run out over many attempts */
		setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof(one));
		if (bind(fd, (const struct sockaddr *)src, srcl) < 0)
			bg_die("--bind: %s", strerror(errno));
	}
	*fdp = fd;
	if (connect(fd, (const struct sockaddr *)dst, dl) == 0)
		return R_CONN;
	if (errno == EINPROGRESS)
		return R_PENDING;
	return errno == ECONNREFUSED ? R_REFUSED : errno == ETIMEDOUT ? R_TIMEOUT : R_ERROR;
}

/* Outcome of a connect that poll() reported finished. */
static int finish(int fd)
{
	int err = 0;
	socklen_t l = sizeof(err);

	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &l) < 0)
		err = errno;
	errno = err;
	return !err ? R_CONN : err == ECONNREFUSED ? R_REFUSED : err == ETIMEDOUT ? R_TIMEOUT : R_ERROR;
}

static void sleep_ms(uint64_t ms)
{
	struct timespec ts = {.tv_sec = (time_t)(ms / 1000), .tv_nsec = (long)(ms % 1000) * 1000000};

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static void usage(FILE *o)
{
	fprintf(o,
"usage: bgconnect --listen ADDR PORT [--for SECONDS] [--pidfile F] [--daemon]\n"
"       bgconnect ADDR PORT -c N [--timeout MS] [--interval MS] [--bind SRC] [--parallel]\n"
"Server: listen on ADDR PORT (SO_REUSEADDR), accept and close connections for\n"
"  SECONDS (default: until killed). --pidfile F is written once listening;\n"
"  --daemon forks into the background and returns once listening.\n"
"Client: N connection attempts to ADDR PORT; prints one line\n"
"  'connected X refused Y timeout Z' and exits 0 whatever the outcome.\n"
"  refused = RST received (ECONNREFUSED); timeout = no answer within --timeout\n"
"  (default 1000 ms) or the kernel gave up. Other errors (e.g. ICMP unreachable)\n"
"  go to stderr and are in none of the three counts.\n"
"  --interval MS  pause between attempt starts (default 0)\n"
"  --parallel     all attempts concurrently (non-blocking), spaced by --interval\n"
"  --bind SRC     source address\n"
"SYNs per attempt (TCP_SYNCNT=1): exactly 1 if --timeout < 1000 ms; else up\n"
"  to 3 (retransmits at ~1 s and ~2 s; the kernel gives up after ~3 s).\n");
}

int main(int argc, char **argv)
{
	uint64_t count = 0, timeout = 1000, interval = 0, secs = 0;
	int listen_mode = 0, parallel = 0, have_count = 0, daemon = 0;
	const char *pidfile = NULL, *bindaddr = NULL;
	static const struct option opts[] = {
		{"listen", 0, 0, 'l'}, {"for", 1, 0, 'f'}, {"pidfile", 1, 0, 'p'},
		{"daemon", 0, 0, 'd'}, {"count", 1, 0, 'c'}, {"timeout", 1, 0, 't'},
		{"interval", 1, 0, 'n'}, {"bind", 1, 0, 'b'}, {"parallel", 0, 0, 'P'},
		{"help", 0, 0, 'h'}, {0, 0, 0, 0}};
	int o;

	bg_set_prog("bgconnect");
	while ((o = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
		switch (o) {
		case 'l': listen_mode = 1; break;
		case 'f': secs = bg_parse_u64("--for", optarg, 0, 86400 * 365); break;
		case 'p': pidfile = optarg; break;
		case 'd': daemon = 1; break;
		case 'c': count = bg_parse_u64("-c", optarg, 0, 10000000); have_count = 1; break;
		case 't': timeout = bg_parse_u64("--timeout", optarg, 1, 3600000); break;
		case 'n': interval = bg_parse_u64("--interval", optarg, 0, 3600000); break;
		case 'b': bindaddr = optarg; break;
		case 'P': parallel = 1; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 1;
		}
	}
	if (argc - optind != 2)
		bg_die("need ADDR and PORT (see --help)");
	const char *addr = argv[optind], *port = argv[optind + 1];
	bg_parse_u64("PORT", port, listen_mode ? 0 : 1, 65535);
	if (listen_mode)
		return do_listen(addr, port, secs, pidfile, daemon);
	if (!have_count)
		bg_die("-c N is required");

	struct sockaddr_storage dst, src;
	socklen_t dl, srcl = 0;
	resolve("ADDR", addr, port, &dst, &dl);
	if (bindaddr) {
		resolve("--bind", bindaddr, "0", &src, &srcl);
		if (src.ss_family != dst.ss_family)
			bg_die("--bind %s: not the family of %s", bindaddr, addr);
	}
	signal(SIGPIPE, SIG_IGN);

	uint64_t res[R_PENDING] = {0};
	const char *names[] = {"connected", "refused", "timeout"};
	if (!parallel) {
		for (uint64_t i = 0; i < count; i++) {
			int fd, r;
			if (i && interval)
				sleep_ms(interval);
			r = start(&dst, dl, bindaddr ? &src : NULL, srcl, &fd);
			if (r == R_PENDING) {
				struct pollfd p = {.fd = fd, .events = POLLOUT};
				int64_t end = bg_now_ns() + (int64_t)timeout * 1000000, left;
				int pr = 0;
				while ((left = end - bg_now_ns()) > 0 &&
				       (pr = poll(&p, 1, (int)((left + 999999) / 1000000))) <= 0)
					if (pr < 0 && errno != EINTR)
						bg_die("poll: %s", strerror(errno));
				r = pr > 0 ? finish(fd) : R_TIMEOUT;
			}
			if (r == R_ERROR)
				fprintf(stderr, "bgconnect: attempt %llu: %s\n", (unsigned long long)i + 1,
					strerror(errno));
			res[r]++;
			close(fd);
		}
	} else {
		struct rlimit rl;
		if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < count + 64) {
			rl.rlim_cur = rl.rlim_max = count + 64;
			if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
				bg_die("-c %llu: cannot raise open file limit: %s",
				       (unsigned long long)count, strerror(errno));
		}
		struct pollfd *p = calloc(count ? count : 1, sizeof(*p));
		int64_t *end = calloc(count ? count : 1, sizeof(*end));
		uint64_t started = 0, pending = 0;
		int64_t next = bg_now_ns();
		if (!p || !end)
			bg_die("out of memory");
		while (started < count || pending) {
			int64_t now = bg_now_ns(), wake = INT64_MAX;
			while (started < count && now >= next) {
				uint64_t i = started++;
				int r = start(&dst, dl, bindaddr ? &src : NULL, srcl, &p[i].fd);
				p[i].events = POLLOUT;
				end[i] = now + (int64_t)timeout * 1000000;
				next += (int64_t)interval * 1000000;
				if (r == R_PENDING) {
					pending++;
					continue;
				}
				if (r == R_ERROR)
					fprintf(stderr, "bgconnect: attempt %llu: %s\n",
						(unsigned long long)i + 1, strerror(errno));
				res[r]++;
				close(p[i].fd);
				p[i].fd = -1; /* poll() ignores negative fds */
			}
			if (started < count)
				wake = next;
			for (uint64_t i = 0; i < started; i++)
				if (p[i].fd >= 0 && end[i] < wake)
					wake = end[i];
			int64_t ms = wake == INT64_MAX ? 0 : (wake - now + 999999) / 1000000;
			if (poll(p, started, ms > 0 ? (int)ms : 0) < 0 && errno != EINTR)
				bg_die("poll: %s", strerror(errno));
			now = bg_now_ns();
			for (uint64_t i = 0; i < started; i++) {
				if (p[i].fd < 0 || (!p[i].revents && now < end[i]))
					continue;
				int r = p[i].revents ? finish(p[i].fd) : R_TIMEOUT;
				if (r == R_ERROR)
					fprintf(stderr, "bgconnect: attempt %llu: %s\n",
						(unsigned long long)i + 1, strerror(errno));
				res[r]++;
				close(p[i].fd);
				p[i].fd = -1;
				pending--;
			}
		}
	}
	printf("%s %llu %s %llu %s %llu\n", names[0], (unsigned long long)res[R_CONN], names[1],
	       (unsigned long long)res[R_REFUSED], names[2], (unsigned long long)res[R_TIMEOUT]);
	if (res[R_ERROR])
		fprintf(stderr, "bgconnect: %llu attempts failed with other errors\n",
			(unsigned long long)res[R_ERROR]);
	return 0;
}
