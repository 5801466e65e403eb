// SPDX-License-Identifier: GPL-2.0
/*
 * serve-metrics: a Prometheus exporter. HTTP (libmicrohttpd) GET /metrics
 * answers with the counters of one or several network namespaces in the
 * text exposition format, labelled netns="NAME", the same families as
 * "burstctl stats --prometheus", plus the limit of each rule.
 *
 * It reads /proc/net/burstguard/stats, which every user may read, and
 * config, whose contents the module gives only to an opener with
 * CAP_NET_ADMIN in the namespace's user namespace: started as root, it
 * opens each namespace's config before dropping privileges and re-reads
 * that open file at every scrape (the module checks the opener's
 * credentials). It never uses netlink, and writes nothing.
 * Another namespace is reached through a keeper: a child that enters it
 * once at start (setns, which needs root), drops every privilege like the
 * parent and sleeps, so that /proc/KEEPER/net/ is that namespace's; the
 * server itself runs as an unprivileged user. Reading /proc at each
 * scrape means a module that is reloaded, or loaded later, is simply seen
 * again ("burstguard_up" says whether it was there).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <microhttpd.h>
#include <netdb.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "burstctl.h"

/*
 * Prometheus' list of default exporter ports (9100-9999) has been fully
 * allocated since 2023, so no free number fits; this one is ours.
 */
#define METRICS_PORT		"9469"
#define METRICS_ADDR		"127.0.0.1"
#define MAX_NETNS		64
#define MAX_STATS		128
#define STAT_NAME_MAX		64
#define MAX_RULES_SEEN		(BG_MAX_RULES + 1)

struct netns {
	const char *label;
	pid_t keeper;		/* 0: our own namespace */
	int config_fd;		/* config opened while privileged, or -1 */
};

static struct netns nss[MAX_NETNS];
static unsigned int nns;

struct stat_kv {
	char name[STAT_NAME_MAX];
	uint64_t v;
};

struct ns_read {
	bool up;
	struct stat_kv st[MAX_STATS];
	unsigned int nst;
	struct rule r[MAX_RULES_SEEN];	/* r[0]: the default limit */
	unsigned int nr;
};

static const char *ns_path(const struct netns *ns, const char *file,
			   char *buf, size_t size)
{
	if (ns->keeper)
		snprintf(buf, size, "/proc/%d/net/burstguard/%s",
			 (int)ns->keeper, file);
	else
		snprintf(buf, size, "/proc/self/net/burstguard/%s", file);
	return buf;
}

