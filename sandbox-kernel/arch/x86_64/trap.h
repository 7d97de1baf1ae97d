/* The register frame every interrupt, exception and system call builds (arch/x86_64/isr.S). */
#ifndef TRIAD_KERNEL_TRAP_H
#define TRIAD_KERNEL_TRAP_H

#include <stdint.h>

struct trap_frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector, error;
    uint64_t rip, cs, rflags, rsp, ss;       /* pushed by the CPU */
};

#define VECTOR_TIMER     0xF0
#define VECTOR_SPURIOUS  0xFF
#define VECTOR_SYSCALL   0x80
#define VECTOR_PIC_BASE  0x20                /* legacy PIC remapped here, IRQ n at 0x20 + n */

#define KERNEL_CS 0x08
#define KERNEL_DS 0x10
#define USER_DS   0x1B                        /* GDT index 3, RPL 3 */
#define USER_CS   0x23                        /* GDT index 4, RPL 3 */
#define TSS_SEL   0x28

static inline int frame_from_user(const struct trap_frame *f) { return (f->cs & 3) == 3; }

/* C side of every vector (trap.c). */
void trap_dispatch(struct trap_frame *f);
/* Returns through the common exit path with the frame at the stack top (isr.S). */
void trap_return(void);

/* Set up GDT+TSS and IDT on this core. */
void gdt_init(void);
void idt_init(void);
void tss_set_kernel_stack(uint64_t rsp0);

/* A handler for one vector (timer, syscalls, device IRQs). */
typedef void (*trap_handler_t)(struct trap_frame *f);
void trap_set_handler(unsigned vector, trap_handler_t h);

/* Recovery point for deliberate faults (fault self-tests): when non-zero, a
   kernel-mode exception prints its report and resumes at this address. */
extern volatile uint64_t trap_recover_rip;
extern volatile unsigned trap_recovered_count;

#endif
