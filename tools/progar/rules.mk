# tools/progar: the host tool that builds program archives for the sandbox kernel.
PROGAR := $(BUILD)/tools/progar
$(PROGAR): tools/progar/progar.c
	@mkdir -p $(@D)
	@echo "HOSTCC $@"
	@$(HOST_CC) $(HOST_CFLAGS) -MF $@.d -o $@ $<
ALL_TARGETS += $(PROGAR)
