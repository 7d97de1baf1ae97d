# sandbox-kernel/: the real-time kernel each sandbox runs (also standalone).
KERNEL_ELF  := $(BUILD)/sandbox-kernel/sandbox-kernel.elf
KERNEL_SRCS := $(shell find sandbox-kernel -name '*.c' -not -path '*/programs/*')
KERNEL_ASM  := $(shell find sandbox-kernel -name '*.S' -not -path '*/programs/*')
KERNEL_OBJS := $(patsubst %,$(BUILD)/%.o,$(KERNEL_SRCS) $(KERNEL_ASM))
# lwIP for the kernel's network (sandbox-kernel/net/rules.mk adds its objects).
include sandbox-kernel/net/rules.mk
# The channel library (channels/rules.mk builds it with the kernel flags).
KERNEL_OBJS += $(patsubst %,$(BUILD)/%.o,channels/fourslot.c channels/fifo.c channels/shmcomm.c)
# recovery/'s NIC driver watchdog verdicts (recovery/rules.mk builds it with the kernel flags).
KERNEL_OBJS += $(BUILD)/recovery/driver_watchdog.c.o

$(BUILD)/sandbox-kernel/%.c.o: sandbox-kernel/%.c
	@mkdir -p $(@D)
	@echo "CC    $<"
	@$(CC) $(KERNEL_CFLAGS) -Isandbox-kernel -c -o $@ $<

$(BUILD)/sandbox-kernel/%.S.o: sandbox-kernel/%.S
	@mkdir -p $(@D)
	@echo "AS    $<"
	@$(CC) $(TARGET_ASFLAGS) -c -o $@ $<

$(KERNEL_ELF): $(KERNEL_OBJS) sandbox-kernel/arch/x86_64/kernel.ld
	@echo "LD    $@"
	@$(LD) $(TARGET_LDFLAGS) -T sandbox-kernel/arch/x86_64/kernel.ld -o $@ $(KERNEL_OBJS)

-include $(KERNEL_OBJS:.o=.d)

ISO_BOOT    += $(KERNEL_ELF)
ALL_TARGETS += $(KERNEL_ELF)

$(eval $(call host_test,sandbox-kernel/test_printk,tests/unit/sandbox-kernel/test_printk.c sandbox-kernel/kernel/printk.c,-Isandbox-kernel -DPRINTK_HOST_TEST -Wno-format -Wno-format-extra-args $(SANITIZE)))
$(eval $(call host_test,sandbox-kernel/test_vcpu_math,tests/unit/sandbox-kernel/test_vcpu_math.c sandbox-kernel/sched/vcpu_math.c,-Isandbox-kernel $(SANITIZE) -lm))
$(eval $(call host_test,sandbox-kernel/test_bootinfo,tests/unit/sandbox-kernel/test_bootinfo.c sandbox-kernel/kernel/bootinfo.c sandbox-kernel/kernel/cmdline.c,-Isandbox-kernel $(SANITIZE)))
$(eval $(call host_test,sandbox-kernel/test_console_ring,tests/unit/sandbox-kernel/test_console_ring.c sandbox-kernel/kernel/console_ring.c,-Isandbox-kernel $(SANITIZE)))

# Test ISOs: the kernel alone with a command line per scenario (sandbox-kernel/iso/mkiso.sh).
KERNEL_ISO_DIR := $(BUILD)/iso
$(KERNEL_ISO_DIR)/kernel-base.iso: $(KERNEL_ELF) sandbox-kernel/iso/mkiso.sh sandbox-kernel/rules.mk | $(DEPS_STAMP)
	@sandbox-kernel/iso/mkiso.sh $@ $(KERNEL_ELF) "triad.heartbeat=100 triad.test=vmx-instruction"
$(KERNEL_ISO_DIR)/kernel-sched.iso: $(KERNEL_ELF) sandbox-kernel/iso/mkiso.sh sandbox-kernel/rules.mk | $(DEPS_STAMP)
	@sandbox-kernel/iso/mkiso.sh $@ $(KERNEL_ELF) "triad.selftest=sched"
KERNEL_ISOS := $(KERNEL_ISO_DIR)/kernel-base.iso $(KERNEL_ISO_DIR)/kernel-sched.iso
ALL_TARGETS += $(KERNEL_ISOS)
.PHONY: kernel-isos
kernel-isos: $(KERNEL_ISOS)

