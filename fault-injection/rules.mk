# fault-injection/: campaigns (docs/fault-injection.md).
#   make inject CAMPAIGN=fault-injection/campaigns/NAME.json [ONLY=N] [FRESH=1] [WORKERS=2] [LIMIT=N] [RECLASSIFY=1]
FI_BUILD := $(BUILD)/fault-injection
FI_TOOLS := fault-injection/tools
# QEMU target: the standalone kernel with a scripted shell workload that ends the run.
FI_KERNEL_SCRIPT := triad.shell=stats,hello_world+a+b,fork_test+3,stats,halt
$(FI_BUILD)/iso/fi-kernel.iso: $$(KERNEL_ELF) $$(KERNEL_ARCHIVE) sandbox-kernel/iso/mkiso.sh fault-injection/rules.mk | $(DEPS_STAMP)
	@mkdir -p $(@D)
	@sandbox-kernel/iso/mkiso.sh $@ $(KERNEL_ELF) "$(FI_KERNEL_SCRIPT)" $(KERNEL_ARCHIVE) programs
# Bochs target: three sandboxes under the monitor (fault-injection/systems/fi-three.xml).
$(FI_BUILD)/systems/%.bin: fault-injection/systems/%.xml config/system.xsd $(SYSGEN) $(KERNEL_ELF)
	@mkdir -p $(@D)
	@echo "SYSGEN $<"
	@$(SYSGEN) --schema config/system.xsd --bin $@ --header $(@:.bin=.h) --report $(@:.bin=.txt) \
	  --image sandbox-kernel=$(KERNEL_ELF) $<
$(FI_BUILD)/iso/fi-%.iso: $(FI_BUILD)/systems/fi-%.bin tools/iso/mkiso.sh tools/iso/grub.cfg.in $$(ISO_BOOT) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	@SYSTEM_BIN=$< MONITOR_ARGS="triad.settle-ms=300 triad.window-ms=100 triad.end-ms=600" \
	  tools/iso/mkiso.sh monitor $@ $(ISO_BOOT)
# Flight target: config/uav-tmr.xml (the UAV TMR system) with io_voter's report (the end of
# a run) at period FI_UAV_END and its control-rate trace (io_voter --trace 1): campaigns
# stop each run a fixed number of periods after their latest injection period.  Its kernel
# carries only the three UAV programs (and telemetry,
# the I/O sandbox's ground link of config/uav-tmr.xml, docs/networking.md) and is stripped
# (the ELF with symbols stays for the injector): the monitor hashes each sandbox's image at
# boot, six times, and in Bochs that hashing was most of a run (2.5 MB kernel with every
# program and its debug information, about 1.3 G instructions before the sandboxes launched).
FI_UAV_END   := 600
FI_UAV_LONG_END := 2200
FI_UAV_PROGS := fc_replica io_voter sim_plant telemetry
FI_KDIR      := $(FI_BUILD)/kernel
$(eval $(call program_kernel,$(FI_KDIR),sandbox-kernel.elf,$(FI_UAV_PROGS),UAV programs only))
# The ISO's module is named sandbox-kernel.elf (tools/iso/grub.cfg.in).
# One image for every sandbox: config/uav-tmr.xml's replicas boot their own
# image (replica-kernel, 4 MiB) by default, but a campaign resolves kernel
# symbols in one ELF (the spec's system.image) and reads back through one
# table, so these flights put fc-a..fc-d back on the UAV programs kernel in
# 32 MiB: the flight the campaigns and their recorded results were made on.
FI_UAV_ONE_IMAGE := -e '/<sandbox name="fc-[abcd]"/,/<\/sandbox>/s|<kernel module="replica-kernel"/>|<kernel module="sandbox-kernel"/>|' \
  -e 's|<sandbox name="\(fc-[abcd]\)" cores="\([0-9]\)" memory="4M"|<sandbox name="\1" cores="\2" memory="32M"|'
FI_UAV_ONE_IMAGE_CHECK = ! grep -q '<kernel module="replica-kernel"\|memory="4M"' $@
$(FI_BUILD)/systems/fi-uav.xml: config/uav-tmr.xml fault-injection/rules.mk
	@mkdir -p $(@D)
	@sed -e 's/--report+500"/--report+$(FI_UAV_END)+--trace+1"/' $(FI_UAV_ONE_IMAGE) $< >$@
	@grep -q -- '--report+$(FI_UAV_END)+--trace+1"' $@ && $(FI_UAV_ONE_IMAGE_CHECK)
