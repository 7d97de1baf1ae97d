# User programs on channels (sandbox-kernel/programs/chan_*): the portable
# channel core built with the user flags against newlib's headers, plus the
# user-side platform (chan_lib/uchan.c), linked into each of them.
CHAN_PROGRAMS  := chan_send chan_recv chan_fifo chan_rogue chan_badmap chan_apex
CHAN_USER_OBJS := $(PROG_DIR)/chan_lib/uchan.uo \
  $(patsubst channels/%.c,$(PROG_DIR)/channels/%.uo,channels/fourslot.c channels/fifo.c channels/shmcomm.c channels/arinc653.c)

$(PROG_DIR)/channels/%.uo: channels/%.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	@echo "CC    $< (user)"
	@$(CC) $(USER_CFLAGS) -Ichannels -c -o $@ $<

$(foreach p,$(CHAN_PROGRAMS),$(eval PROG_EXTRA_$(p) := $(CHAN_USER_OBJS)))
KERNEL_PROGRAMS += $(CHAN_PROGRAMS)