static bool valid_name(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

/* "name value" lines; anything else (a newer format) is skipped. */
static void read_stats(const struct netns *ns, struct ns_read *r)
{
	char path[64], line[256], name[STAT_NAME_MAX];
	unsigned long long v;
	FILE *f = fopen(ns_path(ns, "stats", path, sizeof(path)), "re");

	if (!f)
		return;
	r->up = true;
	while (fgets(line, sizeof(line), f) && r->nst < MAX_STATS) {
		char extra;

		if (sscanf(line, "%63s %llu %c", name, &v, &extra) != 2 ||
		    !valid_name(name))
			continue;
		snprintf(r->st[r->nst].name, STAT_NAME_MAX, "%s", name);
		r->st[r->nst].v = v;
		r->nst++;
	}
	fclose(f);
}

/* The default limit and the rules of the config file. */
static void read_rules(const struct netns *ns, struct ns_read *r)
{
	char path[64], line[256], w1[32], w2[32];
	struct settings *d = &r->r[0].s;
	unsigned int id, pmin, pmax, burst, ban;
	unsigned long long refused;
	const char *t;
	FILE *f = NULL;
	int fd;

	/* The file opened while privileged; a read from 0 shows it anew. */
	if (ns->config_fd >= 0) {
		fd = dup(ns->config_fd);
		if (fd >= 0 && lseek(fd, 0, SEEK_SET) == 0)
			f = fdopen(fd, "r");
		else if (fd >= 0)
			close(fd);
	}
	/* Else (module loaded later, or reloaded): only if we may. */
	if (!f)
		f = fopen(ns_path(ns, "config", path, sizeof(path)), "re");
	if (!f)
		return;
	r->nr = 1;
	memset(&r->r[0], 0, sizeof(r->r[0]));
	while (fgets(line, sizeof(line), f)) {
		struct rule *ru = &r->r[r->nr];
		int m;

		if (sscanf(line, "total %31s burst %u refused %llu", w1,
			   &burst, &refused) == 3) {
			if (!parse_rate(w1, &d->total_rate, &d->total_period)) {
				d->total_burst = burst;
				r->r[0].total_refused = refused;
			}
		} else if (sscanf(line, "rate %31s", w1) == 1) {
			parse_rate(w1, &d->rate, &d->period);
		} else if (sscanf(line, "burst %u", &burst) == 1) {
			d->burst = burst;
		} else if (sscanf(line, "ban %us", &ban) == 1) {
			d->ban = ban;
		} else if (sscanf(line, "mode %31s", w1) == 1) {
			m = parse_mode(w1);
			d->mode = m < 0 ? 0 : (uint8_t)m;
		} else if (r->nr < MAX_RULES_SEEN &&
			   sscanf(line, "rule %u port %u-%u rate %31s burst %u ban %us mode %31s",
				  &id, &pmin, &pmax, w1, &burst, &ban, w2) == 7) {
			memset(ru, 0, sizeof(*ru));
			ru->id = (uint16_t)id;
			ru->s.port_min = (uint16_t)pmin;
			ru->s.port_max = (uint16_t)pmax;
			if (parse_rate(w1, &ru->s.rate, &ru->s.period))
				continue;
			ru->s.burst = burst;
			ru->s.ban = ban;
			m = parse_mode(w2);
			ru->s.mode = m < 0 ? 0 : (uint8_t)m;
			t = strstr(line, " total ");
			if (t && sscanf(t, " total %31s burst %u refused %llu",
					w1, &burst, &refused) == 3 &&
			    !parse_rate(w1, &ru->s.total_rate,
					&ru->s.total_period)) {
				ru->s.total_burst = burst;
				ru->total_refused = refused;
			}
			r->nr++;
		}
	}
	fclose(f);
}

/* {netns="NAME"} with the value escaped as the format wants. */
static void ns_label(const char *label, const char *more, char *buf,
		     size_t size)
{
	size_t n = 0;
	const char *s;

	n += (size_t)snprintf(buf, size, "{netns=\"");
	for (s = label; *s && n + 3 < size; s++) {
		if (*s == '\\' || *s == '"') {
			buf[n++] = '\\';
			buf[n++] = *s;
		} else if (*s == '\n') {
			buf[n++] = '\\';
			buf[n++] = 'n';
		} else {
			buf[n++] = *s;
		}
	}
	snprintf(buf + n, size - n, "\"%s}", more ? more : "");
}

static int stat_index(const char *name)
{
	unsigned int s;

	for (s = 0; s < __BG_STAT_MAX; s++)
		if (stat_name(s) && !strcmp(stat_name(s), name))
			return (int)s;
	return -1;
}

static const struct {
	const char *name, *type, *help;
} rule_metrics[] = {
	{ "rule_info", "gauge", "A limit: the default (rule 0) or a port rule; 1." },
	{ "rule_rate", "gauge", "Attempts a source may make per rule_period_seconds." },
	{ "rule_period_seconds", "gauge", "The period of rule_rate." },
	{ "rule_burst", "gauge", "Bucket size: attempts a source may make at once." },
	{ "rule_ban_seconds", "gauge", "Ban once the bucket is empty; 0: none." },
	{ "rule_total_rate", "gauge", "Attempts all the rule's sources together may make per rule_total_period_seconds; 0: no total." },
	{ "rule_total_period_seconds", "gauge", "The period of rule_total_rate." },
	{ "rule_total_burst", "gauge", "The total's bucket size; 0: no total." },
	{ "rule_total_refused_total", "counter", "Attempts the rule's total refused (also counted in dropped, rejected or would_drop)." },
};

static uint64_t rule_value(unsigned int m, const struct rule *r)
{
	const struct settings *s = &r->s;

	switch (m) {
	case 1: return s->rate;
	case 2: return s->period;
	case 3: return s->burst;
	case 4: return s->ban;
	case 5: return s->total_rate;
	case 6: return s->total_rate ? s->total_period : 0;
	case 7: return s->total_burst;
	case 8: return r->total_refused;
	}
	return 1;
}

static void write_metrics(FILE *f, struct ns_read *rd)
{
	char lab[256], more[96], ports[16];
	unsigned int i, j, k, m;

	fprintf(f, "# HELP burstguard_up Whether the namespace's counters could be read (module loaded).\n# TYPE burstguard_up gauge\n");
	for (i = 0; i < nns; i++) {
		ns_label(nss[i].label, NULL, lab, sizeof(lab));
		fprintf(f, "burstguard_up%s %d\n", lab, rd[i].up);
	}
	/* One family per counter name, in the order the kernel lists them. */
	for (i = 0; i < nns; i++)
		for (j = 0; j < rd[i].nst; j++) {
			const char *name = rd[i].st[j].name;
			bool seen = false;

			for (k = 0; k < i && !seen; k++)
				for (m = 0; m < rd[k].nst && !seen; m++)
					seen = !strcmp(rd[k].st[m].name, name);
			if (seen)
				continue;
			for (k = i; k < nns; k++)
				for (m = 0; m < rd[k].nst; m++) {
					if (strcmp(rd[k].st[m].name, name))
						continue;
					ns_label(nss[k].label, NULL, lab,
						 sizeof(lab));
					prom_stat(f, stat_index(name), name,
						  rd[k].st[m].v, lab, k == i);
				}
		}
	for (m = 0; m < sizeof(rule_metrics) / sizeof(rule_metrics[0]); m++) {
		bool header = true;

		for (i = 0; i < nns; i++)
			for (j = 0; j < rd[i].nr; j++) {
				const struct settings *s = &rd[i].r[j].s;

				if (header)
					fprintf(f, "# HELP burstguard_%s %s\n# TYPE burstguard_%s %s\n",
						rule_metrics[m].name,
						rule_metrics[m].help,
						rule_metrics[m].name,
						rule_metrics[m].type);
				header = false;
				if (m == 0)
					snprintf(more, sizeof(more),
						 ",rule=\"%u\",port=\"%s\",mode=\"%s\"",
						 rd[i].r[j].id,
						 j ? format_ports(s->port_min,
								  s->port_max,
								  ports,
								  sizeof(ports))
						 : "default",
						 mode_name(s->mode));
				else
					snprintf(more, sizeof(more),
						 ",rule=\"%u\"", rd[i].r[j].id);
				ns_label(nss[i].label, more, lab, sizeof(lab));
				fprintf(f, "burstguard_%s%s %llu\n",
					rule_metrics[m].name, lab,
					(unsigned long long)rule_value(m,
								&rd[i].r[j]));
			}
	}
}

static enum MHD_Result reply(struct MHD_Connection *conn, unsigned int code,
			     char *body, size_t len, const char *type,
			     bool must_free)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;

	resp = MHD_create_response_from_buffer(len, body, must_free ?
					       MHD_RESPMEM_MUST_FREE :
					       MHD_RESPMEM_PERSISTENT);
	if (!resp) {
		if (must_free)
			free(body);
		return MHD_NO;
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	if (code == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW,
					"GET, HEAD");
	ret = MHD_queue_response(conn, code, resp);
	MHD_destroy_response(resp);
	return ret;
}

static char index_page[] =
	"burstguard exporter: the metrics are at /metrics\n";
static char not_found[] = "404 not found: the metrics are at /metrics\n";
static char not_allowed[] = "405 method not allowed: GET or HEAD\n";
static char failed[] = "500 cannot build the metrics\n";

static enum MHD_Result handle(void *cls, struct MHD_Connection *conn,
			      const char *url, const char *method,
			      const char *version, const char *upload_data,
			      size_t *upload_size, void **req_cls)
{
	static const char text[] = "text/plain; charset=utf-8";
	struct ns_read *rd;
	char *body = NULL;
	size_t len = 0;
	unsigned int i;
	FILE *f;

	(void)cls, (void)version, (void)upload_data, (void)upload_size;
	(void)req_cls;
	if (strcmp(method, MHD_HTTP_METHOD_GET) &&
	    strcmp(method, MHD_HTTP_METHOD_HEAD))
		return reply(conn, MHD_HTTP_METHOD_NOT_ALLOWED, not_allowed,
			     strlen(not_allowed), text, false);
	if (!strcmp(url, "/"))
		return reply(conn, MHD_HTTP_OK, index_page,
			     strlen(index_page), text, false);
	if (strcmp(url, "/metrics"))
		return reply(conn, MHD_HTTP_NOT_FOUND, not_found,
			     strlen(not_found), text, false);
	rd = calloc(nns, sizeof(*rd));
	f = rd ? open_memstream(&body, &len) : NULL;
	if (!f) {
		free(rd);
		return reply(conn, MHD_HTTP_INTERNAL_SERVER_ERROR, failed,
			     strlen(failed), text, false);
	}
	for (i = 0; i < nns; i++) {
		read_stats(&nss[i], &rd[i]);
		read_rules(&nss[i], &rd[i]);
	}
	write_metrics(f, rd);
	free(rd);
	if (fclose(f)) {
		free(body);
		return reply(conn, MHD_HTTP_INTERNAL_SERVER_ERROR, failed,
			     strlen(failed), text, false);
	}
	return reply(conn, MHD_HTTP_OK, body, len,
		     "text/plain; version=0.0.4; charset=utf-8", true);
}

/* Become @user (when root): no groups, no capabilities, no way back. */
static int drop_privileges(const struct passwd *pw)
{
	if (pw && geteuid() == 0) {
		if (setgroups(0, NULL) || setgid(pw->pw_gid) ||
		    setuid(pw->pw_uid))
			return -1;
		if (pw->pw_uid && setuid(0) == 0)
			return -1;
	}
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	return 0;
}

/*
 * A child that lives in the namespace at @path: returns its pid, or -1
 * with the reason printed.
 */
static pid_t start_keeper(const char *path, const struct passwd *pw)
{
	pid_t parent = getpid(), pid;
	int p[2], err = 0;
	ssize_t n;

	if (pipe2(p, O_CLOEXEC))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		int fd;

		close(p[0]);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(1);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0 || setns(fd, CLONE_NEWNET) ||
		    drop_privileges(pw))
			err = errno ? errno : EPERM;
		/* /proc/PID/ of a process that changed uid is root's. */
		prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
		if (write(p[1], &err, sizeof(err)) != sizeof(err) || err)
			_exit(1);
		close(p[1]);
		for (;;)
			pause();
	}
	close(p[1]);
	n = read(p[0], &err, sizeof(err));
	close(p[0]);
	if (n != sizeof(err) || err) {
		fprintf(stderr, "burstctl: serve-metrics: cannot enter the network namespace %s: %s\n",
			path, strerror(n == sizeof(err) ? err : EIO));
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return -1;
	}
	return pid;
}

