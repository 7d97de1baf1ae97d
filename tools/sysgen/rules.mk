# tools/sysgen: the system-description compiler (host tool, libxml2), and the
# compiled descriptions.  Every config/*.xml, config/examples/*.xml and
# config/tests/*.xml becomes build/config/<path without .xml>.{bin,h,txt};
# build/system.bin is the uav-tmr table the ISO carries.
SYSGEN      := $(BUILD)/tools/sysgen
SYSGEN_SRCS := $(wildcard tools/sysgen/*.c) attest/sha256.c
SYSGEN_XML_CFLAGS := $(shell pkg-config --cflags libxml-2.0 2>/dev/null || echo -I/usr/include/libxml2)
SYSGEN_XML_LIBS   := $(shell pkg-config --libs libxml-2.0 2>/dev/null || echo -lxml2)

$(SYSGEN): $(SYSGEN_SRCS) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	@echo "HOSTCC $@"
	@$(HOST_CC) $(HOST_CFLAGS) -MF $@.d -Imonitor -I. $(SYSGEN_XML_CFLAGS) -o $@ $(SYSGEN_SRCS) $(SYSGEN_XML_LIBS) -lm
-include $(SYSGEN).d

CONFIG_XML := $(wildcard config/*.xml config/examples/*.xml config/tests/*.xml)
CONFIG_OUT := $(patsubst config/%.xml,$(BUILD)/config/%.bin,$(CONFIG_XML))

# Golden digests: every table gets the SHA-256 of the sandbox kernel image
# its ISO carries (sysgen --image), so the monitor's measured launch compares
# against real values.  The kernel-* tables boot the variant with the
# program archive built in (sandbox-kernel/rules.mk).  A description with an
# explicit sha256= keeps it (config/tests/monitor-bad-image.xml).
SYSGEN_KERNEL = $(KERNEL_ELF)
$(BUILD)/config/tests/kernel-%.bin: SYSGEN_KERNEL = $(KERNEL_ELF_PROGS)
# Further --image MODULE=PATH for a table whose sandboxes boot other images
# (a target-specific value: uav-tmr's replica-kernel, programs/uav/rules.mk).
SYSGEN_IMAGES :=

# The tables now need the kernel, so `make check-unit` builds it: its
# objects include third-party headers (lwIP, newlib) that the deps step
# unpacks, hence the order-only prerequisite (a fresh clone at -j2).
$(KERNEL_OBJS): | $(DEPS_STAMP)

# One run makes all three files (a multi-target pattern rule is one recipe).
$(BUILD)/config/%.bin $(BUILD)/config/%.h $(BUILD)/config/%.txt: config/%.xml config/system.xsd $(SYSGEN) $(KERNEL_ELF) $(KERNEL_ELF_PROGS)
	@mkdir -p $(@D)
	@echo "SYSGEN $<"
	@$(SYSGEN) --schema config/system.xsd --bin $(BUILD)/config/$*.bin --header $(BUILD)/config/$*.h \
	  --report $(BUILD)/config/$*.txt --image sandbox-kernel=$(SYSGEN_KERNEL) $(SYSGEN_IMAGES) $<

$(BUILD)/system.bin: $(BUILD)/config/uav-tmr.bin
	@cp $< $@

ALL_TARGETS += $(SYSGEN) $(CONFIG_OUT) $(BUILD)/system.bin
ISO_BOOT    += $(BUILD)/system.bin

# Host tests of the monitor's table validator (monitor/partition/validate.c),
# run on the tables sysgen produced.  The monitor links validate.c and
# attest/sha256.c itself; these rules only test them.
PARTITION_TABLES := $(BUILD)/config/uav-tmr.bin $(BUILD)/config/minimal.bin $(BUILD)/config/examples/three-sandboxes.bin \
                    $(BUILD)/config/uav-failover.bin
SANITIZE_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all
$(eval $(call host_test,partition/test_validate,tests/unit/partition/test_validate.c monitor/partition/validate.c attest/sha256.c,-Imonitor -I. -DTABLE_DIR='"$(BUILD)/config"' $(SANITIZE_FLAGS)))
$(BUILD)/tests/partition/test_validate: $(PARTITION_TABLES)

# sysgen on every bad description (tests/unit/sysgen/bad/*.xml): exact
# message, exit status, nothing written.
$(eval $(call host_test,sysgen/test_sysgen_errors,tests/unit/sysgen/test_sysgen_errors.c,-DTOP_DIR='"$(TOP)"' -DSYSGEN='"$(SYSGEN)"'))
$(BUILD)/tests/sysgen/test_sysgen_errors: $(SYSGEN) $(wildcard tests/unit/sysgen/bad/*.xml) config/system.xsd

# Compile-then-validate round trip on the descriptions in config/.
ROUNDTRIP_TABLES := $(PARTITION_TABLES) $(BUILD)/config/tests/explicit.bin
$(eval $(call host_test,sysgen/test_roundtrip,tests/unit/sysgen/test_roundtrip.c monitor/partition/validate.c attest/sha256.c,-Imonitor -I. $(SYSGEN_XML_CFLAGS) -DTOP_DIR='"$(TOP)"' -DTABLE_DIR='"$(BUILD)/config"' -DKERNEL_IMAGE='"$(KERNEL_ELF)"' -DREPLICA_IMAGE='"$(UAV_REPLICA_KERNEL)"' $(SANITIZE_FLAGS) $(SYSGEN_XML_LIBS)))
$(BUILD)/tests/sysgen/test_roundtrip: $(ROUNDTRIP_TABLES)

# ---- fuzzing the monitor's table validator ---------------------------------
# `make fuzz`: libFuzzer (clang) on monitor/partition/validate.c, seeded with
# the compiled tables, a bounded number of runs (FUZZ_RUNS).  Crashing inputs
# land in tests/fuzz/regressions/ to be committed; check-unit replays them.
FUZZ_RUNS   ?= 50000
FUZZ_BIN    := $(BUILD)/fuzz/fuzz_validate
FUZZ_CORPUS := $(BUILD)/fuzz/corpus
FUZZ_SRCS   := tests/fuzz/fuzz_validate.c tests/fuzz/validate_one.c monitor/partition/validate.c attest/sha256.c

$(FUZZ_BIN): $(FUZZ_SRCS) tests/fuzz/validate_one.h monitor/partition/validate.h monitor/partition/system_table.h | $(DEPS_STAMP)
	@mkdir -p $(@D)
	@echo "CLANG $@"
	@clang -std=c11 -g -O2 -Wall -Wextra -Werror -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	  -Imonitor -I. -Itests/fuzz -o $@ $(FUZZ_SRCS)

.PHONY: fuzz
fuzz: $(FUZZ_BIN) $(PARTITION_TABLES)
	@mkdir -p $(FUZZ_CORPUS) tests/fuzz/regressions
	@cp $(PARTITION_TABLES) $(FUZZ_CORPUS)/
	@echo "FUZZ  $(FUZZ_RUNS) runs on the table validator"
	@$(FUZZ_BIN) -runs=$(FUZZ_RUNS) -max_len=32768 -seed=1 -print_final_stats=1 \
	  -artifact_prefix=tests/fuzz/regressions/ $(FUZZ_CORPUS) 2>&1 | tail -15

$(eval $(call host_test,partition/test_fuzz_regressions,tests/unit/partition/test_fuzz_regressions.c tests/fuzz/validate_one.c monitor/partition/validate.c attest/sha256.c,-Imonitor -I. -Itests/fuzz -DREGRESSION_DIR='"$(TOP)/tests/fuzz/regressions"' -DTABLE_DIR='"$(BUILD)/config"' $(SANITIZE_FLAGS)))
$(BUILD)/tests/partition/test_fuzz_regressions: $(PARTITION_TABLES)
