/* xAPIC containment's pure parts (issue 14): the MOV decoder the monitor
   uses on a trapped xAPIC access, the xAPIC -> x2APIC ICR conversion that
   feeds ipi_check (so an xAPIC INIT to another sandbox's core gets the
   very record an x2APIC one gets), and the guest page walk that fetches
   the instruction.  Bad input: other opcodes, register operands, 64-bit
   and short instructions are refused; page-table entries outside the
   sandbox's RAM, unmapped pages and paging modes not walked give -1 and
   nothing is read outside the buffer (AddressSanitizer). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "xapic_insn.h"
#include "guest_walk.h"
#include "ipi.h"

static int decode(const uint8_t *b, uint32_t n, int lm, struct xapic_mov *m)
{
    memset(m, 0xAA, sizeof *m);
    return xapic_decode_mov(b, n, lm, m);
}

/* The forms gcc emits for the sandbox kernel's lapic[reg / 4] accesses. */
/* REQ: MON-SVM-003 */
static void decodes_kernel_forms(void **state)
{
    (void)state;
    struct xapic_mov m;
    static const uint8_t store[] = { 0x89, 0x82, 0x00, 0x03, 0x00, 0x00 };      /* mov %eax,0x300(%rdx) */
    assert_int_equal(decode(store, sizeof store, 1, &m), XAPIC_DECODE_OK);
    assert_int_equal(m.len, 6);
    assert_int_equal(m.write, 1);
    assert_int_equal(m.reg, 0);
    assert_int_equal(m.has_imm, 0);
    static const uint8_t load[] = { 0x8B, 0x40, 0x20 };                          /* mov 0x20(%rax),%eax */
    assert_int_equal(decode(load, sizeof load, 1, &m), XAPIC_DECODE_OK);
    assert_int_equal(m.len, 3);
    assert_int_equal(m.write, 0);
    assert_int_equal(m.reg, 0);
    static const uint8_t rex_load[] = { 0x44, 0x8B, 0x0C, 0x25, 0x90, 0x03, 0xE0, 0xFE };   /* mov 0xfee00390,%r9d */
    assert_int_equal(decode(rex_load, sizeof rex_load, 1, &m), XAPIC_DECODE_OK);
    assert_int_equal(m.len, 8);
    assert_int_equal(m.reg, 9);
    static const uint8_t imm[] = { 0xC7, 0x80, 0xB0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 };   /* movl $0,0xb0(%rax) */
    assert_int_equal(decode(imm, sizeof imm, 1, &m), XAPIC_DECODE_OK);
    assert_int_equal(m.len, 10);
    assert_int_equal(m.write, 1);
    assert_int_equal(m.has_imm, 1);
    assert_int_equal(m.imm, 0);
    static const uint8_t imm8[] = { 0xC7, 0x42, 0x10, 0x78, 0x56, 0x34, 0x12 };   /* movl $0x12345678,0x10(%rdx) */
    assert_int_equal(decode(imm8, sizeof imm8, 1, &m), XAPIC_DECODE_OK);
    assert_int_equal(m.len, 7);
    assert_int_equal(m.imm, 0x12345678u);
    static const uint8_t riprel[] = { 0x89, 0x05, 0x10, 0x20, 0x30, 0x40 };     /* mov %eax,disp(%rip) */
    assert_int_equal(decode(riprel, sizeof riprel, 1, &m), XAPIC_DECODE_OK);
    assert_int_equal(m.len, 6);
    static const uint8_t sib_index[] = { 0x89, 0x1C, 0x8A };                     /* mov %ebx,(%rdx,%rcx,4) */
    assert_int_equal(decode(sib_index, sizeof sib_index, 1, &m), XAPIC_DECODE_OK);
    assert_int_equal(m.len, 3);
    assert_int_equal(m.reg, 3);
    /* in 32-bit code 0x40-0x4F are INC/DEC, not REX: refused as opcodes */
    assert_int_equal(decode(rex_load, sizeof rex_load, 0, &m), XAPIC_DECODE_OPCODE);
    static const uint8_t store32[] = { 0x89, 0x15, 0x00, 0x03, 0xE0, 0xFE };    /* mov %edx,0xfee00300 (32-bit) */
    assert_int_equal(decode(store32, sizeof store32, 0, &m), XAPIC_DECODE_OK);
    assert_int_equal(m.len, 6);
    assert_int_equal(m.reg, 2);
}

