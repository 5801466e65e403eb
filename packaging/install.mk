# SPDX-License-Identifier: GPL-2.0
#
# Installing burstguard (included by the top-level Makefile; run as root):
#
#   make install           install-module and install-tools
#   make install-module    burstguard.ko into /lib/modules/RELEASE/updates/, depmod
#   make install-tools     burstctl, its man page and bash completion, the
#                          systemd units (burstguard, burstguard-exporter),
#                          the Grafana dashboard, example /etc/burstguard.conf
#                          and /etc/modprobe.d/burstguard.conf (kept if present);
#                          CrowdSec: burstguard-crowdsec (bouncer) and its man
#                          page and units (burstguard-crowdsec,
#                          burstguard-events), its config (0600) in
#                          /etc/crowdsec/bouncers/, burstguard's parsers,
#                          scenario and acquisition in /etc/crowdsec/
#   make uninstall         remove all of it (uninstall-module, uninstall-tools)
#   make dkms-install      the module's sources to /usr/src/burstguard-VERSION,
#                          then dkms add, build and install (running kernel)
#   make dkms-remove       dkms remove --all, and the sources
#   make deb               burstguard-dkms_VERSION_all.deb and
#                          burstguard_VERSION_ARCH.deb (packaging/mkdeb)
#   make deb-check         build them into .cache/deb and install, use and
#                          remove them with dpkg in a 6.12 guest (tests/deb.sh;
#                          a few minutes under TCG, more than a kselftest
#                          test may take, so it is run by hand, not by CI)
#
# Variables: DESTDIR (staging root), PREFIX (/usr/local), SBINDIR, MANDIR,
# COMPLETIONDIR, SYSTEMDUNITDIR, SYSCONFDIR (/etc), DATADIR; KO (the module to
# install: burstguard.ko, from 'make modules') and KRELEASE (the kernel it
# is for, read from KO's vermagic); DKMS_KERNELS (releases to build for,
# default the running kernel), DKMS_FLAGS (e.g. --dkmstree/--sourcetree/
# --installtree for trees elsewhere), DKMS_SRCDIR (/usr/src).
# Install does not build: run 'make' first (as yourself), then
# 'make install' as root.

BG_VERSION := $(shell cat $(CURDIR)/VERSION)

PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
COMPLETIONDIR ?= $(PREFIX)/share/bash-completion/completions
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
SYSCONFDIR ?= /etc
DATADIR ?= $(PREFIX)/share

KO ?= burstguard.ko
# Lazy, and once: modinfo runs only in the rules that need it.
KRELEASE ?= $(eval KRELEASE := $(firstword $(shell modinfo -F vermagic $(KO) 2>/dev/null)))$(KRELEASE)
MODINSTDIR = $(DESTDIR)/lib/modules/$(KRELEASE)/updates

