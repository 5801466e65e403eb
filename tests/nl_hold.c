// SPDX-License-Identifier: GPL-2.0
/*
 * nl_hold READY GO [abandon]: keep a burstguard source dump in progress
 * (unload_flood.sh).
 *
 * Starts a BG_CMD_GET_SOURCE dump in the current netns, reads its first
 * part only, creates the file READY and waits until the file GO exists.
 * While it waits the dump is in progress: the kernel holds a reference on
 * the module for it, so rmmod must fail cleanly (EBUSY), not free what the
 * dump walks. Then, without "abandon", it reads the dump to its end and
 * prints "done N intr I" (N sources in all, I: whether NLM_F_DUMP_INTR was
 * set); with "abandon" it exits without reading on (the socket's release
 * ends the dump) and prints "abandoned N". Exit status 0, or 1 on any
 * error (an error reply, a malformed message, a timeout).
 */
#include "nl_util.h"

#include <fcntl.h>

int main(int argc, char **argv)
{
	struct nlt *t = nlt_new();
	struct nlmsghdr *nlh;
	struct stat st;
	unsigned long n = 0;
	bool abandon = argc > 3 && !strcmp(argv[3], "abandon");
	int fd, left, err;
	ssize_t r;

	if (argc < 3 || !t) {
		fprintf(stderr, "usage: nl_hold READY GO [abandon]\n");
		return 2;
	}
	err = nlt_open(t);
	if (err) {
		fprintf(stderr, "nl_hold: cannot open the family: %s\n", strerror(-err));
		return 1;
	}
	fd = mnl_socket_get_fd(t->sock);
	nlh = nlt_req(t, BG_CMD_GET_SOURCE, NLM_F_DUMP);
	if (mnl_socket_sendto(t->sock, nlh, nlh->nlmsg_len) < 0)
		return perror("nl_hold: send"), 1;

	/* The first part, then hold. */
	{
		const struct nlmsghdr *m;

		r = recv(fd, t->rx, sizeof(t->rx), 0);
		if (r <= 0)
			return perror("nl_hold: recv"), 1;
		left = (int)r;
		for (m = (void *)t->rx; mnl_nlmsg_ok(m, left); m = mnl_nlmsg_next(m, &left)) {
			if (m->nlmsg_type == NLMSG_DONE || m->nlmsg_type == NLMSG_ERROR) {
				fprintf(stderr, "nl_hold: the dump ended in its first part (%lu sources): "
					"too few sources to hold it\n", n);
				return 1;
			}
			if (m->nlmsg_flags & NLM_F_DUMP_INTR)
				t->intr = true;
			n++;
		}
		if (left)
			return fprintf(stderr, "nl_hold: malformed reply\n"), 1;
	}
	close(open(argv[1], O_WRONLY | O_CREAT, 0644));
	while (stat(argv[2], &st))
		usleep(20000);
	if (abandon) {
		printf("abandoned %lu\n", n);
		return 0;
	}
	/* The rest of the dump, to NLMSG_DONE. */
	for (;;) {
		const struct nlmsghdr *m;

		r = recv(fd, t->rx, sizeof(t->rx), 0);
		if (r <= 0)
			return perror("nl_hold: recv"), 1;
		left = (int)r;
		for (m = (void *)t->rx; mnl_nlmsg_ok(m, left); m = mnl_nlmsg_next(m, &left)) {
			if (m->nlmsg_flags & NLM_F_DUMP_INTR)
				t->intr = true;
			if (m->nlmsg_type == NLMSG_ERROR) {
				err = nlt_ack(t, m, false);
				fprintf(stderr, "nl_hold: error %d in the dump\n", err);
				return 1;
			}
			if (m->nlmsg_type == NLMSG_DONE) {
				err = nlt_ack(t, m, true);
				if (err) {
					fprintf(stderr, "nl_hold: dump ended with %d\n", err);
					return 1;
				}
				printf("done %lu intr %d\n", n, t->intr);
				return 0;
			}
			n++;
		}
		if (left)
			return fprintf(stderr, "nl_hold: malformed reply\n"), 1;
	}
}
