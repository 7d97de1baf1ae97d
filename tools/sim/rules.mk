# tools/sim/: quadrotor plant, sensor models, the scripted mission, the
# closed-loop engine (single controller or TMR) and the host runner.  The
# flight controller (sandbox-kernel/programs/flightctl/) is built here for
# the host too, with the FP flags the sandbox build must use as well.
FLIGHTCTL_DIR  := sandbox-kernel/programs/flightctl
FLIGHTCTL_SRCS := $(wildcard $(FLIGHTCTL_DIR)/*.c)
# Same IEEE semantics on host and target: no fused multiply-add, no
# reassociation (never -ffast-math), sqrt as the bare instruction.
FLIGHTCTL_FPFLAGS := -ffp-contract=off -fno-math-errno
SIM_SRCS       := $(filter-out tools/sim/main.c,$(wildcard tools/sim/*.c))
TMR_CORE_SRCS  := tmr/voter.c tmr/replica_set.c tmr/digest.c
SIM_INCLUDES   := -Itmr -I$(FLIGHTCTL_DIR) -Itools/sim
SIM_SANITIZE   := -fsanitize=address,undefined -fno-sanitize-recover=all

SIM_CLOSED_LOOP := $(BUILD)/tools/sim-closed-loop
$(SIM_CLOSED_LOOP): tools/sim/main.c $(SIM_SRCS) $(FLIGHTCTL_SRCS) $(TMR_CORE_SRCS) | $(DEPS_STAMP)
	@mkdir -p $(@D) $(BUILD)/sim
	@echo "HOSTCC $@"
	@$(HOST_CC) $(HOST_CFLAGS) $(FLIGHTCTL_FPFLAGS) -O2 $(SIM_INCLUDES) -MF $@.d -o $@ $^ -lm
-include $(SIM_CLOSED_LOOP).d
ALL_TARGETS += $(SIM_CLOSED_LOOP)

$(eval $(call host_test,sim/test_plant,tests/unit/sim/test_plant.c $(SIM_SRCS) $(FLIGHTCTL_SRCS) $(TMR_CORE_SRCS),$(SIM_INCLUDES) $(FLIGHTCTL_FPFLAGS) $(SIM_SANITIZE) -lm))
$(eval $(call host_test,sim/test_flightctl,tests/unit/sim/test_flightctl.c $(FLIGHTCTL_SRCS) tmr/digest.c,$(SIM_INCLUDES) $(FLIGHTCTL_FPFLAGS) $(SIM_SANITIZE) -lm))
$(eval $(call host_test,sim/test_closed_loop,tests/unit/sim/test_closed_loop.c $(SIM_SRCS) $(FLIGHTCTL_SRCS) $(TMR_CORE_SRCS),$(SIM_INCLUDES) $(FLIGHTCTL_FPFLAGS) $(SIM_SANITIZE) -lm))
$(eval $(call host_test,sim/test_outcome,tests/unit/sim/test_outcome.c tools/sim/outcome.c,-Itools/sim $(SIM_SANITIZE)))

# The controller also compiles with the sandbox user-program flags (newlib
# headers, freestanding) plus the FP flags: a check that the law stays
# portable; the objects are not linked into anything yet.
FLIGHTCTL_TARGET_OBJS := $(patsubst %.c,$(BUILD)/flightctl-target/%.o,$(notdir $(FLIGHTCTL_SRCS)) digest.c)
$(BUILD)/flightctl-target/%.o: $(FLIGHTCTL_DIR)/%.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	@echo "CC    $< (user, flightctl)"
	@$(CC) $(USER_CFLAGS) $(FLIGHTCTL_FPFLAGS) -Itmr -c -o $@ $<
$(BUILD)/flightctl-target/digest.o: tmr/digest.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	@$(CC) $(USER_CFLAGS) -Itmr -c -o $@ $<
.PHONY: flightctl-target
flightctl-target: $(FLIGHTCTL_TARGET_OBJS)
ALL_TARGETS += flightctl-target
