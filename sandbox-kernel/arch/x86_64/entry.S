/*
 * Sandbox kernel entry.  Two ways in, one state on arrival: 32-bit protected
 * mode, paging off, EAX = multiboot2 magic, EBX = boot information.  GRUB
 * gives us that standalone; the monitor recreates it for a sandbox (under
 * unrestricted guest the kernel starts exactly as on bare metal).
 *
 * The boot page tables are built at assembly time: the first 1 GiB,
 * identity-mapped with 2 MiB pages, is all the skeleton needs.
 */
    .section .multiboot2, "a"
    .balign 8
kernel_mb2_header:
    .long 0xE85250D6, 0, kernel_mb2_end - kernel_mb2_header
    .long -(0xE85250D6 + (kernel_mb2_end - kernel_mb2_header))
    .short 0, 0
    .long 8
kernel_mb2_end:

    .section .data
    .balign 4096
kernel_pml4:
    .quad kernel_pdpt + 0x3
    .fill 511, 8, 0
kernel_pdpt:
    .quad kernel_pd + 0x3
    .fill 511, 8, 0
kernel_pd:
    .set page, 0
    .rept 512
    .quad (page << 21) | 0x83
    .set page, page + 1
    .endr

    .balign 16
kernel_gdt:
    .quad 0, 0x00AF9A000000FFFF, 0x00CF92000000FFFF
kernel_gdt_desc:
    .short 3 * 8 - 1
    .quad kernel_gdt

    .section .bss
    .balign 16
kernel_boot_stack:
    .skip 32768
kernel_boot_stack_top:

    .section .boot.text, "ax"
    .code32
    .globl kernel_start32
kernel_start32:
    cli
    movl    %eax, %edi                      /* survives into long mode */
    movl    %ebx, %esi
    movl    $kernel_pml4, %eax
    movl    %eax, %cr3
    movl    %cr4, %eax
    btsl    $5, %eax                        /* PAE */
    movl    %eax, %cr4
    movl    $0xC0000080, %ecx
    rdmsr
    btsl    $8, %eax                        /* EFER.LME */
    wrmsr
    movl    %cr0, %eax
    orl     $0x80010001, %eax               /* PG | WP | PE */
    movl    %eax, %cr0
    lgdt    kernel_gdt_desc
    ljmp    $0x08, $kernel_start64

    .code64
kernel_start64:
    movl    $0x10, %eax
    movl    %eax, %ds
    movl    %eax, %es
    movl    %eax, %ss
    leaq    kernel_boot_stack_top(%rip), %rsp
    xorl    %ebp, %ebp
    call    kernel_main                     /* (magic in edi, info in esi) */
1:  hlt
    jmp     1b

    .section .note.GNU-stack, "", @progbits
