# monitor/: the per-core monitor image and its host unit tests.
MONITOR_ELF  := $(BUILD)/monitor/monitor.elf
MONITOR_SRCS := $(wildcard monitor/*.c monitor/boot/*.c monitor/vmx/*.c monitor/svm/*.c monitor/partition/*.c)
MONITOR_ASM  := $(wildcard monitor/boot/*.S monitor/vmx/*.S monitor/svm/*.S)
# The monitor links attest/'s freestanding part (SHA-256, TPM driver, event
# log, measured launch): ATTEST_MONITOR_SRCS, from attest/rules.mk.
MONITOR_OBJS := $(patsubst %,$(BUILD)/%.o,$(MONITOR_SRCS) $(MONITOR_ASM)) \
                $(patsubst attest/%,$(BUILD)/monitor/attest/%.o,$(ATTEST_MONITOR_SRCS)) \
                $(BUILD)/monitor/recovery/health.c.o $(BUILD)/monitor/recovery/device_handover.c.o \
                $(BUILD)/monitor/recovery/io_failover.c.o

# recovery/'s pure health-monitor logic (issue 9), freestanding.
$(BUILD)/monitor/recovery/%.c.o: recovery/%.c
	@mkdir -p $(@D)
	@echo "CC    $<"
	@$(CC) $(MONITOR_CFLAGS) -Imonitor -I. -c -o $@ $<

$(BUILD)/monitor/attest/%.c.o: attest/%.c
	@mkdir -p $(@D)
	@echo "CC    $<"
	@$(CC) $(MONITOR_CFLAGS) -Imonitor -I. -c -o $@ $<

$(BUILD)/monitor/%.c.o: monitor/%.c
	@mkdir -p $(@D)
	@echo "CC    $<"
	@$(CC) $(MONITOR_CFLAGS) -Imonitor -I. -c -o $@ $<

$(BUILD)/monitor/%.S.o: monitor/%.S
	@mkdir -p $(@D)
	@echo "AS    $<"
	@$(CC) $(TARGET_ASFLAGS) -c -o $@ $<

$(MONITOR_ELF): $(MONITOR_OBJS) monitor/boot/monitor.ld
	@echo "LD    $@"
	@$(LD) $(TARGET_LDFLAGS) -T monitor/boot/monitor.ld -o $@ $(MONITOR_OBJS)

-include $(MONITOR_OBJS:.o=.d)

ISO_BOOT    += $(MONITOR_ELF)
ALL_TARGETS += $(MONITOR_ELF)

# Host unit tests of the monitor's pure functions, under the address and
# undefined-behaviour sanitizers: an out-of-bounds read fails the test.
SANITIZE := -fsanitize=address,undefined -fno-sanitize-recover=all
$(eval $(call host_test,monitor/test_multiboot2,tests/unit/monitor/test_multiboot2.c monitor/boot/multiboot2.c,-Imonitor $(SANITIZE)))
$(eval $(call host_test,monitor/test_cpu_caps,tests/unit/monitor/test_cpu_caps.c monitor/vmx/caps.c monitor/svm/caps.c,-Imonitor $(SANITIZE)))
$(eval $(call host_test,monitor/test_ept,tests/unit/monitor/test_ept.c monitor/vmx/ept.c monitor/vmx/ept_sandbox.c,-Imonitor $(SANITIZE)))
$(eval $(call host_test,monitor/test_controls,tests/unit/monitor/test_controls.c monitor/vmx/controls.c,-Imonitor $(SANITIZE)))
$(eval $(call host_test,monitor/test_elf,tests/unit/monitor/test_elf.c monitor/elf.c,-Imonitor $(SANITIZE)))
$(eval $(call host_test,monitor/test_bootinfo,tests/unit/monitor/test_bootinfo.c monitor/bootinfo.c monitor/boot/multiboot2.c,-Imonitor $(SANITIZE)))
$(eval $(call host_test,monitor/test_ipi,tests/unit/monitor/test_ipi.c monitor/ipi.c,-Imonitor $(SANITIZE)))
$(eval $(call host_test,monitor/test_svm_maps,tests/unit/monitor/test_svm_maps.c monitor/svm/maps.c monitor/vmx/controls.c,-Imonitor -I. $(SANITIZE)))
$(eval $(call host_test,monitor/test_xapic_emul,tests/unit/monitor/test_xapic_emul.c monitor/xapic_insn.c monitor/guest_walk.c monitor/ipi.c,-Imonitor $(SANITIZE)))
# pci.c with the port wrappers declared only (cpu.h's contract stubs) and simulated by the test.
$(eval $(call host_test,monitor/test_pci,tests/unit/monitor/test_pci.c monitor/pci.c,-Imonitor -D__FRAMAC__ $(SANITIZE)))
$(eval $(call host_test,monitor/test_guest_buffer,tests/unit/monitor/test_guest_buffer.c monitor/guest_buffer.c,-Imonitor $(SANITIZE)))
$(eval $(call host_test,monitor/test_module_move,tests/unit/monitor/test_module_move.c monitor/module_move.c,-Imonitor $(SANITIZE)))
$(eval $(call host_test,monitor/test_decision_log,tests/unit/monitor/test_decision_log.c monitor/decision_log.c,-Imonitor $(SANITIZE)))
$(eval $(call host_test,monitor/test_irq_route,tests/unit/monitor/test_irq_route.c monitor/irq_route.c,-Imonitor -D__FRAMAC__ $(SANITIZE)))
$(eval $(call host_test,monitor/test_tmr_restart,tests/unit/monitor/test_tmr_restart.c monitor/tmr_restart.c,-Imonitor $(SANITIZE)))
# The deferred console lines and the formatter they share with the UART
# (console_fmt.c), the UART and the console lock simulated by the test.
$(eval $(call host_test,monitor/test_console_defer,tests/unit/monitor/test_console_defer.c monitor/console_defer.c monitor/console_fmt.c,-Imonitor -I. -D__FRAMAC__ $(SANITIZE)))
# The exit dispatcher with everything it calls simulated by the test (cpu.h's
# wrappers declared only, under __FRAMAC__).
$(eval $(call host_test,monitor/test_vmexit,tests/unit/monitor/test_vmexit.c monitor/vmexit.c,-Imonitor -I. -D__FRAMAC__ $(SANITIZE)))

# Per-configuration monitor ISOs for the monitor's system tests:
# build/iso/cfg-<name>.iso boots the monitor with build/config/{tests,examples}/<name>.bin
# as system.bin, and a command line that ends the run (triad.end-ms) after a
# steady-state window (triad.window-ms), both in virtual milliseconds.
MONITOR_TEST_ARGS ?= triad.settle-ms=300 triad.window-ms=100 triad.end-ms=600
$(BUILD)/iso/cfg-%.iso: $(BUILD)/config/tests/%.bin tools/iso/mkiso.sh tools/iso/grub.cfg.in $$(ISO_BOOT) | $(DEPS_STAMP)
	@SYSTEM_BIN=$< MONITOR_ARGS="$(MONITOR_TEST_ARGS)" tools/iso/mkiso.sh monitor $@ $(ISO_BOOT)
$(BUILD)/iso/cfg-%.iso: $(BUILD)/config/examples/%.bin tools/iso/mkiso.sh tools/iso/grub.cfg.in $$(ISO_BOOT) | $(DEPS_STAMP)
	@SYSTEM_BIN=$< MONITOR_ARGS="$(MONITOR_TEST_ARGS)" tools/iso/mkiso.sh monitor $@ $(ISO_BOOT)
# The default UAV TMR system (build/system.bin) with the test clock.
$(BUILD)/iso/cfg-uav-tmr.iso: $(BUILD)/system.bin tools/iso/mkiso.sh tools/iso/grub.cfg.in $$(ISO_BOOT) $$(SYSTEM_BIN_MODULES) | $(DEPS_STAMP)
	@SYSTEM_BIN=$< MONITOR_ARGS="$(MONITOR_TEST_ARGS)" EXTRA_MODULES="$(SYSTEM_BIN_MODULES)" tools/iso/mkiso.sh monitor $@ $(ISO_BOOT)
MONITOR_TEST_ISOS := $(addprefix $(BUILD)/iso/cfg-,three-sandboxes.iso monitor-faults-a.iso monitor-faults-b.iso monitor-faults-c.iso uav-tmr.iso monitor-smp.iso monitor-bad-image.iso monitor-ipi.iso)
.PHONY: monitor-isos
monitor-isos: $(MONITOR_TEST_ISOS)
SYSTEM_TEST_DEPS += $(MONITOR_TEST_ISOS)

# Recovery tests (issue 9, tests/system/36-39): recovery-corrupt's monitor
# corrupts sandbox 0's pristine image after boot (test option).
$(BUILD)/iso/cfg-recovery-corrupt.iso: $(BUILD)/config/tests/recovery-corrupt.bin tools/iso/mkiso.sh tools/iso/grub.cfg.in $$(ISO_BOOT) | $(DEPS_STAMP)
	@SYSTEM_BIN=$< MONITOR_ARGS="$(MONITOR_TEST_ARGS) triad.test-corrupt-pristine=0" tools/iso/mkiso.sh monitor $@ $(ISO_BOOT)
RECOVERY_TEST_ISOS := $(addprefix $(BUILD)/iso/cfg-,recovery-once.iso recovery-corrupt.iso)
# The run ends triad.end-ms after the sandboxes' launch (timekeeper.c).
# Each restart costs about 107 M instructions (2.1 virtual s at 50 M ips):
# in recovery-once alpha's escalated second fault comes about 2.6 s after
# the launch; in recovery-early delta's escalation (system safe mode) comes
# 1.2 s after it (a restart costs 47 M instructions since the load digest),
# and keeper needs a few heartbeats after it: 2.2 s; the margin leaves the
# restarted sandboxes time for their heartbeats.
$(RECOVERY_TEST_ISOS): MONITOR_TEST_ARGS = triad.settle-ms=300 triad.window-ms=100 triad.end-ms=4000
$(BUILD)/iso/cfg-recovery-early.iso: MONITOR_TEST_ARGS = triad.settle-ms=300 triad.window-ms=100 triad.end-ms=2800
SYSTEM_TEST_DEPS += $(RECOVERY_TEST_ISOS) $(BUILD)/iso/cfg-recovery-early.iso
