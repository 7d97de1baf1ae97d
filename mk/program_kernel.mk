# $(eval $(call program_kernel,DIR,ELF,PROGRAMS,WHAT)): a sandbox kernel that
# carries only PROGRAMS (names of user programs) in its built-in archive.
#   DIR/programs.par     their stripped copies (tools/progar)
#   DIR/ELF              the kernel objects with that archive in .rodata
#   DIR/stripped/ELF     the same without symbols: the image an ISO carries,
#                        whose every loaded byte the monitor hashes at boot
#                        and before each restart (fewer programs, fewer bytes)
# WHAT is the build's one-line description of the image.  The fault-injection
# flight's kernel (fault-injection/rules.mk) and the UAV replicas' own image
# (sandbox-kernel/programs/uav/rules.mk) are two calls of it.
# Here because those files are read before sandbox-kernel/rules.mk, which
# defines KERNEL_OBJS and PROG_STRIPPED: the prerequisites that name them are
# escaped for .SECONDEXPANSION (read after every rules.mk), the recipes
# expand when they run.
define program_kernel
$(1)/programs.par: $$$$(BUILD)/tools/progar $$$$(addprefix $$$$(PROG_STRIPPED)/,$(3))
	@mkdir -p $$(@D)
	@$$(BUILD)/tools/progar $$@ $$(filter-out %/progar,$$^)
$(1)/embed_archive.o: sandbox-kernel/programs/embed_archive.S $(1)/programs.par
	@$$(CC) $$(TARGET_ASFLAGS) -DPROGRAM_ARCHIVE='"$(1)/programs.par"' -c -o $$@ $$<
$(1)/$(2): $$$$(KERNEL_OBJS) $(1)/embed_archive.o sandbox-kernel/arch/x86_64/kernel.ld
	@echo "LD    $$@ ($(4))"
	@$$(LD) $$(TARGET_LDFLAGS) -T sandbox-kernel/arch/x86_64/kernel.ld -o $$@ $$(KERNEL_OBJS) $(1)/embed_archive.o
$(1)/stripped/$(2): $(1)/$(2)
	@mkdir -p $$(@D)
	@$$(OBJCOPY) --strip-all $$< $$@
endef
