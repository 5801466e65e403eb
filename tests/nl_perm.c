// SPDX-License-Identifier: GPL-2.0
/*
 * Who may speak to the burstguard family: an unprivileged process (uid
 * 65534, no capabilities) is refused every command, dump and the events
 * group; the root of a new user+net namespace manages its own netns and is
 * refused in any other, and owns that netns' /proc/net/burstguard/ files:
 * config and sources are readable by the netns' root only, stats by all.
 */
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wclobbered"
#include "bg_harness.h"
#include "nl_util.h"

#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <sys/syscall.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

#define NOBODY 65534

/* Every request of the protocol, in its simplest valid form. */
static const struct {
	uint8_t cmd;
	bool dump;
} all_cmds[] = {
	{ BG_CMD_GET_CONFIG, false },
	{ BG_CMD_SET_CONFIG, false },
	{ BG_CMD_REPLACE_CONFIG, false },
	{ BG_CMD_ADD_RULE, false },
	{ BG_CMD_DEL_RULE, false },
	{ BG_CMD_GET_RULE, true },
	{ BG_CMD_ADD_PREFIX, false },
	{ BG_CMD_DEL_PREFIX, false },
	{ BG_CMD_GET_PREFIX, true },
	{ BG_CMD_FLUSH_PREFIX, false },
	{ BG_CMD_GET_SOURCE, true },
	{ BG_CMD_FORGET, false },
	{ BG_CMD_FLUSH, false },
	{ BG_CMD_GET_STATS, false },
	{ BG_CMD_IMPORT_BEGIN, false },
	{ BG_CMD_IMPORT_CHUNK, false },
	{ BG_CMD_IMPORT_COMMIT, false },
	{ BG_CMD_IMPORT_ABORT, false },
};

#define N_CMDS (sizeof(all_cmds) / sizeof(all_cmds[0]))
/* Every request but the event (which is sent, not requested) is here. */
_Static_assert(N_CMDS == __BG_CMD_MAX - 2, "a command is missing from all_cmds");

/* Send all_cmds[i] with the attributes it needs; returns the errno. */
static int send_cmd(struct nlt *t, size_t i)
{
	struct nlmsghdr *nlh;

	struct nlattr *nest, *e;

	switch (all_cmds[i].cmd) {
	case BG_CMD_IMPORT_CHUNK:
	case BG_CMD_IMPORT_COMMIT:
	case BG_CMD_IMPORT_ABORT:
		/* These need an open import: this socket's, or -EBUSY. */
		nlh = nlt_req(t, BG_CMD_IMPORT_BEGIN, 0);
		mnl_attr_put_u8(nlh, BG_A_LIST, BG_LIST_DENY);
		nlt_run(t, nlh, NULL, NULL);
		break;
	}
	nlh = nlt_req(t, all_cmds[i].cmd, all_cmds[i].dump ? NLM_F_DUMP : 0);
	switch (all_cmds[i].cmd) {
	case BG_CMD_IMPORT_BEGIN:
		mnl_attr_put_u8(nlh, BG_A_LIST, BG_LIST_DENY);
		break;
	case BG_CMD_IMPORT_CHUNK:
		nest = mnl_attr_nest_start(nlh, BG_A_ENTRIES);
		e = mnl_attr_nest_start(nlh, 1);
		nlt_put_prefix(nlh, "192.0.2.0/24");
		mnl_attr_nest_end(nlh, e);
		mnl_attr_nest_end(nlh, nest);
		break;
	case BG_CMD_SET_CONFIG:
		mnl_attr_put_u32(nlh, BG_A_BURST, 9);
		break;
	case BG_CMD_ADD_RULE:
		mnl_attr_put_u16(nlh, BG_A_PORT_MIN, 22);
		break;
	case BG_CMD_DEL_RULE:
		mnl_attr_put_u16(nlh, BG_A_PORT_MIN, 22);
		break;
	case BG_CMD_ADD_PREFIX:
	case BG_CMD_DEL_PREFIX:
		mnl_attr_put_u8(nlh, BG_A_LIST, BG_LIST_DENY);
		nlt_put_prefix(nlh, "192.0.2.0/24");
		break;
	case BG_CMD_FLUSH_PREFIX:
		mnl_attr_put_u8(nlh, BG_A_LIST, BG_LIST_DENY);
		break;
	case BG_CMD_FORGET:
		nlt_put_prefix(nlh, "192.0.2.0/24");
		break;
	}
	return nlt_run(t, nlh, NULL, NULL);
}

