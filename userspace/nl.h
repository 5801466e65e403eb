/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libmnl helpers: one generic netlink socket bound to the burstguard family
 * of the current network namespace, requests with ACKs and extended ACK
 * messages, dumps with interruption detection, and the events group.
 */
#ifndef BURSTCTL_NL_H
#define BURSTCTL_NL_H

#include <stdbool.h>
#include <stdint.h>
#include <libmnl/libmnl.h>

#define NL_BUFSIZE	(64 * 1024)
/* A REPLACE_CONFIG request with full rules and lists fits in this. */
#define NL_REQSIZE	(160 * 1024)

struct nl {
	struct mnl_socket *sock;
	uint16_t family;
	uint32_t events_group;	/* 0: the family has none */
	uint32_t portid;
	uint32_t seq;
	char *rxbuf;		/* NL_BUFSIZE */
	/* Of the last failed request: */
	char errmsg[256];	/* kernel's extack message, or "" */
	uint32_t erroff;	/* offset of the bad attribute, or 0 */
};

/* Open the socket and resolve the family; prints why on failure. */
int nl_open(struct nl *nl);
void nl_close(struct nl *nl);

/*
 * Start a request for @cmd in @buf, of MNL_SOCKET_BUFFER_SIZE bytes at
 * least, which it zeroes: libmnl 1.0.4 leaves the padding after an
 * attribute (3 bytes after a u8) as it was, and the kernel must never be
 * sent uninitialised memory. A larger request zeroes its buffer itself.
 */
struct nlmsghdr *nl_msg(struct nl *nl, void *buf, uint8_t cmd,
			uint16_t flags);

/*
 * Send @nlh with NLM_F_ACK, pass every reply message to @cb and wait for
 * the ACK. Returns 0 or a negative errno; nl->errmsg has the kernel's
 * message. With NLM_F_DUMP in @nlh, *@intr (may be NULL) tells whether
 * the dump was interrupted (NLM_F_DUMP_INTR).
 */
int nl_request(struct nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data,
	       bool *intr);

/*
 * Print "burstctl: WHAT: strerror: kernel message (ATTR)" to stderr;
 * @attr (may be NULL) names the attribute the kernel pointed at.
 */
void nl_perror(const struct nl *nl, const char *what, int err,
	       const char *attr);

/* The type an attribute must have, MNL_TYPE_UNSPEC: skip it. */
typedef enum mnl_attr_data_type (*nl_type_fn)(unsigned int type);

/* Attribute parsing for callbacks: tb[@max + 1] from @nlh. */
int nl_parse(const struct nlmsghdr *nlh, const struct nlattr **tb,
	     unsigned int max, nl_type_fn type);

#endif /* BURSTCTL_NL_H */
