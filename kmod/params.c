// SPDX-License-Identifier: GPL-2.0
/*
 * Module parameters: the settings every new network namespace starts with.
 * They take the same words as burstctl ("rate=3/min", "ban=10m",
 * "mode=monitor") and a bad value makes the load fail with a log line
 * that names it, never a silent default. Read-only after load: live
 * changes go through netlink, per netns.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/moduleparam.h>
#include "internal.h"
#include "words.h"

static struct bg_limit bg_param_limit = {
	.rate = 20,
	.period = 1,
	.burst = 40,
	.ban = 0,
	.mode = BG_MODE_DROP,
};
static unsigned int prefix4 = 32;
static unsigned int prefix6 = 64;
static unsigned int max_sources = 65536;
static u8 bg_param_forward;
/*
 * The largest max_sources a netns other than the initial one may set; the
 * host's root changes it at run time (/sys/module/burstguard/parameters/).
 */
static unsigned int netns_max_sources = 65536;

static int bg_param_set_netns_max(const char *val,
				  const struct kernel_param *kp)
{
	unsigned int n;
	int ret = kstrtouint(val, 0, &n);

	if (ret || !n || n > BG_MAX_SOURCES_LIMIT) {
		pr_err("netns_max_sources: '%s' is not between 1 and %u\n",
		       val, BG_MAX_SOURCES_LIMIT);
		return -EINVAL;
	}
	WRITE_ONCE(netns_max_sources, n);
	return 0;
}

static const struct kernel_param_ops bg_netns_max_ops = {
	.set = bg_param_set_netns_max,
	.get = param_get_uint,
};
module_param_cb(netns_max_sources, &bg_netns_max_ops, &netns_max_sources,
		0644);
MODULE_PARM_DESC(netns_max_sources, "largest max_sources a netns other than the initial one may set (default 65536; writable by the host's root)");

u32 bg_params_netns_max_sources(void)
{
	return READ_ONCE(netns_max_sources);
}

/*
 * The sources all namespaces other than the initial one may track
 * together (kmod/table.c); the initial namespace is not counted, so it
 * keeps tracking its own sources when the others have used it all up.
 */
static unsigned int netns_budget = 1048576;

static int bg_param_set_budget(const char *val, const struct kernel_param *kp)
{
	unsigned int n;
	int ret = kstrtouint(val, 0, &n);

	if (ret || !n) {
		pr_err("netns_budget: '%s' is not between 1 and %u\n", val,
		       UINT_MAX);
		return -EINVAL;
	}
	WRITE_ONCE(netns_budget, n);
	return 0;
}

static const struct kernel_param_ops bg_budget_ops = {
	.set = bg_param_set_budget,
	.get = param_get_uint,
};
module_param_cb(netns_budget, &bg_budget_ops, &netns_budget, 0644);
MODULE_PARM_DESC(netns_budget, "sources all namespaces but the initial one may track together (default 1048576; writable by the host's root)");

u32 bg_params_netns_budget(void)
{
	return READ_ONCE(netns_budget);
}

/*
 * The most entries each list of a netns other than the initial one may
 * hold; the host's root changes it at run time. A namespace above a
 * ceiling lowered later keeps its entries but cannot add more.
 */
static unsigned int netns_max_list_entries = 65536;

static int bg_param_set_netns_max_list(const char *val,
				       const struct kernel_param *kp)
{
	unsigned int n;
	int ret = kstrtouint(val, 0, &n);

	if (ret || n > BG_MAX_LIST_ENTRIES) {
		pr_err("netns_max_list_entries: '%s' is not between 0 and %u\n",
		       val, BG_MAX_LIST_ENTRIES);
		return -EINVAL;
	}
	WRITE_ONCE(netns_max_list_entries, n);
	return 0;
}

static const struct kernel_param_ops bg_netns_max_list_ops = {
	.set = bg_param_set_netns_max_list,
	.get = param_get_uint,
};
module_param_cb(netns_max_list_entries, &bg_netns_max_list_ops,
		&netns_max_list_entries, 0644);
MODULE_PARM_DESC(netns_max_list_entries, "most entries each allow/deny list of a netns other than the initial one may hold (default 65536; writable by the host's root)");

