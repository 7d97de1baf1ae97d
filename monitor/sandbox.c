/*
 * Boot processor: system.bin is checked by the partition validator, then
 * every sandbox region is cleared, its kernel image loaded, its boot
 * information written, its EPT and I/O bitmap built.  All into static
 * monitor memory: no heap.
 */
#include "sandbox.h"
#include "xapic_trap.h"
#include "bootinfo.h"
#include "console.h"
#include "elf.h"
#include "fault.h"
#include "attest/launch.h"
#include "monitor.h"
#include "timekeeper.h"
#include "partition/validate.h"
#include "restart.h"
#include "virt.h"
#include "vmx/ept.h"

#define IDENTITY_LIMIT        0x100000000ull   /* the monitor's own map: low 4 GiB */

const struct triad_table_body *sys;
struct sandbox_rt sandboxes[TRIAD_MAX_SANDBOXES];
uint8_t msr_bitmap[MSR_BITMAP_BYTES] __attribute__((aligned(4096)));
volatile uint32_t launched_count;
uint32_t expected_launches;

extern uint8_t __monitor_start[], __monitor_end[];

/*@ assigns \nothing; */
static int fail(const char *what, const char *detail, int sb)
{
    con_line("fatal: ");
    con_puts(what);
    if (sb >= 0) {
        con_puts(" (sandbox ");
        con_dec((uint64_t)sb);
        con_puts(")");
    }
    con_puts(detail[0] ? ": " : "");
    con_puts(detail);
    con_puts("\n");
    return -1;
}

/*@ requires \valid_read(b);
    assigns \nothing; */
static const struct mb2_module *find_module(const struct boot_info *b, const char *name)
{
    /*@ loop assigns i; loop variant MB2_MAX_MODULES - i; */
    for (uint32_t i = 0; i < b->module_count && i < MB2_MAX_MODULES; i++) {
        const char *m = b->modules[i].name;
        uint32_t k = 0;
        /*@ loop assigns k; loop variant TRIAD_NAME_LEN - k; */
        while (k < TRIAD_NAME_LEN && m && m[k] && m[k] == name[k])
            k++;
        if (m && k < TRIAD_NAME_LEN && m[k] == '\0' && name[k] == '\0')
            return &b->modules[i];
    }
    return 0;
}

/*@ assigns \nothing; */
static int overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
    return a < b + blen && b < a + alen;
}

/* The region must be reachable by the monitor and clear of everything GRUB
   loaded (the monitor image and every module): we are about to erase it. */
/*@ requires \valid_read(b) && \valid_read(s);
    assigns \nothing; */
static int region_ok(const struct boot_info *b, const struct triad_sandbox *s)
{
    if (s->mem_base + s->mem_size > IDENTITY_LIMIT || s->mem_size < 0x200000u)
        return 0;
    if (overlaps(s->mem_base, s->mem_size, (uintptr_t)__monitor_start,
                 (uintptr_t)__monitor_end - (uintptr_t)__monitor_start))
        return 0;
    /*@ loop assigns i; loop variant MB2_MAX_MODULES - i; */
    for (uint32_t i = 0; i < b->module_count && i < MB2_MAX_MODULES; i++)
        if (overlaps(s->mem_base, s->mem_size, b->modules[i].start,
                     b->modules[i].end - b->modules[i].start))
            return 0;
    return 1;
}

/*@ assigns \nothing; */
static void zero_region(uint64_t base, uint64_t size)
{
    volatile uint64_t *p = (volatile uint64_t *)(uintptr_t)base;
    /*@ loop assigns i; loop variant size / 8 - i; */
    for (uint64_t i = 0; i < size / 8; i++)
        p[i] = 0;
}

int sandbox_image_verified(uint32_t sb)
{
    return attest_image_verdict(sb) != ATTEST_IMAGE_MISMATCH;
}

/* A sandbox whose image failed the golden check: one fault record of kind
   image-mismatch on its boot core (gpa = where GRUB loaded the image, qual =
   its size), nothing of it loaded, its cores stay idle. */
/*@ requires \valid_read(k);
    assigns \nothing; */
static void refuse(uint32_t sb, const struct mb2_module *k)
{
    const struct triad_sandbox *s = &sys->sandboxes[sb];
    sandboxes[sb].refused = 1;
    sandboxes[sb].state = CORE_HALTED;
    sandboxes[sb].boot_core = s->core_mask ? (uint32_t)__builtin_ctz(s->core_mask) : 0;
    con_line("sandbox ");
    con_dec(sb);
    con_puts(" ");
    con_puts(s->name);
    con_puts(": kernel image ");
    con_puts(s->kernel_module);
    con_puts(" differs from its golden digest: not launched\n");
    fault_raise_for(sandboxes[sb].boot_core, (uint8_t)sb, TRIAD_FAULT_IMAGE_MISMATCH, k->start, 0, k->end - k->start);
}

/*@ requires \valid_read(b);
    assigns \nothing; */
