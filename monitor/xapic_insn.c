/* Decoder of the MOV forms that touch the xAPIC page, and the ICR
   conversion (see xapic_insn.h). */
#include "xapic_insn.h"

#define OP_MOV_STORE   0x89u   /* MOV r/m32, r32 */
#define OP_MOV_LOAD    0x8Bu   /* MOV r32, r/m32 */
#define OP_MOV_IMM     0xC7u   /* MOV r/m32, imm32 (ModRM.reg = 0) */
#define REX_W          0x08u
#define REX_R          0x04u
#define NO_MEMORY      0xFFu   /* modrm_extra: a register operand */

/* Bytes of SIB and displacement after the ModRM byte (32/64-bit
   addressing), or NO_MEMORY for a register operand.  sib_base: the SIB's
   base field, read only when rm says a SIB follows. */
/*@ assigns \nothing;
    ensures \result == NO_MEMORY || \result <= 5; */
static uint32_t modrm_extra(uint32_t modrm, uint32_t sib_base)
{
    const uint32_t mod = modrm >> 6;
    const uint32_t rm = modrm & 7u;
    uint32_t extra;
    if (mod == 3u) {
        extra = NO_MEMORY;
    } else {
        extra = 0u;
        if (rm == 4u) {
            extra = 1u;                                            /* SIB byte */
        }
        if (mod == 1u) {
            extra += 1u;                                           /* disp8 */
        } else if ((mod == 2u) || (rm == 5u) || ((rm == 4u) && (sib_base == 5u))) {
            extra += 4u;                                           /* disp32 (mod 2), RIP-relative or SIB without base */
        } else {
            /* mod 0: no displacement */
        }
    }
    return extra;
}

/*@ requires \valid_read(b + (0 .. 3));
    assigns \nothing; */
static uint32_t le32(const uint8_t *b)
{
    /* sums of bytes times powers of 256: no shift for the prover to bound */
    return (uint32_t)b[0] + ((uint32_t)b[1] * 256u) + ((uint32_t)b[2] * 65536u) + ((uint32_t)b[3] * 16777216u);
}

int xapic_decode_mov(const uint8_t *insn, uint32_t n, int long_mode, struct xapic_mov *m)
{
    uint32_t i = 0u;
    uint32_t rex = 0u;
    int result = XAPIC_DECODE_OK;
    if (n < 2u) {
        result = XAPIC_DECODE_SHORT;
    } else {
        if ((long_mode != 0) && ((uint32_t)insn[0] >= 0x40u) && ((uint32_t)insn[0] <= 0x4Fu)) {
            rex = insn[0];
            i = 1u;
        }
        const uint32_t op = insn[i];
        if ((rex & REX_W) != 0u) {
            result = XAPIC_DECODE_OPERAND;                        /* a 64-bit access */
        } else if ((op != OP_MOV_STORE) && (op != OP_MOV_LOAD) && (op != OP_MOV_IMM)) {
            result = XAPIC_DECODE_OPCODE;
        } else if ((i + 1u) >= n) {
            result = XAPIC_DECODE_SHORT;
        } else {
            const uint32_t modrm = insn[i + 1u];
            uint32_t needs_sib = 0u;
            if (((modrm >> 6) != 3u) && ((modrm & 7u) == 4u)) {
                needs_sib = 1u;
            }
            if ((op == OP_MOV_IMM) && (((modrm >> 3) & 7u) != 0u)) {
                result = XAPIC_DECODE_OPCODE;                     /* C7 /1..7 is not MOV */
            } else if ((needs_sib != 0u) && ((i + 2u) >= n)) {
                result = XAPIC_DECODE_SHORT;
            } else {
                const uint32_t sib_base = (needs_sib != 0u) ? ((uint32_t)insn[i + 2u] & 7u) : 0u;
                const uint32_t extra = modrm_extra(modrm, sib_base);
                const uint32_t imm_at = i + 2u + extra;
                const uint32_t len = imm_at + ((op == OP_MOV_IMM) ? 4u : 0u);
                if (extra == NO_MEMORY) {
                    result = XAPIC_DECODE_OPERAND;                /* register to register */
                } else if (len > n) {
                    result = XAPIC_DECODE_SHORT;
                } else {
                    /*@ assert 2 <= len <= n && n <= XAPIC_INSN_MAX; */
                    m->len = (uint8_t)len;
                    m->write = (op != OP_MOV_LOAD) ? 1u : 0u;
                    const uint32_t reg_low = (modrm >> 3) & 7u;
                    /*@ assert reg_low <= 7; */
                    uint32_t reg = reg_low;
                    if ((rex & REX_R) != 0u) {
                        reg = reg_low + 8u;                       /* REX.R: r8d-r15d */
                    }
                    /*@ assert reg <= 15; */
                    m->reg = (uint8_t)reg;
                    m->has_imm = (op == OP_MOV_IMM) ? 1u : 0u;
                    m->imm = (op == OP_MOV_IMM) ? le32(&insn[imm_at]) : 0u;
                }
            }
        }
    }
    return result;
}

uint64_t xapic_icr_x2(uint32_t low, uint32_t high)
{
    /* destination * 2^32 + low word: the x2APIC layout, written as
       arithmetic (no shift or OR) so the prover sees it cannot overflow */
    const uint32_t dest = high >> 24;
    const uint64_t x2dest = (dest == 0xFFu) ? 0xFFFFFFFFULL : (uint64_t)dest;
    const uint32_t low_bits = low & ~XAPIC_ICR_LOW_READ_ONLY;
    return (x2dest * 4294967296ULL) + (uint64_t)low_bits;
}

int xapic_icr_is_logical(uint32_t low)
{
    return ((low & XAPIC_ICR_LOGICAL) != 0u) ? 1 : 0;
}
