// SPDX-License-Identifier: GPL-2.0
/*
 * burstguard-crowdsec: a CrowdSec bouncer. Polls a Local API's decision
 * stream and keeps burstguard's deny list in step with its ban decisions:
 * scope Ip becomes a /32 or /128, scope Range its prefix. Entries it added
 * go when their decision is deleted or ends, and all of them when it stops;
 * entries it did not add (by hand, burstctl restore) are never touched.
 *
 * Kernel access is in bouncer_deny.c; everything here is the LAPI, the
 * decisions and their expiry.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <json-c/json.h>
#include <yaml.h>

#include "bouncer_deny.h"
#include "parse.h"

#define NAME		"burstguard-crowdsec"
#define DEFAULT_CONFIG	"/etc/crowdsec/bouncers/" NAME ".yaml"
#define MAX_REPLY	(256u << 20)	/* a LAPI answer larger than this is refused */
#define BACKOFF_MAX	60.0		/* seconds between retries, at most */

#ifndef BG_VERSION
#define BG_VERSION "unknown"
#endif

/* ------------------------------------------------------------------ log */

static int log_debug;
static bool log_journal;	/* stderr is journald: "<N>" priority prefixes */

static void logmsg(int prio, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* prio as syslog: 3 error, 4 warning, 6 info, 7 debug */
static void logmsg(int prio, const char *fmt, ...)
{
	static const char *const names[8] = {
		[3] = "error", [4] = "warning", [6] = "info", [7] = "debug",
	};
	va_list ap;

	if (prio == 7 && !log_debug)
		return;
	if (log_journal) {
		fprintf(stderr, "<%d>", prio);
	} else {
		struct timespec ts;
		struct tm tm;
		char t[32];

		clock_gettime(CLOCK_REALTIME, &ts);
		localtime_r(&ts.tv_sec, &tm);
		strftime(t, sizeof(t), "%Y-%m-%dT%H:%M:%S", &tm);
		fprintf(stderr, "%s.%03ld " NAME ": %s: ", t, ts.tv_nsec / 1000000,
			names[prio & 7] ? names[prio & 7] : "info");
	}
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

#define LOG_ERR(...)	logmsg(3, __VA_ARGS__)
#define LOG_WARN(...)	logmsg(4, __VA_ARGS__)
#define LOG_INFO(...)	logmsg(6, __VA_ARGS__)
#define LOG_DEBUG(...)	logmsg(7, __VA_ARGS__)

/* --------------------------------------------------------------- config */

struct config {
	char *api_url;		/* ends with '/' */
	char *api_key;
	double update_frequency;	/* seconds */
	bool scope_ip, scope_range;
	char *netns;
	bool debug;
};

/*
 * A Go duration as CrowdSec writes it: "4h", "3h59m58.5s", "-1.2s",
 * "250ms". Returns 0 and seconds in *out, or -1.
 */
static int parse_go_duration(const char *s, double *out)
{
	static const struct { const char *u; double mul; } units[] = {
		{ "ns", 1e-9 }, { "us", 1e-6 }, { "\xc2\xb5s", 1e-6 },
		{ "ms", 1e-3 }, { "s", 1 }, { "m", 60 }, { "h", 3600 },
	};
	double total = 0, sign = 1;
	bool any = false;

	if (*s == '-' || *s == '+')
		sign = *s++ == '-' ? -1 : 1;
	if (!strcmp(s, "0")) {
		*out = 0;
		return 0;
	}
	while (*s) {
		char *end;
		double v;
		size_t i, best = 0, bestlen = 0;

		if (!((*s >= '0' && *s <= '9') || *s == '.'))
			return -1;
		errno = 0;
		v = strtod(s, &end);
		if (end == s || errno)
			return -1;
		s = end;
		for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
			size_t l = strlen(units[i].u);

			if (!strncmp(s, units[i].u, l) && l > bestlen)
				best = i, bestlen = l;
		}
		if (!bestlen)
			return -1;
		total += v * units[best].mul;
		s += bestlen;
		any = true;
	}
	if (!any || total > 1e12)
		return -1;
	*out = sign * total;
	return 0;
}

static int set_scopes(struct config *c, const char *v, char *err, size_t n)
{
	if (!strcasecmp(v, "ip"))
		c->scope_ip = true;
	else if (!strcasecmp(v, "range"))
		c->scope_range = true;
	else {
		snprintf(err, n, "scopes: '%s' is not a scope this bouncer enforces (ip, range)",
			 v);
		return -1;
	}
	return 0;
}

static int config_set(struct config *c, const char *key, const char *v,
		      char *err, size_t n)
{
	char **dst = NULL;

	if (!strcmp(key, "api_url"))
		dst = &c->api_url;
	else if (!strcmp(key, "api_key"))
		dst = &c->api_key;
	else if (!strcmp(key, "netns"))
		dst = &c->netns;
	if (dst) {
		free(*dst);
		*dst = strdup(v);
		if (!*dst) {
			snprintf(err, n, "out of memory");
			return -1;
		}
		return 0;
	}
	if (!strcmp(key, "update_frequency")) {
		if (parse_go_duration(v, &c->update_frequency) ||
		    c->update_frequency < 0.1 || c->update_frequency > 86400) {
			snprintf(err, n, "update_frequency: '%s' is not a duration from 100ms to 24h (e.g. 10s)",
				 v);
			return -1;
		}
		return 0;
	}
	if (!strcmp(key, "log_level")) {
		if (!strcmp(v, "debug") || !strcmp(v, "trace"))
			c->debug = true;
		else if (strcmp(v, "info") && strcmp(v, "warning") &&
			 strcmp(v, "error")) {
			snprintf(err, n, "log_level: '%s' is not debug, info, warning or error",
				 v);
			return -1;
		}
		return 0;
	}
	/* Keys of other CrowdSec bouncers' files are accepted and ignored. */
	LOG_DEBUG("config: ignoring key '%s'", key);
	return 0;
}

static void config_free(struct config *c)
{
	free(c->api_url);
	free(c->api_key);
	free(c->netns);
}

/*
 * The file is one YAML mapping of scalars; "scopes" may also be a
 * sequence (or a comma-separated scalar). 0, or -1 with @err set.
 */
static int config_load(const char *path, struct config *c, char *err,
		       size_t n)
{
	yaml_parser_t p;
	yaml_event_t ev;
	FILE *f;
	char *key = NULL;
	int depth = 0, ret = -1;
	bool in_scopes = false, done = false, had_scopes = false;

	f = fopen(path, "r");
	if (!f) {
		snprintf(err, n, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (!yaml_parser_initialize(&p)) {
		snprintf(err, n, "out of memory");
		fclose(f);
		return -1;
	}
	yaml_parser_set_input_file(&p, f);
	while (!done) {
		if (!yaml_parser_parse(&p, &ev)) {
			snprintf(err, n, "%s:%zu:%zu: %s", path,
				 p.problem_mark.line + 1,
				 p.problem_mark.column + 1,
				 p.problem ? p.problem : "YAML syntax error");
			goto out;
		}
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		case YAML_MAPPING_START_EVENT:
			if (++depth > 1 || key) {
				snprintf(err, n, "%s:%zu: %s: a nested mapping is not a setting this bouncer knows",
					 path, ev.start_mark.line + 1,
					 key ? key : "top level");
				goto bad;
			}
			break;
		case YAML_MAPPING_END_EVENT:
			depth--;
			break;
		case YAML_SEQUENCE_START_EVENT:
			if (!key || strcmp(key, "scopes") || in_scopes ||
			    depth != 1) {
				snprintf(err, n, "%s:%zu: %s: a list is only allowed for scopes",
					 path, ev.start_mark.line + 1,
					 key ? key : "top level");
				goto bad;
			}
			in_scopes = true;
			had_scopes = true;
			c->scope_ip = c->scope_range = false;
			break;
		case YAML_SEQUENCE_END_EVENT:
			in_scopes = false;
			free(key);
			key = NULL;
			break;
		case YAML_SCALAR_EVENT: {
			const char *v = (const char *)ev.data.scalar.value;

			if (depth != 1) {
				snprintf(err, n, "%s:%zu: expected a mapping of settings",
					 path, ev.start_mark.line + 1);
				goto bad;
			}
			if (in_scopes) {
				if (set_scopes(c, v, err, n))
					goto bad;
			} else if (!key) {
				key = strdup(v);
				if (!key) {
					snprintf(err, n, "out of memory");
					goto bad;
				}
			} else {
				if (!strcmp(key, "scopes")) {
					char *dup = strdup(v), *tok, *save;

					if (!dup) {
						snprintf(err, n, "out of memory");
						goto bad;
					}
					had_scopes = true;
					c->scope_ip = c->scope_range = false;
					for (tok = strtok_r(dup, ", ", &save); tok;
					     tok = strtok_r(NULL, ", ", &save))
						if (set_scopes(c, tok, err, n)) {
							free(dup);
							goto bad;
						}
					free(dup);
				} else if (config_set(c, key, v, err, n)) {
					goto bad;
				}
				free(key);
				key = NULL;
			}
			break;
		}
		case YAML_ALIAS_EVENT:
			snprintf(err, n, "%s:%zu: YAML aliases are not supported here",
				 path, ev.start_mark.line + 1);
			goto bad;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	ret = 0;
	if (!c->api_url || !c->api_url[0]) {
		snprintf(err, n, "%s: api_url is missing (e.g. http://127.0.0.1:8080/)", path);
		ret = -1;
	} else if (!c->api_key || !c->api_key[0]) {
		snprintf(err, n, "%s: api_key is missing (cscli bouncers add NAME prints one)",
			 path);
		ret = -1;
	} else if (strncmp(c->api_url, "http://", 7) &&
		   strncmp(c->api_url, "https://", 8)) {
		snprintf(err, n, "%s: api_url '%s' is not an http:// or https:// URL",
			 path, c->api_url);
		ret = -1;
	} else if (had_scopes && !c->scope_ip && !c->scope_range) {
		snprintf(err, n, "%s: scopes is empty: nothing to enforce", path);
		ret = -1;
	}
	if (!ret && c->api_url[strlen(c->api_url) - 1] != '/') {
		size_t l = strlen(c->api_url);
		char *u = realloc(c->api_url, l + 2);

		if (!u) {
			snprintf(err, n, "out of memory");
			ret = -1;
		} else {
			u[l] = '/';
			u[l + 1] = 0;
			c->api_url = u;
		}
	}
	goto out;
bad:
	yaml_event_delete(&ev);
out:
	free(key);
	yaml_parser_delete(&p);
	fclose(f);
	return ret;
}

/* ------------------------------------------------------------ decisions */

/* A decision of the LAPI that maps to a deny-list prefix. */
struct decision {
	int64_t id;
	double expires;		/* CLOCK_MONOTONIC seconds */
	unsigned int gen;	/* startup pass that last saw it */
};

enum entry_state {
	E_PENDING,	/* not in the list yet (full, or the kernel refused) */
	E_OWNED,	/* we added it: ours to remove */
	E_FOREIGN,	/* was there before us: never removed by us */
};

struct entry {
	struct prefix p;
	enum entry_state state;
	bool full_logged;
	double kernel_end;	/* E_OWNED: when the kernel's timeout ends */
	struct decision *d;
	unsigned int nd, capd;
	struct entry *hnext;	/* hash chain */
	struct entry *next, *prev;	/* all entries */
};

#define HBITS	16
static struct entry *htab[1u << HBITS];
static struct entry *entries;
static unsigned int nentries, nowned, npending;
static unsigned int gen;

static struct {
	uint64_t added, removed, expired, full, ignored, refused;
} counts;

static double now_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static unsigned int phash(const struct prefix *p)
{
	const unsigned char *b = (const unsigned char *)&p->addr;
	size_t n = p->family == AF_INET ? 4 : 16, i;
	uint32_t h = 2166136261u ^ p->len;

	for (i = 0; i < n; i++)
		h = (h ^ b[i]) * 16777619u;
	return (h ^ (h >> HBITS)) & ((1u << HBITS) - 1);
}

static bool peq(const struct prefix *a, const struct prefix *b)
{
	return a->family == b->family && a->len == b->len &&
	       !memcmp(&a->addr, &b->addr,
		       a->family == AF_INET ? 4 : 16);
}

static struct entry *entry_find(const struct prefix *p)
{
	struct entry *e;

	for (e = htab[phash(p)]; e; e = e->hnext)
		if (peq(&e->p, p))
			return e;
	return NULL;
}

static const char *pstr(const struct prefix *p)
{
	static char buf[2][64];
	static int i;

	i ^= 1;
	return format_prefix(p, buf[i], sizeof(buf[i]));
}

/* When the last decision of @e ends. */
static double entry_end(const struct entry *e)
{
	double end = 0;
	unsigned int i;

	for (i = 0; i < e->nd; i++)
		if (e->d[i].expires > end)
			end = e->d[i].expires;
	return end;
}

/*
 * The kernel's timeout for an entry that ends at @end: the seconds left,
 * rounded up (so the kernel never ends it before its decision), within
 * what the module takes.
 */
static uint32_t kernel_timeout(double end, double now)
{
	double left = end - now;
	uint32_t s;

	if (left < 1)
		return 1;
	if (left >= BG_LIST_TIMEOUT_MAX_S)
		return BG_LIST_TIMEOUT_MAX_S;
	s = (uint32_t)left;
	return (double)s < left ? s + 1 : s;
}

/*
 * Put @e into the kernel's list if it is not there yet, with its last
 * decision's end as the timeout; an entry of ours whose decisions now end
 * later gets the later timeout.
 */
static void entry_push(struct entry *e)
{
	double now = now_mono(), end = entry_end(e);
	char err[320];
	int ret;

	if (e->state == E_OWNED && end > e->kernel_end) {
		ret = bdeny_add(&e->p, kernel_timeout(end, now), true, err,
				sizeof(err));
		if (ret == 0)
			e->kernel_end = now + kernel_timeout(end, now);
		else
			LOG_ERR("deny add %s (a later end): %s", pstr(&e->p),
				err);
		return;
	}
	if (e->state != E_PENDING)
		return;
	ret = bdeny_add(&e->p, kernel_timeout(end, now), false, err,
			sizeof(err));
	if (ret == 0) {
		e->kernel_end = now + kernel_timeout(end, now);
		e->state = E_OWNED;
		nowned++;
		npending--;
		counts.added++;
		LOG_DEBUG("deny add %s", pstr(&e->p));
	} else if (ret == -EEXIST) {
		e->state = E_FOREIGN;
		npending--;
		LOG_INFO("%s was already in the deny list: it stays there when its decision ends",
			 pstr(&e->p));
	} else if (ret == -ENOSPC || ret == -ERANGE) {
		if (!e->full_logged) {
			counts.full++;
			e->full_logged = true;
			LOG_WARN("deny list full: %s not enforced (%llu decisions so far did not fit; retried as entries go)",
				 pstr(&e->p), (unsigned long long)counts.full);
		}
	} else {
		if (!e->full_logged) {
			counts.refused++;
			e->full_logged = true;
			LOG_ERR("deny add %s: %s (retried at the next poll)",
				pstr(&e->p), err);
		}
	}
}

static void entry_free(struct entry *e)
{
	struct entry **pp = &htab[phash(&e->p)];
	char err[320];
	int ret;

	if (e->state == E_OWNED) {
		ret = bdeny_del(&e->p, err, sizeof(err));
		if (ret == 0)
			LOG_DEBUG("deny del %s", pstr(&e->p));
		else if (ret == -ENOENT)
			LOG_INFO("%s was already gone from the deny list", pstr(&e->p));
		else
			LOG_ERR("deny del %s: %s", pstr(&e->p), err);
		counts.removed++;
		nowned--;
	} else if (e->state == E_PENDING) {
		npending--;
	}
	while (*pp != e)
		pp = &(*pp)->hnext;
	*pp = e->hnext;
	if (e->prev)
		e->prev->next = e->next;
	else
		entries = e->next;
	if (e->next)
		e->next->prev = e->prev;
	nentries--;
	free(e->d);
	free(e);
}

static void decision_add(const struct prefix *p, int64_t id, double expires)
{
	struct entry *e = entry_find(p);
	unsigned int i;

	if (!e) {
		unsigned int h = phash(p);

		e = calloc(1, sizeof(*e));
		if (!e) {
			LOG_ERR("out of memory: decision %lld for %s dropped",
				(long long)id, pstr(p));
			return;
		}
		e->p = *p;
		e->state = E_PENDING;
		e->hnext = htab[h];
		htab[h] = e;
		e->next = entries;
		if (entries)
			entries->prev = e;
		entries = e;
		nentries++;
		npending++;
	}
	for (i = 0; i < e->nd; i++)
		if (e->d[i].id == id)
			break;
	if (i == e->nd) {
		if (e->nd == e->capd) {
			unsigned int cap = e->capd ? e->capd * 2 : 1;
			struct decision *d = realloc(e->d, cap * sizeof(*d));

			if (!d) {
				LOG_ERR("out of memory: decision %lld for %s dropped",
					(long long)id, pstr(p));
				if (!e->nd)
					entry_free(e);
				return;
			}
			e->d = d;
			e->capd = cap;
		}
		e->nd++;
	}
	e->d[i].id = id;
	e->d[i].expires = expires;
	e->d[i].gen = gen;
	entry_push(e);
}

static void decision_drop(struct entry *e, unsigned int i)
{
	e->d[i] = e->d[--e->nd];
	if (!e->nd)
		entry_free(e);
}

static void decision_del(const struct prefix *p, int64_t id)
{
	struct entry *e = entry_find(p);
	unsigned int i;

	if (!e)
		return;
	for (i = 0; i < e->nd; i++)
		if (e->d[i].id == id) {
			decision_drop(e, i);
			return;
		}
}

/*
 * Where decisions end by time for the bouncer's books; the kernel's entry
 * ends by its own timeout at about the same moment (and also when the
 * bouncer is not running). Returns when the next one ends (or +inf).
 */
static double expire_pass(double now)
{
	struct entry *e, *next;
	double soonest = 1e300;
	unsigned int i;

	for (e = entries; e; e = next) {
		next = e->next;
		for (i = 0; i < e->nd;) {
			if (e->d[i].expires <= now) {
				LOG_DEBUG("decision %lld for %s ended",
					  (long long)e->d[i].id, pstr(&e->p));
				counts.expired++;
				if (e->nd == 1) {
					decision_drop(e, i);
					e = NULL;
					break;
				}
				decision_drop(e, i);
				continue;
			}
			if (e->d[i].expires < soonest)
				soonest = e->d[i].expires;
			i++;
		}
		/* Entries that did not fit yet: the list may have room now. */
		if (e && e->state == E_PENDING)
			entry_push(e);
	}
	return soonest;
}

/* After a startup=true answer: what it did not list has gone. */
static void sweep_unseen(void)
{
	struct entry *e, *next;
	unsigned int i;

	for (e = entries; e; e = next) {
		next = e->next;
		for (i = 0; i < e->nd;) {
			if (e->d[i].gen != gen) {
				if (e->nd == 1) {
					decision_drop(e, i);
					break;
				}
				decision_drop(e, i);
				continue;
			}
			i++;
		}
	}
}

static void remove_all(void)
{
	while (entries)
		entry_free(entries);
}

/* ------------------------------------------------------------------ LAPI */

static volatile sig_atomic_t stop;
static CURLM *multi;

/*
 * curl_easy_perform(), but entries keep ending on time while a slow LAPI
 * answers, and a stop signal ends the wait within a second.
 */
static CURLcode perform(CURL *curl)
{
	CURLcode cc = CURLE_RECV_ERROR;
	int running = 1, left;
	CURLMsg *m;

	if (curl_multi_add_handle(multi, curl) != CURLM_OK)
		return CURLE_FAILED_INIT;
	while (running) {
		double now, soonest;
		int ms = 1000;

		if (curl_multi_perform(multi, &running) != CURLM_OK)
			break;
		if (!running)
			break;
		if (stop) {
			cc = CURLE_ABORTED_BY_CALLBACK;
			break;
		}
		now = now_mono();
		soonest = expire_pass(now);
		if (soonest - now < 1)
			ms = (int)((soonest - now) * 1000) + 1;
		curl_multi_poll(multi, NULL, 0, ms, NULL);
	}
	while ((m = curl_multi_info_read(multi, &left)))
		if (m->msg == CURLMSG_DONE && m->easy_handle == curl)
			cc = m->data.result;
	curl_multi_remove_handle(multi, curl);
	return cc;
}

/* A decision object of the stream into prefix, id and seconds left. */
static int decision_parse(const struct config *c, json_object *o,
			  struct prefix *p, int64_t *id, double *left)
{
	json_object *v;
	const char *scope, *value, *type, *dur;

	if (!json_object_is_type(o, json_type_object))
		return -1;
	if (!json_object_object_get_ex(o, "scope", &v) ||
	    !(scope = json_object_get_string(v)) ||
	    !json_object_object_get_ex(o, "value", &v) ||
	    !json_object_is_type(v, json_type_string) ||
	    !(value = json_object_get_string(v)) ||
	    !json_object_object_get_ex(o, "id", &v) ||
	    !json_object_is_type(v, json_type_int))
		return -1;
	*id = json_object_get_int64(v);
	if (!strcasecmp(scope, "ip")) {
		if (!c->scope_ip || strchr(value, '/'))
			return -1;
	} else if (!strcasecmp(scope, "range")) {
		if (!c->scope_range || !strchr(value, '/'))
			return -1;
	} else {
		return -1;
	}
	if (parse_prefix(value, p))
		return -1;
	if (json_object_object_get_ex(o, "type", &v) &&
	    (type = json_object_get_string(v)) && strcasecmp(type, "ban"))
		return -1;
	*left = 0;
	if (json_object_object_get_ex(o, "duration", &v) &&
	    (dur = json_object_get_string(v)) &&
	    parse_go_duration(dur, left))
		return -1;
	return 0;
}

struct reply {
	char *buf;
	size_t len;
	bool too_big;
};

static size_t on_data(char *ptr, size_t size, size_t nmemb, void *data)
{
	struct reply *r = data;
	size_t n = size * nmemb;
	char *b;

	if (r->len + n + 1 > MAX_REPLY) {
		r->too_big = true;
		return 0;
	}
	b = realloc(r->buf, r->len + n + 1);
	if (!b)
		return 0;
	memcpy(b + r->len, ptr, n);
	r->len += n;
	b[r->len] = 0;
	r->buf = b;
	return n;
}

/*
 * One GET of the stream, applied. 0 on success; -1 (logged) when the LAPI
 * could not be asked or its answer was not one, in which case nothing of
 * it was applied.
 */
static int poll_once(CURL *curl, const struct config *c, bool startup)
{
	struct reply r = { 0 };
	struct curl_slist *hdr = NULL;
	char url[4096], *key_hdr = NULL, cerr[CURL_ERROR_SIZE] = "";
	json_object *root = NULL, *arr;
	enum json_tokener_error jerr;
	unsigned int before_add = (unsigned int)counts.added;
	unsigned int before_del = (unsigned int)counts.removed;
	size_t i, n;
	long status = 0;
	int ret = -1, len;
	CURLcode cc;

	len = snprintf(url, sizeof(url), "%sv1/decisions/stream?startup=%s&scopes=%s%s%s",
		       c->api_url, startup ? "true" : "false",
		       c->scope_ip ? "ip" : "",
		       c->scope_ip && c->scope_range ? "," : "",
		       c->scope_range ? "range" : "");
	if (len < 0 || (size_t)len >= sizeof(url)) {
		LOG_ERR("api_url too long");
		return -1;
	}
	if (asprintf(&key_hdr, "X-Api-Key: %s", c->api_key) < 0) {
		LOG_ERR("out of memory");
		return -1;
	}
	hdr = curl_slist_append(hdr, key_hdr);
	curl_easy_reset(curl);
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(curl, CURLOPT_USERAGENT, NAME "/" BG_VERSION);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 5L);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, 60L);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
	/* Refused at once when Content-Length says so; on_data counts too. */
	curl_easy_setopt(curl, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)MAX_REPLY);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, &r);
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, cerr);
	cc = perform(curl);
	if (cc != CURLE_OK) {
		if (r.too_big || cc == CURLE_FILESIZE_EXCEEDED)
			LOG_WARN("LAPI %s: answer larger than %u MiB refused",
				 c->api_url, MAX_REPLY >> 20);
		else
			LOG_WARN("LAPI %s unreachable: %s", c->api_url,
				 cerr[0] ? cerr : curl_easy_strerror(cc));
		goto out;
	}
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
	if (status != 200) {
		LOG_WARN("LAPI %s answered HTTP %ld%s", c->api_url, status,
			 status == 403 ? " (api_key not accepted: cscli bouncers add)" : "");
		goto out;
	}
	if (!r.buf) {
		LOG_WARN("LAPI %s sent an empty answer", c->api_url);
		goto out;
	}
	root = json_tokener_parse_verbose(r.buf, &jerr);
	if (!root || !json_object_is_type(root, json_type_object)) {
		LOG_WARN("LAPI %s: the answer is not a JSON object (%s)",
			 c->api_url, root ? "another JSON value" :
			 json_tokener_error_desc(jerr));
		goto out;
	}
	/* Check both arrays before applying any of them. */
	if ((json_object_object_get_ex(root, "new", &arr) &&
	     !json_object_is_type(arr, json_type_null) &&
	     !json_object_is_type(arr, json_type_array)) ||
	    (json_object_object_get_ex(root, "deleted", &arr) &&
	     !json_object_is_type(arr, json_type_null) &&
	     !json_object_is_type(arr, json_type_array))) {
		LOG_WARN("LAPI %s: \"new\" or \"deleted\" is not a list", c->api_url);
		goto out;
	}
	if (startup)
		gen++;
	if (json_object_object_get_ex(root, "deleted", &arr) &&
	    json_object_is_type(arr, json_type_array)) {
		n = json_object_array_length(arr);
		for (i = 0; i < n; i++) {
			struct prefix p;
			int64_t id;
			double left;

			if (decision_parse(c, json_object_array_get_idx(arr, i),
					   &p, &id, &left))
				continue;
			decision_del(&p, id);
		}
	}
	if (json_object_object_get_ex(root, "new", &arr) &&
	    json_object_is_type(arr, json_type_array)) {
		double now = now_mono();

		n = json_object_array_length(arr);
		for (i = 0; i < n; i++) {
			struct prefix p;
			int64_t id;
			double left;

			if (decision_parse(c, json_object_array_get_idx(arr, i),
					   &p, &id, &left)) {
				counts.ignored++;
				LOG_DEBUG("ignoring a decision of another type or scope, or malformed: %s",
					  json_object_to_json_string(json_object_array_get_idx(arr, i)));
				continue;
			}
			if (left <= 0)
				continue;
			decision_add(&p, id, now + left);
		}
	}
	if (startup)
		sweep_unseen();
	if (startup || counts.added != before_add || counts.removed != before_del)
		LOG_INFO("%s: %u prefixes from %s decisions, %u added by us, %u not enforced (list full or refused)",
			 startup ? "synchronised" : "updated", nentries,
			 c->api_url, nowned, npending);
	ret = 0;
