# tools/iso/: the tboot entry's kernel.
#
# Debian's tboot 1.10.5 reads a multiboot kernel's program headers as ELF32
# only: given the ELF64 monitor it stops with "PT_LOAD header not found".
# The monitor starts in 32-bit protected mode (boot/entry.S) and is linked
# below 4 GiB, so an ELF32 container of the very same bytes boots the same
# code: the tboot entry loads monitor32.elf.
MONITOR32_ELF := $(BUILD)/monitor/monitor32.elf

$(MONITOR32_ELF): $(MONITOR_ELF)
	@echo "OBJCOPY $@"
	@$(OBJCOPY) -O elf32-i386 $< $@

ISO_BOOT    += $(MONITOR32_ELF)
ALL_TARGETS += $(MONITOR32_ELF)
