// SPDX-License-Identifier: GPL-2.0
/*
 * Who may speak to the burstguard family: an unprivileged process (uid
 * 65534, no capabilities) is refused every command, dump and the events
 * group; the root of a new user+net namespace manages its own netns and is
 * refused in any other.
 */
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wclobbered"
#include "bg_harness.h"
#include "nl_util.h"

#include <fcntl.h>
#include <grp.h>
#include <sys/mount.h>
#include <sys/prctl.h>

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
};

#define N_CMDS (sizeof(all_cmds) / sizeof(all_cmds[0]))

/* Send all_cmds[i] with the attributes it needs; returns the errno. */
static int send_cmd(struct nlt *t, size_t i)
{
	struct nlmsghdr *nlh;

	nlh = nlt_req(t, all_cmds[i].cmd, all_cmds[i].dump ? NLM_F_DUMP : 0);
	switch (all_cmds[i].cmd) {
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

TEST(unprivileged_refused_everywhere)
{
	struct nlt *t = nlt_new();
	size_t i;

	ASSERT_NE(NULL, t);
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, become_nobody()) TH_LOG("%s", strerror(errno));
	/* Looking the family up is allowed; using it is not. */
	ASSERT_EQ(0, nlt_open(t));
	for (i = 0; i < N_CMDS; i++)
		EXPECT_EQ(-EPERM, send_cmd(t, i))
			TH_LOG("command %u%s", all_cmds[i].cmd,
			       all_cmds[i].dump ? " (dump)" : "");
	ASSERT_NE(0, t->group);
	EXPECT_EQ(-EPERM, join_events(t));
	nlt_free(t);
}

TEST(userns_root_manages_its_own_netns_only)
{
	struct nlt *outer = nlt_new(), *own = nlt_new();
	struct nlt_reply r;
	size_t i;
	char map[64];

	ASSERT_NE(NULL, outer);
	ASSERT_NE(NULL, own);
	if (leave_chroot())
		TH_LOG("could not leave the chroot: %s", strerror(errno));
	/* A netns owned by the initial user namespace... */
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, become_nobody());
	ASSERT_EQ(0, nlt_open(outer));
	/* ...and one owned by a user namespace where we become root. */
	if (unshare(CLONE_NEWUSER | CLONE_NEWNET))
		SKIP(return, "no unprivileged user namespaces here: %s",
		     strerror(errno));
	ASSERT_EQ(0, write_file("/proc/self/setgroups", "deny"));
	snprintf(map, sizeof(map), "0 %d 1", NOBODY);
	ASSERT_EQ(0, write_file("/proc/self/uid_map", map));
	ASSERT_EQ(0, write_file("/proc/self/gid_map", map));
	ASSERT_EQ(0, getuid());
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

TEST_HARNESS_MAIN
