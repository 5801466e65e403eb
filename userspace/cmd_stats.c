// SPDX-License-Identifier: GPL-2.0
/* stats [--prometheus]: every counter of the netns. */
#include <string.h>

#include "burstctl.h"

static const char *const help[__BG_STAT_MAX] = {
	[BG_STAT_ATTEMPTS] = "New TCP connection attempts (SYN without ACK) seen.",
	[BG_STAT_ALLOWED] = "Attempts accepted within the limit.",
	[BG_STAT_DROPPED] = "Attempts dropped: bucket empty, mode drop.",
	[BG_STAT_REJECTED] = "Attempts answered with a reset: bucket empty, mode reject.",
	[BG_STAT_WOULD_DROP] = "Attempts over the limit accepted in mode monitor.",
	[BG_STAT_BANNED] = "Attempts refused during a ban.",
	[BG_STAT_ALLOWLISTED] = "Attempts from loopback or an allowlisted prefix.",
	[BG_STAT_DENIED] = "Attempts from a denylisted prefix, dropped.",
	[BG_STAT_UNPARSABLE] = "Truncated or malformed TCP packets, and fragments defrag let pass.",
	[BG_STAT_SOURCES] = "Sources tracked now.",
	[BG_STAT_MAX_SOURCES] = "Configured bound on tracked sources.",
	[BG_STAT_CREATED] = "Sources that started to be tracked.",
	[BG_STAT_EVICTED] = "Sources dropped from a full table for a new one.",
	[BG_STAT_EXPIRED] = "Idle sources reclaimed.",
	[BG_STAT_TABLE_FULL] = "Attempts that got no entry of their own: no room in the table.",
	[BG_STAT_ALLOC_FAILED] = "Attempts that got no entry of their own: memory ran out.",
	[BG_STAT_OVERFLOW] = "Attempts without an entry, judged by a shared overflow slot.",
	[BG_STAT_OVERFLOW_REFUSED] = "Overflow attempts refused.",
	[BG_STAT_REHASHED] = "Times the table was rehashed with a new seed after a chain filled with sources that must stay.",
	[BG_STAT_BAD_CHECKSUM] = "SYNs with a wrong TCP checksum, not attempts, left for TCP to drop.",
	[BG_STAT_FORWARDED] = "SYNs to an address not of this netns, not attempts (forward off).",
	[BG_STAT_REJECT_LIMITED] = "Refusals of mode reject dropped unanswered: over the netns' reset budget.",
	[BG_STAT_TOTAL_REFUSED] = "Attempts within their source's limit refused by their rule's total (also in dropped, rejected or would_drop).",
};

bool stat_is_gauge(unsigned int s)
{
	return s == BG_STAT_SOURCES || s == BG_STAT_MAX_SOURCES;
}

void prom_stat(FILE *f, int s, const char *name, uint64_t v,
	       const char *labels, bool header)
{
	bool known = s >= 0 && s < __BG_STAT_MAX;
	bool gauge = known && stat_is_gauge((unsigned int)s);
	const char *sfx = gauge ? "" : "_total";

	if (!known)	/* a newer module's counter: its kind is unknown */
		sfx = "";
	if (header) {
		fprintf(f, "# HELP burstguard_%s%s %s\n", name, sfx,
			known && help[s] ? help[s] : name);
		fprintf(f, "# TYPE burstguard_%s%s %s\n", name, sfx,
			!known ? "untyped" : gauge ? "gauge" : "counter");
	}
	fprintf(f, "burstguard_%s%s%s %llu\n", name, sfx, labels,
		(unsigned long long)v);
}

int cmd_stats(struct ctx *c, int argc, char *argv[])
{
	uint64_t stats[__BG_STAT_MAX];
	bool prom = false;
	unsigned int s;

	if (argc == 2 && !strcmp(argv[1], "--prometheus"))
		prom = true;
	else if (argc != 1)
		return fail(c, "usage: stats [--prometheus]");
	if (get_stats(c, stats))
		return 1;
	if (!prom)
		print_open_object(NULL);
	for (s = 0; s < __BG_STAT_MAX; s++) {
		const char *name = stat_name(s);

		if (!name)
			continue;
		if (prom) {
			prom_stat(stdout, (int)s, name, stats[s], "", true);
		} else {
			print_string(PRINT_FP, NULL, "%s ", name);
			print_u64(PRINT_ANY, name, "%llu\n", stats[s]);
		}
	}
	if (!prom)
		print_end();
	return 0;
}