out:
	json_object_put(root);
	free(r.buf);
	free(key_hdr);
	curl_slist_free_all(hdr);
	return ret;
}

/* ------------------------------------------------------------------ main */

static void on_signal(int sig)
{
	stop = sig;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: " NAME " [-c FILE] [-d]\n"
		"       " NAME " -h | -V\n"
		"\n"
		"A CrowdSec bouncer: keeps burstguard's deny list in step with a\n"
		"CrowdSec Local API's ban decisions (scope Ip: /32 or /128, Range:\n"
		"its prefix). It polls GET /v1/decisions/stream (startup=true first\n"
		"and after every failed poll, then the changes every update_frequency),\n"
		"removes an entry when its decision is deleted or its duration ends,\n"
		"and removes what it added, only that, when it stops (SIGTERM, SIGINT).\n"
		"\n"
		"  -c FILE  configuration (default " DEFAULT_CONFIG ")\n"
		"           api_url: http://127.0.0.1:8080/   the LAPI\n"
		"           api_key: KEY                      from cscli bouncers add NAME\n"
		"           update_frequency: 10s             between polls (100ms to 24h)\n"
		"           scopes: [ip, range]               decisions to enforce\n"
		"           netns: NAME                       the deny list of network\n"
		"                                             namespace NAME (/run/netns/NAME\n"
		"                                             or a path); HTTP stays in ours\n"
		"           log_level: info                   or debug\n"
		"  -d       debug log\n"
		"  -h       this help\n"
		"  -V       version\n"
		"\n"
		"Logs to stderr (journald under systemd). See burstguard-crowdsec(8).\n");
}

