// SPDX-License-Identifier: GPL-2.0
/*
 * top: the namespace's counters, rules and busiest sources, refreshed.
 *
 * Every refresh reads the counters, the rules and the whole source table
 * over netlink (nothing new in the module) and shows the difference from
 * the previous read as rates: per counter, per rule and per source. A
 * source is matched with its previous reading by (rule, prefix); one that
 * was not there, or whose counters went back (it expired and came again),
 * counts its attempts since it is tracked.
 *
 * On a terminal it is a full-screen ncurses view with keys; with -b, or
 * when standard output is not a terminal, it prints plain snapshots; -j
 * prints one JSON document per refresh.
 */
#include <curses.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "burstctl.h"

enum sort_key { BY_RATE, BY_REFUSED, BY_TOTAL, BY_TOKENS, BY_STATE,
		BY_PREFIX, __BY_MAX };

static const struct {
	const char *name;	/* -o word */
	int key;		/* key in the view */
	const char *title;
} sorts[__BY_MAX] = {
	[BY_RATE] = { "rate", 'a', "attempts/s" },
	[BY_REFUSED] = { "refused", 'r', "refusals/s" },
	[BY_TOTAL] = { "attempts", 'A', "attempts" },
	[BY_TOKENS] = { "tokens", 't', "fewest tokens" },
	[BY_STATE] = { "state", 's', "state" },
	[BY_PREFIX] = { "prefix", 'n', "prefix" },
};

struct snap {
	uint64_t stats[__BG_STAT_MAX];
	struct rules rules;
	struct config conf;
	struct sources ss;	/* sorted by key, for matching */
	uint64_t t_ns;		/* CLOCK_MONOTONIC of the read */
	bool intr;
};

struct row {
	const struct source *s;
	uint32_t d_att, d_ref;	/* over the interval */
};

/* Per rule, index 0 the default limit, i + 1 rules.r[i]. */
struct rule_sum {
	uint32_t sources, throttled, banned;
	uint64_t d_att, d_ref;
};

struct view {
	enum sort_key sort;
	bool have_prefix;
	struct prefix prefix;	/* show sources overlapping it */
	char rule[64];		/* show sources of this rule ("" all) */
	bool paused;
	unsigned int max_rows;	/* 0: what fits (all in batch mode) */
};

struct top {
	struct ctx *c;
	struct snap *prev, *cur;
	struct row *rows;
	size_t nrows, cap;
	struct rule_sum sums[BG_MAX_RULES * 2 + 1];
	struct view v;
	bool curses, json;
	uint64_t dt_ns;		/* 0: the first read, no rates yet */
};

static volatile sig_atomic_t top_stop;
static bool curses_on;

static void on_signal(int sig)
{
	(void)sig;
	top_stop = 1;
}

