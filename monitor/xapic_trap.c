/* xAPIC accesses of contained sandboxes, emulated (see xapic_trap.h). */
#include <stddef.h>
#include "xapic_trap.h"
#include "vmexit.h"
#include "xapic_insn.h"
#include "guest_walk.h"
#include "ipi.h"
#include "fault.h"
#include "virt.h"
#include "cpu.h"
#include "sandbox.h"
#include "monitor.h"

#define XAPIC_REGS_END 0x400u     /* registers 0x000-0x3F0, one per 16 bytes */

struct xapic_core xapic_cores[MAX_CORES];

int xapic_trapped(uint32_t sb)
{
    int trapped = 0;
    if ((sb < sys->sandbox_count) && (sb < TRIAD_MAX_SANDBOXES) &&
        (sys->sandboxes[sb].ipi_policy == (uint8_t)TRIAD_IPI_CONTAINED)) {
        if (cpu_has_x2apic() == 0) {
            trapped = 1;
        }
    }
    return trapped;
}

int ipi_send_allowed(struct core *c, uint64_t icr)
{
    uint32_t all = 0xFFFFFFFFu;
    if (sys->platform.core_count < 32u) {
        all = (1u << sys->platform.core_count) - 1u;
    }
    int allowed = 1;
    if (ipi_check(icr, c->index, sys->sandboxes[c->sandbox].core_mask, all) != (int)IPI_OK) {
        (void)fault_raise(c, TRIAD_FAULT_IPI_VIOLATION, ICR_DEST(icr), virt_guest_rip(c), icr);
        allowed = 0;
    }
    return allowed;
}

/* The general register of encoding number n (0 rax, 1 rcx, 2 rdx, 3 rbx,
   4 rsp, 5 rbp, 6 rsi, 7 rdi, 8-15 r8-r15) in the saved registers; NULL
   for rsp, which lives in the VMCB/VMCS, not in regs (not emulated). */
/*@ requires \valid(regs) && n <= 15;
    assigns \nothing; */
static uint64_t *gpr(struct guest_regs *regs, uint32_t n)
{
    uint64_t *r;
    switch (n) {
    case 0u:  r = &regs->rax; break;
    case 1u:  r = &regs->rcx; break;
    case 2u:  r = &regs->rdx; break;
    case 3u:  r = &regs->rbx; break;
    case 5u:  r = &regs->rbp; break;
    case 6u:  r = &regs->rsi; break;
    case 7u:  r = &regs->rdi; break;
    case 8u:  r = &regs->r8; break;
    case 9u:  r = &regs->r9; break;
    case 10u: r = &regs->r10; break;
    case 11u: r = &regs->r11; break;
    case 12u: r = &regs->r12; break;
    case 13u: r = &regs->r13; break;
    case 14u: r = &regs->r14; break;
    case 15u: r = &regs->r15; break;
    default:  r = NULL; break;
    }
    return r;
}

/* An ICR low write: sent (high word first, from the guest's shadow) when
   the destination is a core of the sender's sandbox; else refused with
   the sender's ipi-violation record.  An xAPIC logical destination names
   cores through the guests' own LDRs, so it is refused as well. */
/*@ requires \valid(c) && c->index < MAX_CORES && fault_sys_names;
    assigns xapic_cores[c->index], fault_log[0 .. TRIAD_FAULT_LOG_LEN - 1], fault_next, fault_lock_word, con_lock_word, con_rings[0 .. MAX_CORES - 1], con_out; */
static void emulate_icr_write(struct core *c, uint32_t value)
{
    struct xapic_core *x = &xapic_cores[c->index];
    const uint64_t icr = xapic_icr_x2(value, x->icr_high);
    int allowed;
    if (xapic_icr_is_logical(value) != 0) {
        (void)fault_raise(c, TRIAD_FAULT_IPI_VIOLATION, ICR_DEST(icr), virt_guest_rip(c), icr);
        allowed = 0;
    } else {
        allowed = ipi_send_allowed(c, icr);
    }
    if (allowed != 0) {
        x->icr_sent++;
        mmio_write32(XAPIC_PAGE + XAPIC_REG_ICR_HI, x->icr_high);
        mmio_write32(XAPIC_PAGE + XAPIC_REG_ICR_LOW, value & ~XAPIC_ICR_LOW_READ_ONLY);
    } else {
        x->icr_refused++;
    }
}