/* REQ: MON-SVM-003 */
static void refuses_other_instructions(void **state)
{
    (void)state;
    struct xapic_mov m;
    static const uint8_t w64[] = { 0x48, 0x89, 0x02 };               /* mov %rax,(%rdx): 64-bit */
    assert_int_equal(decode(w64, sizeof w64, 1, &m), XAPIC_DECODE_OPERAND);
    static const uint8_t regreg[] = { 0x89, 0xC2 };                  /* mov %eax,%edx */
    assert_int_equal(decode(regreg, sizeof regreg, 1, &m), XAPIC_DECODE_OPERAND);
    static const uint8_t orl[] = { 0x81, 0x0A, 0x00, 0x01, 0x00, 0x00 };   /* orl $0x100,(%rdx) */
    assert_int_equal(decode(orl, sizeof orl, 1, &m), XAPIC_DECODE_OPCODE);
    static const uint8_t opsize[] = { 0x66, 0x89, 0x02 };            /* mov %ax,(%rdx): 16-bit */
    assert_int_equal(decode(opsize, sizeof opsize, 1, &m), XAPIC_DECODE_OPCODE);
    static const uint8_t c7_1[] = { 0xC7, 0x4A, 0x10, 0, 0, 0, 0 };  /* C7 /1: not MOV */
    assert_int_equal(decode(c7_1, sizeof c7_1, 1, &m), XAPIC_DECODE_OPCODE);
    static const uint8_t cut[] = { 0x89, 0x82, 0x00, 0x03 };         /* disp32 cut short */
    assert_int_equal(decode(cut, sizeof cut, 1, &m), XAPIC_DECODE_SHORT);
    static const uint8_t cut_imm[] = { 0xC7, 0x02, 0x01, 0x02 };     /* imm32 cut short */
    assert_int_equal(decode(cut_imm, sizeof cut_imm, 1, &m), XAPIC_DECODE_SHORT);
    static const uint8_t cut_sib[] = { 0x89, 0x04 };                 /* SIB missing */
    assert_int_equal(decode(cut_sib, sizeof cut_sib, 1, &m), XAPIC_DECODE_SHORT);
    assert_int_equal(decode(w64, 1, 1, &m), XAPIC_DECODE_SHORT);
    assert_int_equal(decode(w64, 0, 1, &m), XAPIC_DECODE_SHORT);
    /* every prefix of a good instruction is short, never read past n */
    static const uint8_t imm[] = { 0xC7, 0x80, 0xB0, 0x00, 0x00, 0x00, 0x11, 0x22, 0x33, 0x44 };
    for (uint32_t n = 0; n < sizeof imm; n++) {
        uint8_t *copy = malloc(n ? n : 1);
        memcpy(copy, imm, n);
        assert_int_equal(decode(copy, n, 1, &m), XAPIC_DECODE_SHORT);
        free(copy);
    }
}

/* An xAPIC ICR write judged as its x2APIC form: the records of test 35 are
   the same on both backends (qual 0x0000000100004500 for alpha's INIT). */
/* REQ: MON-SVM-003, MON-EXIT-001 */
static void icr_conversion(void **state)
{
    (void)state;
    assert_int_equal(xapic_icr_x2(0x4500u, 1u << 24), 0x0000000100004500ull);
    assert_int_equal(xapic_icr_x2(0x0400u, 1u << 24), 0x0000000100000400ull);
    /* delivery status and remote read status are read-only: dropped */
    assert_int_equal(xapic_icr_x2(0x00031000u | 0xF0u, 2u << 24), 0x00000002000000F0ull);
    /* physical broadcast 0xFF is x2APIC's 0xFFFFFFFF; reserved high bits ignored */
    assert_int_equal(xapic_icr_x2(0x4500u, 0xFF000000u | 0x00FFFFFFu), 0xFFFFFFFF00004500ull);
    /* the verdicts test 35 needs: INIT to core 1 from a sandbox on core 0 is
       foreign, a fixed IPI to itself is allowed, a broadcast leaves it */
    assert_int_equal(ipi_check(xapic_icr_x2(0x4500u, 1u << 24), 0, 0x1, 0x7), IPI_FOREIGN);
    assert_int_equal(ipi_check(xapic_icr_x2(0xF0u, 0u), 0, 0x1, 0x7), IPI_OK);
    assert_int_equal(ipi_check(xapic_icr_x2(0xF0u, 0xFFu << 24), 0, 0x1, 0x7), IPI_FOREIGN);
    /* reserved low bits are still refused, not masked */
    assert_int_equal(ipi_check(xapic_icr_x2(0x100000F0u, 0u), 0, 0x1, 0x7), IPI_RESERVED);
    assert_int_equal(xapic_icr_is_logical(0x8F0u), 1);
    assert_int_equal(xapic_icr_is_logical(0x0F0u), 0);
}

#define RAM_SIZE (64u * 4096u)

static void put64(uint8_t *ram, uint64_t at, uint64_t v)
{
    for (int k = 0; k < 8; k++)
        ram[at + k] = (uint8_t)(v >> (8 * k));
}

/* Long-mode tables in a 256 KiB "sandbox": PML4 at 0x1000, PDPT 0x2000,
   PD 0x3000, PT 0x4000; linear 0x400000 (PD entry 2) -> 4 KiB page 0x10000,
   linear 0x401000 -> 0x11000, linear 0x200000 (PD entry 1) a 2 MiB page at 0. */
