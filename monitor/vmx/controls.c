/* Control words and bitmaps (see controls.h). */
#include "controls.h"

int vmx_ctl_adjust(uint64_t cap, uint32_t required, uint32_t optional, uint32_t *out, uint32_t *forced)
{
    /* masked, then cast: no truncation for the prover to check */
    const uint32_t must_be_one = VMX_CAP_ALLOWED0(cap);
    const uint32_t may_be_one = VMX_CAP_ALLOWED1(cap);
    uint32_t v = (required | optional | must_be_one) & may_be_one;
    *forced = must_be_one & ~(required | optional);
    *out = v;
    /* allowed-0 bits outside allowed-1 would be a contradictory MSR */
    if ((v & required) != required || (v & must_be_one) != must_be_one)
        return VMX_CTL_MISSING;
    return VMX_CTL_OK;
}

/*@ requires \valid(bm + (0 .. n - 1));
    assigns bm[0 .. n - 1]; */
static void fill(uint8_t *bm, uint32_t n, uint8_t value)
{
    /*@ loop invariant 0 <= i <= n;
        loop assigns i, bm[0 .. n - 1];
        loop variant n - i; */
    for (uint32_t i = 0; i < n; i++)
        bm[i] = value;
}

/* The bit of port or MSR number k in its bitmap byte: 0x80 >> (7 - k % 8)
   is 1 << (k % 8) without a left shift, whose overflow goal the prover
   cannot bound (docs/proofs.md, session 7). */
/*@ assigns \nothing;
    ensures \result == ((0x80u >> (7u - k % 8u)) & 0xFFu); */
static uint8_t bit_of(uint32_t k)
{
    return (uint8_t)((0x80u >> (7u - (k % 8u))) & 0xFFu);
}

int io_bitmap_build(uint8_t *bm, const struct triad_io_range *ranges, uint32_t count)
{
    fill(bm, IO_BITMAP_BYTES, 0xFF);
    int allowed = 0;
    /* allowed grows by at most one per port of a range: 0x10000 per range */
    /*@ loop invariant 0 <= r <= count;
        loop invariant r <= TRIAD_MAX_IO_RANGES;
        loop invariant 0 <= allowed <= r * 0x10000;
        loop assigns r, allowed, bm[0 .. IO_BITMAP_BYTES - 1];
        loop variant count - r; */
    for (uint32_t r = 0; r < count && r < TRIAD_MAX_IO_RANGES; r++) {
        uint32_t base = ranges[r].base, n = ranges[r].count;
        if (base + n > 0x10000u)
            return -1;
        /*@ loop invariant base <= p <= base + n;
            loop invariant 0 <= allowed <= r * 0x10000 + (p - base);
            loop assigns p, allowed, bm[0 .. IO_BITMAP_BYTES - 1];
            loop variant base + n - p; */
        for (uint32_t p = base; p < base + n; p++) {
            const uint8_t bit = bit_of(p);
            if (((uint32_t)bm[p / 8u] & (uint32_t)bit) != 0u) {
                allowed++;
            }
            /* masked, then cast: the prover bounds a mask, not an and/xor */
            bm[p / 8u] = (uint8_t)((bm[p / 8u] & (bit ^ 0xFFu)) & 0xFFu);
        }
    }
    return allowed;
}

int io_bitmap_traps(const uint8_t *bm, uint16_t port)
{
    return (bm[port / 8] >> (port % 8)) & 1;
}

/* Writes that exit: they reach beyond the sandbox (APIC base relocation and
   x2APIC switch, feature control, microcode update, SMM monitor, misc
   enables, MTRRs shaping the cacheability of all memory) or rewrite the
   TSC, which is the monitor's clock of record, or send IPIs (the x2APIC
   ICR; every other x2APIC register, EOI, TPR and timer included, is the
   guest's own and costs no exit).  EFER, PAT and DEBUGCTL are
   swapped by the VMCS on every entry and exit, so the guest owns them. */
static const struct { uint32_t first, last; } trapped_writes[] = {
    { 0x010, 0x010 },   /* IA32_TIME_STAMP_COUNTER */
    { 0x01B, 0x01B },   /* IA32_APIC_BASE */
    { 0x03A, 0x03B },   /* IA32_FEATURE_CONTROL, IA32_TSC_ADJUST */
    { 0x079, 0x079 },   /* IA32_BIOS_UPDT_TRIG */
    { 0x09B, 0x09B },   /* IA32_SMM_MONITOR_CTL */
    { 0x1A0, 0x1A0 },   /* IA32_MISC_ENABLE */
    { 0x200, 0x276 },   /* MTRRs ... (IA32_PAT at 0x277 is the guest's) */
    { 0x278, 0x2FF },   /* ... and MTRR_DEF_TYPE */
    { 0x480, 0x493 },   /* VMX capabilities */
    { 0x830, 0x830 },   /* x2APIC ICR: IPIs checked against the sender's cores (ipi.c) */
};

#define MSR_WRITE_LOW 2048u

void msr_bitmap_build(uint8_t *bm)
{
    fill(bm, MSR_BITMAP_BYTES, 0);
    const uint32_t n = sizeof trapped_writes / sizeof trapped_writes[0];
    /*@ loop invariant 0 <= i <= n;
        loop assigns i, bm[0 .. MSR_BITMAP_BYTES - 1];
        loop variant n - i; */
    for (uint32_t i = 0; i < n; i++) {
        /* every trapped MSR is in the low range (0 .. 0x1FFF): the bitmap's
           write-low quarter holds its bit; stated once per range so the
           loop below needs no knowledge of the table */
        /*@ assert LOW_RANGE: trapped_writes[i].first <= trapped_writes[i].last < 0x2000u; */
        /*@ loop invariant trapped_writes[i].first <= m <= trapped_writes[i].last + 1;
            loop assigns m, bm[0 .. MSR_BITMAP_BYTES - 1];
            loop variant trapped_writes[i].last + 1 - m; */
        for (uint32_t m = trapped_writes[i].first; m <= trapped_writes[i].last; m++) {
            bm[MSR_WRITE_LOW + (m / 8u)] = (uint8_t)(((uint32_t)bm[MSR_WRITE_LOW + (m / 8u)] | (uint32_t)bit_of(m)) & 0xFFu);
        }
    }
}

int msr_bitmap_traps(const uint8_t *bm, uint32_t msr, int write)
{
    uint32_t offset;
    if (msr <= 0x1FFFu)
        offset = 0;
    else if (msr >= 0xC0000000u && msr <= 0xC0001FFFu)
        offset = 1024, msr -= 0xC0000000u;
    else
        return 1;   /* outside both ranges every access exits */
    if (write)
        offset += MSR_WRITE_LOW;
    return (bm[offset + msr / 8] >> (msr % 8)) & 1;
}
