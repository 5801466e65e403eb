// SPDX-License-Identifier: GPL-2.0
/* monitor: print events of the netns as they come, until interrupted. */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "burstctl.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int event_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[BG_A_MAX + 1];
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	struct ctx *c = data;
	char a[64] = "", t[32];
	struct prefix p;
	struct tm tm;
	time_t now = time(NULL);
	unsigned int ev;

	if (nlh->nlmsg_type != c->nl.family || g->cmd != BG_CMD_EVENT ||
	    nl_parse(nlh, tb) || !tb[BG_A_EVENT])
		return MNL_CB_OK;
	ev = mnl_attr_get_u8(tb[BG_A_EVENT]);
	if (!prefix_get(tb, &p))
		format_prefix(&p, a, sizeof(a));
	localtime_r(&now, &tm);
	strftime(t, sizeof(t), "%Y-%m-%dT%H:%M:%S", &tm);
	if (c->json) {
		j_obj(NULL);
		j_str("time", t);
		j_str("event", event_name(ev));
		if (a[0])
			j_str("source", a);
		if (tb[BG_A_RULE_ID])
			j_uint("rule", mnl_attr_get_u16(tb[BG_A_RULE_ID]));
		if (tb[BG_A_BAN])
			j_uint("ban", mnl_attr_get_u32(tb[BG_A_BAN]));
		j_done();
		return MNL_CB_OK;
	}
	printf("%s %s", t, event_name(ev));
	if (a[0])
		printf(" %s", a);
	if (tb[BG_A_RULE_ID])
		printf(" rule %u", mnl_attr_get_u16(tb[BG_A_RULE_ID]));
	if (tb[BG_A_BAN])
		printf(" ban %us", mnl_attr_get_u32(tb[BG_A_BAN]));
	putchar('\n');
	return MNL_CB_OK;
}

int cmd_monitor(struct ctx *c, int argc, char *argv[])
{
	struct sigaction sa;
	unsigned int grp;
	ssize_t n;

	(void)argv;
	if (argc != 1)
		return fail(c, "takes no arguments");
	if (ctx_nl(c))
		return 1;
	grp = c->nl.events_group;
	if (!grp)
		return fail(c, "the module has no events group");
	if (mnl_socket_setsockopt(c->nl.sock, NETLINK_ADD_MEMBERSHIP, &grp,
				  sizeof(grp)) < 0)
		return fail(c, "joining the events group: %s", strerror(errno));
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);	/* no SA_RESTART: recv returns */
	sigaction(SIGTERM, &sa, NULL);
	/* Tell a script waiting for us that events are now being heard. */
	fprintf(stderr, "burstctl: monitoring events, ^C to stop\n");
	while (!stop) {
		n = mnl_socket_recvfrom(c->nl.sock, c->nl.rxbuf, NL_BUFSIZE);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS) {
				fprintf(stderr, "burstctl: monitor: events were lost (receive buffer full)\n");
				continue;
			}
			return fail(c, "%s", strerror(errno));
		}
		/* seq and portid 0: notifications match any request */
		mnl_cb_run(c->nl.rxbuf, (size_t)n, 0, 0, event_cb, c);
	}
	return 0;
}
