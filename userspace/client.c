// SPDX-License-Identifier: GPL-2.0
/*
 * client.h over nl.c: every request burstctl makes, its attributes and its
 * reply callback. The settings' attributes come from the table of
 * settings.c; the others are here.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "client.h"
#include "nl.h"

struct client {
	struct nl nl;
	const char *attr;	/* of the last failure: the attribute named */
};

/* Names of the attributes that are not settings, as errors give them. */
static const char *const attr_names[__BG_A_MAX] = {
	[BG_A_RULE_ID] = "rule id",
	[BG_A_LIST] = "list",
	[BG_A_ADDR4] = "prefix",
	[BG_A_ADDR6] = "prefix",
	[BG_A_PLEN] = "prefix",
	[BG_A_RULES] = "rules",
	[BG_A_ALLOW] = "allow",
	[BG_A_DENY] = "deny",
	[BG_A_TIMEOUT] = "timeout",
	[BG_A_ENTRIES] = "entries",
	[BG_A_MERGE] = "merge",
};

/* Types of the attributes burstctl reads that are not settings. */
static const enum mnl_attr_data_type attr_types[__BG_A_MAX] = {
	[BG_A_RULE_ID] = MNL_TYPE_U16,
	[BG_A_LIST] = MNL_TYPE_U8,
	[BG_A_ADDR4] = MNL_TYPE_BINARY,
	[BG_A_ADDR6] = MNL_TYPE_BINARY,
	[BG_A_PLEN] = MNL_TYPE_U8,
	[BG_A_RULES] = MNL_TYPE_NESTED,
	[BG_A_ALLOW] = MNL_TYPE_NESTED,
	[BG_A_DENY] = MNL_TYPE_NESTED,
	[BG_A_STATS] = MNL_TYPE_NESTED,
	[BG_A_COUNT] = MNL_TYPE_U32,
	[BG_A_STATE] = MNL_TYPE_U8,
	[BG_A_TOKENS] = MNL_TYPE_U32,
	[BG_A_ATTEMPTS] = MNL_TYPE_U32,
	[BG_A_DROPS] = MNL_TYPE_U32,
	[BG_A_IDLE_NS] = MNL_TYPE_U64,
	[BG_A_BAN_LEFT_NS] = MNL_TYPE_U64,
	[BG_A_EVENT] = MNL_TYPE_U8,
	[BG_A_RULE_COUNT] = MNL_TYPE_U32,
	[BG_A_ALLOW_COUNT] = MNL_TYPE_U32,
	[BG_A_DENY_COUNT] = MNL_TYPE_U32,
	[BG_A_TIMEOUT] = MNL_TYPE_U32,
	[BG_A_ENTRIES] = MNL_TYPE_NESTED,
	[BG_A_MERGE] = MNL_TYPE_U8,
	[BG_A_TOTAL_REFUSED] = MNL_TYPE_U64,
	[BG_A_STRIKES] = MNL_TYPE_U32,
};

static enum mnl_attr_data_type attr_type(unsigned int type)
{
	switch (settings_attr_size(type)) {
	case 1:
		return MNL_TYPE_U8;
	case 2:
		return MNL_TYPE_U16;
	case 4:
		return MNL_TYPE_U32;
	}
	return type < __BG_A_MAX ? attr_types[type] : MNL_TYPE_UNSPEC;
}

static const char *attr_name(unsigned int type)
{
	const char *name = settings_attr_name(type);

	if (name)
		return name;
	return type < __BG_A_MAX ? attr_names[type] : NULL;
}

static int parse(const struct nlmsghdr *nlh, const struct nlattr **tb)
{
	return nl_parse(nlh, tb, BG_A_MAX, attr_type);
}

struct client *client_open(void)
{
	struct client *cl = calloc(1, sizeof(*cl));

	if (!cl) {
		perror("burstctl: malloc");
		return NULL;
	}
	if (nl_open(&cl->nl)) {
		free(cl);
		return NULL;
	}
	return cl;
}