$(FI_BUILD)/systems/fi-uav.bin: $(FI_BUILD)/systems/fi-uav.xml config/system.xsd $$(SYSGEN) $(FI_KDIR)/stripped/sandbox-kernel.elf
	@echo "SYSGEN $< (UAV programs kernel)"
	@$(SYSGEN) --schema config/system.xsd --bin $@ --report $(@:.bin=.txt) \
	  --image sandbox-kernel=$(FI_KDIR)/stripped/sandbox-kernel.elf $<
$(FI_BUILD)/iso/fi-uav.iso: $(FI_BUILD)/systems/fi-uav.bin $(FI_KDIR)/stripped/sandbox-kernel.elf tools/iso/mkiso.sh tools/iso/grub.cfg.in $$(ISO_BOOT) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	@SYSTEM_BIN=$< MONITOR_ARGS="triad.settle-ms=300 triad.window-ms=100 triad.end-ms=120000" \
	  tools/iso/mkiso.sh monitor $@ $(filter-out $(KERNEL_ELF),$(ISO_BOOT)) $(FI_KDIR)/stripped/sandbox-kernel.elf
# The long flight (uav-rejoin-qemu, make inject): the same system reporting at period
# FI_UAV_LONG_END, long enough for a replica restarted by a fault at period 300 to rejoin
# the vote (1,239 to 1,666 periods after its failure in session 6's runs).
$(FI_BUILD)/systems/fi-uav-long.xml: config/uav-tmr.xml fault-injection/rules.mk
	@mkdir -p $(@D)
	@sed -e 's/--report+500"/--report+$(FI_UAV_LONG_END)+--trace+1"/' $(FI_UAV_ONE_IMAGE) $< >$@
	@grep -q -- '--report+$(FI_UAV_LONG_END)+--trace+1"' $@ && $(FI_UAV_ONE_IMAGE_CHECK)
$(FI_BUILD)/systems/fi-uav-long.bin: $(FI_BUILD)/systems/fi-uav-long.xml config/system.xsd $$(SYSGEN) $(FI_KDIR)/stripped/sandbox-kernel.elf
	@echo "SYSGEN $< (UAV programs kernel)"
	@$(SYSGEN) --schema config/system.xsd --bin $@ --report $(@:.bin=.txt) \
	  --image sandbox-kernel=$(FI_KDIR)/stripped/sandbox-kernel.elf $<
$(FI_BUILD)/iso/fi-uav-long.iso: $(FI_BUILD)/systems/fi-uav-long.bin $(FI_KDIR)/stripped/sandbox-kernel.elf tools/iso/mkiso.sh tools/iso/grub.cfg.in $$(ISO_BOOT) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	@SYSTEM_BIN=$< MONITOR_ARGS="triad.settle-ms=300 triad.window-ms=100 triad.end-ms=120000" \
	  tools/iso/mkiso.sh monitor $@ $(filter-out $(KERNEL_ELF),$(ISO_BOOT)) $(FI_KDIR)/stripped/sandbox-kernel.elf
FI_ISOS := $(FI_BUILD)/iso/fi-kernel.iso $(FI_BUILD)/iso/fi-three.iso $(FI_BUILD)/iso/fi-uav.iso
SYSTEM_TEST_DEPS += $(FI_ISOS)

.PHONY: inject
inject: $(FI_ISOS) $(FI_BUILD)/iso/fi-uav-long.iso $(KERNEL_ELF) $$(KERNEL_ELF_PROGS)
	@test -n "$(CAMPAIGN)" || { echo "make inject: give CAMPAIGN=fault-injection/campaigns/NAME.json" >&2; \
	  ls fault-injection/campaigns/*.json >&2; exit 2; }
	@python3 $(FI_TOOLS)/inject.py $(CAMPAIGN) $(if $(ONLY),--only $(ONLY)) $(if $(FRESH),--fresh) \
	  $(if $(WORKERS),--workers $(WORKERS)) $(if $(LIMIT),--limit $(LIMIT)) $(if $(RECLASSIFY),--reclassify)

# Host tests (TAP scripts run by tests/run-unit.sh): spec parser, classifier, GDB client (+ real QEMU).
UNIT_TESTS += tests/unit/fault-injection/test_spec.py tests/unit/fault-injection/test_classify.py \
  tests/unit/fault-injection/test_gdbrsp.py tests/unit/fault-injection/test_bochs_cmds.py \
  tests/unit/fault-injection/test_flight.py tests/unit/fault-injection/test_report.py \
  tests/unit/fault-injection/test_quiet.py tests/unit/fault-injection/test_watchdog.py
# test_quiet.py reads the real UAV programs' code (built first; no recipe: the script itself)
tests/unit/fault-injection/test_quiet.py: $$(KERNEL_ELF_PROGS)