static int parse_listen(const char *arg, struct sockaddr_storage *ss,
			socklen_t *sslen)
{
	char host[256], port[16];
	struct addrinfo hints = { .ai_flags = AI_NUMERICHOST | AI_NUMERICSERV,
				  .ai_socktype = SOCK_STREAM }, *res;
	const char *colon;
	uint32_t pnum;

	if (arg[0] == '[') {
		const char *close = strchr(arg, ']');

		if (!close || (close[1] && close[1] != ':'))
			return -1;
		snprintf(host, sizeof(host), "%.*s", (int)(close - arg - 1),
			 arg + 1);
		snprintf(port, sizeof(port), "%s",
			 close[1] ? close + 2 : METRICS_PORT);
	} else if ((colon = strrchr(arg, ':')) && !strchr(arg, '.') &&
		   colon != strchr(arg, ':')) {
		return -1;	/* a bare IPv6 address: wants [ ] */
	} else if (colon) {
		snprintf(host, sizeof(host), "%.*s", (int)(colon - arg), arg);
		snprintf(port, sizeof(port), "%s", colon + 1);
	} else {
		snprintf(host, sizeof(host), "%s", arg);
		snprintf(port, sizeof(port), "%s", METRICS_PORT);
	}
	if (!host[0])
		snprintf(host, sizeof(host), "0.0.0.0");
	if (parse_u32(port, 1, 65535, &pnum) || getaddrinfo(host, port, &hints,
							   &res))
		return -1;
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	*sslen = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

static const char metrics_usage[] =
	"usage: serve-metrics [-l ADDR[:PORT]] [-n NETNS]... [-u USER]";

int cmd_serve_metrics(struct ctx *c, int argc, char *argv[])
{
	const char *listen = METRICS_ADDR ":" METRICS_PORT, *user = "nobody";
	const char *names[MAX_NETNS];
	unsigned int nnames = 0, i, flags;
	struct sockaddr_storage ss;
	struct MHD_Daemon *d;
	struct passwd *pw = NULL;
	socklen_t sslen;
	sigset_t set;
	int opt, sig, ret = 1;

	optind = 1;
	while ((opt = getopt(argc, argv, "+l:n:u:")) != -1) {
		switch (opt) {
		case 'l':
			listen = optarg;
			break;
		case 'n':
			if (nnames == MAX_NETNS)
				return fail(c, "at most %d namespaces",
					    MAX_NETNS);
			if (!*optarg)
				return fail(c, "an empty namespace name");
			names[nnames++] = optarg;
			break;
		case 'u':
			user = optarg;
			break;
		default:
			return fail(c, "%s", metrics_usage);
		}
	}
	if (optind != argc)
		return fail(c, "%s", metrics_usage);
	if (parse_listen(listen, &ss, &sslen))
		return fail(c, "invalid listen address '%s': expected ADDR, ADDR:PORT or [IPV6]:PORT with a numeric address",
			    listen);
	if (geteuid() == 0) {
		pw = getpwnam(user);
		if (!pw)
			return fail(c, "no user '%s' to run as", user);
	}
	if (!nnames)
		names[nnames++] = "host";
	for (i = 0; i < nnames; i++) {
		char path[512];
		unsigned int k;

		for (k = 0; k < i; k++)
			if (!strcmp(names[k], names[i]))
				return fail(c, "namespace '%s' named twice",
					    names[i]);
		nss[i].label = names[i];
		if (!strcmp(names[i], "host"))
			continue;
		if (strchr(names[i], '/'))
			snprintf(path, sizeof(path), "%s", names[i]);
		else
			snprintf(path, sizeof(path), "/run/netns/%s",
				 names[i]);
		nss[i].keeper = start_keeper(path, pw);
		if (nss[i].keeper < 0)
			goto out;
	}
	nns = nnames;
	for (i = 0; i < nns; i++) {
		char path[64];

		nss[i].config_fd = open(ns_path(&nss[i], "config", path,
						sizeof(path)),
					O_RDONLY | O_CLOEXEC);
	}
	if (drop_privileges(pw)) {
		fail(c, "cannot drop privileges to '%s': %s", user,
		     strerror(errno));
		goto out;
	}

	/* The server's thread inherits this: signals come to sigwait. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL |
		MHD_USE_ERROR_LOG;
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	d = MHD_start_daemon(flags, 0, NULL, NULL, handle, NULL,
			     MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
			     /* headers beyond this get 431 */
			     MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)32768,
			     MHD_OPTION_CONNECTION_LIMIT, 256U,
			     /* a slow client is dropped after 10 s idle */
			     MHD_OPTION_CONNECTION_TIMEOUT, 10U,
			     MHD_OPTION_END);
	if (!d) {
		fail(c, "cannot listen on %s: %s", listen, strerror(errno));
		goto out;
	}
	fprintf(stderr, "burstctl: serve-metrics: listening on %s, %u namespace%s\n",
		listen, nns, nns == 1 ? "" : "s");
	do {
		if (sigwait(&set, &sig))
			break;
	} while (sig == SIGHUP);
	MHD_stop_daemon(d);
	ret = 0;
out:
	for (i = 0; i < nnames; i++)
		if (nss[i].keeper > 0) {
			kill(nss[i].keeper, SIGKILL);
			waitpid(nss[i].keeper, NULL, 0);
		}
	return ret;
}