void client_close(struct client *cl)
{
	if (!cl)
		return;
	nl_close(&cl->nl);
	free(cl);
}

void client_perror(const struct client *cl, const char *what, int err,
		   bool attr)
{
	nl_perror(&cl->nl, what, err, attr ? cl->attr : NULL);
}

const char *client_errmsg(const struct client *cl)
{
	return cl->nl.errmsg;
}

/* The top-level attribute of @req that the kernel's error offset is in. */
static const struct nlattr *err_attr(const struct client *cl,
				     const struct nlmsghdr *req)
{
	uint32_t off = cl->nl.erroff;
	const struct nlattr *a;

	if (off < mnl_nlmsg_size(GENL_HDRLEN) || off >= req->nlmsg_len)
		return NULL;
	mnl_attr_for_each(a, req, GENL_HDRLEN) {
		size_t start = (size_t)((const char *)a - (const char *)req);

		if (off >= start && off < start + a->nla_len)
			return a;
	}
	return NULL;
}

/* Send @nlh, replies to @cb; on failure note the attribute pointed at. */
static int request(struct client *cl, struct nlmsghdr *nlh, mnl_cb_t cb,
		   void *data, bool *intr)
{
	int err = nl_request(&cl->nl, nlh, cb, data, intr);
	const struct nlattr *a;

	cl->attr = NULL;
	if (err) {
		a = err_attr(cl, nlh);
		if (a)
			cl->attr = attr_name(mnl_attr_get_type(a));
	}
	return err;
}

static void prefix_put(struct nlmsghdr *nlh, const struct prefix *p)
{
	if (p->family == AF_INET)
		mnl_attr_put(nlh, BG_A_ADDR4, 4, &p->addr.v4);
	else
		mnl_attr_put(nlh, BG_A_ADDR6, 16, &p->addr.v6);
	mnl_attr_put_u8(nlh, BG_A_PLEN, p->len);
}

/* BG_A_ADDR4/BG_A_ADDR6 and BG_A_PLEN from @tb; -1 if absent. */
static int prefix_get(const struct nlattr *const *tb, struct prefix *p)
{
	memset(p, 0, sizeof(*p));
	if (tb[BG_A_ADDR4] && mnl_attr_get_payload_len(tb[BG_A_ADDR4]) == 4) {
		p->family = AF_INET;
		memcpy(&p->addr.v4, mnl_attr_get_payload(tb[BG_A_ADDR4]), 4);
	} else if (tb[BG_A_ADDR6] &&
		   mnl_attr_get_payload_len(tb[BG_A_ADDR6]) == 16) {
		p->family = AF_INET6;
		memcpy(&p->addr.v6, mnl_attr_get_payload(tb[BG_A_ADDR6]), 16);
	} else {
		return -1;
	}
	if (!tb[BG_A_PLEN])
		return -1;
	p->len = mnl_attr_get_u8(tb[BG_A_PLEN]);
	return 0;
}

static int config_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[BG_A_MAX + 1];
	struct config *conf = data;

	if (parse(nlh, tb))
		return MNL_CB_ERROR;
	settings_get(tb, &conf->s);
	if (tb[BG_A_RULE_COUNT])
		conf->nrules = mnl_attr_get_u32(tb[BG_A_RULE_COUNT]);
	if (tb[BG_A_ALLOW_COUNT])
		conf->nallow = mnl_attr_get_u32(tb[BG_A_ALLOW_COUNT]);
	if (tb[BG_A_DENY_COUNT])
		conf->ndeny = mnl_attr_get_u32(tb[BG_A_DENY_COUNT]);
	if (tb[BG_A_TOTAL_REFUSED])
		conf->total_refused = mnl_attr_get_u64(tb[BG_A_TOTAL_REFUSED]);
	return MNL_CB_OK;
}

int client_get_config(struct client *cl, struct config *conf)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];

	memset(conf, 0, sizeof(*conf));
	return request(cl, nl_msg(&cl->nl, buf, BG_CMD_GET_CONFIG, 0),
		       config_cb, conf, NULL);
}

