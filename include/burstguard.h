/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * burstguard: userspace API shared by the kernel module and burstctl.
 *
 * Documentation
 * =============
 *
 * burstguard is configured over generic netlink, family BG_GENL_NAME,
 * version BG_GENL_VERSION. The family exists in every network namespace
 * and each namespace has its own settings, rules, lists, sources and
 * counters: a request acts on the netns of the socket it was sent on.
 *
 * Every command, dumps included, and joining the multicast group require
 * CAP_NET_ADMIN in the user namespace that owns the network namespace
 * (GENL_UNS_ADMIN_PERM): the root of a container manages its own netns
 * and nothing else. Others get -EPERM.
 *
 * Validation is strict: an attribute the command does not take, an
 * unknown attribute, a value out of the range given below, a truncated or
 * malformed attribute all fail the request with -EINVAL (or -ERANGE) and an
 * extended ACK message (NLMSGERR_ATTR_MSG) that, where it can, points at
 * the offending attribute (NLMSGERR_ATTR_OFFS). A request that fails
 * changes nothing. A request that succeeds is applied atomically: the
 * packet path sees either the old settings or the new ones.
 *
 * Sources are never flushed by a change of settings: a tracked source
 * keeps its bucket and any ban across SET_CONFIG, REPLACE_CONFIG and rule
 * changes, with these exceptions, which apply as the change commits:
 *  - a limit whose window (burst * interval) shrinks cuts every debt
 *    larger than the new window to it (the bucket is empty and refills at
 *    the new rate); running bans keep their end time;
 *  - the sources of a deleted rule are forgotten;
 *  - a shorter BG_A_PREFIX4/6 re-keys tracked sources to it, merging those
 *    inside one new prefix (a running ban wins, else the larger debt;
 *    counters add up); a longer one forgets the sources of that family;
 *  - a smaller BG_A_MAX_SOURCES keeps every throttled, banned or refused
 *    source and as many others as fit; if the former alone do not fit,
 *    the request fails with -EBUSY and changes nothing.
 * Attempts that race a resize are carried over to the new table.
 * Otherwise only FORGET and FLUSH remove sources (and GC, once a source
 * is idle with a full bucket).
 *
 * A full table is not an off switch: an attempt that cannot get an entry
 * (no room, or the host budget netns_budget of all namespaces but the
 * initial one is used up: BG_STAT_TABLE_FULL; no memory:
 * BG_STAT_ALLOC_FAILED) is judged
 * against an overflow slot, one of a fixed array of bucket words (one per
 * 4 sources of max_sources) chosen by a secret hash of its key, under its
 * rule's limit, bans included (BG_STAT_OVERFLOW, BG_STAT_OVERFLOW_REFUSED).
 * Sources that share a slot share its bucket. A new entry starts from its
 * slot's word.
 *
 * The bounds named below (BG_RATE_MAX, BG_BURST_MAX, BG_BAN_MAX_S,
 * BG_WINDOW_MAX_NS, BG_MAX_SOURCES_LIMIT, BG_MAX_RULES, BG_MAX_LIST_ENTRIES,
 * BG_LIST_TIMEOUT_MAX_S, BG_IMPORT_CHUNK_MAX) are defined in "Limits" after this block, once, for the module and
 * burstctl alike.
 *
 * Types below: u8/u16/u32/u64 are NLA_U8.. NLA_U64 in host byte order;
 * u64 values are aligned with BG_A_PAD (nla_put_u64_64bit). Addresses are
 * NLA_BINARY in network byte order: BG_A_ADDR4 exactly 4 bytes, BG_A_ADDR6
 * exactly 16. A prefix is one of BG_A_ADDR4/BG_A_ADDR6 plus BG_A_PLEN
 * (0..32 for IPv4, 0..128 for IPv6; host bits are cleared by the kernel).
 * A limit is BG_A_RATE attempts per BG_A_PERIOD seconds (1, 60 or 3600),
 * a bucket of BG_A_BURST attempts, a ban of BG_A_BAN seconds once the
 * bucket is empty (0: no ban), and what happens to refused attempts,
 * BG_A_MODE. BG_A_BURST * (BG_A_PERIOD / BG_A_RATE) must not exceed
 * BG_WINDOW_MAX_NS (about 36 years): e.g. 1/hour allows burst <= 320255.
 *
 * An aggregate limit (BG_A_TOTAL_RATE per BG_A_TOTAL_PERIOD seconds, a
 * bucket of BG_A_TOTAL_BURST) caps what all the sources of one rule (or of
 * the default) together may do: one shared GCRA bucket per rule. An
 * attempt its source's own bucket allows is then charged to the rule's
 * aggregate; one the aggregate refuses is counted in BG_STAT_TOTAL_REFUSED
 * (and the rule's BG_A_TOTAL_REFUSED) and refused as BG_A_MODE says (mode
 * monitor: counted in WOULD_DROP and let through). It still took a token
 * of its source. The aggregate bans nobody. A request with
 * BG_A_TOTAL_RATE but without BG_A_TOTAL_BURST, or with 0, gets one
 * second's worth (TOTAL_RATE / TOTAL_PERIOD, at least 1, at most
 * BG_BURST_MAX): a crowd at the capped rate gets through, no more.
 * BG_A_TOTAL_BURST * (BG_A_TOTAL_PERIOD / BG_A_TOTAL_RATE) is bounded
 * like a limit's window.
 * The aggregate's bucket lives as long as its rule id: a change of the
 * rule's settings (SET_CONFIG for the default, REPLACE_CONFIG keeping the
 * id) keeps it and its count; a new rule (ADD_RULE, a new id) starts with
 * a full one. Off (0) by default.
 *
 * Escalating bans (BG_A_BAN_MAX above BG_A_BAN): each ban a source
 * serves is a strike, and its next ban lasts BG_A_BAN * 2^strikes, at most
 * BG_A_BAN_MAX. Strikes count until BG_A_STRIKES_FORGET seconds after the
 * ban that gave the last one ended, also once the source has left the
 * table: they live in a fixed array of slots per netns (module parameter
 * strike_slots, 8 bytes each, default 1024), chosen by a secret hash of
 * the source and its rule. Two sources that share a slot overwrite each
 * other's count (one loses its strikes, at most 63 are counted); memory
 * never grows. FORGET clears the strikes of the sources it removes and of
 * the source that holds its prefix under every rule; FLUSH clears all.
 * Mode monitor counts strikes too (the would-be bans). The BG_EVENT_BANNED
 * notification carries the ban's length.
 *
 * Userspace must ignore attributes it does not know: newer modules may
 * add some to replies and notifications.
 *
 * BG_CMD_GET_CONFIG
 * -----------------
 *
 * Do (not dump), no attributes. The reply, BG_CMD_GET_CONFIG, has the
 * default limit and the table settings of the netns:
 *
 *    BG_A_RATE: u32, 1..BG_RATE_MAX
 *    BG_A_PERIOD: u32, 1, 60 or 3600
 *    BG_A_BURST: u32, 1..BG_BURST_MAX
 *    BG_A_BAN: u32, seconds, 0..BG_BAN_MAX_S
 *    BG_A_MODE: u8, enum bg_mode
 *    BG_A_BAN_MAX: u32, seconds, 0 or BG_A_BAN..BG_BAN_MAX_S: escalating
 *        bans, see below; 0 (the default) every ban is BG_A_BAN long. A
 *        request with BG_A_BAN but without BG_A_BAN_MAX sets it to 0
 *    BG_A_TOTAL_RATE: u32, 0..BG_RATE_MAX, 0: no aggregate limit
 *    BG_A_TOTAL_PERIOD: u32, 1, 60 or 3600
 *    BG_A_TOTAL_BURST: u32, 0..BG_BURST_MAX, 0: one second's worth
 *        (in replies the value in force, 0 when off)
 *    BG_A_TOTAL_REFUSED: u64, reply only: attempts the aggregate refused
 *    BG_A_PREFIX4: u8, 0..32, IPv4 sources are counted per /PREFIX4
 *    BG_A_PREFIX6: u8, 0..128, IPv6 sources are counted per /PREFIX6
 *    BG_A_MAX_SOURCES: u32, 1..BG_MAX_SOURCES_LIMIT; in a netns other
 *        than the initial one a new value also at most the host's ceiling
 *        (module parameter netns_max_sources, default 65536, which only
 *        the host's root can change): above it -ERANGE, with an extended
 *        ACK message naming netns_max_sources, and nothing changes
 *    BG_A_FORWARD: u8, 0 or 1: whether SYNs that this netns forwards
 *        (to an address that is not its own) are attempts too
 *    BG_A_STRIKES_FORGET: u32, seconds, 0..BG_BAN_MAX_S (default 86400,
 *        module parameter strikes_forget): how long after its ban ends a
 *        source's strikes still count
 *    BG_A_RULE_COUNT: u32, number of port rules
 *    BG_A_ALLOW_COUNT: u32, number of allowlisted prefixes
 *    BG_A_DENY_COUNT: u32, number of denylisted prefixes (both: with
 *        entries whose timeout ended until they are removed, about a
 *        second later)
 *
 * BG_CMD_SET_CONFIG
 * -----------------
 *
 * Do. Takes any subset of BG_A_RATE, BG_A_PERIOD, BG_A_BURST, BG_A_BAN,
 * BG_A_MODE, BG_A_BAN_MAX, BG_A_TOTAL_RATE, BG_A_TOTAL_PERIOD,
 * BG_A_TOTAL_BURST, BG_A_PREFIX4, BG_A_PREFIX6, BG_A_MAX_SOURCES,
 * BG_A_FORWARD, BG_A_STRIKES_FORGET (types and ranges as above) and changes only those; none is required. Rules and lists are
 * kept, and so is every tracked source (the table is resized when
 * BG_A_MAX_SOURCES needs it), except as said at the top for shrinking
 * windows, prefix changes and shrinking tables (-EBUSY). No reply besides
 * the ACK.
 *
 * BG_CMD_REPLACE_CONFIG
 * ---------------------
 *
 * Do. Replaces the settings, the rules and both lists in one atomic step
 * (what "burstctl restore" sends). Takes the attributes of SET_CONFIG
 * (absent ones keep their value) and:
 *
 *    BG_A_RULES: nested, at most BG_MAX_RULES entries, in match order
 *        (type ignored): nested, the attributes of BG_CMD_ADD_RULE
 *        plus, optionally, BG_A_RULE_ID
 *    BG_A_ALLOW: nested (type ignored): nested, BG_A_ADDR4 or BG_A_ADDR6,
 *        BG_A_PLEN and optionally BG_A_TIMEOUT (as in ADD_PREFIX); as many
 *        as fit in one attribute (about 2,000). Larger lists: IMPORT_*
 *    BG_A_DENY: nested, same as BG_A_ALLOW
 *
 *    BG_A_KEEP_LISTS: u8, 1: replace the settings and rules only; both
 *        lists stay as they are, and BG_A_ALLOW/BG_A_DENY must be absent
 *        (-EINVAL). "burstctl restore" sends it with lists too large for
 *        one message, then loads each list with IMPORT_* (each list
 *        atomic on its own, never empty meanwhile)
 *
 * An absent BG_A_RULES, BG_A_ALLOW or BG_A_DENY empties that list. A rule
 * without BG_A_RULE_ID keeps the id of the current rule with the same
 * port range, if any (so its sources keep their state), else gets a new
 * one. Duplicate ids, port ranges or prefixes are rejected.
 *
 * BG_CMD_ADD_RULE
 * ---------------
 *
 * Do. Appends a per-destination-port rule; the first rule whose range
 * holds the destination port of an attempt decides, and attempts that
 * match none use the netns default (rule id 0). Sources are counted per
 * rule. Takes:
 *
 *    BG_A_PORT_MIN: u16, 1..65535, required
 *    BG_A_PORT_MAX: u16, 1..65535, >= BG_A_PORT_MIN (default: PORT_MIN)
 *    BG_A_RATE, BG_A_PERIOD, BG_A_BURST, BG_A_BAN, BG_A_BAN_MAX, BG_A_MODE,
 *    BG_A_TOTAL_RATE, BG_A_TOTAL_PERIOD, BG_A_TOTAL_BURST: optional,
 *        as in GET_CONFIG; absent ones are copied from the netns default
 *        at the time of the request (the aggregate's settings, not its
 *        bucket: every rule has a bucket of its own).
 *
 * -EEXIST if a rule has the same range, -ENOSPC beyond BG_MAX_RULES. The
 * reply, BG_CMD_ADD_RULE, is the new rule as in BG_CMD_GET_RULE.
 *
 * BG_CMD_DEL_RULE
 * ---------------
 *
 * Do. Takes either BG_A_RULE_ID (u16, 1..65535) or BG_A_PORT_MIN and
 * optionally BG_A_PORT_MAX (default PORT_MIN), which must equal a rule's
 * range. -ENOENT when no rule matches. Sources counted under the rule are
 * forgotten, so no later rule that gets the same id inherits them.
 *
 * BG_CMD_GET_RULE
 * ---------------
 *
 * Dump only (NLM_F_DUMP), no attributes. One message per rule, in match
 * order, from one snapshot of the settings:
 *
 *    BG_A_RULE_ID: u16, 1..65535
 *    BG_A_PORT_MIN: u16
 *    BG_A_PORT_MAX: u16
 *    BG_A_RATE, BG_A_PERIOD, BG_A_BURST, BG_A_BAN, BG_A_BAN_MAX, BG_A_MODE,
 *    BG_A_TOTAL_RATE, BG_A_TOTAL_PERIOD, BG_A_TOTAL_BURST: as above
 *    BG_A_TOTAL_REFUSED: u64, attempts the rule's aggregate refused
 *
 * BG_CMD_ADD_PREFIX, BG_CMD_DEL_PREFIX
 * ------------------------------------
 *
 * Do. Adds a prefix to, or deletes one from, a list:
 *
 *    BG_A_LIST: u8, enum bg_list, required
 *    BG_A_ADDR4 or BG_A_ADDR6 (exactly one), and BG_A_PLEN: required
 *    BG_A_TIMEOUT: u32, seconds, 1..BG_LIST_TIMEOUT_MAX_S, ADD only,
 *        optional: the entry stops matching that long after (at once,
 *        checked on every lookup) and is removed within about a second;
 *        without it the entry stays until deleted
 *    BG_A_MERGE: u8, 0 or 1, ADD only, optional: 1 sets the timeout of an
 *        equal entry already in the list (to none without BG_A_TIMEOUT)
 *        instead of failing with -EEXIST
 *
 * Attempts from an allowlisted prefix are accepted untracked (counted as
 * BG_STAT_ALLOWLISTED); attempts from a denylisted one are all dropped
 * (BG_STAT_DENIED). The allowlist is checked first, so an allowed /32
 * inside a denied /16 is accepted. A lookup costs one hash probe per
 * prefix length in use in the list, whatever the number of entries.
 * ADD: -EEXIST when the prefix is already in that list, -ENOSPC beyond
 * BG_MAX_LIST_ENTRIES per list; in a netns other than the initial one
 * -ERANGE beyond the host's ceiling (module parameter
 * netns_max_list_entries, default 65536, which only the host's root can
 * change), with an extended ACK message naming it. DEL: -ENOENT when it
 * is not in the list.
 *
 * BG_CMD_GET_PREFIX
 * -----------------
 *
 * Dump only. Optional BG_A_LIST restricts it to one list; without it the
 * allowlist then the denylist. One message per unexpired prefix, in hash
 * order; a dump of any size is resumed across as many reads as needed.
 * If a list changed while the dump ran, a message carries
 * NLM_F_DUMP_INTR: the result may miss or repeat entries, retry it.
 *
 *    BG_A_LIST: u8, enum bg_list
 *    BG_A_ADDR4 or BG_A_ADDR6
 *    BG_A_PLEN: u8
 *    BG_A_TIMEOUT: u32, seconds left (rounded up), only for an entry with
 *        a timeout
 *
 * BG_CMD_FLUSH_PREFIX
 * -------------------
 *
 * Do. BG_A_LIST (required): empties that list.
 *
 * BG_CMD_IMPORT_BEGIN, BG_CMD_IMPORT_CHUNK, BG_CMD_IMPORT_COMMIT,
 * BG_CMD_IMPORT_ABORT
 * ----------------------------------------------------------------
 *
 * Do. Replace a list, or add to it, with any number of entries in one
 * atomic step, over several messages from one socket:
 *
 *  - IMPORT_BEGIN: BG_A_LIST (required), BG_A_MERGE (u8, optional, 1:
 *    start from a copy of the list's unexpired entries; else empty),
 *    BG_A_COUNT (u32, 0..BG_MAX_LIST_ENTRIES, optional: the entries to
 *    come, so the table is sized once; outside the initial netns capped
 *    by its ceiling).
 *    Opens a staging list owned by the sender's netlink port. One import
 *    at a time per netns: -EBUSY while another is open.
 *  - IMPORT_CHUNK: BG_A_ENTRIES (required), nested, at most
 *    BG_IMPORT_CHUNK_MAX entries (type ignored), each nested: BG_A_ADDR4
 *    or BG_A_ADDR6, BG_A_PLEN, optionally BG_A_TIMEOUT. An entry equal to
 *    one already staged replaces its timeout. A bad entry aborts the
 *    import (the extended ACK names it) and the list is unchanged.
 *  - IMPORT_COMMIT: no attributes. The staged list replaces the live one
 *    in one pointer swap: a packet sees the old list or the new one,
 *    never a mix. The reply, BG_CMD_IMPORT_COMMIT, has BG_A_COUNT: u32,
 *    the entries of the new list.
 *  - IMPORT_ABORT: no attributes; drops the staged list.
 *
 * CHUNK, COMMIT and ABORT from another port than the owner's: -EBUSY;
 * without an open import: -ENOENT. When the owner's socket closes, its
 * open import is dropped. The limits of ADD_PREFIX apply to the staged
 * list (-ENOSPC, -ERANGE).
 *
 * BG_CMD_GET_SOURCE
 * -----------------
 *
 * Dump only, no attributes. One message per tracked source, in table
 * order; a dump of any size is resumed across as many reads as needed.
 * If sources were added or removed while the dump ran, a message carries
 * NLM_F_DUMP_INTR: the result may miss or repeat sources, retry it.
 *
 *    BG_A_RULE_ID: u16, the rule the source is counted under, 0: default
 *    BG_A_ADDR4 or BG_A_ADDR6, BG_A_PLEN: the source prefix
 *    BG_A_STATE: u8, enum bg_state
 *    BG_A_TOKENS: u32, attempts left in the bucket now
 *    BG_A_ATTEMPTS: u32, attempts counted (saturates)
 *    BG_A_DROPS: u32, attempts refused (saturates)
 *    BG_A_IDLE_NS: u64, nanoseconds since the last attempt
 *    BG_A_BAN_LEFT_NS: u64, nanoseconds of ban left, 0: not banned
 *    BG_A_STRIKES: u32, the source's strikes (escalating bans), 0: none
 *
 * BG_CMD_FORGET
 * -------------
 *
 * Do. BG_A_ADDR4 or BG_A_ADDR6, and BG_A_PLEN, required: removes every
 * source that overlaps that prefix, under every rule, with its state and
 * any ban: the sources inside it, and the source whose (shorter) key
 * prefix holds it, so forgetting one address frees it also when sources
 * are keyed by /24 or /64.
 * The reply, BG_CMD_FORGET, has BG_A_COUNT: u32, the sources removed.
 *
 * BG_CMD_FLUSH
 * ------------
 *
 * Do, no attributes: removes every source and empties the overflow slots.
 * The reply, BG_CMD_FLUSH, has BG_A_COUNT: u32, the sources removed.
 *
 * BG_CMD_GET_STATS
 * ----------------
 *
 * Do, no attributes. The reply, BG_CMD_GET_STATS, has:
 *
 *    BG_A_STATS: nested
 *        BG_STAT_*: u64, one per counter of enum bg_stat (pad BG_STAT_PAD)
 *
 * BG_CMD_EVENT
 * ------------
 *
 * Notification only, sent to the multicast group BG_GENL_MCGRP_EVENTS of
 * the netns, rate-limited per netns (events over the limit are not sent;
 * a listener must not expect one per source):
 *
 *    BG_A_EVENT: u8, enum bg_event
 *    BG_A_RULE_ID: u16, the source's rule, 0: default
 *    BG_A_ADDR4 or BG_A_ADDR6, BG_A_PLEN: the source
 *    BG_A_BAN: u32, seconds, BG_EVENT_BANNED only: the ban's length
 *        (escalated, when BG_A_BAN_MAX says so)
 *
 * BG_EVENT_TABLE_FULL carries the source that got no entry of its own
 * (it is judged by its overflow slot) when known, else only BG_A_EVENT.
 *
 * What counts as an attempt
 * -------------------------
 *
 * The hook runs in PRE_ROUTING after the kernel's defragmentation
 * (nf_defrag_ipv4/nf_defrag_ipv6, enabled in every netns the module is
 * in) and before conntrack, so a SYN sent in fragments is judged once,
 * reassembled, like any other. A TCP segment with SYN set and ACK and RST
 * clear is an attempt when:
 *
 *  - its destination is an address of the netns itself (IPv4: a local
 *    route of the input device's table; IPv6: an address assigned in the
 *    netns), unless BG_A_FORWARD is 1. SYNs to other addresses, which the
 *    netns routes on (a container host, a router), are let through and
 *    counted in BG_STAT_FORWARDED only;
 *  - its TCP checksum is right. A segment with a wrong one is let through
 *    for TCP to drop and counted in BG_STAT_BAD_CHECKSUM only, so that
 *    forgeries TCP never accepts cannot use up the bucket of the address
 *    they claim. A forger whose checksums are right still can: list the
 *    addresses of partners that must never be refused in the allowlist.
 *
 * Neither kind is counted in BG_STAT_ATTEMPTS.
 */
#ifndef _UAPI_BURSTGUARD_H
#define _UAPI_BURSTGUARD_H

#define BG_GENL_NAME		"burstguard"
#define BG_GENL_VERSION		1

/*
 * Limits: the bounds of every setting, enforced by the module (module
 * parameters and netlink policies) and by burstctl's words alike.
 */
#define BG_RATE_MAX		10000000U	/* attempts per period */
#define BG_PERIOD_MAX_S		3600U		/* one hour */
#define BG_BURST_MAX		1000000U	/* bucket size */
#define BG_BAN_MAX_S		(7U * 24 * 3600)	/* one week */
/* Largest burst * interval: about 36 years, far from 2^62 (bucket.h). */
#define BG_WINDOW_MAX_NS	(1ULL << 60)
#define BG_MAX_SOURCES_LIMIT	(1U << 24)	/* max_sources, 16777216 */
#define BG_MAX_RULES		64		/* port rules per netns */
#define BG_MAX_LIST_ENTRIES	1000000U	/* entries per allow/deny list */
/* Longest timeout of a list entry (BG_A_TIMEOUT): ten years. */
#define BG_LIST_TIMEOUT_MAX_S	(10U * 365 * 24 * 3600)
/* Most entries in one BG_A_ENTRIES (a nested attribute is < 64 KiB). */
#define BG_IMPORT_CHUNK_MAX	1024

/* What a source gets once its bucket is empty (BG_A_MODE). */
enum bg_mode {
	BG_MODE_DROP,		/* silently drop the attempt (default) */
	BG_MODE_REJECT,		/* drop it and send a TCP RST to the source */
	BG_MODE_MONITOR,	/* let it through, count it as would_drop */
	__BG_MODE_MAX
};
#define BG_MODE_MAX (__BG_MODE_MAX - 1)

/* State of one tracked source (BG_A_STATE, /proc/net/burstguard/sources). */
enum bg_state {
	BG_STATE_OK,		/* has tokens left */
	BG_STATE_THROTTLED,	/* bucket empty: the next attempt is refused */
	BG_STATE_BANNED,	/* every attempt refused until the ban ends */
	__BG_STATE_MAX
};
#define BG_STATE_MAX (__BG_STATE_MAX - 1)

/*
 * Counters of one network namespace (nested in BG_A_STATS, each a u64;
 * also /proc/net/burstguard/stats). Every attempt is counted in
 * BG_STAT_ATTEMPTS and in exactly one of ALLOWED, ALLOWLISTED, DENIED,
 * DROPPED, REJECTED, WOULD_DROP, BANNED. TOTAL_REFUSED counts those of
 * DROPPED, REJECTED and WOULD_DROP that an aggregate limit refused. TABLE_FULL and ALLOC_FAILED
 * count attempts that got no entry of their own; each of those is judged
 * by an overflow slot and counted in OVERFLOW (and, if refused, in
 * OVERFLOW_REFUSED besides DROPPED, REJECTED, BANNED or WOULD_DROP).
 * SOURCES and MAX_SOURCES are gauges. UNPARSABLE, BAD_CHECKSUM and
 * FORWARDED count SYNs that are not attempts (see "What counts as an
 * attempt"), REJECT_LIMITED the dropped or banned attempts that mode
 * reject did not answer.
 */
enum bg_stat {
	BG_STAT_UNSPEC,
	BG_STAT_PAD,
	BG_STAT_ATTEMPTS,	/* u64: TCP segments with SYN set, ACK clear */
	BG_STAT_ALLOWED,	/* u64: accepted within the limit */
	BG_STAT_DROPPED,	/* u64: dropped, bucket empty, mode drop */
	BG_STAT_REJECTED,	/* u64: answered with RST, bucket empty, mode reject */
	BG_STAT_WOULD_DROP,	/* u64: over the limit but accepted, mode monitor */
	BG_STAT_BANNED,		/* u64: refused during a ban */
	BG_STAT_ALLOWLISTED,	/* u64: from loopback or an allowlisted prefix */
	BG_STAT_DENIED,		/* u64: from a denylisted prefix, dropped */
	BG_STAT_UNPARSABLE,	/* u64: truncated, malformed, or a fragment */
	BG_STAT_SOURCES,	/* u64: sources tracked now (gauge) */
	BG_STAT_MAX_SOURCES,	/* u64: configured bound on SOURCES (gauge) */
	BG_STAT_CREATED,	/* u64: sources started to be tracked */
	BG_STAT_EVICTED,	/* u64: sources dropped for a new one: full table or chain */
	BG_STAT_EXPIRED,	/* u64: idle, refilled sources reclaimed by GC */
	BG_STAT_TABLE_FULL,	/* u64: attempts that got no entry: no room or budget */
	BG_STAT_ALLOC_FAILED,	/* u64: attempts that got no entry: no memory */
	BG_STAT_OVERFLOW,	/* u64: attempts judged by an overflow slot */
	BG_STAT_OVERFLOW_REFUSED, /* u64: of those, refused */
	BG_STAT_REHASHED,	/* u64: table rehashed with a new seed */
	BG_STAT_BAD_CHECKSUM,	/* u64: SYNs with a wrong TCP checksum, let through */
	BG_STAT_FORWARDED,	/* u64: SYNs to a non-local address, let through */
	BG_STAT_REJECT_LIMITED,	/* u64: mode reject, but over the netns' reset
				 * budget (module parameter reject_rate):
				 * dropped without a reset; also counted in
				 * DROPPED or BANNED
				 */
	BG_STAT_TOTAL_REFUSED,	/* u64: allowed by the source's bucket but
				 * refused by its rule's aggregate limit
				 * (BG_A_TOTAL_RATE); also counted in DROPPED,
				 * REJECTED or WOULD_DROP
				 */
	__BG_STAT_MAX
};
#define BG_STAT_MAX (__BG_STAT_MAX - 1)

/* What a BG_CMD_EVENT notification announces (BG_A_EVENT). */
enum bg_event {
	BG_EVENT_UNSPEC,
	BG_EVENT_THROTTLED,	/* a source ran out of tokens */
	BG_EVENT_BANNED,	/* a source was banned for BG_A_BAN seconds */
	BG_EVENT_RELEASED,	/* a throttled or banned source is allowed again */
	BG_EVENT_TABLE_FULL,	/* an attempt got no entry: judged by overflow */
	__BG_EVENT_MAX
};
#define BG_EVENT_MAX (__BG_EVENT_MAX - 1)

/* Lists of prefixes (BG_A_LIST). */
enum bg_list {
	BG_LIST_UNSPEC,
	BG_LIST_ALLOW,		/* accepted untracked */
	BG_LIST_DENY,		/* every attempt dropped */
	__BG_LIST_MAX
};
#define BG_LIST_MAX (__BG_LIST_MAX - 1)

#define BG_GENL_MCGRP_EVENTS	"events"

/* Commands: see the documentation at the top. */
enum bg_cmd {
	BG_CMD_UNSPEC,
	BG_CMD_GET_CONFIG,
	BG_CMD_SET_CONFIG,
	BG_CMD_REPLACE_CONFIG,
	BG_CMD_ADD_RULE,
	BG_CMD_DEL_RULE,
	BG_CMD_GET_RULE,
	BG_CMD_ADD_PREFIX,
	BG_CMD_DEL_PREFIX,
	BG_CMD_GET_PREFIX,
	BG_CMD_FLUSH_PREFIX,
	BG_CMD_GET_SOURCE,
	BG_CMD_FORGET,
	BG_CMD_FLUSH,
	BG_CMD_GET_STATS,
	BG_CMD_EVENT,
	BG_CMD_IMPORT_BEGIN,
	BG_CMD_IMPORT_CHUNK,
	BG_CMD_IMPORT_COMMIT,
	BG_CMD_IMPORT_ABORT,
	__BG_CMD_MAX
};
#define BG_CMD_MAX (__BG_CMD_MAX - 1)

/* Attributes: one space for every command; see the documentation above. */
enum bg_attr {
	BG_A_UNSPEC,
	BG_A_PAD,		/* alignment of u64 attributes */
	BG_A_RATE,		/* u32: attempts per BG_A_PERIOD, 1..BG_RATE_MAX */
	BG_A_PERIOD,		/* u32: seconds, 1, 60 or 3600 */
	BG_A_BURST,		/* u32: bucket size, 1..BG_BURST_MAX */
	BG_A_BAN,		/* u32: seconds, 0..BG_BAN_MAX_S, 0: no ban */
	BG_A_MODE,		/* u8: enum bg_mode */
	BG_A_PREFIX4,		/* u8: IPv4 sources counted per /N, 0..32 */
	BG_A_PREFIX6,		/* u8: IPv6 sources counted per /N, 0..128 */
	BG_A_MAX_SOURCES,	/* u32: 1..BG_MAX_SOURCES_LIMIT */
	BG_A_RULE_ID,		/* u16: 1..65535 (0 in replies: the default) */
	BG_A_PORT_MIN,		/* u16: TCP destination port, 1..65535 */
	BG_A_PORT_MAX,		/* u16: 1..65535, >= BG_A_PORT_MIN */
	BG_A_LIST,		/* u8: enum bg_list */
	BG_A_ADDR4,		/* binary, 4 bytes: IPv4 address, network order */
	BG_A_ADDR6,		/* binary, 16 bytes: IPv6 address, network order */
	BG_A_PLEN,		/* u8: prefix length, 0..32 or 0..128 */
	BG_A_RULES,		/* nested: rules, each nested (REPLACE_CONFIG) */
	BG_A_ALLOW,		/* nested: prefixes, each nested (REPLACE_CONFIG) */
	BG_A_DENY,		/* nested: prefixes, each nested (REPLACE_CONFIG) */
	BG_A_STATS,		/* nested: u64 counters by enum bg_stat (reply) */
	BG_A_COUNT,		/* u32: sources removed (reply) */
	BG_A_STATE,		/* u8: enum bg_state (reply) */
	BG_A_TOKENS,		/* u32: tokens left (reply) */
	BG_A_ATTEMPTS,		/* u32: attempts of the source (reply) */
	BG_A_DROPS,		/* u32: refused attempts of the source (reply) */
	BG_A_IDLE_NS,		/* u64: ns since the last attempt (reply) */
	BG_A_BAN_LEFT_NS,	/* u64: ns of ban left (reply) */
	BG_A_EVENT,		/* u8: enum bg_event (notification) */
	BG_A_RULE_COUNT,	/* u32: rules in the netns (reply) */
	BG_A_ALLOW_COUNT,	/* u32: allowlisted prefixes (reply) */
	BG_A_DENY_COUNT,	/* u32: denylisted prefixes (reply) */
	BG_A_FORWARD,		/* u8: 0 or 1, forwarded SYNs are attempts too */
	BG_A_TIMEOUT,		/* u32: seconds, 1..BG_LIST_TIMEOUT_MAX_S */
	BG_A_ENTRIES,		/* nested: prefixes, each nested (IMPORT_CHUNK) */
	BG_A_MERGE,		/* u8: 0 or 1, IMPORT_BEGIN adds to the list;
				 * ADD_PREFIX updates an equal entry
				 */
	BG_A_TOTAL_RATE,	/* u32: rule's aggregate, 0..BG_RATE_MAX, 0: off */
	BG_A_TOTAL_PERIOD,	/* u32: seconds, 1, 60 or 3600 */
	BG_A_TOTAL_BURST,	/* u32: aggregate bucket, 0..BG_BURST_MAX */
	BG_A_TOTAL_REFUSED,	/* u64: attempts the aggregate refused (reply) */
	BG_A_BAN_MAX,		/* u32: seconds, 0 or BG_A_BAN..BG_BAN_MAX_S */
	BG_A_STRIKES_FORGET,	/* u32: seconds, 0..BG_BAN_MAX_S */
	BG_A_STRIKES,		/* u32: bans of a source that count (reply) */
	BG_A_KEEP_LISTS,	/* u8: 0 or 1, REPLACE_CONFIG keeps both lists */
	__BG_A_MAX
};
#define BG_A_MAX (__BG_A_MAX - 1)

#endif /* _UAPI_BURSTGUARD_H */
