# attest/: measured launch.  The freestanding part (SHA-256, TIS driver,
# TPM 2.0 commands, event log, the launch sequence) is linked into the
# monitor (monitor/rules.mk takes ATTEST_MONITOR_SRCS); the pure parts are
# unit-tested on the host under the sanitizers; attest/verify checks the
# evidence on the host.
ATTEST_MONITOR_SRCS := attest/sha256.c attest/tis.c attest/tpm2_cmd.c attest/eventlog.c attest/launch.c

# SHA-256 checked freestanding with the monitor's flags on its own too.
ATTEST_SHA256_OBJ := $(BUILD)/attest/sha256.o

$(ATTEST_SHA256_OBJ): attest/sha256.c attest/sha256.h
	@mkdir -p $(@D)
	@echo "CC    $<"
	@$(CC) $(MONITOR_CFLAGS) -c -o $@ $<

ALL_TARGETS += $(ATTEST_SHA256_OBJ)

ATTEST_SAN := -Iattest -fsanitize=address,undefined -fno-sanitize-recover=all
$(eval $(call host_test,attest/test_sha256,tests/unit/attest/test_sha256.c attest/sha256.c,$(ATTEST_SAN)))
$(eval $(call host_test,attest/test_tpm2_cmd,tests/unit/attest/test_tpm2_cmd.c attest/tpm2_cmd.c,$(ATTEST_SAN)))
$(eval $(call host_test,attest/test_eventlog,tests/unit/attest/test_eventlog.c attest/eventlog.c,$(ATTEST_SAN)))
# The measured launch against a scripted TPM behind the TIS registers.
$(eval $(call host_test,attest/test_launch_degrade,tests/unit/attest/test_launch_degrade.c attest/launch.c attest/tis.c attest/tpm2_cmd.c attest/eventlog.c attest/sha256.c monitor/partition/validate.c,$(ATTEST_SAN) -Imonitor -DTRIAD_TIS_HOST_MODEL))

# attest-verify: the host verifier (attest/verify/, C11, OpenSSL and
# tpm2-tss' libtss2-mu from Debian), and the golden manifest it reads:
# one "NAME PCR SHA256" line per component the monitor measures.
ATTEST_VERIFY      := $(BUILD)/tools/attest-verify
ATTEST_VERIFY_SRCS := attest/verify/main.c attest/verify/evidence.c attest/verify/quote.c
ATTEST_VERIFY_LIBS := $(shell pkg-config --libs tss2-mu libcrypto 2>/dev/null || echo -ltss2-mu -lcrypto)
ATTEST_GOLDEN      := $(BUILD)/attest/golden.txt

$(ATTEST_VERIFY): $(ATTEST_VERIFY_SRCS) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	@echo "HOSTCC $@"
	@$(HOST_CC) $(HOST_CFLAGS) -MF $@.d -o $@ $(ATTEST_VERIFY_SRCS) $(ATTEST_VERIFY_LIBS)
-include $(ATTEST_VERIFY).d

# The kernel and system.bin the ISOs carry (sandbox-kernel/ and tools/sysgen/
# define them after this file is read: secondary expansion).
$(ATTEST_GOLDEN): $$(KERNEL_ELF) $(BUILD)/system.bin
	@mkdir -p $(@D)
	@echo "GOLDEN $@"
	@{ echo "# Triad golden manifest: NAME PCR SHA256 (attest-verify --golden)"; \
	   echo "system.bin 9 $$(sha256sum $(BUILD)/system.bin | cut -c1-64)"; \
	   echo "sandbox-kernel 10 $$(sha256sum $(KERNEL_ELF) | cut -c1-64)"; } >$@.tmp && mv $@.tmp $@

ALL_TARGETS += $(ATTEST_VERIFY) $(ATTEST_GOLDEN)
SYSTEM_TEST_DEPS += $(ATTEST_VERIFY) $(ATTEST_GOLDEN)

ATTEST_VERIFY_TEST_LIBS := -Iattest/verify -Wl,--no-as-needed -lcrypto
$(eval $(call host_test,attest/test_verify_evidence,tests/unit/attest/test_verify_evidence.c attest/verify/evidence.c,$(ATTEST_SAN) $(ATTEST_VERIFY_TEST_LIBS)))

# make attest-run: the host verifier on the evidence of the last make run
# (build/runs/make-run/com1.log), against the images build/triad.iso
# carries (sandbox-kernel, the replicas' replica-kernel and system.bin, taken out of the ISO with xorriso: the build tree's kernel may
# have been rebuilt since): every measurement replayed into the PCRs the
# monitor read back from the TPM and compared with its golden digest.  The
# default system makes no quote (no nonce), so the PCR values are not
# signed: see docs/attestation.md.  Run it before the ISO is rebuilt.
MAKE_RUN_OUT := $(BUILD)/runs/make-run
attest-run: $(ATTEST_VERIFY)
	@test -s $(MAKE_RUN_OUT)/com1.log || { echo "attest-run: no $(MAKE_RUN_OUT)/com1.log: 'make run' first"; exit 2; }
	@test -s $(ISO) || { echo "attest-run: no $(ISO): 'make run' first"; exit 2; }
	@rm -rf $(MAKE_RUN_OUT)/iso-images && mkdir -p $(MAKE_RUN_OUT)/iso-images
	@xorriso -osirrox on -indev $(ISO) -extract /boot/sandbox-kernel.elf $(MAKE_RUN_OUT)/iso-images/sandbox-kernel.elf \
	  -extract /boot/replica-kernel.elf $(MAKE_RUN_OUT)/iso-images/replica-kernel.elf \
	  -extract /boot/system.bin $(MAKE_RUN_OUT)/iso-images/system.bin >/dev/null 2>$(MAKE_RUN_OUT)/iso-images/xorriso.log \
	  || { echo "attest-run: cannot read the images of $(ISO): see $(MAKE_RUN_OUT)/iso-images/xorriso.log"; exit 2; }
	@$(ATTEST_VERIFY) --console $(MAKE_RUN_OUT)/com1.log --golden $(ATTEST_GOLDEN) \
	  --image sandbox-kernel=$(MAKE_RUN_OUT)/iso-images/sandbox-kernel.elf --image system.bin=$(MAKE_RUN_OUT)/iso-images/system.bin \
	  --image replica-kernel=$(MAKE_RUN_OUT)/iso-images/replica-kernel.elf
.PHONY: attest-run
