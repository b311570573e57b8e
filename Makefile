# SPDX-License-Identifier: GPL-2.0
# pervma: per-VMA locks for Linux LTS kernels.
#
#   make              apply the series to Debian's 6.1, build x86_64, boot it
#                     under QEMU and run the in-guest tests (the main job)
#   make check        the full verification (what CI runs); see README.md
#   make help         every target and variable
#
# The real work is in scripts/; this file only names it.

ARCH     ?= x86_64
BASE     ?= 6.1
FEATURE  ?= on
DEBUG    ?= 0
export BASE FEATURE DEBUG
# Pass through only when given, so scripts/ keep their defaults.
ifdef BASE_VERSION
export BASE_VERSION
endif
ifdef KSRC
export KSRC
endif
ifdef PERVMA_CACHE
export PERVMA_CACHE
endif

S := scripts

.PHONY: all run deps base apply apply-git build boot test check check-host \
	check-patches conversion check-conversion compile-check bisect bench \
	audit clean-work help

all: run

## run: apply + build + boot + in-guest tests for ARCH (default x86_64)
run: apply
	@$(S)/build.sh $(ARCH) >/dev/null
	@$(S)/guest-test.sh $(ARCH)

## deps: install missing Debian packages (needs root)
deps:
	@$(S)/deps.sh

## base: download and unpack the base (BASE=6.1|6.12, BASE_VERSION=...)
base: deps
	@$(S)/base.sh >/dev/null

## apply: quilt push -a --fuzz=0 onto the work tree (or KSRC=/your/tree)
apply: base
	@$(S)/apply.sh

## apply-git: the same with git am (KSRC must be a clean git checkout)
apply-git: base
	@$(S)/apply.sh --git

## build: build ARCH (FEATURE=on|off, DEBUG=0|1)
build: apply
	@$(S)/build.sh $(ARCH)

## boot / test: boot the built ARCH kernel and run the in-guest tests
boot test:
	@$(S)/guest-test.sh $(ARCH)

## check: everything CI checks (host tests, apply, patches, 3 arches)
check:
	@$(S)/check.sh

## check-host: only the harness's own host tests (seconds)
check-host:
	@rc=0; for t in tests/host/*.sh; do \
		[ "$$t" = tests/host/tap.sh ] && continue; \
		echo "== $$t"; bash $$t || rc=1; done; exit $$rc

## check-patches: header fields + checkpatch.pl for every patch in the series
check-patches: base
	@$(S)/check-patches.sh

## conversion: regenerate the vm_flags conversion patch from cocci/vm_flags.cocci
conversion: base
	@$(S)/gen-conversion.sh

## check-conversion: the committed conversion patch is what the script makes,
##   and rerunning the semantic patch on the patched tree changes nothing
check-conversion: base
	@$(S)/gen-conversion.sh --check

## compile-check: every C file the series touches, compiled under allmodconfig
##   of an architecture that builds it (vm_flags is const: no write is left)
compile-check: apply
	@$(S)/compile-check.sh

## bisect: build every prefix of the series for ARCH, FEATURE on and off
bisect: deps
	@$(S)/bisect-build.sh $(ARCH)

## audit: every vm_flags write reachable without the mmap write lock
##   (scripts/audit-vma-lock.sh on the work tree or KSRC)
audit: apply
	@$(S)/audit-vma-lock.sh

## bench: base vs patched kernel for ARCH, alternating boots (RUNS=5)
bench: deps
	@$(S)/bench.sh $(ARCH)

## clean-work: drop the work tree and builds of BASE (keeps the download)
clean-work:
	@. $(S)/lib.sh; rm -rf "$$PERVMA_CACHE/work/$$BASE_TAG" "$$PERVMA_CACHE/build/$$BASE_TAG"

help:
	@sed -n 's/^## //p' Makefile
	@echo "variables: ARCH=x86_64|arm64|powerpc BASE=6.1|6.12 BASE_VERSION=<debian version>"
	@echo "           FEATURE=on|off DEBUG=0|1 KSRC=<your tree> PERVMA_CACHE=<dir>"
