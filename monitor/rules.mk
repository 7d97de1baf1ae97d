# monitor/: the per-core monitor image and its host unit tests.
MONITOR_ELF  := $(BUILD)/monitor/monitor.elf
MONITOR_SRCS := $(wildcard monitor/*.c monitor/boot/*.c monitor/vmx/*.c monitor/svm/*.c)
MONITOR_ASM  := $(wildcard monitor/boot/*.S monitor/vmx/*.S monitor/svm/*.S)
MONITOR_OBJS := $(patsubst %,$(BUILD)/%.o,$(MONITOR_SRCS) $(MONITOR_ASM))

$(BUILD)/monitor/%.c.o: monitor/%.c
	@mkdir -p $(@D)
	@echo "CC    $<"
	@$(CC) $(MONITOR_CFLAGS) -Imonitor -c -o $@ $<

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
