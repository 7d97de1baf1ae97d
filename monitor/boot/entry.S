/*
 * Monitor entry from GRUB (multiboot2): 32-bit protected mode, paging off,
 * EAX = multiboot2 magic, EBX = physical address of the boot information.
 * We build an identity map of the low 4 GiB with 2 MiB pages (the monitor
 * runs at its physical addresses; the LAPIC and IOAPIC sit below 4 GiB),
 * switch to long mode and call monitor_main(magic, info).
 */
#define MB2_MAGIC      0xE85250D6
#define MB2_ARCH_I386  0

    .section .multiboot2, "a"
    .balign 8
mb2_header:
    .long MB2_MAGIC
    .long MB2_ARCH_I386
    .long mb2_header_end - mb2_header
    .long -(MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
    .balign 8                   /* end tag */
    .short 0
    .short 0
    .long 8
mb2_header_end:

    .section .boot.text, "ax"
    .code32
    .globl _start
_start:
    cli
    cld
    movl    $boot_stack_top, %esp
    movl    %eax, boot_magic
    movl    %ebx, boot_info

    /* PML4[0] -> PDPT; PDPT[0..3] -> PD0..PD3; each PD maps 1 GiB in 2 MiB pages. */
    movl    $boot_pdpt, %eax
    orl     $0x3, %eax                      /* present, writable */
    movl    %eax, boot_pml4
    xorl    %ecx, %ecx
1:  movl    %ecx, %eax
    shll    $12, %eax
    addl    $boot_pd, %eax
    orl     $0x3, %eax
    movl    %eax, boot_pdpt(,%ecx,8)
    incl    %ecx
    cmpl    $4, %ecx
    jb      1b

    xorl    %ecx, %ecx                      /* 2048 large pages */
2:  movl    %ecx, %eax
    shll    $21, %eax
    orl     $0x83, %eax                     /* present, writable, 2 MiB */
    cmpl    $(3 * 512), %ecx                /* top GiB (MMIO): cache-disabled */
    jb      3f
    orl     $0x18, %eax                     /* PWT | PCD */
3:  movl    %eax, boot_pd(,%ecx,8)
    movl    %ecx, %eax
    shrl    $11, %eax                       /* bits 32.. of the address */
    movl    %eax, boot_pd+4(,%ecx,8)
    incl    %ecx
    cmpl    $2048, %ecx
    jb      2b

    movl    %cr4, %eax
    orl     $(1 << 5), %eax                 /* PAE */
    movl    %eax, %cr4
    movl    $boot_pml4, %eax
    movl    %eax, %cr3
    movl    $0xC0000080, %ecx               /* EFER.LME */
    rdmsr
    orl     $(1 << 8), %eax
    wrmsr
    movl    %cr0, %eax
    orl     $((1 << 31) | (1 << 16) | 1), %eax   /* PG, WP, PE */
    movl    %eax, %cr0
    lgdt    boot_gdt_ptr
    ljmp    $0x08, $long_entry

    .code64
long_entry:
    movw    $0x10, %ax
    movw    %ax, %ds
    movw    %ax, %es
    movw    %ax, %ss
    xorw    %ax, %ax
    movw    %ax, %fs
    movw    %ax, %gs
    movq    $boot_stack_top, %rsp
    xorq    %rbp, %rbp
    movl    boot_magic, %edi
    movl    boot_info, %esi
    call    monitor_main
4:  cli
    hlt
    jmp     4b

    .section .rodata
    .balign 16
boot_gdt:
    .quad 0
    .quad 0x00AF9A000000FFFF            /* 0x08: 64-bit code */
    .quad 0x00CF92000000FFFF            /* 0x10: data */
boot_gdt_end:
boot_gdt_ptr:
    .short boot_gdt_end - boot_gdt - 1
    .long boot_gdt

    .section .bss
    .balign 4096
boot_pml4:  .skip 4096
boot_pdpt:  .skip 4096
boot_pd:    .skip 4096 * 4
    .balign 16
boot_stack: .skip 16384
boot_stack_top:
boot_magic: .skip 4
boot_info:  .skip 4

    .section .note.GNU-stack, "", @progbits