int client_set_config(struct client *cl, const struct settings *s)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = nl_msg(&cl->nl, buf, BG_CMD_SET_CONFIG, 0);

	settings_put(nlh, s);
	return request(cl, nlh, NULL, NULL, NULL);
}

/* Which item of the nest @type of @req holds the error offset; -1: none. */
static int err_item(const struct client *cl, const struct nlmsghdr *req,
		    uint16_t type)
{
	uint32_t off = cl->nl.erroff;
	const struct nlattr *a, *item;
	int i;

	mnl_attr_for_each(a, req, GENL_HDRLEN) {
		if (mnl_attr_get_type(a) != type)
			continue;
		i = 0;
		mnl_attr_for_each_nested(item, a) {
			size_t start = (size_t)((const char *)item -
						(const char *)req);

			if (off >= start &&
			    off < start + MNL_ALIGN(item->nla_len))
				return i;
			i++;
		}
	}
	return -1;
}

int client_replace_config(struct client *cl, const struct replace *r,
			  struct replace_err *where)
{
	static const uint16_t list_attr[2] = { BG_A_ALLOW, BG_A_DENY };
	struct nlattr *nest, *item;
	struct nlmsghdr *nlh;
	unsigned int i, l;
	char *buf;
	int err, k;

	if (where)
		where->what = REPLACE_ERR_NONE;
	if (!r->keep_lists && (r->npfx[0] > REPLACE_MAX_PREFIXES ||
			       r->npfx[1] > REPLACE_MAX_PREFIXES))
		return -E2BIG;
	/* Zeroed: nl_msg() clears only MNL_SOCKET_BUFFER_SIZE bytes. */
	buf = calloc(1, NL_REQSIZE);
	if (!buf)
		return -ENOMEM;
	nlh = nl_msg(&cl->nl, buf, BG_CMD_REPLACE_CONFIG, 0);
	settings_put(nlh, &r->conf);
	nest = mnl_attr_nest_start(nlh, BG_A_RULES);
	for (i = 0; i < r->nrules; i++) {
		item = mnl_attr_nest_start(nlh, (uint16_t)(i + 1));
		settings_put(nlh, &r->rules[i].s);
		if (r->rules[i].id)
			mnl_attr_put_u16(nlh, BG_A_RULE_ID, r->rules[i].id);
		mnl_attr_nest_end(nlh, item);
	}
	mnl_attr_nest_end(nlh, nest);
	if (r->keep_lists)
		mnl_attr_put_u8(nlh, BG_A_KEEP_LISTS, 1);
	for (l = 0; l < 2 && !r->keep_lists; l++) {
		nest = mnl_attr_nest_start(nlh, list_attr[l]);
		for (i = 0; i < r->npfx[l]; i++) {
			item = mnl_attr_nest_start(nlh, (uint16_t)(i + 1));
			prefix_put(nlh, &r->pfx[l][i].p);
			if (r->pfx[l][i].timeout)
				mnl_attr_put_u32(nlh, BG_A_TIMEOUT,
						 r->pfx[l][i].timeout);
			mnl_attr_nest_end(nlh, item);
		}
		mnl_attr_nest_end(nlh, nest);
	}
	err = request(cl, nlh, NULL, NULL, NULL);
	if (err && where && cl->nl.erroff) {
		where->what = REPLACE_ERR_CONF;
		if ((k = err_item(cl, nlh, BG_A_RULES)) >= 0) {
			where->what = REPLACE_ERR_RULE;
			where->index = (unsigned int)k;
		}
		for (l = 0; l < 2 && where->what == REPLACE_ERR_CONF; l++)
			if ((k = err_item(cl, nlh, list_attr[l])) >= 0) {
				where->what = REPLACE_ERR_PREFIX;
				where->list = l;
				where->index = (unsigned int)k;
			}
	}
	free(buf);
	return err;
}