static int prepare_one(const struct boot_info *b, uint32_t sb)
{
    const struct triad_sandbox *s = &sys->sandboxes[sb];
    struct sandbox_rt *rt = &sandboxes[sb];
    if (!region_ok(b, s))
        return fail("sandbox region overlaps the monitor or a module, or lies above 4 GiB", "", (int)sb);
    const struct mb2_module *k = find_module(b, s->kernel_module);
    if (!k)
        return fail("kernel module not loaded", s->kernel_module, (int)sb);
    if (!sandbox_image_verified(sb)) {
        refuse(sb, k);
        return 0;
    }
    zero_region(s->mem_base, s->mem_size);
    uint8_t *ram = (uint8_t *)(uintptr_t)s->mem_base;
    int err = elf_load((const uint8_t *)(uintptr_t)k->start, k->end - k->start, ram, s->mem_size,
                       TRIAD_BOOT_INFO_GPA, TRIAD_BOOT_INFO_GPA + TRIAD_BOOT_INFO_MAX, &rt->entry,
                       1 /* zero_region just zeroed it */);
    if (err != ELF_OK)
        return fail("kernel image refused", elf_strerror(err), (int)sb);
    if (bootinfo_build(ram + TRIAD_BOOT_INFO_GPA, TRIAD_BOOT_INFO_MAX, sys, sb,
                       "Triad monitor " TRIAD_VERSION) <= 0)
        return fail("boot information does not fit", "", (int)sb);
    uint32_t slat_pages = 0;
    err = virt_build_tables(sb, &slat_pages);
    if (err != EPT_OK)
        return fail(virt_backend == VIRT_SVM ? "nested page table refused" : "EPT refused",
                    ept_strerror(err), (int)sb);
    int ports = io_bitmap_build(rt->io_bitmap, s->io_ranges,
                                s->io_range_count <= TRIAD_MAX_IO_RANGES ? s->io_range_count : TRIAD_MAX_IO_RANGES);
    if (ports < 0)
        return fail("I/O range past port 0xFFFF", "", (int)sb);
    rt->boot_core = (uint32_t)__builtin_ctz(s->core_mask);
    restart_note_image(sb, k->start, k->end - k->start);
    con_line("sandbox ");
    con_dec(sb);
    con_puts(" ");
    con_puts(s->name);
    con_puts(": ram ");
    con_hex(s->mem_base, 8);
    con_puts("+");
    con_hex(s->mem_size, 8);
    con_puts(" cores ");
    con_hex(s->core_mask, 2);
    con_puts(" entry ");
    con_hex(rt->entry, 8);
    con_puts(virt_backend == VIRT_SVM ? " npt pages " : " ept pages ");
    con_dec(slat_pages);
    con_puts(" io ports ");
    con_dec((uint64_t)ports);
    /* no x2APIC and ipi="contained": every xAPIC access exits (xapic_trap.c) */
    con_puts(xapic_trapped(sb) ? " xapic trapped (ipi contained)\n" : "\n");
    return 0;
}

int sandboxes_prepare(const struct boot_info *b)
{
    const struct mb2_module *m = find_module(b, "system.bin");
    if (!m)
        return fail("no system.bin module", "", -1);
    const struct triad_system_table *t = 0;
    enum triad_table_error e = triad_table_validate((const void *)(uintptr_t)m->start, m->end - m->start, &t);
    if (e != TRIAD_TABLE_OK || !t)
        return fail("system.bin refused", triad_table_error_string(e), -1);
    sys = &t->body;
    con_line("system.bin: ");
    con_puts(sys->system_name);
    con_puts(", ");
    con_dec(sys->sandbox_count);
    con_puts(" sandboxes, ");
    con_dec(sys->channel_count);
    con_puts(" channels, ");
    con_dec(sys->platform.core_count);
    con_puts(" cores: valid\n");
    msr_bitmap_build(msr_bitmap);
    uint32_t launching = 0;
    /*@ loop assigns i, launching; loop variant TRIAD_MAX_SANDBOXES - i; */
    for (uint32_t i = 0; i < sys->sandbox_count && i < TRIAD_MAX_SANDBOXES; i++) {
        if (prepare_one(b, i) != 0)
            return -1;
        launching += sandboxes[i].refused ? 0u : 1u;
    }
    expected_launches = launching;
    return 0;
}

void core_enter(struct core *c)
{
    c->sandbox = NO_SANDBOX;
    c->state = CORE_IDLE;
    /*@ loop assigns i; loop variant TRIAD_MAX_SANDBOXES - i; */
    for (uint32_t i = 0; sys && i < sys->sandbox_count && i < TRIAD_MAX_SANDBOXES; i++) {
        if (sys->sandboxes[i].core_mask & (1u << c->index)) {
            c->sandbox = (uint8_t)i;
            if (sandboxes[i].refused)
                break;      /* secure launch refused its image: the core idles */
            /* returns only when the launch failed */
            virt_run(c, sandboxes[i].boot_core != c->index);
            c->state = CORE_HALTED;
            break;
        }
    }
    /* Never revived: only a sandbox the safe-mode entry halted is, and a
       core that never launched holds no guest state to restart from. */
    /*@ loop assigns *c; */
    for (;;) {
        timekeeper_idle(c);
        c->revive = 0u;
    }
}