# ---- user programs (newlib) and their archive -----------------------------
# Programs get SSE (the kernel saves it per thread); newlib comes from build/newlib.
USER_CFLAGS  := $(filter-out -mgeneral-regs-only,$(TARGET_CFLAGS)) -isystem $(BUILD)/newlib/x86_64-elf/include
LIBGCC       := $(shell $(CC) -print-libgcc-file-name)
NEWLIB_LIB   := $(BUILD)/newlib/x86_64-elf/lib
KERNEL_PROGRAMS := hello_world fork_test vcpu_test bad_syscalls sleeper bench udp_echo telemetry threads tcp_echo net_event_check
PROG_DIR     := $(BUILD)/sandbox-kernel/programs
PROG_BIN     := $(BUILD)/sandbox-kernel/bin
USER_LIB_OBJS := $(PROG_DIR)/lib/crt0.uo $(PROG_DIR)/lib/syscalls.uo
# Programs may link extra objects: PROG_EXTRA_<name> (the channel programs do).
include sandbox-kernel/programs/chan_lib/rules.mk
include sandbox-kernel/programs/uav/rules.mk
include sandbox-kernel/programs/hil_fc/rules.mk

$(PROG_DIR)/%.uo: sandbox-kernel/programs/%.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	@echo "CC    $< (user)"
	@$(CC) $(USER_CFLAGS) -c -o $@ $<
$(PROG_DIR)/%.uo: sandbox-kernel/programs/%.S
	@mkdir -p $(@D)
	@$(CC) $(TARGET_ASFLAGS) -c -o $@ $<