static int stats_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[BG_A_MAX + 1], *a;
	uint64_t *stats = data;

	if (parse(nlh, tb))
		return MNL_CB_ERROR;
	if (!tb[BG_A_STATS])
		return MNL_CB_OK;
	mnl_attr_for_each_nested(a, tb[BG_A_STATS]) {
		unsigned int t = mnl_attr_get_type(a);

		if (t < __BG_STAT_MAX && stat_name(t) &&
		    mnl_attr_validate(a, MNL_TYPE_U64) == 0)
			stats[t] = mnl_attr_get_u64(a);
	}
	return MNL_CB_OK;
}

int client_get_stats(struct client *cl, uint64_t stats[__BG_STAT_MAX])
{
	char buf[MNL_SOCKET_BUFFER_SIZE];

	memset(stats, 0, sizeof(uint64_t) * __BG_STAT_MAX);
	return request(cl, nl_msg(&cl->nl, buf, BG_CMD_GET_STATS, 0),
		       stats_cb, stats, NULL);
}

static int rule_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[BG_A_MAX + 1];
	struct rules *rules = data;
	struct rule *r;

	if (parse(nlh, tb))
		return MNL_CB_ERROR;
	if (rules->n >= sizeof(rules->r) / sizeof(rules->r[0]) ||
	    !tb[BG_A_RULE_ID])
		return MNL_CB_OK;
	r = &rules->r[rules->n++];
	memset(r, 0, sizeof(*r));
	r->id = mnl_attr_get_u16(tb[BG_A_RULE_ID]);
	settings_get(tb, &r->s);
	if (tb[BG_A_TOTAL_REFUSED])
		r->total_refused = mnl_attr_get_u64(tb[BG_A_TOTAL_REFUSED]);
	return MNL_CB_OK;
}

int client_get_rules(struct client *cl, struct rules *rules)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];

	rules->n = 0;
	return request(cl, nl_msg(&cl->nl, buf, BG_CMD_GET_RULE, NLM_F_DUMP),
		       rule_cb, rules, NULL);
}

static int id_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[BG_A_MAX + 1];
	uint16_t *id = data;

	if (parse(nlh, tb))
		return MNL_CB_ERROR;
	if (tb[BG_A_RULE_ID])
		*id = mnl_attr_get_u16(tb[BG_A_RULE_ID]);
	return MNL_CB_OK;
}

int client_add_rule(struct client *cl, const struct settings *s,
		    uint16_t *id)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = nl_msg(&cl->nl, buf, BG_CMD_ADD_RULE, 0);

	*id = 0;
	settings_put(nlh, s);
	return request(cl, nlh, id_cb, id, NULL);
}

int client_del_rule_id(struct client *cl, uint16_t id)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = nl_msg(&cl->nl, buf, BG_CMD_DEL_RULE, 0);

	mnl_attr_put_u16(nlh, BG_A_RULE_ID, id);
	return request(cl, nlh, NULL, NULL, NULL);
}

int client_del_rule_ports(struct client *cl, uint16_t min, uint16_t max)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = nl_msg(&cl->nl, buf, BG_CMD_DEL_RULE, 0);
	struct settings s = { .have = SET_PORT, .port_min = min,
			      .port_max = max };

	settings_put(nlh, &s);
	return request(cl, nlh, NULL, NULL, NULL);
}

/* IPv4 first, then by address, then by length. */
static int lentry_cmp(const void *a, const void *b)
{
	const struct lentry *x = a, *y = b;
	int c;

	if (x->p.family != y->p.family)
		return x->p.family == AF_INET ? -1 : 1;
	c = memcmp(&x->p.addr, &y->p.addr,
		   x->p.family == AF_INET ? 4 : 16);
	if (c)
		return c;
	return (int)x->p.len - (int)y->p.len;
}

void plist_sort(struct plist *pl)
{
	if (pl->nallow)
		qsort(pl->allow, pl->nallow, sizeof(*pl->allow), lentry_cmp);
	if (pl->ndeny)
		qsort(pl->deny, pl->ndeny, sizeof(*pl->deny), lentry_cmp);
}

