/*
 * The program archive inside the kernel image, for sandboxes: the monitor
 * hands a sandbox only its kernel ELF (no module), so the variant kernel
 * build/sandbox-kernel/with-programs/sandbox-kernel.elf carries the archive
 * in .rodata.  PROGRAM_ARCHIVE is the archive's path, given by the build.
 */
    .section .rodata.program_archive, "a"
    .balign 16
    .globl embedded_archive_start, embedded_archive_end
embedded_archive_start:
    .incbin PROGRAM_ARCHIVE
embedded_archive_end:
    .section .note.GNU-stack, "", @progbits
