# SPDX-License-Identifier: GPL-2.0
#
# burstguard: kernel module (Kbuild, kmod/, include/) and the burstctl CLI
# (userspace/). See README.md.
#
#   make [all]       burstguard.ko for KDIR, and userspace/burstctl
#   make modules     burstguard.ko only
#   make userspace   userspace/burstctl only
#   make tests       the C test programs (tests/Makefile TEST_GEN_PROGS)
#   make deps        install build and test dependencies (root; idempotent)
#   make check       what CI runs: both kernels with W=1 -Werror, unit tests,
#                    checkpatch, the test suite in a QEMU guest of each kernel
#   make demo        boot the 6.12 guest and show the module
#   make check-debug the suite, adversarial tests at full size, then kmemleak,
#                    on a KASAN/UBSAN/lockdep/kmemleak kernel (debug/debug.config,
#                    built once into .cache/debug/); T="test..." runs some
#   make bench       per-packet cost against nftables and hashlimit in a
#                    deterministic-time guest: bench/results.md (bench/run)
#   make install     (root) module, burstctl, man page, completion, systemd
#                    unit, example configs; DESTDIR, PREFIX; make uninstall
#   make dkms-install, dkms-remove, deb: see packaging/install.mk
#   make clean       remove build products (keeps the downloaded .cache/)
#   make distclean   clean, and remove .cache/ (kernels, kselftest)
#
# KDIR defaults to the running kernel's headers, or else (e.g. on a host
# without them) to the 6.1 test kernel's headers installed by 'make deps'
# (the ones it recorded, or the newest 6.1 headers installed).
# V=1 shows the commands.

ifeq ($(V),1)
Q :=
else
Q := @
MAKEFLAGS += --no-print-directory
endif
export V

KDIR ?= $(or $(wildcard /lib/modules/$(shell uname -r)/build),\
	$(wildcard /lib/modules/$(shell cat .cache/kernels/6.1.abi 2>/dev/null)/build),\
	$(shell ls -dv /lib/modules/6.1.*/build 2>/dev/null | tail -n 1),\
	/lib/modules/$(shell uname -r)/build)

# Directories with a Makefile of their own that 'make clean' cleans.
SUBDIRS_BUILT := userspace tests/tools tests/unit bench/micro

.PHONY: all modules userspace tools tests deps check check-debug demo bench clean distclean

all: modules userspace

modules:
	$(Q)test -f $(KDIR)/Makefile || { \
		echo "no kernel headers in KDIR=$(KDIR): run 'make deps' (as root) or pass KDIR=" >&2; \
		exit 1; }
	$(Q)$(MAKE) -C $(KDIR) M=$(CURDIR) modules

userspace:
	$(Q)$(MAKE) -C userspace all

tools:
	$(Q)$(MAKE) -C tests/tools

tests: tools
	$(Q)test -e .cache/kselftest/.complete || { \
		echo "no kselftest framework in .cache/: run 'make deps' (as root)" >&2; \
		exit 1; }
	$(Q)$(MAKE) -C tests all

deps:
	$(Q)scripts/deps

# make check ends with its summary line and fails if anything failed. Run
# as a recipe, a failure makes GNU make print "make: *** [check] Error 1"
# after that line. So when check is the only goal (not make -n) and make's
# stdout is a pipe or a terminal (which can be opened again without an
# offset to get wrong), check runs while this file is read, writing to
# make's own stdout, and a failure turns on -q: make then exits 1 ("check
# is not up to date") without a word. Redirected to a file, it stays a
# recipe.
CHECK_EARLY := $(strip $(and \
	$(filter check,$(MAKECMDGOALS)), \
	$(filter 1,$(words $(MAKECMDGOALS))), \
	$(if $(findstring n,$(firstword $(filter-out --% %=%,$(MAKEFLAGS)))),,1), \
	$(shell test -p /proc/$$PPID/fd/1 -o -c /proc/$$PPID/fd/1 && echo 1)))
ifeq ($(CHECK_EARLY),1)
$(shell V='$(V)' scripts/check >/proc/$$PPID/fd/1)
ifneq ($(.SHELLSTATUS),0)
MAKEFLAGS += -q
endif
check:
	@:
else
check:
	$(Q)scripts/check
endif

check-debug:
	$(Q)T='$(T)' scripts/check-debug

demo:
	$(Q)scripts/demo

# Not part of check: tests never assert on time.
bench:
	$(Q)bench/run

include packaging/install.mk

# Not kbuild's "M=$(CURDIR) clean": that deletes every *.ko and *.ko.* under
# the repository, the kernels' modules in .cache/ included.
MODULE_PRODUCTS := *.ko *.o .module-common.o *.mod *.mod.c .*.cmd Module.symvers modules.order \
	kmod/*.o kmod/.*.cmd kmod/.*.d

clean:
	$(Q)rm -f $(MODULE_PRODUCTS)
	$(Q)for d in $(SUBDIRS_BUILT); do $(MAKE) -C $$d clean; done
	$(Q)if test -e .cache/kselftest/.complete; then $(MAKE) -C tests clean; fi
	$(Q)rm -rf .cache/build .cache/tests .cache/check .cache/check-debug .cache/vm
	$(Q)rm -rf burstguard*.deb .cache/deb .cache/dkms bench/flood

distclean: clean
	$(Q)rm -rf .cache