void plist_free(struct plist *pl)
{
	if (!pl)
		return;
	free(pl->allow);
	free(pl->deny);
	free(pl);
}

/* Append @e to @v (@n entries of @cap); -1 when out of memory. */
static int lentry_push(struct lentry **v, unsigned int *n, unsigned int *cap,
		       const struct lentry *e)
{
	if (*n == *cap) {
		unsigned int c = *cap ? *cap * 2 : 256;
		struct lentry *nv = realloc(*v, c * sizeof(*nv));

		if (!nv)
			return -1;
		*v = nv;
		*cap = c;
	}
	(*v)[(*n)++] = *e;
	return 0;
}

static int plist_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[BG_A_MAX + 1];
	struct plist *pl = data;
	struct lentry e = { 0 };
	int r = 0;

	if (parse(nlh, tb))
		return MNL_CB_ERROR;
	if (!tb[BG_A_LIST] || prefix_get(tb, &e.p))
		return MNL_CB_OK;
	if (tb[BG_A_TIMEOUT])
		e.timeout = mnl_attr_get_u32(tb[BG_A_TIMEOUT]);
	if (mnl_attr_get_u8(tb[BG_A_LIST]) == BG_LIST_ALLOW)
		r = lentry_push(&pl->allow, &pl->nallow, &pl->cap_allow, &e);
	else if (mnl_attr_get_u8(tb[BG_A_LIST]) == BG_LIST_DENY)
		r = lentry_push(&pl->deny, &pl->ndeny, &pl->cap_deny, &e);
	if (r) {
		errno = ENOMEM;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

#define DUMP_TRIES 3

int client_get_prefixes(struct client *cl, int list, struct plist *pl,
			bool *intr)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	bool in = false;
	int err, tries;

	for (tries = 0; tries < DUMP_TRIES; tries++) {
		pl->nallow = pl->ndeny = 0;
		nlh = nl_msg(&cl->nl, buf, BG_CMD_GET_PREFIX, NLM_F_DUMP);
		if (list)
			mnl_attr_put_u8(nlh, BG_A_LIST, (uint8_t)list);
		err = request(cl, nlh, plist_cb, pl, &in);
		if (err)
			return err;
		if (!in)
			break;
	}
	if (intr)
		*intr = in;
	return 0;
}

/* ADD_PREFIX, DEL_PREFIX (with @p) or FLUSH_PREFIX (@p NULL). */
static int prefix_cmd(struct client *cl, uint8_t cmd, int list,
		      const struct prefix *p, uint32_t timeout, bool update)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = nl_msg(&cl->nl, buf, cmd, 0);

	mnl_attr_put_u8(nlh, BG_A_LIST, (uint8_t)list);
	if (p)
		prefix_put(nlh, p);
	if (timeout)
		mnl_attr_put_u32(nlh, BG_A_TIMEOUT, timeout);
	if (update)
		mnl_attr_put_u8(nlh, BG_A_MERGE, 1);
	return request(cl, nlh, NULL, NULL, NULL);
}

int client_add_prefix(struct client *cl, int list, const struct prefix *p,
		      uint32_t timeout)
{
	return prefix_cmd(cl, BG_CMD_ADD_PREFIX, list, p, timeout, false);
}

int client_update_prefix(struct client *cl, int list, const struct prefix *p,
			 uint32_t timeout)
{
	return prefix_cmd(cl, BG_CMD_ADD_PREFIX, list, p, timeout, true);
}

int client_del_prefix(struct client *cl, int list, const struct prefix *p)
{
	return prefix_cmd(cl, BG_CMD_DEL_PREFIX, list, p, 0, false);
}

int client_flush_prefixes(struct client *cl, int list)
{
	return prefix_cmd(cl, BG_CMD_FLUSH_PREFIX, list, NULL, 0, false);
}

static int count_cb(const struct nlmsghdr *nlh, void *data);