static uint8_t *long_mode_ram(struct guest_paging *pg)
{
    uint8_t *ram = calloc(1, RAM_SIZE);
    put64(ram, 0x1000, 0x2000 | 3);
    put64(ram, 0x2000, 0x3000 | 3);
    put64(ram, 0x3000 + 2 * 8, 0x4000 | 3);
    put64(ram, 0x3000 + 1 * 8, 0x0 | 0x83);
    put64(ram, 0x4000, 0x10000 | 3);
    put64(ram, 0x4000 + 8, 0x11000 | 3);
    *pg = (struct guest_paging){ .cr0 = 0x80000011u, .cr3 = 0x1000, .cr4 = 0x20, .efer = 0x500, .cs_long = 1 };
    return ram;
}

/* REQ: MON-SVM-003 */
static void walks_guest_tables(void **state)
{
    (void)state;
    struct guest_paging pg;
    uint8_t *ram = long_mode_ram(&pg);
    uint64_t gpa = 0;
    assert_int_equal(guest_code_size(&pg), GUEST_CODE_64);
    assert_int_equal(guest_linear_to_phys(ram, RAM_SIZE, &pg, 0x400123, &gpa), 0);
    assert_int_equal(gpa, 0x10123);
    assert_int_equal(guest_linear_to_phys(ram, RAM_SIZE, &pg, 0x200456, &gpa), 0);
    assert_int_equal(gpa, 0x456);                                   /* 2 MiB page */
    /* an instruction across a page boundary: bytes from two pages */
    ram[0x10FFE] = 0x89; ram[0x10FFF] = 0x82;
    ram[0x11000] = 0x00; ram[0x11001] = 0x03;
    uint8_t out[15];
    assert_int_equal(guest_fetch(ram, RAM_SIZE, &pg, 0x400FFE, out, 4), 4);
    assert_int_equal(out[0], 0x89);
    assert_int_equal(out[3], 0x03);
    /* paging off: linear is guest-physical */
    struct guest_paging flat = { .cr0 = 0x11, .cs_32 = 1 };
    assert_int_equal(guest_code_size(&flat), GUEST_CODE_32);
    assert_int_equal(guest_linear_to_phys(ram, RAM_SIZE, &flat, 0x10FFE, &gpa), 0);
    assert_int_equal(gpa, 0x10FFE);
    free(ram);
}

/* REQ: MON-SVM-003 */
static void refuses_bad_tables(void **state)
{
    (void)state;
    struct guest_paging pg;
    uint8_t *ram = long_mode_ram(&pg);
    uint64_t gpa = 0x5A5A;
    /* not present (PT entry 2) */
    assert_int_equal(guest_linear_to_phys(ram, RAM_SIZE, &pg, 0x402000, &gpa), -1);
    assert_int_equal(gpa, 0x5A5A);                                  /* untouched */
    /* a table pointer outside the sandbox's RAM */
    put64(ram, 0x3000 + 3 * 8, 0x7FFFF000ull | 3);
    assert_int_equal(guest_linear_to_phys(ram, RAM_SIZE, &pg, 0x600000, &gpa), -1);
    /* a final page outside the RAM */
    put64(ram, 0x4000 + 3 * 8, 0x40000000ull | 3);
    assert_int_equal(guest_linear_to_phys(ram, RAM_SIZE, &pg, 0x403000, &gpa), -1);
    /* the last entry of a table at the end of the RAM would straddle its
       end (the RAM said 4 bytes shorter): refused, not read */
    struct guest_paging edge = pg;
    edge.cr3 = RAM_SIZE - 4096;
    put64(ram, RAM_SIZE - 8, 0x2000 | 3);
    assert_int_equal(guest_linear_to_phys(ram, RAM_SIZE - 4, &edge, 0xFF8000400000ull, &gpa), -1);
    assert_int_equal(guest_linear_to_phys(ram, RAM_SIZE, &edge, 0xFF8000400000ull, &gpa), 0);
    assert_int_equal(gpa, 0x10000);
    /* paging modes not walked: PAE without long mode, 5-level */
    struct guest_paging pae = pg;
    pae.efer = 0;
    assert_int_equal(guest_linear_to_phys(ram, RAM_SIZE, &pae, 0x400000, &gpa), -1);
    struct guest_paging la57 = pg;
    la57.cr4 |= 1u << 12;
    assert_int_equal(guest_linear_to_phys(ram, RAM_SIZE, &la57, 0x400000, &gpa), -1);
    /* a fetch stops at the first unreachable byte */
    uint8_t out[15];
    assert_int_equal(guest_fetch(ram, RAM_SIZE, &pg, 0x401FFE, out, 4), 2);
    assert_int_equal(guest_fetch(ram, RAM_SIZE, &pg, 0x402000, out, 4), 0);
    /* paging off beyond the RAM */
    struct guest_paging flat = { .cr0 = 0x11, .cs_32 = 1 };
    assert_int_equal(guest_fetch(ram, RAM_SIZE, &flat, RAM_SIZE - 2, out, 4), 2);
    assert_int_equal(guest_code_size(&(struct guest_paging){ .cr0 = 0x11 }), GUEST_CODE_16);
    free(ram);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(decodes_kernel_forms),
        cmocka_unit_test(refuses_other_instructions),
        cmocka_unit_test(icr_conversion),
        cmocka_unit_test(walks_guest_tables),
        cmocka_unit_test(refuses_bad_tables),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
