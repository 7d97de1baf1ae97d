# hil_fc: the flight controller flown over the PX4 simulator link (TCP,
# HIL_SENSOR / HIL_ACTUATOR_CONTROLS).  It shares the flight-control law,
# the voter and the mission with the uav programs: their objects, built by
# sandbox-kernel/programs/uav/rules.mk with the controller's FP flags.
$(PROG_DIR)/hil_fc/%.uo: USER_CFLAGS += $(UAV_CFLAGS)
PROG_EXTRA_hil_fc := $(UAV_FC_OBJS) $(UAV_OBJ)/voter.o $(UAV_OBJ)/digest.o $(UAV_OBJ)/mission.o $(NEWLIB_LIB)/libm.a
KERNEL_PROGRAMS += hil_fc
