# attest/: SHA-256 (linked into the monitor and into host tools), later the
# TPM driver, event log and verifier.
#
# The monitor links attest/sha256.c itself (freestanding, no libc calls); here
# it is checked freestanding with the monitor's flags and unit-tested on the
# host under the sanitizers.
ATTEST_SHA256_OBJ := $(BUILD)/attest/sha256.o

$(ATTEST_SHA256_OBJ): attest/sha256.c attest/sha256.h
	@mkdir -p $(@D)
	@echo "CC    $<"
	@$(CC) $(MONITOR_CFLAGS) -c -o $@ $<

ALL_TARGETS += $(ATTEST_SHA256_OBJ)

$(eval $(call host_test,attest/test_sha256,tests/unit/attest/test_sha256.c attest/sha256.c,-Iattest -fsanitize=address,undefined -fno-sanitize-recover=all))
