/* SPDX-License-Identifier: GPL-2.0 */
/* Stand-in for <linux/jhash.h>: the project's one copy of the kernel's jhash. */
#ifndef BG_SHIM_JHASH_H
#define BG_SHIM_JHASH_H
#include "../../../../tests/tools/bgutil.h"
#endif
