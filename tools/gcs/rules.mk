# tools/gcs: the host ground-station decoder (MAVLink v2 over UDP on the loopback).
GCS := $(BUILD)/tools/gcs
$(GCS): tools/gcs/gcs.c tools/mavlink/mavlink.c tools/mavlink/mavlink_msgs.c tools/mavlink/mavlink.h tools/mavlink/mavlink_msgs.h
	@mkdir -p $(@D)
	@echo "HOSTCC $@"
	@$(HOST_CC) $(HOST_CFLAGS) -MF $@.d -Itools -o $@ tools/gcs/gcs.c tools/mavlink/mavlink.c tools/mavlink/mavlink_msgs.c
-include $(GCS).d
ALL_TARGETS += $(GCS)
SYSTEM_TEST_DEPS += $(GCS)
