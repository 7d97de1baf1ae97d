# sandbox-kernel/: the real-time kernel each sandbox runs (also standalone).
KERNEL_ELF  := $(BUILD)/sandbox-kernel/sandbox-kernel.elf
KERNEL_SRCS := $(shell find sandbox-kernel -name '*.c' -not -path '*/programs/*')
KERNEL_ASM  := $(shell find sandbox-kernel -name '*.S' -not -path '*/programs/*')
KERNEL_OBJS := $(patsubst %,$(BUILD)/%.o,$(KERNEL_SRCS) $(KERNEL_ASM))

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

# Test ISOs: the kernel alone with a command line per scenario (sandbox-kernel/iso/mkiso.sh).
KERNEL_ISO_DIR := $(BUILD)/iso
$(KERNEL_ISO_DIR)/kernel-base.iso: $(KERNEL_ELF) sandbox-kernel/iso/mkiso.sh | $(DEPS_STAMP)
	@sandbox-kernel/iso/mkiso.sh $@ $(KERNEL_ELF) "triad.heartbeat=100 triad.test=vmx-instruction"
$(KERNEL_ISO_DIR)/kernel-sched.iso: $(KERNEL_ELF) sandbox-kernel/iso/mkiso.sh | $(DEPS_STAMP)
	@sandbox-kernel/iso/mkiso.sh $@ $(KERNEL_ELF) "triad.selftest=sched"
KERNEL_ISOS := $(KERNEL_ISO_DIR)/kernel-base.iso $(KERNEL_ISO_DIR)/kernel-sched.iso
ALL_TARGETS += $(KERNEL_ISOS)
.PHONY: kernel-isos
kernel-isos: $(KERNEL_ISOS)