static int join_events(struct nlt *t)
{
	unsigned int grp = t->group;

	if (mnl_socket_setsockopt(t->sock, NETLINK_ADD_MEMBERSHIP, &grp,
				  sizeof(grp)) < 0)
		return -errno;
	return 0;
}

static int become_nobody(void)
{
	if (setgroups(0, NULL) || setgid(NOBODY) || setuid(NOBODY))
		return -1;
	/* A uid change clears it, and /proc/self then belongs to root. */
	return prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
}

static int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY), ok;

	if (fd < 0)
		return -1;
	ok = write(fd, s, strlen(s)) == (ssize_t)strlen(s);
	close(fd);
	return ok ? 0 : -1;
}

/*
 * The kernel refuses new user namespaces to a chrooted process, and the
 * test guest runs its command chrooted into a mount. In a mount namespace
 * of our own, do what switch_root does: move that mount onto the
 * namespace's root and chroot into it, so it becomes the real root.
 */
static int leave_chroot(void)
{
	const char *tmp = "/tmp/nl_perm_escape";
	int root;

	if (unshare(CLONE_NEWNS) ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		return -1;
	root = open("/", O_PATH | O_DIRECTORY);
	if (root < 0)
		return -1;
	mkdir(tmp, 0700);
	/* cwd stays outside the new root, so ".." climbs to the real one */
	if (chdir("/") || chroot(tmp))
		goto err;
	while (chdir("..") == 0) {
		struct stat a, b;

		if (stat(".", &a) || stat("..", &b) ||
		    (a.st_ino == b.st_ino && a.st_dev == b.st_dev))
			break;
	}
	if (chroot(".") || fchdir(root) ||
	    mount(".", "/", NULL, MS_MOVE, NULL) || chroot(".") || chdir("/"))
		goto err;
	close(root);
	return 0;
err:
	close(root);
	return -1;
}

/*
 * unshare -Urn as nobody: a user and a net namespace at once, then the
 * uid map that makes us root there. 0, an errno > 0 when the kernel
 * refuses user namespaces, or -1 when the maps cannot be written.
 */
static int become_userns_root(void)
{
	char map[64];

	if (unshare(CLONE_NEWUSER | CLONE_NEWNET))
		return errno;
	snprintf(map, sizeof(map), "0 %d 1", NOBODY);
	if (write_file("/proc/self/setgroups", "deny") ||
	    write_file("/proc/self/uid_map", map) ||
	    write_file("/proc/self/gid_map", map) || getuid() != 0)
		return -1;
	return 0;
}

/*
 * An unprivileged process is refused each request of the protocol: one
 * variant (one TAP line) per command of all_cmds, and the events group.
 */
FIXTURE(unprivileged) {
	struct nlt *t;
};

FIXTURE_VARIANT(unprivileged) {
	uint8_t cmd;
};

FIXTURE_SETUP(unprivileged)
{
	self->t = nlt_new();
	ASSERT_NE(NULL, self->t);
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, become_nobody()) TH_LOG("%s", strerror(errno));
	/* Looking the family up is allowed; using it is not. */
	ASSERT_EQ(0, nlt_open(self->t));
}

FIXTURE_TEARDOWN(unprivileged)
{
	nlt_free(self->t);
}