DKMS ?= dkms
DKMS_SRCDIR ?= /usr/src
DKMS_KERNELS ?= $(shell uname -r)
DKMS_FLAGS ?=
DKMS_SOURCES := Kbuild VERSION $(sort $(wildcard include/*.h)) \
	$(sort $(wildcard kmod/*.c kmod/*.h)) \
	kmod/probes/configure $(sort $(wildcard kmod/probes/*.c))

# What install-tools puts where (uninstall-tools removes the same list).
UNITS = burstguard.service burstguard-exporter.service \
	burstguard-crowdsec.service burstguard-events.service
TOOL_FILES = $(SBINDIR)/burstctl $(MANDIR)/man8/burstctl.8 \
	$(SBINDIR)/burstguard-crowdsec $(MANDIR)/man8/burstguard-crowdsec.8 \
	$(COMPLETIONDIR)/burstctl $(addprefix $(SYSTEMDUNITDIR)/,$(UNITS)) \
	$(DATADIR)/burstguard/grafana-dashboard.json
CONF_FILES = $(SYSCONFDIR)/burstguard.conf:packaging/burstguard.conf \
	$(SYSCONFDIR)/modprobe.d/burstguard.conf:packaging/modprobe.conf \
	$(SYSCONFDIR)/crowdsec/parsers/s00-raw/burstguard-raw.yaml:packaging/crowdsec/burstguard-raw.yaml \
	$(SYSCONFDIR)/crowdsec/parsers/s01-parse/burstguard-logs.yaml:packaging/crowdsec/burstguard-logs.yaml \
	$(SYSCONFDIR)/crowdsec/scenarios/burstguard-ban.yaml:packaging/crowdsec/burstguard-ban.yaml \
	$(SYSCONFDIR)/crowdsec/acquis.d/burstguard.yaml:packaging/crowdsec/acquis-burstguard.yaml
# Holds an API key: root only.
SECRET_FILES = $(SYSCONFDIR)/crowdsec/bouncers/burstguard-crowdsec.yaml:packaging/crowdsec/burstguard-crowdsec.yaml

# Only on the live system: systemd reloads units when it is running.
define systemd_reload
	$(Q)if [ -z "$(DESTDIR)" ] && [ -d /run/systemd/system ]; then \
		systemctl daemon-reload; fi
endef

.PHONY: install install-module install-tools uninstall uninstall-module \
	uninstall-tools dkms-src dkms-install dkms-remove deb deb-check

install: install-module install-tools

install-module:
	$(Q)test -f $(KO) || { echo "no $(KO): build it first with 'make' (or pass KO=)" >&2; exit 1; }
	$(Q)test -n "$(KRELEASE)" || { echo "cannot read the kernel release of $(KO) (pass KRELEASE=)" >&2; exit 1; }
	install -D -m 0644 $(KO) $(MODINSTDIR)/burstguard.ko
	$(Q)if [ -z "$(DESTDIR)" ] || [ -e $(DESTDIR)/lib/modules/$(KRELEASE)/modules.dep ]; then \
		echo "depmod$(if $(DESTDIR), -b $(DESTDIR)) $(KRELEASE)"; \
		depmod $(if $(DESTDIR),-b $(DESTDIR)) $(KRELEASE); \
	else \
		echo "  SKIP    depmod: $(DESTDIR) has no modules of $(KRELEASE); run 'depmod $(KRELEASE)' on the target"; \
	fi

install-tools:
	$(Q)$(MAKE) -C userspace install DESTDIR=$(DESTDIR) SBINDIR=$(SBINDIR) \
		MANDIR=$(MANDIR) COMPLETIONDIR=$(COMPLETIONDIR)
	install -d $(DESTDIR)$(SYSTEMDUNITDIR)
	$(Q)for u in $(UNITS); do \
		echo "sed packaging/$$u.in >$(DESTDIR)$(SYSTEMDUNITDIR)/$$u"; \
		sed -e 's|@SBINDIR@|$(SBINDIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' \
			packaging/$$u.in >$(DESTDIR)$(SYSTEMDUNITDIR)/$$u && \
		chmod 0644 $(DESTDIR)$(SYSTEMDUNITDIR)/$$u || exit; \
	done
	install -D -m 0644 packaging/grafana-dashboard.json \
		$(DESTDIR)$(DATADIR)/burstguard/grafana-dashboard.json
	$(Q)for f in $(CONF_FILES); do \
		dst=$(DESTDIR)$${f%%:*} src=$${f#*:}; \
		if [ -e $$dst ]; then echo "  KEEP    $$dst (exists)"; \
		else echo "install -D -m 0644 $$src $$dst"; install -D -m 0644 $$src $$dst || exit; fi; \
	done
	$(Q)for f in $(SECRET_FILES); do \
		dst=$(DESTDIR)$${f%%:*} src=$${f#*:}; \
		if [ -e $$dst ]; then echo "  KEEP    $$dst (exists)"; \
		else echo "install -D -m 0600 $$src $$dst"; install -D -m 0600 $$src $$dst || exit; fi; \
	done
	$(call systemd_reload)

uninstall: uninstall-tools uninstall-module

uninstall-module:
	$(Q)test -n "$(KRELEASE)" || { echo "cannot read the kernel release of $(KO) (pass KRELEASE=)" >&2; exit 1; }
	rm -f $(MODINSTDIR)/burstguard.ko
	-$(Q)rmdir --ignore-fail-on-non-empty $(MODINSTDIR) 2>/dev/null
	$(Q)if [ -z "$(DESTDIR)" ] || [ -e $(DESTDIR)/lib/modules/$(KRELEASE)/modules.dep ]; then \
		echo "depmod$(if $(DESTDIR), -b $(DESTDIR)) $(KRELEASE)"; \
		depmod $(if $(DESTDIR),-b $(DESTDIR)) $(KRELEASE); \
	fi

# An enabled unit leaves a link behind: disable it first (offline, in the
# root we install into). Configuration files go only if nobody changed them.
uninstall-tools:
	$(Q)for u in $(UNITS); do \
		if command -v systemctl >/dev/null && [ -e $(DESTDIR)$(SYSTEMDUNITDIR)/$$u ]; then \
			echo "systemctl --root=$(or $(DESTDIR),/) disable $$u"; \
			systemctl --root=$(or $(DESTDIR),/) disable $$u 2>&1 | grep -v '^Removed' || :; \
		fi; \
	done
	rm -f $(addprefix $(DESTDIR),$(TOOL_FILES))
	-$(Q)rmdir $(DESTDIR)$(DATADIR)/burstguard 2>/dev/null
	$(Q)for f in $(CONF_FILES) $(SECRET_FILES); do \
		dst=$(DESTDIR)$${f%%:*} src=$${f#*:}; \
		if [ ! -e $$dst ]; then :; \
		elif cmp -s $$src $$dst; then echo "rm -f $$dst"; rm -f $$dst; \
		else echo "  KEEP    $$dst (changed since installed)"; fi; \
	done
	$(call systemd_reload)

# The source tree DKMS builds from: the module's files and dkms.conf.
dkms-src:
	$(Q)rm -rf $(DESTDIR)$(DKMS_SRCDIR)/burstguard-$(BG_VERSION)
	$(Q)for f in $(DKMS_SOURCES); do \
		install -D -m 0644 $$f $(DESTDIR)$(DKMS_SRCDIR)/burstguard-$(BG_VERSION)/$$f || exit; \
	done
	$(Q)sed 's/@VERSION@/$(BG_VERSION)/g' packaging/dkms.conf.in \
		>$(DESTDIR)$(DKMS_SRCDIR)/burstguard-$(BG_VERSION)/dkms.conf
	@echo "  DKMS    sources in $(DESTDIR)$(DKMS_SRCDIR)/burstguard-$(BG_VERSION)"

# Again with the same version replaces what DKMS had (sources may differ).
dkms-install: dkms-src
	$(Q)if $(DKMS) status $(DKMS_FLAGS) -m burstguard -v $(BG_VERSION) | grep -q .; then \
		$(DKMS) remove $(DKMS_FLAGS) -m burstguard -v $(BG_VERSION) --all; fi
	$(DKMS) add $(DKMS_FLAGS) -m burstguard -v $(BG_VERSION)
	$(Q)for k in $(DKMS_KERNELS); do \
		echo "$(DKMS) install $(DKMS_FLAGS) -m burstguard -v $(BG_VERSION) -k $$k"; \
		$(DKMS) install $(DKMS_FLAGS) -m burstguard -v $(BG_VERSION) -k $$k || exit; \
	done

dkms-remove:
	$(Q)if $(DKMS) status $(DKMS_FLAGS) -m burstguard -v $(BG_VERSION) | grep -q .; then \
		echo "$(DKMS) remove $(DKMS_FLAGS) -m burstguard -v $(BG_VERSION) --all"; \
		$(DKMS) remove $(DKMS_FLAGS) -m burstguard -v $(BG_VERSION) --all; fi
	rm -rf $(DESTDIR)$(DKMS_SRCDIR)/burstguard-$(BG_VERSION)

deb:
	$(Q)packaging/mkdeb

deb-check: userspace
	$(Q)OUT=$(CURDIR)/.cache/deb packaging/mkdeb
	$(Q)tests/vm/run 6.12 tests/deb.sh
