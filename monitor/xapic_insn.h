/*
 * The two pure parts of xAPIC containment (xapic_trap.c): decoding the
 * guest instruction that touched the trapped xAPIC page, and turning an
 * xAPIC ICR write into the x2APIC ICR form that ipi_check (ipi.h) judges.
 * Only the forms a kernel uses on a 32-bit MMIO register are decoded: MOV
 * r/m32, r32 (89 /r), MOV r32, r/m32 (8B /r) and MOV r/m32, imm32 (C7 /0),
 * with at most one REX prefix (W clear) in 64-bit code.  Anything else is
 * refused and stays the nested page fault it was (an ept-violation record).
 * No heap, no loop longer than the 15 bytes of an instruction.
 */
#ifndef TRIAD_MONITOR_XAPIC_INSN_H
#define TRIAD_MONITOR_XAPIC_INSN_H

#include <stdint.h>

#define XAPIC_INSN_MAX  15u      /* the architectural instruction length limit */

/* Decoder results (negative: refused). */
#define XAPIC_DECODE_OK         0
#define XAPIC_DECODE_SHORT     (-1)   /* fewer bytes than the instruction needs */
#define XAPIC_DECODE_OPCODE    (-2)   /* not one of the three MOV forms */
#define XAPIC_DECODE_OPERAND   (-3)   /* register operand, 64-bit or 16-bit access */

struct xapic_mov {
    uint8_t len;      /* bytes of the instruction: the guest's RIP advances by it */
    uint8_t write;    /* 1: the guest writes the register */
    uint8_t reg;      /* general register in encoding order (0 rax .. 15 r15), if !has_imm */
    uint8_t has_imm;  /* 1: the written value is imm (C7 /0) */
    uint32_t imm;
};

/* Decodes insn[0 .. n-1] (n <= XAPIC_INSN_MAX bytes fetched at the guest's
   RIP); long_mode: 64-bit code (REX allowed, 64-bit addressing), else
   32-bit code.  *m is written only on XAPIC_DECODE_OK. */
/*@ requires n <= XAPIC_INSN_MAX;
    requires \valid_read(insn + (0 .. n - 1)) || n == 0;
    requires \valid(m);
    assigns *m;
    ensures DECODE_RESULT: \result == XAPIC_DECODE_OK || \result == XAPIC_DECODE_SHORT ||
                           \result == XAPIC_DECODE_OPCODE || \result == XAPIC_DECODE_OPERAND;
    ensures DECODE_LEN: \result == XAPIC_DECODE_OK ==> 2 <= m->len <= n;
    ensures DECODE_REG: \result == XAPIC_DECODE_OK ==> m->reg <= 15; */
int xapic_decode_mov(const uint8_t *insn, uint32_t n, int long_mode, struct xapic_mov *m);

/* Bits of the xAPIC ICR low word the guest cannot set (delivery status,
   remote read status): ignored by the hardware, dropped before the check. */
#define XAPIC_ICR_LOW_READ_ONLY 0x00031000u
#define XAPIC_ICR_LOGICAL       0x00000800u

/* The ICR write (low word, with the high word last written) in x2APIC
   form: destination field in bits 63:32, physical broadcast 0xFF becomes
   0xFFFFFFFF, the read-only bits dropped.  Logical destinations are not
   converted (an xAPIC logical ID is whatever the guests programmed into
   their LDRs, so the monitor cannot name the cores): the caller refuses
   them (xapic_icr_is_logical). */
/*@ assigns \nothing;
    ensures XAPIC_ICR_FORM: \result == ((high >> 24) == 0xFF ? 0xFFFFFFFF : (high >> 24)) * 4294967296
                                       + (low & ~XAPIC_ICR_LOW_READ_ONLY); */
uint64_t xapic_icr_x2(uint32_t low, uint32_t high);

/*@ assigns \nothing;
    ensures \result == ((low & XAPIC_ICR_LOGICAL) != 0); */
int xapic_icr_is_logical(uint32_t low);

#endif
