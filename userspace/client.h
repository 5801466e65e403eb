/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The whole kernel interface of burstguard as plain structs and calls
 * (after wireguard-tools' ipc.h): the only part of burstctl that knows the
 * netlink attributes (client.c, and the settings table of settings.c).
 * Commands go argv -> struct -> client call -> print.
 *
 * Every call acts on the network namespace the client was opened in and
 * returns 0 or a negative errno. After a failed request,
 * client_perror() prints why, with the kernel's extended ACK message.
 */
#ifndef BURSTCTL_CLIENT_H
#define BURSTCTL_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "burstguard.h"
#include "parse.h"
#include "settings.h"

struct client;

/* The settings of the netns (client_get_config). */
struct config {
	struct settings s;	/* every SET_* field but SET_PORT */
	uint32_t nrules, nallow, ndeny;
	uint64_t total_refused;	/* attempts the default's total refused */
};

struct rule {
	uint16_t id;
	struct settings s;	/* port and limit */
	uint64_t total_refused;	/* attempts its total refused */
};

struct rules {
	struct rule r[BG_MAX_RULES * 2];
	unsigned int n;
};

/* A list entry: a prefix and its timeout in seconds (left, or to set). */
struct lentry {
	struct prefix p;
	uint32_t timeout;	/* 0: none */
};

/* Entries of both lists, as dumped; arrays grow; plist_free() them. */
struct plist {
	struct lentry *allow, *deny;
	unsigned int nallow, ndeny, cap_allow, cap_deny;
};

void plist_free(struct plist *pl);
/* The kernel dumps in hash order: sort both lists (IPv4 first, by address). */
void plist_sort(struct plist *pl);

/*
 * Most entries per list that restore sends inline in one REPLACE_CONFIG
 * (a nested attribute is under 64 KiB); with a larger list, restore sends
 * REPLACE_CONFIG with keep_lists and then imports both lists.
 */
#define REPLACE_MAX_PREFIXES	1024

/* One tracked source, as dumped. */
struct source {
	struct prefix p;
	uint16_t rule;
	uint8_t state;		/* enum bg_state */
	uint32_t tokens, attempts, drops;
	uint64_t idle_ns, ban_left_ns;
	uint32_t strikes;	/* bans that count toward the next one's length */
};

struct sources {
	struct source *v;	/* malloc'ed, grows; free() it */
	size_t n, cap;
};

/* Everything "restore" replaces at once (BG_CMD_REPLACE_CONFIG). */
struct replace {
	struct settings conf;	/* what it names; the rest is kept */
	struct rule rules[BG_MAX_RULES];	/* id 0: kept or new */
	unsigned int nrules;
	struct lentry *pfx[2];	/* [0] allow, [1] deny: the caller's arrays */
	unsigned int npfx[2];	/* at most REPLACE_MAX_PREFIXES each */
	bool keep_lists;	/* no lists sent: both stay as they are */
};

/* Which part of a replace request the kernel rejected. */
struct replace_err {
	enum { REPLACE_ERR_NONE, REPLACE_ERR_CONF, REPLACE_ERR_RULE,
	       REPLACE_ERR_PREFIX } what;
	unsigned int list;	/* REPLACE_ERR_PREFIX: 0 allow, 1 deny */
	unsigned int index;	/* of the rule or prefix */
};

/* One notification of the events group. */
struct event {
	uint8_t event;		/* enum bg_event */
	bool has_source, has_rule, has_ban;
	struct prefix source;
	uint16_t rule;
	uint32_t ban;		/* seconds */
};

/* Open netlink and find the family; prints why and returns NULL if not. */
struct client *client_open(void);
void client_close(struct client *cl);

/* Print "burstctl: WHAT: error: kernel message (attribute)" to stderr;
 * @attr: name the attribute the kernel pointed at, if any. */
void client_perror(const struct client *cl, const char *what, int err,
		   bool attr);
/* Of the last failed request: the kernel's extended ACK message, or "". */
const char *client_errmsg(const struct client *cl);

int client_get_config(struct client *cl, struct config *conf);
/* Changes the settings @s has (s->have), only those. */
int client_set_config(struct client *cl, const struct settings *s);
/* On failure, *@where (may be NULL) says which item the kernel refused. */
int client_replace_config(struct client *cl, const struct replace *r,
			  struct replace_err *where);
int client_get_stats(struct client *cl, uint64_t stats[__BG_STAT_MAX]);

int client_get_rules(struct client *cl, struct rules *rules);
/* @s: port and any of the limit; *@id gets the new rule's id. */
int client_add_rule(struct client *cl, const struct settings *s,
		    uint16_t *id);
int client_del_rule_id(struct client *cl, uint16_t id);
int client_del_rule_ports(struct client *cl, uint16_t min, uint16_t max);

/*
 * @list: enum bg_list, or 0 for both. Into @pl (reusing its arrays), the
 * dump retried while a list changes; *@intr (may be NULL) says whether
 * the last try still was interrupted.
 */
int client_get_prefixes(struct client *cl, int list, struct plist *pl,
			bool *intr);
/* @timeout: seconds, 0: none. */
int client_add_prefix(struct client *cl, int list, const struct prefix *p,
		      uint32_t timeout);
/* Set the timeout of @p, already in the list (or add it). */
int client_update_prefix(struct client *cl, int list, const struct prefix *p,
			 uint32_t timeout);
/*
 * Replace list @list (or, @merge, add to it) with the @n entries of @v in
 * one atomic step (IMPORT_BEGIN, chunks, COMMIT); *@count gets the size
 * of the new list. On failure nothing changed, and *@bad (may be NULL)
 * is the index of the entry the kernel refused, or -1.
 */
int client_import(struct client *cl, int list, const struct lentry *v,
		  size_t n, bool merge, uint32_t *count, long *bad);
int client_del_prefix(struct client *cl, int list, const struct prefix *p);
int client_flush_prefixes(struct client *cl, int list);

/*
 * Every source into @ss (reusing its array), the dump retried while the
 * table changes shape; *@intr says whether the last try still was.
 */
int client_get_sources(struct client *cl, struct sources *ss, bool *intr);
/* *@count gets the number of sources removed. */
int client_forget(struct client *cl, const struct prefix *p,
		  uint32_t *count);
int client_flush(struct client *cl, uint32_t *count);

/* Join the events group: -ENOENT when the module has none. */
int client_subscribe(struct client *cl);
/*
 * Wait for the next notifications and pass each event to @cb. Returns 0,
 * or -errno of the receive (-EINTR on a signal, -ENOBUFS when events were
 * lost).
 */
int client_read_events(struct client *cl,
		       void (*cb)(const struct event *ev, void *data),
		       void *data);

#endif /* BURSTCTL_CLIENT_H */
