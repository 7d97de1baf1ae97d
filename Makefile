# Triad: top-level GNU Makefile.  `make help` lists the targets.
#
# Each component keeps its build rules in its own `rules.mk` (found by the
# wildcard below), appending to the shared lists:
#   UNIT_TESTS   host test programs (cmocka) run by `make check-unit`
#   ISO_BOOT     files copied into the ISO's /boot
#   ALL_TARGETS  everything `make all` builds
#   PROOF_TARGETS  phony targets `make proofs` runs (Frama-C, spin, ...)
#   SYSTEM_TEST_DEPS  files system tests boot (per-configuration ISOs, ...):
#                  `make test` and `make check-system` build them first
# so that adding a component never means editing this file.

SHELL   := /bin/bash
TOP     := $(CURDIR)
BUILD   := $(TOP)/build
# make run's emulator: auto = QEMU TCG (the monitor's SVM backend) when
# qemu-system-x86_64 is installed, else Bochs (VMX); EMU=bochs|qemu forces one.
EMU     ?= auto
RUN_EMU := $(if $(filter auto,$(EMU)),$(if $(shell command -v qemu-system-x86_64),qemu,bochs),$(EMU))
include mk/toolchain.mk
include mk/program_kernel.mk

.DEFAULT_GOAL := help
.DELETE_ON_ERROR:
# Rules that boot images name $$(ISO_BOOT) among their prerequisites: with
# secondary expansion the list is read after every rules.mk has added to it
# (monitor/ is included before sandbox-kernel/ and tools/iso/).
.SECONDEXPANSION:

UNIT_TESTS  :=
ISO_BOOT    :=
ALL_TARGETS :=
PROOF_TARGETS :=
SYSTEM_TEST_DEPS :=
DEPS_STAMP  := $(BUILD)/.deps-checked

# $(call host_test,NAME,SOURCES,EXTRA_FLAGS): a cmocka program build/tests/NAME.
define host_test
UNIT_TESTS += $(BUILD)/tests/$(1)
$(BUILD)/tests/$(1): $(2) | $(DEPS_STAMP)
	@mkdir -p $$(@D)
	@echo "HOSTCC $$@"
	@$$(HOST_CC) $$(HOST_CFLAGS) -MF $$@.d $(3) -o $$@ $(2) -lcmocka $$(HOST_LDLIBS)
-include $(BUILD)/tests/$(1).d
endef

