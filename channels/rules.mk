# channels/: shmcomm (four-slot and FIFO channels) and the ARINC 653 port layer.
#
# One portable core, three builds:
#   - build/channels/libchannels.a: freestanding, kernel flags, for the
#     sandbox kernel and user programs (they supply memcpy and the platform);
#   - host unit tests under the sanitizers (tests/unit/channels/);
#   - the benchmark harness (tests/bench/30-channels.sh), below: one per copy
#     routine the channel really runs with.
CHANNELS_SRCS := channels/fourslot.c channels/fifo.c channels/shmcomm.c channels/arinc653.c
CHANNELS_OBJS := $(patsubst %,$(BUILD)/%.o,$(CHANNELS_SRCS))
CHANNELS_LIB  := $(BUILD)/channels/libchannels.a

$(BUILD)/channels/%.c.o: channels/%.c
	@mkdir -p $(@D)
	@echo "CC    $<"
	@$(CC) $(KERNEL_CFLAGS) -Ichannels -c -o $@ $<

$(CHANNELS_LIB): $(CHANNELS_OBJS)
	@echo "AR    $@"
	@rm -f $@ && ar rcs $@ $^

-include $(CHANNELS_OBJS:.o=.d)
ALL_TARGETS += $(CHANNELS_LIB)

CHANNELS_SANITIZE := -fsanitize=address,undefined -fno-sanitize-recover=all
CHANNELS_TEST_FLAGS := -Ichannels -Itests/unit/channels -D_GNU_SOURCE
CHANNELS_HOST := tests/unit/channels/host_platform.c

$(eval $(call host_test,channels/test_shm_layout,tests/unit/channels/test_shm_layout.c,$(CHANNELS_TEST_FLAGS) $(CHANNELS_SANITIZE)))
$(eval $(call host_test,channels/test_fourslot_fifo,tests/unit/channels/test_fourslot_fifo.c channels/fourslot.c channels/fifo.c,$(CHANNELS_TEST_FLAGS) $(CHANNELS_SANITIZE)))
$(eval $(call host_test,channels/test_shmcomm,tests/unit/channels/test_shmcomm.c channels/shmcomm.c channels/fourslot.c channels/fifo.c $(CHANNELS_HOST),$(CHANNELS_TEST_FLAGS) $(CHANNELS_SANITIZE)))
$(eval $(call host_test,channels/test_channels_stress,tests/unit/channels/test_channels_stress.c channels/shmcomm.c channels/fourslot.c channels/fifo.c $(CHANNELS_HOST),$(CHANNELS_TEST_FLAGS) -O2 -pthread $(CHANNELS_SANITIZE)))
$(eval $(call host_test,channels/test_channels_tsan,tests/unit/channels/test_channels_stress.c channels/shmcomm.c channels/fourslot.c channels/fifo.c $(CHANNELS_HOST),$(CHANNELS_TEST_FLAGS) -O2 -pthread -fsanitize=thread -Wno-tsan -DSTRESS_MESSAGES=20000))
$(eval $(call host_test,channels/test_arinc653,tests/unit/channels/test_arinc653.c channels/arinc653.c channels/shmcomm.c channels/fourslot.c channels/fifo.c $(CHANNELS_HOST),$(CHANNELS_TEST_FLAGS) $(CHANNELS_SANITIZE)))

# Model checking of the two protocols (spin): `make proofs` runs it.
.PHONY: proofs-spin
proofs-spin: | $(DEPS_STAMP)
	@mkdir -p $(BUILD)/proofs/spin && python3 certification/tools/certgen.py stamp proof:spin --to $(BUILD)/proofs/spin/stamp.json
	@proofs/promela/check.sh $(BUILD)/proofs/spin
PROOF_TARGETS += proofs-spin