int client_import(struct client *cl, int list, const struct lentry *v,
		  size_t n, bool merge, uint32_t *count, long *bad)
{
	char small[MNL_SOCKET_BUFFER_SIZE];
	struct nlattr *nest, *item;
	struct nlmsghdr *nlh;
	size_t i, k;
	char *buf;
	int err, idx;

	*count = 0;
	if (bad)
		*bad = -1;
	buf = calloc(1, NL_REQSIZE);
	if (!buf)
		return -ENOMEM;
	nlh = nl_msg(&cl->nl, small, BG_CMD_IMPORT_BEGIN, 0);
	mnl_attr_put_u8(nlh, BG_A_LIST, (uint8_t)list);
	if (merge)
		mnl_attr_put_u8(nlh, BG_A_MERGE, 1);
	/* How many to expect: the kernel sizes its table once. */
	mnl_attr_put_u32(nlh, BG_A_COUNT,
			 n < BG_MAX_LIST_ENTRIES ? (uint32_t)n : BG_MAX_LIST_ENTRIES);
	err = request(cl, nlh, NULL, NULL, NULL);
	for (i = 0; !err && i < n; i += k) {
		memset(buf, 0, NL_REQSIZE);
		nlh = nl_msg(&cl->nl, buf, BG_CMD_IMPORT_CHUNK, 0);
		nest = mnl_attr_nest_start(nlh, BG_A_ENTRIES);
		for (k = 0; k < BG_IMPORT_CHUNK_MAX && i + k < n; k++) {
			item = mnl_attr_nest_start(nlh, 1);
			prefix_put(nlh, &v[i + k].p);
			if (v[i + k].timeout)
				mnl_attr_put_u32(nlh, BG_A_TIMEOUT,
						 v[i + k].timeout);
			mnl_attr_nest_end(nlh, item);
		}
		mnl_attr_nest_end(nlh, nest);
		err = request(cl, nlh, NULL, NULL, NULL);
		if (err && bad && cl->nl.erroff &&
		    (idx = err_item(cl, nlh, BG_A_ENTRIES)) >= 0)
			*bad = (long)(i + (size_t)idx);
	}
	if (!err) {
		err = request(cl, nl_msg(&cl->nl, small, BG_CMD_IMPORT_COMMIT,
					 0), count_cb, count, NULL);
	} else if (err != -EBUSY) {
		/* A refused chunk already dropped the import; this is for
		 * other failures, and its own error must not hide the first.
		 */
		char keep[256];
		const char *attr = cl->attr;
		uint32_t off = cl->nl.erroff;

		snprintf(keep, sizeof(keep), "%s", cl->nl.errmsg);
		request(cl, nl_msg(&cl->nl, small, BG_CMD_IMPORT_ABORT, 0),
			NULL, NULL, NULL);
		snprintf(cl->nl.errmsg, sizeof(cl->nl.errmsg), "%s", keep);
		cl->attr = attr;
		cl->nl.erroff = off;
	}
	free(buf);
	return err;
}

static int source_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[BG_A_MAX + 1];
	struct sources *ss = data;
	struct source *s;

	if (parse(nlh, tb))
		return MNL_CB_ERROR;
	if (ss->n == ss->cap) {
		size_t cap = ss->cap ? ss->cap * 2 : 1024;
		struct source *v = realloc(ss->v, cap * sizeof(*v));

		if (!v) {
			errno = ENOMEM;
			return MNL_CB_ERROR;
		}
		ss->v = v;
		ss->cap = cap;
	}
	s = &ss->v[ss->n];
	memset(s, 0, sizeof(*s));
	if (prefix_get(tb, &s->p))
		return MNL_CB_OK;
	if (tb[BG_A_RULE_ID])
		s->rule = mnl_attr_get_u16(tb[BG_A_RULE_ID]);
	if (tb[BG_A_STATE])
		s->state = mnl_attr_get_u8(tb[BG_A_STATE]);
	if (tb[BG_A_TOKENS])
		s->tokens = mnl_attr_get_u32(tb[BG_A_TOKENS]);
	if (tb[BG_A_ATTEMPTS])
		s->attempts = mnl_attr_get_u32(tb[BG_A_ATTEMPTS]);
	if (tb[BG_A_DROPS])
		s->drops = mnl_attr_get_u32(tb[BG_A_DROPS]);
	if (tb[BG_A_IDLE_NS])
		s->idle_ns = mnl_attr_get_u64(tb[BG_A_IDLE_NS]);
	if (tb[BG_A_BAN_LEFT_NS])
		s->ban_left_ns = mnl_attr_get_u64(tb[BG_A_BAN_LEFT_NS]);
	if (tb[BG_A_STRIKES])
		s->strikes = mnl_attr_get_u32(tb[BG_A_STRIKES]);
	ss->n++;
	return MNL_CB_OK;
}

