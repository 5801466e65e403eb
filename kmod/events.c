// SPDX-License-Identifier: GPL-2.0
/*
 * Announcements of state changes: a kernel log line when a source becomes
 * throttled or banned (or the table fills), and a netlink notification for
 * every change. Events are rate-limited per netns (100 per second), log
 * lines host-wide (10 per 5 s for all namespaces together: a thousand
 * flooded containers cannot flood the host's log), so a flood of spoofed
 * sources costs a bounded number of messages, never one per packet.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/printk.h>
#include "internal.h"
#include "words.h"

/* Cleared at unload before the genl family is unregistered. */
static bool bg_events_on __read_mostly = true;

static struct ratelimit_state bg_log_rs =
	RATELIMIT_STATE_INIT_FLAGS(bg_log_rs, 5 * HZ, 10,
				   RATELIMIT_MSG_ON_RELEASE);

void bg_events_stop(void)
{
	WRITE_ONCE(bg_events_on, false);
	/* Packet-path callers run under RCU: let them all finish. */
	synchronize_rcu();
}

void bg_event(struct bg_net *bn, enum bg_event ev, const struct bg_key *key,
	      u32 ban)
{
	char buf[64];

	if (!READ_ONCE(bg_events_on))
		return;
	if (ev != BG_EVENT_RELEASED && __ratelimit(&bg_log_rs)) {
		bg_key_format(key, buf, sizeof(buf));
		if (ev == BG_EVENT_TABLE_FULL)
			pr_warn("table full (max_sources reached), %s not tracked, netns %u\n",
				buf, bn->net->ns.inum);
		else if (ev == BG_EVENT_BANNED)
			pr_info("%s banned for %us (rule %u, netns %u)\n", buf,
				ban, key->rule, bn->net->ns.inum);
		else
			pr_info("%s %s (rule %u, netns %u)\n", buf,
				bg_event_names[ev], key->rule,
				bn->net->ns.inum);
	}
	if (__ratelimit(&bn->event_rs))
		bg_genl_notify(bn, ev, key, ban);
}
