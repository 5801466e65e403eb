// SPDX-License-Identifier: GPL-2.0
/* allow|deny add|del|list|flush: the prefix lists. */
#include <stdlib.h>
#include <string.h>

#include "burstctl.h"

static int list_cmd(struct ctx *c, int list, int argc, char *argv[])
{
	const char *sub = argc > 1 ? argv[1] : "list";
	char buf[MNL_SOCKET_BUFFER_SIZE], what[32], a[64];
	struct nlmsghdr *nlh;
	struct prefix p;
	uint8_t cmd;
	int ret;

	snprintf(what, sizeof(what), "%s %s", argv[0], sub);
	if (!strcmp(sub, "list")) {
		struct plist *pl;
		unsigned int i, n;

		if (argc > 2)
			return fail(c, "list takes no arguments");
		pl = calloc(1, sizeof(*pl));
		if (!pl)
			return fail(c, "out of memory");
		if (get_prefixes(c, list, pl)) {
			free(pl);
			return 1;
		}
		n = list == BG_LIST_ALLOW ? pl->nallow : pl->ndeny;
		if (c->json)
			j_arr(NULL);
		for (i = 0; i < n; i++) {
			format_prefix(list == BG_LIST_ALLOW ? &pl->allow[i] :
				      &pl->deny[i], a, sizeof(a));
			if (c->json)
				j_str(NULL, a);
			else
				printf("%s\n", a);
		}
		if (c->json)
			j_done();
		free(pl);
		return 0;
	}
	if (!strcmp(sub, "add") || !strcmp(sub, "del") ||
	    !strcmp(sub, "delete")) {
		if (argc != 3)
			return fail(c, "usage: %s %s PREFIX", argv[0], sub);
		if (parse_prefix(argv[2], &p))
			return fail(c, "invalid prefix '%s': expected an IPv4 or IPv6 address or CIDR prefix",
				    argv[2]);
		cmd = !strcmp(sub, "add") ? BG_CMD_ADD_PREFIX :
					    BG_CMD_DEL_PREFIX;
	} else if (!strcmp(sub, "flush")) {
		if (argc != 2)
			return fail(c, "flush takes no arguments");
		cmd = BG_CMD_FLUSH_PREFIX;
	} else {
		return fail(c, "unknown subcommand '%s': expected add, del, list or flush",
			    sub);
	}
	if (ctx_nl(c))
		return 1;
	nlh = nl_msg(&c->nl, buf, cmd, 0);
	mnl_attr_put_u8(nlh, BG_A_LIST, (uint8_t)list);
	if (cmd != BG_CMD_FLUSH_PREFIX)
		prefix_put(nlh, &p);
	ret = nl_request(&c->nl, nlh, NULL, NULL, NULL);
	if (ret) {
		nl_perror(&c->nl, nlh, what, ret);
		return 1;
	}
	return 0;
}

int cmd_allow(struct ctx *c, int argc, char *argv[])
{
	return list_cmd(c, BG_LIST_ALLOW, argc, argv);
}

int cmd_deny(struct ctx *c, int argc, char *argv[])
{
	return list_cmd(c, BG_LIST_DENY, argc, argv);
}