int main(int argc, char *argv[])
{
	struct config c = { .update_frequency = 10, .scope_ip = true,
			    .scope_range = true };
	const char *path = DEFAULT_CONFIG;
	double backoff = 0, next_poll, soonest, now, wait;
	struct sigaction sa;
	char err[512];
	bool startup = true;
	CURL *curl;
	int opt;

	log_journal = getenv("JOURNAL_STREAM") != NULL;
	while ((opt = getopt(argc, argv, "c:dhV")) != -1) {
		switch (opt) {
		case 'c':
			path = optarg;
			break;
		case 'd':
			log_debug = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf(NAME " " BG_VERSION "\n");
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		fprintf(stderr, NAME ": unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return 2;
	}
	if (config_load(path, &c, err, sizeof(err))) {
		LOG_ERR("%s", err);
		config_free(&c);
		return 1;
	}
	if (c.debug)
		log_debug = 1;
	if (bdeny_open(c.netns, err, sizeof(err))) {
		LOG_ERR("%s", err);
		config_free(&c);
		return 1;
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) || !(curl = curl_easy_init()) ||
	    !(multi = curl_multi_init())) {
		LOG_ERR("cannot initialise libcurl");
		bdeny_close();
		config_free(&c);
		return 1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);	/* no SA_RESTART: sleeps end */
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	LOG_INFO("started: LAPI %s, every %gs, scopes%s%s, deny list of %s",
		 c.api_url, c.update_frequency, c.scope_ip ? " ip" : "",
		 c.scope_range ? " range" : "",
		 c.netns ? c.netns : "our network namespace");

	next_poll = now_mono();
	while (!stop) {
		now = now_mono();
		if (now >= next_poll) {
			if (poll_once(curl, &c, startup)) {
				backoff = backoff ? backoff * 2 : 1;
				if (backoff > BACKOFF_MAX)
					backoff = BACKOFF_MAX;
				if (backoff < c.update_frequency)
					backoff = c.update_frequency;
				LOG_WARN("keeping the %u prefixes we have; next try in %gs",
					 nentries, backoff);
				/* Whatever happened meanwhile: the full set next. */
				startup = true;
				next_poll = now_mono() + backoff;
			} else {
				if (backoff)
					LOG_INFO("LAPI %s reachable again", c.api_url);
				backoff = 0;
				startup = false;
				next_poll = now + c.update_frequency;
			}
		}
		now = now_mono();
		soonest = expire_pass(now);
		wait = (soonest < next_poll ? soonest : next_poll) - now;
		if (wait > 0 && !stop) {
			struct timespec ts = {
				.tv_sec = (time_t)wait,
				.tv_nsec = (long)((wait - (double)(time_t)wait) * 1e9),
			};

			nanosleep(&ts, NULL);
		}
	}
	LOG_INFO("stopping (signal %d): removing the %u prefixes we added",
		 (int)stop, nowned);
	remove_all();
	LOG_INFO("stopped: %llu added, %llu removed, %llu ended by time, %llu did not fit (list full), %llu refused, %llu decisions ignored",
		 (unsigned long long)counts.added,
		 (unsigned long long)counts.removed,
		 (unsigned long long)counts.expired,
		 (unsigned long long)counts.full,
		 (unsigned long long)counts.refused,
		 (unsigned long long)counts.ignored);
	curl_multi_cleanup(multi);
	curl_easy_cleanup(curl);
	curl_global_cleanup();
	bdeny_close();
	config_free(&c);
	return 0;
}
