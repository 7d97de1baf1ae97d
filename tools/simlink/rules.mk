# tools/simlink: the PX4-convention simulator link (TCP 4560, HIL_SENSOR /
# HIL_ACTUATOR_CONTROLS lockstep) in front of tools/sim's plant and sensor
# models, which it uses unchanged.  Same FP flags as tools/sim.
SIM_LINK := $(BUILD)/tools/sim-link
SIM_LINK_SRCS := tools/simlink/sim_link.c tools/sim/quad_model.c tools/sim/sensors.c tools/sim/prng.c \
  tools/mavlink/mavlink.c tools/mavlink/mavlink_msgs.c tools/mavlink/mavlink_stream.c
$(SIM_LINK): $(SIM_LINK_SRCS) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	@echo "HOSTCC $@"
	@$(HOST_CC) $(HOST_CFLAGS) -ffp-contract=off -fno-math-errno -D_GNU_SOURCE -Itools -Itools/sim -Itmr -MF $@.d -o $@ $(SIM_LINK_SRCS) -lm
-include $(SIM_LINK).d
ALL_TARGETS += $(SIM_LINK)
SYSTEM_TEST_DEPS += $(SIM_LINK)