include $(sort $(wildcard */rules.mk tools/*/rules.mk))

.PHONY: help deps all iso run test check-unit check-system run-unit-tests run-system-tests bench proofs clean distclean

help:
	@echo "Triad make targets:"
	@echo "  make run           boot the default system in an emulator (EMU=bochs|qemu|auto, default $(EMU): $(RUN_EMU) here)"
	@echo "  make attest-run    verify the measured launch of the last make run (QEMU, swtpm)"
	@echo "  make test          install, build and run every test; ends with 'N passed, N failed'"
	@echo "  make check-unit    host unit tests only (cmocka)"
	@echo "  make check-system  system tests that boot the ISO in Bochs and QEMU"
	@echo "  make deps          install Debian packages, fetch lwIP source, build newlib (idempotent)"
	@echo "  make all           build the monitor, the sandbox kernel and the host tools"
	@echo "  make iso           build build/triad.iso (GRUB 2, multiboot2, serial console)"
	@echo "  make bench         measurements (instruction counts, exits); JSON in build/bench/"
	@echo "  make proofs        Frama-C/WP proofs and spin model checks; fails on any unproved goal"
	@echo "  make clean         remove build products, keep third-party sources and newlib"
	@echo "  make distclean     remove all of build/"

# `deps` always runs the setup script: it checks everything and returns in
# well under a second when all is in place.
deps:
	@tools/setup/deps.sh
	@touch $(DEPS_STAMP)

$(DEPS_STAMP):
	@tools/setup/deps.sh
	@touch $@

all: $(ALL_TARGETS)

# ---- the ISO -------------------------------------------------------------
ISO      := $(BUILD)/triad.iso
ISO_VARIANTS := monitor tboot standalone

iso: $(ISO)

# One ISO per default menu entry: the emulators cannot pick a GRUB entry, so
# system tests boot the variant whose default is the entry under test.
# Their table is build/system.bin: the images it boots besides sandbox-kernel
# (SYSTEM_BIN_MODULES, the UAV replicas' replica-kernel) are modules too.
$(BUILD)/iso/%.iso: tools/iso/mkiso.sh tools/iso/grub.cfg.in $$(ISO_BOOT) $$(SYSTEM_BIN_MODULES) | $(DEPS_STAMP)
	@EXTRA_MODULES="$(SYSTEM_BIN_MODULES)" tools/iso/mkiso.sh $* $@ $(ISO_BOOT)

# build/triad.iso is the default system a user boots: the UAV TMR
# configuration with the kernel that carries its programs (voter, plant,
# telemetry) for io and sim, the replicas' own image (replica-kernel:
# fc_replica alone) for fc-a..fc-d, and the table measured against both,
# flying the square mission with the demo fault (uav-run.xml, programs/uav/rules.mk).
$(ISO): tools/iso/mkiso.sh tools/iso/grub.cfg.in $$(ISO_BOOT) $$(KERNEL_ELF_PROGS) $$(UAV_REPLICA_KERNEL) $$(UAV_CFG)/uav-run.bin | $(DEPS_STAMP)
	@SYSTEM_BIN=$(UAV_CFG)/uav-run.bin EXTRA_MODULES="$(UAV_REPLICA_KERNEL)" \
	  tools/iso/mkiso.sh user $@ $(filter-out $(KERNEL_ELF),$(ISO_BOOT)) $(KERNEL_ELF_PROGS)

# ---- running -------------------------------------------------------------
# The ground link: the emulator's e1000 on its user network (Bochs: in slot 2,
# 00:03.0 as in QEMU's pc, the description's nic0), and tools/gcs/beside
# runs the host ground station on UDP 14550 beside the emulator: STATUSTEXT
# events shown live ('gcs |'), every message in build/runs/make-run-gcs/.
RUN_NET := --net "" $(if $(filter bochs,$(RUN_EMU)),--nic-slot 2)
# Under QEMU the runner starts a fresh swtpm and attaches it: the launch is
# measured (Bochs has no TPM: unmeasured).  make attest-run checks the logs.
RUN_TPM := $(if $(filter qemu,$(RUN_EMU)),--swtpm)
run: deps
	@$(MAKE) --no-print-directory iso $(BUILD)/tools/gcs
	@echo "make run: once the flight is up, type help, status or corrupt a|b|c|d (then Enter) here: the I/O sandbox's console (COM2) reads them"
	@tools/gcs/beside $(BUILD)/runs/make-run-gcs tools/run-emu --emu $(RUN_EMU) --iso $(ISO) --cores 6 --memory 512 --serial-ports 2 --timeout 1800 $(RUN_NET) $(RUN_TPM) --out $(BUILD)/runs/make-run \
	    --show com1,com2 --until "uav: report end" --input - --input-port 2 --input-after "tmr: commands"

# ---- tests ---------------------------------------------------------------
TEST_RESULTS := $(BUILD)/test-results

# The independent MAVLink decoder the network tests check our frames with
# (node-mavlink, written by nobody here), from the npm registry.  Installed
# before the tests start because each system test may run in a network
# namespace of its own (tests/run-system.sh) that cannot reach the registry.
# A failed install is not fatal here: the tests that need it say so.
NODE_MAVLINK := $(BUILD)/node-mavlink/node_modules/node-mavlink/package.json
$(NODE_MAVLINK):
	@mkdir -p $(BUILD)/node-mavlink
	@npm install --no-audit --no-fund --prefix $(BUILD)/node-mavlink node-mavlink@2.3.0 \
	  >$(BUILD)/node-mavlink/npm.log 2>&1 || echo "warning: npm install node-mavlink failed: $(BUILD)/node-mavlink/npm.log"
SYSTEM_TEST_DEPS += $(NODE_MAVLINK)

# Each entry point sets up first in its own make invocation, then builds and
# runs in a second one: third-party sources fetched by the setup (lwIP) are
# found by wildcards only when the makefiles are read after they exist.
check-unit: deps
	@$(MAKE) --no-print-directory run-unit-tests

check-system: deps
	@$(MAKE) --no-print-directory run-system-tests

run-unit-tests: $(UNIT_TESTS)
	@tests/run-unit.sh $(TEST_RESULTS)/unit.tap $(UNIT_TESTS)

run-system-tests: $(addprefix $(BUILD)/iso/,$(addsuffix .iso,$(ISO_VARIANTS))) $(SYSTEM_TEST_DEPS)
	@tests/run-system.sh $(TEST_RESULTS)/system.tap

test: deps
	@$(MAKE) --no-print-directory all $(addprefix $(BUILD)/iso/,$(addsuffix .iso,$(ISO_VARIANTS))) $(SYSTEM_TEST_DEPS)
	@rm -f $(TEST_RESULTS)/*.tap
	@$(MAKE) --no-print-directory run-unit-tests || true
	@$(MAKE) --no-print-directory run-system-tests || true
	@tests/summary.sh $(TEST_RESULTS)/unit.tap $(TEST_RESULTS)/system.tap

# ---- measurements ----------------------------------------------------------
bench: deps
	@$(MAKE) --no-print-directory all $(addprefix $(BUILD)/iso/,$(addsuffix .iso,$(ISO_VARIANTS))) $(SYSTEM_TEST_DEPS)
	@tests/bench/run-all.sh $(BUILD)/bench

proofs: $(DEPS_STAMP) $(PROOF_TARGETS)
	@echo "proofs: all of $(words $(PROOF_TARGETS)) proof target(s) passed"

clean:
	rm -rf $(BUILD)/monitor $(BUILD)/sandbox-kernel $(BUILD)/tests $(BUILD)/tools \
	       $(BUILD)/iso $(ISO) $(TEST_RESULTS) $(BUILD)/bench $(BUILD)/runs

distclean:
	rm -rf $(BUILD)