static void curses_off(void)
{
	if (curses_on) {
		endwin();
		curses_on = false;
	}
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static int key_cmp(const struct source *x, const struct source *y)
{
	size_t len = x->p.family == AF_INET ? 4 : 16;

	if (x->rule != y->rule)
		return x->rule < y->rule ? -1 : 1;
	if (x->p.family != y->p.family)
		return x->p.family < y->p.family ? -1 : 1;
	if (x->p.len != y->p.len)
		return x->p.len < y->p.len ? -1 : 1;
	return memcmp(&x->p.addr, &y->p.addr, len);
}

static int by_key(const void *a, const void *b)
{
	return key_cmp(a, b);
}

static int read_snap(struct top *t, struct snap *s)
{
	if (get_stats(t->c, s->stats) || get_config(t->c, &s->conf) ||
	    get_rules(t->c, &s->rules) || get_sources(t->c, &s->ss, &s->intr))
		return -1;
	s->t_ns = now_ns();
	qsort(s->ss.v, s->ss.n, sizeof(*s->ss.v), by_key);
	return 0;
}

static uint32_t delta32(uint32_t now, const uint32_t *before)
{
	return before && now >= *before ? now - *before : now;
}

/* Index of @id in the sums: 0 default, i + 1 rule i; -1 unknown. */
static int rule_index(const struct rules *rules, uint16_t id)
{
	unsigned int i;

	if (!id)
		return 0;
	for (i = 0; i < rules->n; i++)
		if (rules->r[i].id == id)
			return (int)i + 1;
	return -1;
}

static bool prefix_overlaps(const struct prefix *a, const struct prefix *b)
{
	struct prefix x = *a, y = *b;
	size_t len = a->family == AF_INET ? 4 : 16;

	if (a->family != b->family)
		return false;
	x.len = y.len = a->len < b->len ? a->len : b->len;
	prefix_mask(&x);
	prefix_mask(&y);
	return !memcmp(&x.addr, &y.addr, len);
}

static bool row_shown(const struct top *t, const struct source *s)
{
	char rb[16];

	if (t->v.have_prefix && !prefix_overlaps(&s->p, &t->v.prefix))
		return false;
	if (t->v.rule[0]) {
		const char *w = rule_word(&t->cur->rules, s->rule, rb,
					  sizeof(rb));
		char id[8];

		snprintf(id, sizeof(id), "%u", s->rule);
		if (strcmp(t->v.rule, w) && strcmp(t->v.rule, id))
			return false;
	}
	return true;
}

static unsigned int state_rank(uint8_t st)
{
	return st == BG_STATE_BANNED ? 2 : st == BG_STATE_THROTTLED ? 1 : 0;
}

static enum sort_key sort_by;

static int row_cmp(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	uint64_t u = 0, w = 0;

	switch (sort_by) {
	case BY_RATE:
		u = x->d_att, w = y->d_att;
		break;
	case BY_REFUSED:
		u = x->d_ref, w = y->d_ref;
		break;
	case BY_TOTAL:
		u = x->s->attempts, w = y->s->attempts;
		break;
	case BY_TOKENS:	/* fewest first */
		u = y->s->tokens, w = x->s->tokens;
		break;
	case BY_STATE:
		u = state_rank(x->s->state), w = state_rank(y->s->state);
		break;
	case BY_PREFIX:
	case __BY_MAX:
		return key_cmp(x->s, y->s);
	}
	if (u != w)
		return u < w ? 1 : -1;
	if (x->d_att != y->d_att)
		return x->d_att < y->d_att ? 1 : -1;
	if (x->s->attempts != y->s->attempts)
		return x->s->attempts < y->s->attempts ? 1 : -1;
	return key_cmp(x->s, y->s);
}

/* Rows of the current read, rates against the previous one; sorted. */
static int build_rows(struct top *t)
{
	const struct sources *cs = &t->cur->ss, *ps = &t->prev->ss;
	size_t i;

	memset(t->sums, 0, sizeof(t->sums));
	if (cs->n > t->cap) {
		struct row *r = realloc(t->rows, cs->n * sizeof(*r));

		if (!r)
			return -1;
		t->rows = r;
		t->cap = cs->n;
	}
	t->nrows = 0;
	for (i = 0; i < cs->n; i++) {
		const struct source *s = &cs->v[i], *p = NULL;
		struct row *r;
		int ri;

		if (t->dt_ns)
			p = bsearch(s, ps->v, ps->n, sizeof(*s), by_key);
		ri = rule_index(&t->cur->rules, s->rule);
		if (ri >= 0) {
			struct rule_sum *sum = &t->sums[ri];

			sum->sources++;
			sum->throttled += s->state == BG_STATE_THROTTLED;
			sum->banned += s->state == BG_STATE_BANNED;
		}
		if (!row_shown(t, s))
			continue;
		r = &t->rows[t->nrows++];
		r->s = s;
		r->d_att = t->dt_ns ? delta32(s->attempts,
					      p ? &p->attempts : NULL) : 0;
		r->d_ref = t->dt_ns ? delta32(s->drops,
					      p ? &p->drops : NULL) : 0;
		if (ri >= 0) {
			t->sums[ri].d_att += r->d_att;
			t->sums[ri].d_ref += r->d_ref;
		}
	}
	sort_by = t->v.sort;
	qsort(t->rows, t->nrows, sizeof(*t->rows), row_cmp);
	return 0;
}

/* "123/s" from a count over the interval; "-" before the first one. */
static char *rate_str(const struct top *t, uint64_t d, char *buf, size_t size)
{
	double r;

	if (!t->dt_ns) {
		snprintf(buf, size, "-");
		return buf;
	}
	r = (double)d * 1e9 / (double)t->dt_ns;
	snprintf(buf, size, r < 10 && d ? "%.1f" : "%.0f", r);
	return buf;
}

static uint64_t stat_delta(const struct top *t, unsigned int s)
{
	uint64_t now = t->cur->stats[s], then = t->prev->stats[s];

	return t->dt_ns && now >= then ? now - then : 0;
}

/* Output of one frame: curses lines, or stdout in batch mode. */
struct out {
	struct top *t;
	int line, lines, cols;
};

__attribute__((format(printf, 3, 4)))
static void emit(struct out *o, int attr, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (!o->t->curses) {
		puts(buf);
		return;
	}
	if (o->line >= o->lines)
		return;
	if (attr)
		attron(attr);
	mvaddnstr(o->line, 0, buf, o->cols);
	if (attr)
		attroff(attr);
	o->line++;
}

static void show_header(struct out *o)
{
	struct top *t = o->t;
	const uint64_t *st = t->cur->stats;
	char line[512], r[32], when[32];
	size_t len = 0;
	unsigned int s;
	time_t now = time(NULL);
	struct tm tm;
	uint64_t fill = st[BG_STAT_MAX_SOURCES] ?
		st[BG_STAT_SOURCES] * 100 / st[BG_STAT_MAX_SOURCES] : 0;

	gmtime_r(&now, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	emit(o, A_BOLD, "burstguard top %s  interval %.1fs  sources %llu/%llu (%llu%%)%s%s%s",
	     when, (double)t->dt_ns / 1e9,
	     (unsigned long long)st[BG_STAT_SOURCES],
	     (unsigned long long)st[BG_STAT_MAX_SOURCES],
	     (unsigned long long)fill,
	     stat_delta(t, BG_STAT_TABLE_FULL) ? "  TABLE FULL" : "",
	     stat_delta(t, BG_STAT_ALLOC_FAILED) ? "  ALLOC FAILED" : "",
	     t->v.paused ? "  [paused]" : "");
	/* Every counter the module reports, as rates, wrapped. */
	for (s = 0; s < __BG_STAT_MAX; s++) {
		const char *name = stat_name(s);
		char item[64];
		int n;

		if (!name || stat_is_gauge(s))
			continue;
		n = snprintf(item, sizeof(item), "%s %s/s", name,
			     rate_str(t, stat_delta(t, s), r, sizeof(r)));
		if (len && (int)(len + 2 + (size_t)n) > o->cols) {
			emit(o, 0, "%s", line);
			len = 0;
		}
		len += (size_t)snprintf(line + len, sizeof(line) - len, "%s%s",
					len ? "  " : "", item);
	}
	if (len)
		emit(o, 0, "%s", line);
}

static void show_rules(struct out *o)
{
	struct top *t = o->t;
	const struct rules *rules = &t->cur->rules;
	char rate[32], ports[16], ra[16], rr[16];
	unsigned int i;

	/* Special states: mode monitor, throttled (THR) or banned sources. */
	emit(o, A_REVERSE, "%-4s %-11s %-10s %6s %-7s %7s %5s %5s %7s %7s",
	     "RULE", "PORT", "RATE", "BURST", "MODE", "SOURCES", "THR",
	     "BAN", "ATT/S", "REF/S");
	for (i = 0; i <= rules->n; i++) {
		const struct settings *s = i ? &rules->r[i - 1].s :
			&t->cur->conf.s;
		const struct rule_sum *sum = &t->sums[i];
		char id[8];

		snprintf(id, sizeof(id), "%u", i ? rules->r[i - 1].id : 0);
		emit(o, sum->banned || sum->throttled ||
		     s->mode == BG_MODE_MONITOR ? A_BOLD : 0,
		     "%-4s %-11s %-10s %6u %-7s %7u %5u %5u %7s %7s", id,
		     i ? format_ports(s->port_min, s->port_max, ports,
				      sizeof(ports)) : "default",
		     format_rate(s->rate, s->period, rate, sizeof(rate)),
		     s->burst, mode_name(s->mode), sum->sources,
		     sum->throttled, sum->banned,
		     rate_str(t, sum->d_att, ra, sizeof(ra)),
		     rate_str(t, sum->d_ref, rr, sizeof(rr)));
	}
}

static void show_sources(struct out *o)
{
	struct top *t = o->t;
	char a[64], rb[16], ra[16], rr[16], ban[32], filt[96] = "";
	int w = o->cols - 62;
	size_t i, n = t->nrows;

	if (w < 18)
		w = 18;
	if (w > 43 || !t->curses)
		w = 43;
	if (t->v.have_prefix || t->v.rule[0])
		snprintf(filt, sizeof(filt), "  filter:%s%s%s%s",
			 t->v.have_prefix ? " " : "",
			 t->v.have_prefix ? format_prefix(&t->v.prefix, a,
							  sizeof(a)) : "",
			 t->v.rule[0] ? " rule " : "", t->v.rule);
	emit(o, 0, "%zu of %zu sources, by %s%s%s", t->nrows, t->cur->ss.n,
	     sorts[t->v.sort].title, filt,
	     t->cur->intr ? "  (table changing: may miss or repeat)" : "");
	emit(o, A_REVERSE, "%-*s %-9s %-9s %7s %7s %6s %9s %7s", w, "SOURCE",
	     "PORT", "STATE", "ATT/S", "REF/S", "TOKENS", "ATTEMPTS", "BAN");
	if (t->v.max_rows && n > t->v.max_rows)
		n = t->v.max_rows;
	for (i = 0; i < n; i++) {
		const struct source *s = t->rows[i].s;

		emit(o, s->state == BG_STATE_BANNED ? A_BOLD : 0,
		     "%-*.*s %-9s %-9s %7s %7s %6u %9u %7s", w, w,
		     format_prefix(&s->p, a, sizeof(a)),
		     rule_word(&t->cur->rules, s->rule, rb, sizeof(rb)),
		     state_name(s->state),
		     rate_str(t, t->rows[i].d_att, ra, sizeof(ra)),
		     rate_str(t, t->rows[i].d_ref, rr, sizeof(rr)),
		     s->tokens, s->attempts,
		     s->ban_left_ns ? format_ns(s->ban_left_ns, ban,
						sizeof(ban)) : "-");
	}
}

static void show_text(struct top *t)
{
	struct out o = { .t = t, .cols = 512 };

	if (t->curses) {
		erase();
		o.lines = LINES - 1;
		o.cols = COLS;
	}
	show_header(&o);
	emit(&o, 0, "%s", "");
	show_rules(&o);
	emit(&o, 0, "%s", "");
	show_sources(&o);
	if (t->curses) {
		mvaddnstr(LINES - 1, 0,
			  "q quit  a/r/A/t/s/n sort  / prefix  u rule  c clear  space pause",
			  COLS);
		refresh();
	} else {
		putchar('\n');
	}
}

static double rate_of(const struct top *t, uint64_t d)
{
	return t->dt_ns ? floor((double)d * 1e9 / (double)t->dt_ns + 0.5) : 0;
}

/* A count over the interval: its delta and its rate, JSON fields. */
static void json_rate(const struct top *t, const char *delta,
		      const char *per_s, uint64_t d)
{
	if (delta)
		print_u64(PRINT_JSON, delta, NULL, d);
	print_u64(PRINT_JSON, per_s, NULL, (uint64_t)rate_of(t, d));
}

/* One document per refresh; top's text is the curses view (show_text). */
static void show_json(struct top *t)
{
	char a[64], rb[16], buf[32];
	unsigned int s, i;
	size_t k;

	print_open_object(NULL);
	print_u64(PRINT_JSON, "time", NULL, (uint64_t)time(NULL));
	print_u64(PRINT_JSON, "interval_ms", NULL, t->dt_ns / 1000000);
	print_open_object("stats");
	for (s = 0; s < __BG_STAT_MAX; s++) {
		const char *name = stat_name(s);

		if (!name)
			continue;
		print_open_object(name);
		print_u64(PRINT_JSON, "value", NULL, t->cur->stats[s]);
		if (!stat_is_gauge(s))
			json_rate(t, "delta", "per_s", stat_delta(t, s));
		print_close_object();
	}
	print_close_object();
	print_open_array("rules");
	for (i = 0; i <= t->cur->rules.n; i++) {
		const struct settings *st = i ? &t->cur->rules.r[i - 1].s :
			&t->cur->conf.s;
		const struct rule_sum *sum = &t->sums[i];

		print_open_object(NULL);
		print_uint(PRINT_JSON, "id", NULL,
			   i ? t->cur->rules.r[i - 1].id : 0);
		print_string(PRINT_JSON, "port", NULL,
			     i ? format_ports(st->port_min, st->port_max, buf,
					      sizeof(buf)) : "default");
		print_string(PRINT_JSON, "rate", NULL,
			     format_rate(st->rate, st->period, buf,
					 sizeof(buf)));
		print_uint(PRINT_JSON, "burst", NULL, st->burst);
		print_string(PRINT_JSON, "mode", NULL, mode_name(st->mode));
		print_uint(PRINT_JSON, "sources", NULL, sum->sources);
		print_uint(PRINT_JSON, "throttled", NULL, sum->throttled);
		print_uint(PRINT_JSON, "banned", NULL, sum->banned);
		print_u64(PRINT_JSON, "attempts_delta", NULL, sum->d_att);
		print_u64(PRINT_JSON, "refused_delta", NULL, sum->d_ref);
		json_rate(t, NULL, "attempts_per_s", sum->d_att);
		json_rate(t, NULL, "refused_per_s", sum->d_ref);
		print_close_object();
	}
	print_close_array();
	print_bool(PRINT_JSON, "interrupted", NULL, t->cur->intr);
	print_u64(PRINT_JSON, "total", NULL, t->cur->ss.n);
	print_open_array("sources");
	for (k = 0; k < t->nrows; k++) {
		const struct row *r = &t->rows[k];

		if (t->v.max_rows && k >= t->v.max_rows)
			break;
		print_open_object(NULL);
		print_string(PRINT_JSON, "source", NULL,
			     format_prefix(&r->s->p, a, sizeof(a)));
		print_uint(PRINT_JSON, "rule", NULL, r->s->rule);
		print_string(PRINT_JSON, "port", NULL,
			     rule_word(&t->cur->rules, r->s->rule, rb,
				       sizeof(rb)));
		print_string(PRINT_JSON, "state", NULL,
			     state_name(r->s->state));
		print_uint(PRINT_JSON, "tokens", NULL, r->s->tokens);
		print_uint(PRINT_JSON, "attempts", NULL, r->s->attempts);
		print_uint(PRINT_JSON, "drops", NULL, r->s->drops);
		print_u64(PRINT_JSON, "attempts_delta", NULL, r->d_att);
		print_u64(PRINT_JSON, "refused_delta", NULL, r->d_ref);
		json_rate(t, NULL, "attempts_per_s", r->d_att);
		json_rate(t, NULL, "refused_per_s", r->d_ref);
		print_u64(PRINT_JSON, "ban_left_ms", NULL,
			  r->s->ban_left_ns / 1000000);
		print_close_object();
	}
	print_end();
}

/* Reads a line at the bottom of the screen; "" when cancelled. */
static void prompt(const char *what, char *buf, int size)
{
	move(LINES - 1, 0);
	clrtoeol();
	addstr(what);
	echo();
	curs_set(1);
	timeout(-1);
	if (getnstr(buf, size - 1) == ERR)
		buf[0] = '\0';
	noecho();
	curs_set(0);
}

static void flash_msg(const char *msg)
{
	move(LINES - 1, 0);
	clrtoeol();
	attron(A_BOLD);
	addnstr(msg, COLS);
	attroff(A_BOLD);
	refresh();
	timeout(1500);
	getch();
}

/* One key of the interactive view; true when the view changed. */
static bool handle_key(struct top *t, int ch)
{
	char buf[64];
	int i;

	for (i = 0; i < __BY_MAX; i++)
		if (ch == sorts[i].key) {
			t->v.sort = (enum sort_key)i;
			return true;
		}
	switch (ch) {
	case 'q':
	case 'Q':
		top_stop = 1;
		return false;
	case ' ':
	case 'p':
		t->v.paused = !t->v.paused;
		return true;
	case 'c':
		t->v.have_prefix = false;
		t->v.rule[0] = '\0';
		return true;
	case '/':
		prompt("sources in prefix (empty: all): ", buf, sizeof(buf));
		if (!buf[0])
			t->v.have_prefix = false;
		else if (!parse_prefix(buf, &t->v.prefix))
			t->v.have_prefix = true;
		else
			flash_msg("not a prefix");
		return true;
	case 'u':
		prompt("rule id or port, default (empty: all): ", buf,
		       sizeof(buf));
		snprintf(t->v.rule, sizeof(t->v.rule), "%s", buf);
		return true;
	case KEY_RESIZE:
		return true;
	}
	return false;
}

/*
 * Wait until @deadline (CLOCK_MONOTONIC ns) handling keys; redraws the
 * current frame when a key changes the view.
 */
static int wait_keys(struct top *t, uint64_t deadline)
{
	for (;;) {
		uint64_t now = now_ns();
		int ch;

		if (top_stop)
			return 0;
		if (!t->curses) {
			struct timespec ts;

			if (now >= deadline)
				return 0;
			ts.tv_sec = (time_t)((deadline - now) / 1000000000ULL);
			ts.tv_nsec = (long)((deadline - now) % 1000000000ULL);
			nanosleep(&ts, NULL);
			continue;
		}
		if (now >= deadline && !t->v.paused)
			return 0;
		timeout(now >= deadline ? 200 :
			(int)((deadline - now) / 1000000ULL) + 1);
		ch = getch();
		if (ch == ERR)
			continue;
		if (handle_key(t, ch)) {
			if (build_rows(t))
				return -1;
			show_text(t);
		}
	}
}

static int parse_sort(const char *w)
{
	int i;

	for (i = 0; i < __BY_MAX; i++)
		if (!strcmp(w, sorts[i].name))
			return i;
	return -1;
}

static const char top_usage[] =
	"usage: top [-b] [-j] [-d SECONDS] [-n COUNT] [-m ROWS] [-o rate|refused|attempts|tokens|state|prefix] [-f PREFIX] [-r RULE]";

int cmd_top(struct ctx *c, int argc, char *argv[])
{
	struct top t = { .c = c, .json = print_is_json() };
	struct snap *a = NULL, *b = NULL, *tmp;
	double delay = 1.0;
	uint32_t count = 0, rows = 0, done = 0;
	bool batch = false;
	struct sigaction sa;
	int opt, ret = 1;
	char *end;

	optind = 1;
	while ((opt = getopt(argc, argv, "+bjd:n:m:o:f:r:")) != -1) {
		switch (opt) {
		case 'b':
			batch = true;
			break;
		case 'j':
			t.json = true;
			print_init(true);
			break;
		case 'd':
			errno = 0;
			delay = strtod(optarg, &end);
			if (errno || end == optarg || *end || !(delay >= 0.1) ||
			    delay > 3600)
				return fail(c, "invalid delay '%s': expected seconds, 0.1 to 3600",
					    optarg);
			break;
		case 'n':
			if (parse_u32(optarg, 1, UINT32_MAX, &count))
				return fail(c, "invalid count '%s': expected a positive number",
					    optarg);
			break;
		case 'm':
			if (parse_u32(optarg, 1, UINT32_MAX, &rows))
				return fail(c, "invalid rows '%s': expected a positive number",
					    optarg);
			break;
		case 'o':
			if (parse_sort(optarg) < 0)
				return fail(c, "invalid sort '%s': expected rate, refused, attempts, tokens, state or prefix",
					    optarg);
			t.v.sort = (enum sort_key)parse_sort(optarg);
			break;
		case 'f':
			if (parse_prefix(optarg, &t.v.prefix))
				return fail(c, "invalid prefix '%s': expected an IPv4 or IPv6 address or CIDR prefix",
					    optarg);
			t.v.have_prefix = true;
			break;
		case 'r':
			snprintf(t.v.rule, sizeof(t.v.rule), "%s", optarg);
			break;
		default:
			return fail(c, "%s", top_usage);
		}
	}
	if (optind != argc)
		return fail(c, "%s", top_usage);
	t.v.max_rows = rows;
	t.curses = !batch && !t.json && isatty(STDOUT_FILENO) &&
		isatty(STDIN_FILENO);

	a = calloc(1, sizeof(*a));
	b = calloc(1, sizeof(*b));
	if (!a || !b) {
		fail(c, "out of memory");
		goto out;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGQUIT, &sa, NULL);

	t.prev = b;
	t.cur = a;
	if (read_snap(&t, a))
		goto out;
	if (t.curses) {
		if (!initscr()) {
			fail(c, "cannot set up the terminal");
			goto out;
		}
		curses_on = true;
		atexit(curses_off);
		cbreak();
		noecho();
		keypad(stdscr, TRUE);
		curs_set(0);
		/* The first frame, before any rate can be known. */
		if (build_rows(&t))
			goto oom;
		show_text(&t);
	}
	while (!top_stop) {
		uint64_t deadline = t.cur->t_ns + (uint64_t)(delay * 1e9);

		if (wait_keys(&t, deadline))
			goto oom;
		if (top_stop)
			break;
		tmp = t.prev;
		t.prev = t.cur;
		t.cur = tmp;
		if (read_snap(&t, t.cur)) {
			/* What it printed went to the full screen. */
			if (t.curses) {
				curses_off();
				fail(c, "reading the module's state failed (was it unloaded?)");
			}
			goto out;
		}
		t.dt_ns = t.cur->t_ns - t.prev->t_ns;
		if (build_rows(&t))
			goto oom;
		if (t.json)
			show_json(&t);
		else
			show_text(&t);
		if (!t.curses && fflush(stdout) == EOF) {
			ret = 0;	/* the reader went away: done */
			goto out;
		}
		if (count && ++done >= count)
			break;
	}
	ret = 0;
	goto out;
oom:
	curses_off();
	fail(c, "out of memory");
out:
	curses_off();
	if (a)
		free(a->ss.v);
	if (b)
		free(b->ss.v);
	free(a);
	free(b);
	free(t.rows);
	return ret;
}