/* A guest write of value to register reg of this core's LAPIC. */
/*@ requires \valid(c) && c->index < MAX_CORES;
    assigns xapic_cores[c->index]; */
static void emulate_write(struct core *c, uint32_t reg, uint32_t value)
{
    struct xapic_core *x = &xapic_cores[c->index];
    x->writes++;
    if (reg == XAPIC_REG_ID) {
        /* the APIC ID is not the guest's to change: dropped */
    } else if (reg == XAPIC_REG_ICR_LOW) {
        emulate_icr_write(c, value);
    } else {
        if (reg == XAPIC_REG_ICR_HI) {
            x->icr_high = value;
        }
        mmio_write32(XAPIC_PAGE + reg, value);    /* EOI, TPR, LVTs, timer, SVR, ...: the guest's own */
    }
}

/* The MOV at the guest's RIP, fetched through its page tables and decoded;
   the guest's code size in *size.  XAPIC_DECODE_OK or a refusal. */
/*@ requires \valid_read(c) && \valid(m) && \valid(size) && c->sandbox < TRIAD_MAX_SANDBOXES;
    assigns *m, *size; */
static int fetch_mov(const struct core *c, struct xapic_mov *m, int *size)
{
    struct guest_paging pg;
    int result = XAPIC_DECODE_OPCODE;
    (void)virt_guest_paging(c, &pg);
    *size = guest_code_size(&pg);
    if (*size != GUEST_CODE_16) {
        const uint64_t rip = virt_guest_rip(c);
        const uint64_t lin = (*size == GUEST_CODE_64) ? rip : ((pg.cs_base + rip) & 0xFFFFFFFFULL);
        const struct triad_sandbox *s = &sys->sandboxes[c->sandbox];
        uint8_t insn[XAPIC_INSN_MAX];
        /* sandbox RAM is identity-mapped in the monitor at mem_base (below 4 GiB) */
        const uint32_t got = guest_fetch((const uint8_t *)(uintptr_t)s->mem_base, s->mem_size, &pg, lin,
                                         insn, XAPIC_INSN_MAX);
        result = xapic_decode_mov(insn, got, (*size == GUEST_CODE_64) ? 1 : 0, m);
    }
    return result;
}

int xapic_trap_access(struct core *c, struct guest_regs *regs, const struct virt_exit *e)
{
    const uint32_t reg = (uint32_t)(e->gpa - XAPIC_PAGE);
    struct xapic_mov m;
    int size = GUEST_CODE_16;
    uint64_t *r = NULL;
    int handled = 0;
    if ((c->index < MAX_CORES) && (c->sandbox < TRIAD_MAX_SANDBOXES) && (xapic_trapped(c->sandbox) != 0) &&
        (e->gpa >= XAPIC_PAGE) && (e->gpa < (XAPIC_PAGE + XAPIC_REGS_END)) && ((reg & 0xFu) == 0u) &&
        (fetch_mov(c, &m, &size) == XAPIC_DECODE_OK)) {
        if (m.has_imm == 0u) {
            r = gpr(regs, m.reg);
        }
        if ((m.has_imm != 0u) || (r != NULL)) {
            handled = 1;                          /* an immediate, or a register other than rsp */
        }
    }
    if (handled != 0) {
        const uint64_t rip = virt_guest_rip(c);
        if (m.has_imm != 0u) {
            emulate_write(c, reg, m.imm);         /* C7: always a store */
        } else if (r == NULL) {
            /* not reached: handled needs a register or an immediate */
        } else if (m.write == 0u) {
            xapic_cores[c->index].reads++;
            *r = mmio_read32(XAPIC_PAGE + reg);   /* a 32-bit load zero-extends */
        } else {
            emulate_write(c, reg, (uint32_t)*r);
        }
        virt_set_rip(c, (size == GUEST_CODE_64) ? (rip + m.len) : ((rip + m.len) & 0xFFFFFFFFULL));
    }
    return handled;
}
