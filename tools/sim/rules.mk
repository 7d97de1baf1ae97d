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
