# fault-injection/: campaigns (docs/fault-injection.md).
#   make inject CAMPAIGN=fault-injection/campaigns/NAME.json [ONLY=N] [FRESH=1]
FI_BUILD := $(BUILD)/fault-injection
FI_TOOLS := fault-injection/tools
# QEMU target: the standalone kernel with a scripted shell workload that ends the run.
FI_KERNEL_SCRIPT := triad.shell=stats,hello_world+a+b,fork_test+3,stats,halt
$(FI_BUILD)/iso/fi-kernel.iso: $(KERNEL_ELF) $(KERNEL_ARCHIVE) sandbox-kernel/iso/mkiso.sh fault-injection/rules.mk | $(DEPS_STAMP)
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
FI_ISOS := $(FI_BUILD)/iso/fi-kernel.iso $(FI_BUILD)/iso/fi-three.iso
SYSTEM_TEST_DEPS += $(FI_ISOS)

.PHONY: inject
inject: $(FI_ISOS) $(KERNEL_ELF)
	@test -n "$(CAMPAIGN)" || { echo "make inject: give CAMPAIGN=fault-injection/campaigns/NAME.json" >&2; \
	  ls fault-injection/campaigns/*.json >&2; exit 2; }
	@python3 $(FI_TOOLS)/inject.py $(CAMPAIGN) $(if $(ONLY),--only $(ONLY)) $(if $(FRESH),--fresh)

# Host tests (TAP scripts run by tests/run-unit.sh): spec parser, classifier, GDB client (+ real QEMU).
UNIT_TESTS += tests/unit/fault-injection/test_spec.py tests/unit/fault-injection/test_classify.py \
  tests/unit/fault-injection/test_gdbrsp.py