FIXTURE_VARIANT_ADD(unprivileged, get_config) { .cmd = BG_CMD_GET_CONFIG };
FIXTURE_VARIANT_ADD(unprivileged, set_config) { .cmd = BG_CMD_SET_CONFIG };
FIXTURE_VARIANT_ADD(unprivileged, replace_config) { .cmd = BG_CMD_REPLACE_CONFIG };
FIXTURE_VARIANT_ADD(unprivileged, add_rule) { .cmd = BG_CMD_ADD_RULE };
FIXTURE_VARIANT_ADD(unprivileged, del_rule) { .cmd = BG_CMD_DEL_RULE };
FIXTURE_VARIANT_ADD(unprivileged, get_rule_dump) { .cmd = BG_CMD_GET_RULE };
FIXTURE_VARIANT_ADD(unprivileged, add_prefix) { .cmd = BG_CMD_ADD_PREFIX };
FIXTURE_VARIANT_ADD(unprivileged, del_prefix) { .cmd = BG_CMD_DEL_PREFIX };
FIXTURE_VARIANT_ADD(unprivileged, get_prefix_dump) { .cmd = BG_CMD_GET_PREFIX };
FIXTURE_VARIANT_ADD(unprivileged, flush_prefix) { .cmd = BG_CMD_FLUSH_PREFIX };
FIXTURE_VARIANT_ADD(unprivileged, get_source_dump) { .cmd = BG_CMD_GET_SOURCE };
FIXTURE_VARIANT_ADD(unprivileged, forget) { .cmd = BG_CMD_FORGET };
FIXTURE_VARIANT_ADD(unprivileged, flush) { .cmd = BG_CMD_FLUSH };
FIXTURE_VARIANT_ADD(unprivileged, get_stats) { .cmd = BG_CMD_GET_STATS };
FIXTURE_VARIANT_ADD(unprivileged, import_begin) { .cmd = BG_CMD_IMPORT_BEGIN };
FIXTURE_VARIANT_ADD(unprivileged, import_chunk) { .cmd = BG_CMD_IMPORT_CHUNK };
FIXTURE_VARIANT_ADD(unprivileged, import_commit) { .cmd = BG_CMD_IMPORT_COMMIT };
FIXTURE_VARIANT_ADD(unprivileged, import_abort) { .cmd = BG_CMD_IMPORT_ABORT };

TEST_F(unprivileged, refused)
{
	size_t i;

	for (i = 0; i < N_CMDS && all_cmds[i].cmd != variant->cmd; i++)
		;
	ASSERT_LT(i, N_CMDS) TH_LOG("command %u is not in all_cmds", variant->cmd);
	EXPECT_EQ(-EPERM, send_cmd(self->t, i))
		TH_LOG("command %u%s", all_cmds[i].cmd, all_cmds[i].dump ? " (dump)" : "");
}

TEST(unprivileged_cannot_join_events)
{
	struct nlt *t = nlt_new();

	ASSERT_NE(NULL, t);
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, become_nobody()) TH_LOG("%s", strerror(errno));
	ASSERT_EQ(0, nlt_open(t));
	ASSERT_NE(0, t->group);
	EXPECT_EQ(-EPERM, join_events(t));
	nlt_free(t);
}

/* Root with @cap as its only effective capability (the others stay permitted). */
static int only_cap(int cap)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return -1;
	d[0].effective = d[1].effective = 0;
	d[cap / 32].effective = 1u << (cap % 32);
	return syscall(SYS_capset, &h, d);
}

/*
 * The events group asks for CAP_NET_ADMIN, as the commands do, and nothing
 * else: on 5.10 the module uses the backport's GENL_UNS_ADMIN_PERM group
 * flag, not drop_monitor's cap_sys_admin bit (kmod/compat.h).
 */
TEST(events_group_needs_cap_net_admin)
{
	struct nlt *net_admin = nlt_new(), *sys_admin = nlt_new();

	ASSERT_NE(NULL, net_admin);
	ASSERT_NE(NULL, sys_admin);
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, nlt_open(net_admin));
	ASSERT_EQ(0, nlt_open(sys_admin));
	ASSERT_EQ(0, only_cap(CAP_NET_ADMIN)) TH_LOG("%s", strerror(errno));
	EXPECT_EQ(0, join_events(net_admin));
	EXPECT_EQ(0, nlt_run(net_admin, nlt_req(net_admin, BG_CMD_GET_STATS, 0),
			     NULL, NULL));
	ASSERT_EQ(0, only_cap(CAP_SYS_ADMIN)) TH_LOG("%s", strerror(errno));
	EXPECT_EQ(-EPERM, join_events(sys_admin));
	nlt_free(net_admin);
	nlt_free(sys_admin);
}

