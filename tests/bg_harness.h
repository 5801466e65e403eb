/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kselftest_harness.h with a longer per-case timeout. The harness's 30 s
 * is for a native kernel; ours run under TCG, and in make check-debug on a
 * kernel with KASAN, lockdep and kmemleak, where one case that sends a few
 * thousand requests took longer than 30 s (nl_proto's policy cases). A
 * hang is still caught: by this alarm, and by the runner's per-program
 * timeout (tests/settings).
 */
#ifndef BG_HARNESS_H
#define BG_HARNESS_H

#include "kselftest_harness.h"

#undef TEST_TIMEOUT_DEFAULT
#define TEST_TIMEOUT_DEFAULT 1200

#endif /* BG_HARNESS_H */