int client_get_sources(struct client *cl, struct sources *ss, bool *intr)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	int err, tries;

	for (tries = 0; tries < DUMP_TRIES; tries++) {
		ss->n = 0;
		err = request(cl, nl_msg(&cl->nl, buf, BG_CMD_GET_SOURCE,
					 NLM_F_DUMP),
			      source_cb, ss, intr);
		if (err)
			return err;
		if (!*intr)
			break;
	}
	return 0;
}

static int count_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[BG_A_MAX + 1];

	if (parse(nlh, tb))
		return MNL_CB_ERROR;
	if (tb[BG_A_COUNT])
		*(uint32_t *)data = mnl_attr_get_u32(tb[BG_A_COUNT]);
	return MNL_CB_OK;
}

int client_forget(struct client *cl, const struct prefix *p,
		  uint32_t *count)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = nl_msg(&cl->nl, buf, BG_CMD_FORGET, 0);

	*count = 0;
	prefix_put(nlh, p);
	return request(cl, nlh, count_cb, count, NULL);
}

int client_flush(struct client *cl, uint32_t *count)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];

	*count = 0;
	return request(cl, nl_msg(&cl->nl, buf, BG_CMD_FLUSH, 0), count_cb,
		       count, NULL);
}

int client_subscribe(struct client *cl)
{
	unsigned int grp = cl->nl.events_group;

	if (!grp)
		return -ENOENT;
	if (mnl_socket_setsockopt(cl->nl.sock, NETLINK_ADD_MEMBERSHIP, &grp,
				  sizeof(grp)) < 0)
		return -errno;
	return 0;
}

struct event_ctx {
	const struct client *cl;
	void (*cb)(const struct event *ev, void *data);
	void *data;
};

static int event_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[BG_A_MAX + 1];
	struct event_ctx *ec = data;
	struct event ev = { 0 };

	if (nlh->nlmsg_type != ec->cl->nl.family || g->cmd != BG_CMD_EVENT ||
	    parse(nlh, tb) || !tb[BG_A_EVENT])
		return MNL_CB_OK;
	ev.event = mnl_attr_get_u8(tb[BG_A_EVENT]);
	ev.has_source = !prefix_get(tb, &ev.source);
	if (tb[BG_A_RULE_ID]) {
		ev.has_rule = true;
		ev.rule = mnl_attr_get_u16(tb[BG_A_RULE_ID]);
	}
	if (tb[BG_A_BAN]) {
		ev.has_ban = true;
		ev.ban = mnl_attr_get_u32(tb[BG_A_BAN]);
	}
	ec->cb(&ev, ec->data);
	return MNL_CB_OK;
}

int client_read_events(struct client *cl,
		       void (*cb)(const struct event *ev, void *data),
		       void *data)
{
	struct event_ctx ec = { cl, cb, data };
	ssize_t n;

	n = mnl_socket_recvfrom(cl->nl.sock, cl->nl.rxbuf, NL_BUFSIZE);
	if (n < 0)
		return -errno;
	/* seq and portid 0: notifications match any request */
	mnl_cb_run(cl->nl.rxbuf, (size_t)n, 0, 0, event_cb, &ec);
	return 0;
}
