// SPDX-License-Identifier: GPL-2.0
/* monitor: print events of the netns as they come, until interrupted. */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <time.h>

#include "burstctl.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void print_event(const struct event *ev, void *data)
{
	char a[64], t[32];
	struct tm tm;
	time_t now = time(NULL);

	(void)data;
	localtime_r(&now, &tm);
	strftime(t, sizeof(t), "%Y-%m-%dT%H:%M:%S", &tm);
	print_open_object(NULL);
	print_string(PRINT_ANY, "time", "%s", t);
	print_string(PRINT_ANY, "event", " %s", event_name(ev->event));
	if (ev->has_source)
		print_string(PRINT_ANY, "source", " %s",
			     format_prefix(&ev->source, a, sizeof(a)));
	if (ev->has_rule)
		print_uint(PRINT_ANY, "rule", " rule %u", ev->rule);
	if (ev->has_ban)
		print_uint(PRINT_ANY, "ban", " ban %us", ev->ban);
	print_string(PRINT_FP, NULL, "%s", "\n");
	print_end();
}

int cmd_monitor(struct ctx *c, int argc, char *argv[])
{
	struct sigaction sa;
	int err;

	(void)argv;
	if (argc != 1)
		return fail(c, "takes no arguments");
	if (!ctx_client(c))
		return 1;
	err = client_subscribe(c->cl);
	if (err == -ENOENT)
		return fail(c, "the module has no events group");
	if (err)
		return fail(c, "joining the events group: %s", strerror(-err));
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);	/* no SA_RESTART: recv returns */
	sigaction(SIGTERM, &sa, NULL);
	/* Tell a script waiting for us that events are now being heard. */
	fprintf(stderr, "burstctl: monitoring events, ^C to stop\n");
	while (!stop) {
		err = client_read_events(c->cl, print_event, NULL);
		if (err == -EINTR)
			continue;
		if (err == -ENOBUFS) {
			fprintf(stderr, "burstctl: monitor: events were lost (receive buffer full)\n");
			continue;
		}
		if (err)
			return fail(c, "%s", strerror(-err));
	}
	return 0;
}