u32 bg_params_netns_max_list_entries(void)
{
	return READ_ONCE(netns_max_list_entries);
}

/* Resets mode reject may send per netns: a flood of forged sources must
 * not turn the host into a reset cannon aimed at their owners.
 */
static u32 reject_rate = 1000, reject_period = 1;
u64 bg_reject_interval_ns __read_mostly;
u64 bg_reject_window_ns __read_mostly;

/* A parameter in rate words ("20/s"): rate and reject_rate. */
struct bg_rate_param {
	const char *name;
	u32 *rate;
	u32 *period;
};

static int bg_param_set_rate(const char *val, const struct kernel_param *kp)
{
	const struct bg_rate_param *p = kp->arg;
	u32 rate, period;

	if (bg_parse_rate(val, &rate, &period)) {
		pr_err("%s: '%s' is not N, N/s, N/min or N/hour with 1 <= N <= %u\n",
		       p->name, val, BG_RATE_MAX);
		return -EINVAL;
	}
	*p->rate = rate;
	*p->period = period;
	return 0;
}

static int bg_param_get_rate(char *buf, const struct kernel_param *kp)
{
	const struct bg_rate_param *p = kp->arg;

	return sysfs_emit(buf, "%u/%s\n", *p->rate, bg_period_word(*p->period));
}

static const struct kernel_param_ops bg_rate_ops = {
	.set = bg_param_set_rate,
	.get = bg_param_get_rate,
};

static struct bg_rate_param bg_rate_param = {
	.name = "rate",
	.rate = &bg_param_limit.rate,
	.period = &bg_param_limit.period,
};
module_param_cb(rate, &bg_rate_ops, &bg_rate_param, 0444);
MODULE_PARM_DESC(rate, "attempts refilled per source: N/s, N/min or N/hour (default 20/s)");

/* A parameter in duration words ("10m"): ban, ban_max, strikes_forget. */
static int bg_param_set_duration(const char *val,
				 const struct kernel_param *kp)
{
	u32 s;

	if (bg_parse_duration(val, &s)) {
		pr_err("%s: '%s' is not a duration such as 0, 30s, 10m, 1h (at most 7d)\n",
		       kp->name, val);
		return -EINVAL;
	}
	*(u32 *)kp->arg = s;
	return 0;
}

static int bg_param_get_duration(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%us\n", *(u32 *)kp->arg);
}

static const struct kernel_param_ops bg_duration_ops = {
	.set = bg_param_set_duration,
	.get = bg_param_get_duration,
};
module_param_cb(ban, &bg_duration_ops, &bg_param_limit.ban, 0444);
MODULE_PARM_DESC(ban, "refuse a source that went over its limit for this long: 0 (off), 30s, 10m, 1h");
module_param_cb(ban_max, &bg_duration_ops, &bg_param_limit.ban_max, 0444);
MODULE_PARM_DESC(ban_max, "escalating bans: a source banned again gets twice its previous ban, up to this (default 0: every ban is ban long)");
static u32 strikes_forget = 86400;
module_param_cb(strikes_forget, &bg_duration_ops, &strikes_forget, 0444);
MODULE_PARM_DESC(strikes_forget, "how long after its ban ends a source's strikes still count (default 1d)");
static unsigned int strike_slots = 1024;
module_param(strike_slots, uint, 0444);
MODULE_PARM_DESC(strike_slots, "strike records per netns, 8 bytes each, a power of 2 in 16..1048576 (default 1024)");

u32 bg_params_strikes_forget(void)
{
	return strikes_forget;
}

u32 bg_params_strike_slots(void)
{
	return strike_slots;
}

static int bg_param_set_mode(const char *val, const struct kernel_param *kp)
{
	int m = bg_parse_mode(val);

	if (m < 0) {
		pr_err("mode: '%s' is not drop, reject or monitor\n", val);
		return -EINVAL;
	}
	bg_param_limit.mode = m;
	return 0;
}

static int bg_param_get_mode(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n", bg_mode_names[bg_param_limit.mode]);
}

static const struct kernel_param_ops bg_mode_ops = {
	.set = bg_param_set_mode,
	.get = bg_param_get_mode,
};
module_param_cb(mode, &bg_mode_ops, NULL, 0444);
MODULE_PARM_DESC(mode, "over the limit: drop, reject (TCP RST) or monitor (count only)");