TEST(userns_root_manages_its_own_netns_only)
{
	struct nlt *outer = nlt_new(), *own = nlt_new();
	struct nlt_reply r;
	size_t i;
	int ret;

	ASSERT_NE(NULL, outer);
	ASSERT_NE(NULL, own);
	if (leave_chroot())
		TH_LOG("could not leave the chroot: %s", strerror(errno));
	/* A netns owned by the initial user namespace... */
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, become_nobody());
	ASSERT_EQ(0, nlt_open(outer));
	/* ...and one owned by a user namespace where we become root. */
	ret = become_userns_root();
	if (ret > 0)
		SKIP(return, "no unprivileged user namespaces here: %s",
		     strerror(ret));
	ASSERT_EQ(0, ret);
	ASSERT_EQ(0, nlt_open(own));

	for (i = 0; i < N_CMDS; i++) {
		int err = send_cmd(own, i);

		/* DEL of what ADD made goes fine; nothing is refused. */
		EXPECT_EQ(0, err) TH_LOG("own netns: command %u: %d %s",
					 all_cmds[i].cmd, err, own->errmsg);
		EXPECT_EQ(-EPERM, send_cmd(outer, i))
			TH_LOG("outer netns: command %u", all_cmds[i].cmd);
	}
	memset(&r, 0, sizeof(r));
	ASSERT_EQ(0, nlt_run(own, nlt_req(own, BG_CMD_GET_CONFIG, 0),
			     nlt_reply_cb, &r));
	EXPECT_EQ(9, nlt_u32(&r, BG_A_BURST));
	EXPECT_EQ(0, join_events(own));
	EXPECT_EQ(-EPERM, join_events(outer));
	nlt_free(outer);
	nlt_free(own);
}

/* Read the first line of /proc/net/burstguard/@name; 0 or -errno. */
static int proc_first_line(const char *name, char *line, size_t size)
{
	char path[128];
	FILE *f;
	int ret = 0;

	snprintf(path, sizeof(path), "/proc/net/burstguard/%s", name);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	errno = 0;
	if (!fgets(line, size, f))
		ret = errno ? -errno : -ENODATA;
	fclose(f);
	return ret;
}

/* Each file of /proc/net/burstguard/ and the first words it begins with. */
static const struct {
	const char *name;
	const char *head;
} proc_files[] = {
	{ "stats", "attempts " },
	{ "config", "rate " },
	{ "sources", "prefix " },
};

#define N_PROC_FILES (sizeof(proc_files) / sizeof(proc_files[0]))

/* Every file reads, from its expected first line; none is refused. */
static void expect_all_readable(struct __test_metadata *_metadata)
{
	char line[256];
	size_t i;

	for (i = 0; i < N_PROC_FILES; i++) {
		EXPECT_EQ(0, proc_first_line(proc_files[i].name, line,
					     sizeof(line)))
			TH_LOG("%s", proc_files[i].name);
		EXPECT_EQ(0, strncmp(line, proc_files[i].head,
				     strlen(proc_files[i].head)))
			TH_LOG("%s begins '%s'", proc_files[i].name, line);
	}
}

TEST(proc_files_belong_to_the_netns_root)
{
	char line[256], path[128];
	struct stat st;
	size_t i;
	int ret;

	if (leave_chroot())
		TH_LOG("could not leave the chroot: %s", strerror(errno));
	/* Nobody in a netns of the initial user namespace: stats only. */
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, become_nobody());
	EXPECT_EQ(0, proc_first_line("stats", line, sizeof(line)));
	EXPECT_EQ(0, strncmp(line, "attempts ", 9)) TH_LOG("stats: %s", line);
	EXPECT_EQ(-EACCES, proc_first_line("config", line, sizeof(line)));
	EXPECT_EQ(-EACCES, proc_first_line("sources", line, sizeof(line)));

	/*
	 * unshare -Urn: user and net namespace at once, the uid map only
	 * after. The container's root reads its own files all the same.
	 */
	ret = become_userns_root();
	if (ret > 0)
		SKIP(return, "no unprivileged user namespaces here: %s",
		     strerror(ret));
	ASSERT_EQ(0, ret);
	expect_all_readable(_metadata);

	/* A netns made once the map exists: its files are that root's. */
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	for (i = 0; i < N_PROC_FILES; i++) {
		snprintf(path, sizeof(path), "/proc/net/burstguard/%s",
			 proc_files[i].name);
		ASSERT_EQ(0, stat(path, &st)) TH_LOG("%s", path);
		/* Seen from inside: its own root, not the overflow uid. */
		EXPECT_EQ(0, st.st_uid) TH_LOG("%s: uid %u", path, st.st_uid);
		EXPECT_EQ(0, st.st_gid) TH_LOG("%s: gid %u", path, st.st_gid);
	}
	expect_all_readable(_metadata);
}