# Cross-sandbox channel tests under the monitor (tests/system/40-*.sh,
# tests/bench/31-*.sh): longer runs than the monitor's own test ISOs.
CHANNELS_XSB_ISOS := $(BUILD)/iso/cfg-channels-xsandbox.iso $(BUILD)/iso/cfg-channels-bench.iso
$(CHANNELS_XSB_ISOS): MONITOR_TEST_ARGS = triad.settle-ms=300 triad.window-ms=100 triad.end-ms=4000
# The benchmark counts VM exits during its runs: the monitor's clock on
# core 0 (the preemption timer) must not fire among them, so no
# steady-state window there; its only deadlines are 10 ms after the last
# launch (before the benchmark's 100 ms settle) and the end of the run.
$(BUILD)/iso/cfg-channels-bench.iso: MONITOR_TEST_ARGS = triad.settle-ms=10 triad.window-ms=0 triad.end-ms=4000
# The sandboxes run the kernel that carries the program archive (the user
# channel programs, sandbox-kernel/programs/chan_*): the same boot files as
# monitor/rules.mk's cfg-%.iso with that kernel in place of the plain one.
# Their tables carry the golden digest of that kernel (sysgen --image).
$(patsubst $(BUILD)/iso/cfg-%.iso,$(BUILD)/config/tests/%.bin,$(CHANNELS_XSB_ISOS)): SYSGEN_KERNEL = $(KERNEL_ELF_PROGS)
$(CHANNELS_XSB_ISOS): $(BUILD)/iso/cfg-%.iso: $(BUILD)/config/tests/%.bin $$(KERNEL_ELF_PROGS) $$(ISO_BOOT) tools/iso/mkiso.sh tools/iso/grub.cfg.in | $(DEPS_STAMP)
	@SYSTEM_BIN=$< MONITOR_ARGS="$(MONITOR_TEST_ARGS)" tools/iso/mkiso.sh monitor $@ $(filter-out $(KERNEL_ELF),$(ISO_BOOT)) $(KERNEL_ELF_PROGS)
SYSTEM_TEST_DEPS += $(CHANNELS_XSB_ISOS)
.PHONY: channels-isos
channels-isos: $(CHANNELS_XSB_ISOS)

# The sandbox kernel's reader of the monitor's boot tag, on hostile tags.
$(eval $(call host_test,channels/test_chan_boot,tests/unit/channels/test_chan_boot.c sandbox-kernel/chan/chan_boot.c,-Isandbox-kernel $(CHANNELS_SANITIZE)))

# The instruction-count harness of tests/bench/30-channels.sh, built three
# times: the channel core with the flags and the memcpy of each place it
# runs, measured against that same memcpy.  The harness itself is hosted
# (callgrind client requests, printf); linking a memcpy into the executable
# overrides glibc's for the channel and for the reference copy alike.
#   host:   gcc -O2 hosted, glibc's memcpy (AVX on this machine);
#   kernel: KERNEL_CFLAGS, the sandbox kernel's memcpy (rep movsb,
#           sandbox-kernel/kernel/string.c), as in the kernel's channels;
#   user:   USER_CFLAGS, newlib's memcpy (from build/newlib's libc.a), as in
#           the chan_* programs.
CHB := $(BUILD)/bench/channels
CHB_CORE := shmcomm fourslot fifo
CHB_HARNESS_FLAGS := -std=c11 -O2 -g -Wall -Wextra -Werror -D_DEFAULT_SOURCE -Ichannels

$(CHB)/harness.o: channels/bench/channels_bench.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	@$(HOST_CC) $(CHB_HARNESS_FLAGS) -MMD -MP -c -o $@ $<
$(CHB)/host/%.o: channels/%.c
	@mkdir -p $(@D)
	@$(HOST_CC) $(CHB_HARNESS_FLAGS) -MMD -MP -c -o $@ $<
$(CHB)/kernel/%.o: channels/%.c
	@mkdir -p $(@D)
	@$(CC) $(KERNEL_CFLAGS) -Ichannels -c -o $@ $<
$(CHB)/kernel/string.o: sandbox-kernel/kernel/string.c
	@mkdir -p $(@D)
	@$(CC) $(KERNEL_CFLAGS) -c -o $@ $<
$(CHB)/user/%.o: channels/%.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	@$(CC) $(USER_CFLAGS) -Ichannels -c -o $@ $<
$(CHB)/user/memcpy.o: | $(DEPS_STAMP)
	@mkdir -p $(@D)
	@cd $(@D) && ar x $(abspath $(NEWLIB_LIB))/libc.a lib_a-memcpy.o && mv lib_a-memcpy.o memcpy.o

$(CHB)/channels_bench-host: $(CHB)/harness.o $(CHB_CORE:%=$(CHB)/host/%.o)
	@echo "LD    $@"
	@$(HOST_CC) -o $@ $^
$(CHB)/channels_bench-kernel: $(CHB)/harness.o $(CHB_CORE:%=$(CHB)/kernel/%.o) $(CHB)/kernel/string.o
	@echo "LD    $@"
	@$(HOST_CC) -no-pie -o $@ $^
$(CHB)/channels_bench-user: $(CHB)/harness.o $(CHB_CORE:%=$(CHB)/user/%.o) $(CHB)/user/memcpy.o
	@echo "LD    $@"
	@$(HOST_CC) -no-pie -z noexecstack -o $@ $^
-include $(wildcard $(CHB)/*.d $(CHB)/*/*.d)
.PHONY: channels-bench-harness
channels-bench-harness: $(CHB)/channels_bench-host $(CHB)/channels_bench-kernel $(CHB)/channels_bench-user