static int bg_param_set_forward(const char *val,
				const struct kernel_param *kp)
{
	int on = bg_parse_onoff(val);

	if (on < 0) {
		pr_err("forward: '%s' is not on or off\n", val);
		return -EINVAL;
	}
	bg_param_forward = on;
	return 0;
}

static int bg_param_get_forward(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n", bg_param_forward ? "on" : "off");
}

static const struct kernel_param_ops bg_forward_ops = {
	.set = bg_param_set_forward,
	.get = bg_param_get_forward,
};
module_param_cb(forward, &bg_forward_ops, NULL, 0444);
MODULE_PARM_DESC(forward, "off (default): only SYNs to the netns' own addresses are attempts; on: forwarded SYNs too");

static struct bg_rate_param bg_reject_rate_param = {
	.name = "reject_rate",
	.rate = &reject_rate,
	.period = &reject_period,
};
module_param_cb(reject_rate, &bg_rate_ops, &bg_reject_rate_param, 0444);
MODULE_PARM_DESC(reject_rate, "resets mode reject sends per netns at most, a period's worth at once; beyond it, drop (default 1000/s)");

/* Plain numbers: parsed by the kernel, range-checked in bg_params_check(). */
module_param_named(burst, bg_param_limit.burst, uint, 0444);
MODULE_PARM_DESC(burst, "attempts a source may make at once (default 40)");
module_param(prefix4, uint, 0444);
MODULE_PARM_DESC(prefix4, "IPv4 sources are counted per /prefix4 (default 32)");
module_param(prefix6, uint, 0444);
MODULE_PARM_DESC(prefix6, "IPv6 sources are counted per /prefix6 (default 64)");
module_param(max_sources, uint, 0444);
MODULE_PARM_DESC(max_sources, "sources tracked per netns at most (default 65536)");

int bg_params_check(void)
{
	struct bg_limit l = bg_param_limit;

	if (!l.burst || l.burst > BG_BURST_MAX) {
		pr_err("burst: %u is not between 1 and %u\n", l.burst,
		       BG_BURST_MAX);
		return -EINVAL;
	}
	if (l.ban_max && l.ban_max < l.ban) {
		pr_err("ban_max: %us is shorter than ban %us\n", l.ban_max,
		       l.ban);
		return -EINVAL;
	}
	if (strike_slots < 16 || strike_slots > (1U << 20) ||
	    !is_power_of_2(strike_slots)) {
		pr_err("strike_slots: %u is not a power of 2 in 16..1048576\n",
		       strike_slots);
		return -EINVAL;
	}
	if (prefix4 > 32) {
		pr_err("prefix4: %u is not between 0 and 32\n", prefix4);
		return -EINVAL;
	}
	if (prefix6 > 128) {
		pr_err("prefix6: %u is not between 0 and 128\n", prefix6);
		return -EINVAL;
	}
	if (!max_sources || max_sources > BG_MAX_SOURCES_LIMIT) {
		pr_err("max_sources: %u is not between 1 and %u\n",
		       max_sources, BG_MAX_SOURCES_LIMIT);
		return -EINVAL;
	}
	/* A period's worth of resets at once: burst = rate. */
	bg_reject_interval_ns = bg_interval_ns(reject_rate, reject_period);
	bg_reject_window_ns = bg_window_ns(bg_reject_interval_ns, reject_rate);
	if (!bg_reject_window_ns) {
		pr_err("reject_rate: %u/%s is out of range\n", reject_rate,
		       bg_period_word(reject_period));
		return -EINVAL;
	}
	if (bg_limit_prepare(&l, NULL)) {
		pr_err("burst %u at rate %u/%s spans more than %llu s\n",
		       l.burst, l.rate, bg_period_word(l.period),
		       BG_WINDOW_MAX_NS / NSEC_PER_SEC);
		return -EINVAL;
	}
	return 0;
}

void bg_params_limit(struct bg_limit *l, u8 *p4, u8 *p6, u32 *max)
{
	*l = bg_param_limit;
	*p4 = prefix4;
	*p6 = prefix6;
	*max = max_sources;
}

u8 bg_params_forward(void)
{
	return bg_param_forward;
}