#define CEILING "/sys/module/burstguard/parameters/netns_max_sources"

/* VmallocUsed + Slab of /proc/meminfo, in KiB. */
static long kernel_kib(void)
{
	char line[128];
	long v, sum = 0;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmallocUsed: %ld", &v) == 1 ||
		    sscanf(line, "Slab: %ld", &v) == 1)
			sum += v;
	fclose(f);
	return sum;
}

static int set_max_sources(struct nlt *t, uint32_t n)
{
	struct nlmsghdr *nlh = nlt_req(t, BG_CMD_SET_CONFIG, 0);

	mnl_attr_put_u32(nlh, BG_A_MAX_SOURCES, n);
	return nlt_run(t, nlh, NULL, NULL);
}

static uint32_t get_max_sources(struct nlt *t)
{
	struct nlt_reply r;

	memset(&r, 0, sizeof(r));
	if (nlt_run(t, nlt_req(t, BG_CMD_GET_CONFIG, 0), nlt_reply_cb, &r))
		return 0;
	return nlt_u32(&r, BG_A_MAX_SOURCES);
}

/*
 * A container's root asks for 16M sources: refused with -ERANGE and a
 * message naming the host's ceiling, its setting unchanged. One bit per
 * check that failed; 0 when all held.
 */
static int container_asks_for_16m(void)
{
	struct nlt *t = nlt_new();
	int bad = 0, err;

	if (!t || become_nobody() || become_userns_root() || nlt_open(t))
		return 1;
	err = set_max_sources(t, 1 << 24);
	if (err != -ERANGE)
		bad |= 2;
	if (!strstr(t->errmsg, "netns_max_sources"))
		bad |= 4;
	if (get_max_sources(t) != 65536)
		bad |= 8;
	/* Up to the ceiling is the container's own business. */
	if (set_max_sources(t, 65536) || set_max_sources(t, 1000) ||
	    get_max_sources(t) != 1000)
		bad |= 16;
	nlt_free(t);
	return bad;
}

/*
 * Eight user namespaces of nobody each ask for 16M sources (32 MiB of
 * table at once without a ceiling): kernel memory (VmallocUsed + Slab)
 * grows by less than 64 MiB in all, while the namespaces live. The
 * initial netns is not bound by the ceiling, which the host's root sets
 * at run time.
 */
TEST(ceiling_for_namespaces_other_than_the_initial_one)
{
	struct nlt *init = nlt_new();
	pid_t kids[8];
	long before, after;
	int p[2], i;
	char bad;

	ASSERT_NE(NULL, init);
	ASSERT_EQ(0, write_file(CEILING, "65536"));
	ASSERT_EQ(0, leave_chroot());
	ASSERT_EQ(0, pipe(p));
	before = kernel_kib();
	ASSERT_LT(0, before);
	for (i = 0; i < 8; i++) {
		kids[i] = fork();
		ASSERT_LE(0, kids[i]);
		if (!kids[i]) {
			bad = (char)container_asks_for_16m();
			if (write(p[1], &bad, 1) != 1)
				_exit(1);
			pause();
			_exit(0);
		}
	}
	for (i = 0; i < 8; i++) {
		ASSERT_EQ(1, read(p[0], &bad, 1));
		EXPECT_EQ(0, bad) TH_LOG("a container's checks failed: %#x",
					 (unsigned int)bad);
	}
	after = kernel_kib();
	TH_LOG("kernel memory: +%ld KiB for 8 namespaces", after - before);
	EXPECT_GT(64 * 1024, after - before);
	for (i = 0; i < 8; i++) {
		kill(kids[i], SIGKILL);
		waitpid(kids[i], NULL, 0);
	}

	/* The initial netns is not bound; the host moves the ceiling. */
	ASSERT_EQ(0, nlt_open(init));
	EXPECT_EQ(0, set_max_sources(init, 1 << 17));
	EXPECT_EQ(1U << 17, get_max_sources(init));
	EXPECT_EQ(0, set_max_sources(init, 65536));
	EXPECT_NE(0, write_file(CEILING, "0"));
	EXPECT_NE(0, write_file(CEILING, "16777217"));
	EXPECT_EQ(0, write_file(CEILING, "16777216"));
	nlt_free(init);
}

TEST_HARNESS_MAIN
