/*
 * Per-core GDT and TSS.  Layout: null, kernel code, kernel data, user data,
 * user code, TSS (two slots).  User data comes before user code so that the
 * order also suits SYSRET should the kernel adopt it later.
 */
#include "trap.h"
#include "cpu.h"
#include "../../kernel/percpu.h"

struct percpu percpu_blocks[MAX_CPUS];

struct descriptor_pointer {
    uint16_t limit;
    uint64_t base;
} __attribute__((packed));

void percpu_init(unsigned id)
{
    struct percpu *p = &percpu_blocks[id];
    p->self = p;
    p->id = id;
    wrmsr(MSR_GS_BASE, (uint64_t)p);
    wrmsr(MSR_KERNEL_GS_BASE, 0);
}

void gdt_init(void)
{
    struct percpu *p = this_cpu();
    uint64_t tss = (uint64_t)&p->tss;
    uint64_t limit = sizeof p->tss - 1;
    p->gdt[0] = 0;
    p->gdt[1] = 0x00AF9A000000FFFFull;      /* kernel code, 64-bit */
    p->gdt[2] = 0x00CF92000000FFFFull;      /* kernel data */
    p->gdt[3] = 0x00CFF2000000FFFFull;      /* user data, DPL 3 */
    p->gdt[4] = 0x00AFFA000000FFFFull;      /* user code, DPL 3, 64-bit */
    p->gdt[5] = (limit & 0xFFFF) | ((tss & 0xFFFFFF) << 16) | (0x89ull << 40) |
                (((limit >> 16) & 0xF) << 48) | (((tss >> 24) & 0xFF) << 56);
    p->gdt[6] = tss >> 32;
    p->tss.iomap_base = sizeof p->tss;      /* no I/O bitmap: ring 3 gets no ports */
    struct descriptor_pointer d = { sizeof p->gdt - 1, (uint64_t)p->gdt };
    __asm__ volatile("lgdt %0\n\t"
                     "pushq $0x08\n\t"
                     "leaq 1f(%%rip), %%rax\n\t"
                     "pushq %%rax\n\t"
                     "lretq\n"
                     "1: movl $0x10, %%eax\n\t"
                     "movl %%eax, %%ds\n\t"
                     "movl %%eax, %%es\n\t"
                     "movl %%eax, %%ss\n\t"
                     "movw $0x28, %%ax\n\t"
                     "ltr %%ax"
                     : : "m"(d) : "rax", "memory");
}

void tss_set_kernel_stack(uint64_t rsp0) { this_cpu()->tss.rsp0 = rsp0; }
