# attest/: measured launch.  The freestanding part (SHA-256, TIS driver,
# TPM 2.0 commands, event log, the launch sequence) is linked into the
# monitor (monitor/rules.mk takes ATTEST_MONITOR_SRCS); the pure parts are
# unit-tested on the host under the sanitizers; tools/verifier checks the
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