define kernel_program
$(PROG_BIN)/$(1): $(patsubst sandbox-kernel/programs/%.c,$(PROG_DIR)/%.uo,$(wildcard sandbox-kernel/programs/$(1)/*.c)) $(PROG_EXTRA_$(1)) $(USER_LIB_OBJS) sandbox-kernel/programs/lib/user.ld
	@mkdir -p $$(@D)
	@echo "LD    $$@"
	@$(LD) $(TARGET_LDFLAGS) -z noexecstack -T sandbox-kernel/programs/lib/user.ld -o $$@ $(USER_LIB_OBJS) \
	  $(patsubst sandbox-kernel/programs/%.c,$(PROG_DIR)/%.uo,$(wildcard sandbox-kernel/programs/$(1)/*.c)) $(PROG_EXTRA_$(1)) \
	  --start-group $(NEWLIB_LIB)/libc.a $(LIBGCC) --end-group
endef
$(foreach p,$(KERNEL_PROGRAMS),$(eval $(call kernel_program,$(p))))

# A file that is not ELF, to show the loader refusing it.
$(PROG_BIN)/not_elf:
	@mkdir -p $(@D)
	@echo "this is a text file, not an ELF executable" >$@

# The archive holds stripped copies (a sixth of the size: it is copied into
# every sandbox that carries it); bin/ keeps the symbols for debugging.
PROG_STRIPPED := $(BUILD)/sandbox-kernel/stripped
$(PROG_STRIPPED)/%: $(PROG_BIN)/%
	@mkdir -p $(@D)
	@if $(OBJCOPY) --strip-all $< $@ 2>/dev/null; then :; else cp $< $@; fi
KERNEL_ARCHIVE := $(BUILD)/sandbox-kernel/programs.par
$(KERNEL_ARCHIVE): $(BUILD)/tools/progar $(addprefix $(PROG_STRIPPED)/,$(KERNEL_PROGRAMS)) $(PROG_STRIPPED)/not_elf
	@echo "PROGAR $@"
	@$(BUILD)/tools/progar $@ $(addprefix $(PROG_STRIPPED)/,$(KERNEL_PROGRAMS)) $(PROG_STRIPPED)/not_elf
ALL_TARGETS += $(KERNEL_ARCHIVE)

# The kernel for sandboxes under the monitor, which passes no modules: the
# same objects plus the archive in .rodata (programs/embed_archive.S).
KERNEL_ELF_PROGS := $(BUILD)/sandbox-kernel/with-programs/sandbox-kernel.elf
$(BUILD)/sandbox-kernel/embed_archive.o: sandbox-kernel/programs/embed_archive.S $(KERNEL_ARCHIVE)
	@mkdir -p $(@D)
	@$(CC) $(TARGET_ASFLAGS) -DPROGRAM_ARCHIVE='"$(KERNEL_ARCHIVE)"' -c -o $@ $<
$(KERNEL_ELF_PROGS): $(KERNEL_OBJS) $(BUILD)/sandbox-kernel/embed_archive.o sandbox-kernel/arch/x86_64/kernel.ld
	@mkdir -p $(@D)
	@echo "LD    $@"
	@$(LD) $(TARGET_LDFLAGS) -T sandbox-kernel/arch/x86_64/kernel.ld -o $@ $(KERNEL_OBJS) $(BUILD)/sandbox-kernel/embed_archive.o
ALL_TARGETS += $(KERNEL_ELF_PROGS)

# Monitor ISOs for the kernel's own tests under the monitor:
# build/iso/cfg-kernel-<name>.iso from config/tests/kernel-<name>.xml, with the
# kernel that carries its programs, and a monitor that ends the run late
# (the kernel ends it first with TRIAD-EXIT).
KERNEL_MONITOR_ARGS := triad.settle-ms=300 triad.window-ms=100 triad.end-ms=30000
# Test 24 on SVM (39-qemu-svm-j): a 500 us test clock keeps QEMU's vCPU
# turns short enough for the self-test's 2 ms periodic VCPU (svm/clock.c);
# VMX ignores the option.
$(BUILD)/iso/cfg-kernel-under-monitor.iso: KERNEL_MONITOR_ARGS += triad.svm-clock-us=500
$(BUILD)/iso/cfg-kernel-%.iso: $(BUILD)/config/tests/kernel-%.bin $(KERNEL_ELF_PROGS) $(MONITOR_ELF) tools/iso/mkiso.sh tools/iso/grub.cfg.in sandbox-kernel/rules.mk | $(DEPS_STAMP)
	@SYSTEM_BIN=$< MONITOR_ARGS="$(KERNEL_MONITOR_ARGS)" tools/iso/mkiso.sh monitor $@ $(filter-out $(KERNEL_ELF),$(ISO_BOOT)) $(KERNEL_ELF_PROGS)
KERNEL_MONITOR_ISOS := $(patsubst config/tests/%.xml,$(BUILD)/iso/cfg-%.iso,$(wildcard config/tests/kernel-*.xml))
SYSTEM_TEST_DEPS += $(KERNEL_MONITOR_ISOS)

$(KERNEL_ISO_DIR)/kernel-user.iso: $(KERNEL_ELF) $(KERNEL_ARCHIVE) sandbox-kernel/iso/mkiso.sh sandbox-kernel/rules.mk | $(DEPS_STAMP)
	@sandbox-kernel/iso/mkiso.sh $@ $(KERNEL_ELF) \
	  "triad.shell=hello_world+a+b,fork_test+3,vcpu_test,bad_syscalls,no_such_cmd,not_elf,nowait+fork_test+2,ps+-v,wait,nowait+sleeper,nowait+sleeper,sleep+50,ps+-t,kill+-t+1,kill+-t+15,sleep+20,kill+-t+15,kill+-c,wait,ps+-v,ps+-x,halt" \
	  $(KERNEL_ARCHIVE) programs
KERNEL_ISOS += $(KERNEL_ISO_DIR)/kernel-user.iso
ALL_TARGETS += $(KERNEL_ISO_DIR)/kernel-user.iso
$(eval $(call host_test,sandbox-kernel/test_loader,tests/unit/sandbox-kernel/test_loader.c sandbox-kernel/user/progar.c sandbox-kernel/user/elf.c,-Isandbox-kernel $(SANITIZE)))
$(KERNEL_ISO_DIR)/kernel-bench.iso: $(KERNEL_ELF) $(KERNEL_ARCHIVE) sandbox-kernel/iso/mkiso.sh sandbox-kernel/rules.mk | $(DEPS_STAMP)
	@sandbox-kernel/iso/mkiso.sh $@ $(KERNEL_ELF) "triad.shell=stats,bench+40000,stats,halt" $(KERNEL_ARCHIVE) programs
KERNEL_ISOS += $(KERNEL_ISO_DIR)/kernel-bench.iso
ALL_TARGETS += $(KERNEL_ISO_DIR)/kernel-bench.iso
# The same benchmark for Bochs, standalone: the script of config/tests/kernel-bench.xml
# (the run under the monitor), so the two sides compare like for like.
KERNEL_BENCH_BOCHS_SCRIPT := triad.shell=stats,bench+2000,stats,halt
$(KERNEL_ISO_DIR)/kernel-bench-bochs.iso: $(KERNEL_ELF) $(KERNEL_ARCHIVE) sandbox-kernel/iso/mkiso.sh sandbox-kernel/rules.mk | $(DEPS_STAMP)
	@sandbox-kernel/iso/mkiso.sh $@ $(KERNEL_ELF) "$(KERNEL_BENCH_BOCHS_SCRIPT)" $(KERNEL_ARCHIVE) programs
KERNEL_ISOS += $(KERNEL_ISO_DIR)/kernel-bench-bochs.iso
# Threads in a process (tests/system/25-qemu-kernel-threads.sh): stats before and after for leaks.
$(KERNEL_ISO_DIR)/kernel-threads.iso: $(KERNEL_ELF) $(KERNEL_ARCHIVE) sandbox-kernel/iso/mkiso.sh sandbox-kernel/rules.mk | $(DEPS_STAMP)
	@sandbox-kernel/iso/mkiso.sh $@ $(KERNEL_ELF) \
	  "triad.shell=stats,threads,threads+6+500,threads+race+4+200,threads+bad,threads+hang,threads+vcpu,threads+99,nowait+threads+spin,sleep+50,ps+-t,kill+-c,wait,ps+-v,stats,halt" \
	  $(KERNEL_ARCHIVE) programs
KERNEL_ISOS += $(KERNEL_ISO_DIR)/kernel-threads.iso
ALL_TARGETS += $(KERNEL_ISO_DIR)/kernel-threads.iso