/*
 * Monitor-side validation of system.bin.  Order matters: nothing in the body
 * is read before the header says the buffer holds a whole table, and no
 * index is used before it is checked against its count.  Every loop runs
 * over a fixed capacity, so the whole check is bounded (the largest loops
 * are the pairwise overlap checks of channel pages: at most 288^2 steps).
 */
#include "validate.h"
#include "../../attest/sha256.h"

/* A switch rather than a table of pointers: every code's text is a literal
   the proof sees (a pointer loaded from an array is only known to be valid
   through an invariant on the whole array). */
const char *triad_table_error_string(enum triad_table_error e)
{
    switch (e) {
    case TRIAD_TABLE_OK: return "ok";
    case TRIAD_TABLE_ERR_NULL: return "no table buffer";
    case TRIAD_TABLE_ERR_ALIGNMENT: return "table buffer not 8-byte aligned";
    case TRIAD_TABLE_ERR_TRUNCATED: return "table truncated: buffer shorter than the table";
    case TRIAD_TABLE_ERR_MAGIC: return "bad magic: not a Triad system table";
    case TRIAD_TABLE_ERR_VERSION: return "unsupported table version";
    case TRIAD_TABLE_ERR_HEADER_SIZE: return "bad header size";
    case TRIAD_TABLE_ERR_LENGTH: return "total length differs from the table layout";
    case TRIAD_TABLE_ERR_HEADER_RESERVED: return "reserved header bytes not zero";
    case TRIAD_TABLE_ERR_CHECKSUM: return "body SHA-256 mismatch";
    case TRIAD_TABLE_ERR_COUNT: return "a count exceeds its capacity";
    case TRIAD_TABLE_ERR_STRING: return "a string is not NUL-terminated in its field";
    case TRIAD_TABLE_ERR_PLATFORM: return "platform core count or RAM size invalid";
    case TRIAD_TABLE_ERR_MONITOR_REGION: return "monitor region misaligned, empty or outside RAM";
    case TRIAD_TABLE_ERR_SERIAL: return "serial port range invalid";
    case TRIAD_TABLE_ERR_PCI: return "PCI device invalid (address, BAR alignment, BAR in RAM or channel window)";
    case TRIAD_TABLE_ERR_SANDBOX_INDEX: return "sandbox index differs from its position";
    case TRIAD_TABLE_ERR_ENUM: return "enumerated value out of range";
    case TRIAD_TABLE_ERR_CORES: return "sandbox cores empty, beyond the platform or shared";
    case TRIAD_TABLE_ERR_REGION_ALIGN: return "sandbox region not 2 MiB aligned and sized";
    case TRIAD_TABLE_ERR_REGION_RAM: return "sandbox region outside RAM or too large";
    case TRIAD_TABLE_ERR_REGION_MONITOR: return "sandbox region overlaps the monitor region";
    case TRIAD_TABLE_ERR_REGION_OVERLAP: return "sandbox regions overlap";
    case TRIAD_TABLE_ERR_DEVICE: return "device index out of range or device owned twice";
    case TRIAD_TABLE_ERR_IO_RANGE: return "I/O port range empty, past 0xFFFF, includes COM1 or owned twice";
    case TRIAD_TABLE_ERR_CONSOLE: return "console port or channel inconsistent";
    case TRIAD_TABLE_ERR_VCPU: return "VCPU invalid (foreign core, budget over period, zero period, utilization)";
    case TRIAD_TABLE_ERR_CHANNEL_AREA: return "channel area misaligned, outside RAM, overlapping or too large";
    case TRIAD_TABLE_ERR_CHANNEL_ENDPOINT: return "channel writer or reader invalid";
    case TRIAD_TABLE_ERR_CHANNEL_PARAMS: return "channel kind, message size, depth or key invalid";
    case TRIAD_TABLE_ERR_CHANNEL_PAGES: return "channel pages misaligned, outside the area or overlapping";
    case TRIAD_TABLE_ERR_TMR: return "TMR group invalid";
    default: return "unknown table error";
    }
}

/* [a, a + as) and [b, b + bs) intersect (as integers: no end wraps). */
/*@ assigns \nothing;
    ensures OVERLAP_DEF: \result <==> (as != 0 && bs != 0 && a < b + bs && b < a + as);
*/
static int overlaps(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
    /* the distance from the lower start, so no end is computed (no wrap) */
    return as != 0 && bs != 0 && (a <= b ? b - a < as : a - b < bs);
}

/*@ requires \valid_read(s + (0 .. cap - 1));
    assigns \nothing;
    ensures STR_TERMINATED: \result == 1 <==> (\exists integer i; 0 <= i < cap && s[i] == 0);
*/
static int str_ok(const char *s, uint32_t cap)
{
    /*@ loop invariant 0 <= i <= cap;
        loop invariant \forall integer k; 0 <= k < i ==> s[k] != 0;
        loop assigns i;
        loop variant cap - i; */
    for (uint32_t i = 0; i < cap; i++)
        if (s[i] == 0)
            return 1;
    return 0;
}

/*@ requires \valid_read(a + (0 .. TRIAD_SHA256_LEN - 1));
    requires \valid_read(b + (0 .. TRIAD_SHA256_LEN - 1));
    assigns \nothing;
    ensures DIGEST_EQ: \result == 1 <==> (\forall integer i; 0 <= i < TRIAD_SHA256_LEN ==> a[i] == b[i]);
*/
static int digest_equal(const uint8_t *a, const uint8_t *b)
{
    /*@ loop invariant 0 <= i <= TRIAD_SHA256_LEN;
        loop invariant \forall integer k; 0 <= k < i ==> a[k] == b[k];
        loop assigns i;
        loop variant TRIAD_SHA256_LEN - i; */
    for (uint32_t i = 0; i < TRIAD_SHA256_LEN; i++)
        if (a[i] != b[i])
            return 0;
    return 1;
}

/*@ requires \valid_read(h);
    assigns \nothing;
    ensures HDR_OK: \result == TRIAD_TABLE_OK || \result == TRIAD_TABLE_ERR_MAGIC
         || \result == TRIAD_TABLE_ERR_VERSION || \result == TRIAD_TABLE_ERR_HEADER_SIZE
         || \result == TRIAD_TABLE_ERR_LENGTH || \result == TRIAD_TABLE_ERR_HEADER_RESERVED;
    ensures ERR_RANGE: 0 <= \result < TRIAD_TABLE_ERROR_COUNT;
*/
static enum triad_table_error check_header(const struct triad_table_header *h)
{
    if (h->magic != TRIAD_TABLE_MAGIC)
        return TRIAD_TABLE_ERR_MAGIC;
    if (h->version_major != TRIAD_TABLE_VERSION_MAJOR)
        return TRIAD_TABLE_ERR_VERSION;
    if (h->header_size != sizeof(struct triad_table_header))
        return TRIAD_TABLE_ERR_HEADER_SIZE;
    if (h->total_length != TRIAD_TABLE_SIZE)
        return TRIAD_TABLE_ERR_LENGTH;
    /*@ loop invariant 0 <= i <= 16;
        loop assigns i;
        loop variant 16 - i; */
    for (uint32_t i = 0; i < sizeof h->reserved; i++)
        if (h->reserved[i] != 0)
            return TRIAD_TABLE_ERR_HEADER_RESERVED;
    return TRIAD_TABLE_OK;
}

/*@ requires \valid_read(b);
    assigns \nothing;
    ensures ERR_RANGE: 0 <= \result < TRIAD_TABLE_ERROR_COUNT;
    ensures COUNTS_OK: \result == TRIAD_TABLE_OK ==> triad_counts_ok(b);
*/
static enum triad_table_error check_counts_and_strings(const struct triad_table_body *b)
{
    const struct triad_platform *p = &b->platform;
    if (p->serial_count > TRIAD_MAX_SERIAL_PORTS || p->pci_count > TRIAD_MAX_PCI_DEVICES
        || b->sandbox_count > TRIAD_MAX_SANDBOXES || b->channel_count > TRIAD_MAX_CHANNELS
        || b->tmr_group_count > TRIAD_MAX_TMR_GROUPS)
        return TRIAD_TABLE_ERR_COUNT;
    if (!str_ok(b->system_name, TRIAD_NAME_LEN))
        return TRIAD_TABLE_ERR_STRING;
    /*@ loop invariant 0 <= i <= p->pci_count;
        loop invariant \forall integer k; 0 <= k < i ==> p->pci[k].bar_count <= TRIAD_MAX_BARS;
        loop assigns i;
        loop variant p->pci_count - i; */
    for (uint32_t i = 0; i < p->pci_count; i++) {
        if (p->pci[i].bar_count > TRIAD_MAX_BARS)
            return TRIAD_TABLE_ERR_COUNT;
        if (!str_ok(p->pci[i].name, TRIAD_NAME_LEN))
            return TRIAD_TABLE_ERR_STRING;
        if (p->pci[i].standby_ref > b->sandbox_count)   /* remote driver recovery's standby + 1 */
            return TRIAD_TABLE_ERR_DEVICE;
    }
    /*@ loop invariant 0 <= s <= b->sandbox_count;
        loop invariant \forall integer k; 0 <= k < s ==> triad_sandbox_counts_ok(&b->sandboxes[k]);
        loop assigns s;
        loop variant b->sandbox_count - s; */
    for (uint32_t s = 0; s < b->sandbox_count; s++) {
        const struct triad_sandbox *sb = &b->sandboxes[s];
        if (sb->io_range_count > TRIAD_MAX_IO_RANGES || sb->device_count > TRIAD_MAX_SANDBOX_DEVICES
            || sb->main_vcpu_count > TRIAD_MAX_MAIN_VCPUS || sb->io_vcpu_count > TRIAD_MAX_IO_VCPUS
            || sb->program_count > TRIAD_MAX_PROGRAMS)
            return TRIAD_TABLE_ERR_COUNT;
        if (!str_ok(sb->name, TRIAD_NAME_LEN) || sb->name[0] == 0 || !str_ok(sb->kernel_module, TRIAD_NAME_LEN))
            return TRIAD_TABLE_ERR_STRING;
        /*@ loop invariant 0 <= k <= sb->program_count;
            loop assigns k;
            loop variant sb->program_count - k; */
        for (uint32_t k = 0; k < sb->program_count; k++)
            if (!str_ok(sb->programs[k].name, TRIAD_NAME_LEN) || !str_ok(sb->programs[k].args, TRIAD_ARGS_LEN))
                return TRIAD_TABLE_ERR_STRING;
    }
    /*@ loop invariant 0 <= i <= b->channel_count;
        loop invariant \forall integer k; 0 <= k < i ==> b->channels[k].reader_count <= TRIAD_MAX_READERS;
        loop assigns i;
        loop variant b->channel_count - i; */
    for (uint32_t i = 0; i < b->channel_count; i++) {
        if (b->channels[i].reader_count > TRIAD_MAX_READERS)
            return TRIAD_TABLE_ERR_COUNT;
        if (!str_ok(b->channels[i].name, TRIAD_NAME_LEN))
            return TRIAD_TABLE_ERR_STRING;
    }
    /*@ loop invariant 0 <= g <= b->tmr_group_count;
        loop invariant \forall integer k; 0 <= k < g ==> b->tmr_groups[k].replica_count <= TRIAD_MAX_REPLICAS;
        loop assigns g;
        loop variant b->tmr_group_count - g; */
    for (uint32_t g = 0; g < b->tmr_group_count; g++) {
        if (b->tmr_groups[g].replica_count > TRIAD_MAX_REPLICAS)
            return TRIAD_TABLE_ERR_COUNT;
        if (!str_ok(b->tmr_groups[g].name, TRIAD_NAME_LEN))
            return TRIAD_TABLE_ERR_STRING;
    }
    return TRIAD_TABLE_OK;
}

/*@ requires \valid_read(p);
    requires p->serial_count <= TRIAD_MAX_SERIAL_PORTS && p->pci_count <= TRIAD_MAX_PCI_DEVICES;
    requires \forall integer i; 0 <= i < p->pci_count ==> p->pci[i].bar_count <= TRIAD_MAX_BARS;
    assigns \nothing;
    ensures MONITOR_OK: \result == TRIAD_TABLE_OK ==> triad_monitor_ok(p);
    ensures ERR_RANGE: 0 <= \result < TRIAD_TABLE_ERROR_COUNT;
*/
static enum triad_table_error check_platform(const struct triad_platform *p)
{
    if (p->core_count == 0 || p->core_count > TRIAD_MAX_CORES || p->ram_size == 0
        || p->ram_size > (1ull << 52))
        return TRIAD_TABLE_ERR_PLATFORM;
    if (p->monitor_size == 0 || p->monitor_base % TRIAD_REGION_ALIGN != 0
        || p->monitor_size % TRIAD_REGION_ALIGN != 0 || p->monitor_base > p->ram_size
        || p->monitor_size > p->ram_size - p->monitor_base)
        return TRIAD_TABLE_ERR_MONITOR_REGION;
    /*@ loop invariant 0 <= i <= p->serial_count;
        loop assigns i;
        loop variant p->serial_count - i; */
    for (uint32_t i = 0; i < p->serial_count; i++)
        if ((uint32_t)p->serial[i].io_base + TRIAD_SERIAL_PORT_COUNT > 0x10000u)
            return TRIAD_TABLE_ERR_SERIAL;
    /*@ loop invariant 0 <= i <= p->pci_count;
        loop invariant \forall integer k; 0 <= k < i ==> p->pci[k].bar_count <= TRIAD_MAX_BARS;
        loop assigns i;
        loop variant p->pci_count - i; */
    for (uint32_t i = 0; i < p->pci_count; i++) {
        const struct triad_pci_device *d = &p->pci[i];
        if (d->dev > 31 || d->fn > 7 || d->dev_class >= TRIAD_DEVCLASS_COUNT)
            return TRIAD_TABLE_ERR_PCI;
        /*@ loop invariant 0 <= k <= d->bar_count;
            loop assigns k;
            loop variant d->bar_count - k; */
        for (uint32_t k = 0; k < d->bar_count; k++) {
            uint64_t base = d->bars[k].base, size = d->bars[k].size;
            /* A BAR is mapped 1:1 into its owner: inside RAM it would expose
               another sandbox's memory, inside the window a channel. */
            if (size == 0 || base % TRIAD_PAGE_SIZE != 0 || size % TRIAD_PAGE_SIZE != 0
                || size > (1ull << 40) || base > (1ull << 52)
                || overlaps(base, size, 0, p->ram_size)
                || overlaps(base, size, TRIAD_CHANNEL_WINDOW_GPA, TRIAD_CHANNEL_WINDOW_MAX))
                return TRIAD_TABLE_ERR_PCI;
        }
    }
    return TRIAD_TABLE_OK;
}

/* Region rules of sandbox s against the platform and sandboxes 0..s-1. */
/*@ requires \valid_read(b);
    requires b->sandbox_count <= TRIAD_MAX_SANDBOXES && s < b->sandbox_count;
    requires triad_monitor_ok(&b->platform);
    requires \forall integer k; 0 <= k < s ==> triad_region_ok(b, k);
    assigns \nothing;
    ensures REGION_OK: \result == TRIAD_TABLE_OK ==>
              triad_region_ok(b, s) && triad_disjoint_from_earlier(b, s);
    ensures ERR_RANGE: 0 <= \result < TRIAD_TABLE_ERROR_COUNT;
*/
static enum triad_table_error check_region(const struct triad_table_body *b, uint32_t s)
{
    const struct triad_platform *p = &b->platform;
    const struct triad_sandbox *sb = &b->sandboxes[s];
    if (sb->mem_size == 0 || sb->mem_base % TRIAD_REGION_ALIGN != 0 || sb->mem_size % TRIAD_REGION_ALIGN != 0)
        return TRIAD_TABLE_ERR_REGION_ALIGN;
    if (sb->mem_size > TRIAD_MAX_SANDBOX_RAM || sb->mem_base > p->ram_size
        || sb->mem_size > p->ram_size - sb->mem_base)
        return TRIAD_TABLE_ERR_REGION_RAM;
    if (overlaps(sb->mem_base, sb->mem_size, p->monitor_base, p->monitor_size))
        return TRIAD_TABLE_ERR_REGION_MONITOR;
    /*@ loop invariant 0 <= k <= s;
        loop invariant \forall integer j; 0 <= j < k ==>
          triad_disjoint(sb->mem_base, sb->mem_size, b->sandboxes[j].mem_base, b->sandboxes[j].mem_size);
        loop assigns k;
        loop variant s - k; */
    for (uint32_t k = 0; k < s; k++)
        if (overlaps(sb->mem_base, sb->mem_size, b->sandboxes[k].mem_base, b->sandboxes[k].mem_size))
            return TRIAD_TABLE_ERR_REGION_OVERLAP;
    return TRIAD_TABLE_OK;
}

/* Devices and I/O ports of sandbox s: each owned once across sandboxes
   0..s (and within s), and COM1 never. */
/*@ requires \valid_read(b);
    requires b->sandbox_count <= TRIAD_MAX_SANDBOXES && s < b->sandbox_count;
    requires \forall integer i; 0 <= i <= s ==> b->sandboxes[i].io_range_count <= TRIAD_MAX_IO_RANGES
                                          && b->sandboxes[i].device_count <= TRIAD_MAX_SANDBOX_DEVICES;
    assigns \nothing;
    ensures ERR_RANGE: 0 <= \result < TRIAD_TABLE_ERROR_COUNT;
*/
static enum triad_table_error check_ownership(const struct triad_table_body *b, uint32_t s)
{
    const struct triad_sandbox *sb = &b->sandboxes[s];
    /*@ loop invariant 0 <= i <= sb->device_count;
        loop assigns i;
        loop variant sb->device_count - i; */
    for (uint32_t i = 0; i < sb->device_count; i++) {
        if (sb->devices[i] >= b->platform.pci_count)
            return TRIAD_TABLE_ERR_DEVICE;
        /*@ loop invariant 0 <= k <= s + 1;
            loop assigns k;
            loop variant s + 1 - k; */
        for (uint32_t k = 0; k <= s; k++) {
            uint32_t limit = k == s ? i : b->sandboxes[k].device_count;
            /*@ loop invariant 0 <= j <= limit;
                loop assigns j;
                loop variant limit - j; */
            for (uint32_t j = 0; j < limit; j++)
                if (b->sandboxes[k].devices[j] == sb->devices[i])
                    return TRIAD_TABLE_ERR_DEVICE;
        }
    }
    /*@ loop invariant 0 <= i <= sb->io_range_count;
        loop assigns i;
        loop variant sb->io_range_count - i; */
    for (uint32_t i = 0; i < sb->io_range_count; i++) {
        const struct triad_io_range *r = &sb->io_ranges[i];
        if (r->count == 0 || (uint32_t)r->base + r->count > 0x10000u
            || overlaps(r->base, r->count, TRIAD_MONITOR_COM_PORT, TRIAD_SERIAL_PORT_COUNT))
            return TRIAD_TABLE_ERR_IO_RANGE;
        /*@ loop invariant 0 <= k <= s + 1;
            loop assigns k;
            loop variant s + 1 - k; */
        for (uint32_t k = 0; k <= s; k++) {
            uint32_t limit = k == s ? i : b->sandboxes[k].io_range_count;
            /*@ loop invariant 0 <= j <= limit;
                loop assigns j;
                loop variant limit - j; */
            for (uint32_t j = 0; j < limit; j++)
                if (overlaps(r->base, r->count, b->sandboxes[k].io_ranges[j].base, b->sandboxes[k].io_ranges[j].count))
                    return TRIAD_TABLE_ERR_IO_RANGE;
        }
    }
    return TRIAD_TABLE_OK;
}

/*@ requires \valid_read(sb);
    requires sb->io_range_count <= TRIAD_MAX_IO_RANGES;
    assigns \nothing;
*/
static int owns_ports(const struct triad_sandbox *sb, uint16_t base, uint16_t count)
{
    /*@ loop invariant 0 <= i <= sb->io_range_count;
        loop assigns i;
        loop variant sb->io_range_count - i; */
    /* Both sums are of two 16-bit values: no 32-bit wrap (a 32-bit count
       could wrap base + count and pass a range it does not fit). */
    for (uint32_t i = 0; i < sb->io_range_count; i++)
        if (sb->io_ranges[i].base <= base
            && (uint32_t)base + count <= (uint32_t)sb->io_ranges[i].base + sb->io_ranges[i].count)
            return 1;
    return 0;
}

/*@ requires \valid_read(b);
    requires b->sandbox_count <= TRIAD_MAX_SANDBOXES && s < b->sandbox_count;
    requires b->channel_count <= TRIAD_MAX_CHANNELS;
    requires b->platform.serial_count <= TRIAD_MAX_SERIAL_PORTS;
    requires b->sandboxes[s].io_range_count <= TRIAD_MAX_IO_RANGES;
    assigns \nothing;
    ensures ERR_RANGE: 0 <= \result < TRIAD_TABLE_ERROR_COUNT;
*/
static enum triad_table_error check_console(const struct triad_table_body *b, uint32_t s)
{
    const struct triad_sandbox *sb = &b->sandboxes[s];
    switch (sb->console_kind) {
    case TRIAD_CONSOLE_NONE:
        return sb->console_port == 0 && sb->console_channel == TRIAD_NONE ? TRIAD_TABLE_OK : TRIAD_TABLE_ERR_CONSOLE;
    case TRIAD_CONSOLE_SERIAL: {
        int declared = 0;
        /*@ loop invariant 0 <= i <= b->platform.serial_count;
            loop assigns i, declared;
            loop variant b->platform.serial_count - i; */
        for (uint32_t i = 0; i < b->platform.serial_count; i++)
            if (b->platform.serial[i].io_base == sb->console_port)
                declared = 1;
        if (!declared || sb->console_port == TRIAD_MONITOR_COM_PORT || sb->console_channel != TRIAD_NONE
            || !owns_ports(sb, sb->console_port, TRIAD_SERIAL_PORT_COUNT))
            return TRIAD_TABLE_ERR_CONSOLE;
        return TRIAD_TABLE_OK;
    }
    case TRIAD_CONSOLE_CHANNEL:
        if (sb->console_port != 0 || sb->console_channel >= b->channel_count
            || b->channels[sb->console_channel].writer != s)
            return TRIAD_TABLE_ERR_CONSOLE;
        return TRIAD_TABLE_OK;
    default:
        return TRIAD_TABLE_ERR_ENUM;
    }
}

/*@ requires \valid_read(b);
    requires b->sandbox_count <= TRIAD_MAX_SANDBOXES && s < b->sandbox_count;
    requires b->sandboxes[s].main_vcpu_count <= TRIAD_MAX_MAIN_VCPUS;
    requires b->sandboxes[s].io_vcpu_count <= TRIAD_MAX_IO_VCPUS;
    assigns \nothing;
    ensures ERR_RANGE: 0 <= \result < TRIAD_TABLE_ERROR_COUNT;
*/
static enum triad_table_error check_vcpus(const struct triad_table_body *b, uint32_t s)
{
    const struct triad_sandbox *sb = &b->sandboxes[s];
    /*@ loop invariant 0 <= i <= sb->main_vcpu_count;
        loop assigns i;
        loop variant sb->main_vcpu_count - i; */
    for (uint32_t i = 0; i < sb->main_vcpu_count; i++) {
        const struct triad_main_vcpu *v = &sb->main_vcpus[i];
        if (v->core >= TRIAD_MAX_CORES || !((sb->core_mask >> v->core) & 1u) || v->period_us == 0
            || v->budget_us == 0 || v->budget_us > v->period_us)
            return TRIAD_TABLE_ERR_VCPU;
    }
    /*@ loop invariant 0 <= i <= sb->io_vcpu_count;
        loop assigns i;
        loop variant sb->io_vcpu_count - i; */
    for (uint32_t i = 0; i < sb->io_vcpu_count; i++) {
        const struct triad_io_vcpu *v = &sb->io_vcpus[i];
        if (v->core >= TRIAD_MAX_CORES || !((sb->core_mask >> v->core) & 1u) || v->utilization_ppm == 0
            || v->utilization_ppm > 1000000u || v->dev_class >= TRIAD_DEVCLASS_COUNT)
            return TRIAD_TABLE_ERR_VCPU;
    }
    return TRIAD_TABLE_OK;
}

/*@ requires \valid_read(b);
    requires b->sandbox_count <= TRIAD_MAX_SANDBOXES && s < b->sandbox_count;
    assigns \nothing;
    ensures ERR_RANGE: 0 <= \result < TRIAD_TABLE_ERROR_COUNT;
*/
static enum triad_table_error check_sandbox_fields(const struct triad_table_body *b, uint32_t s)
{
    const struct triad_sandbox *sb = &b->sandboxes[s];
    if (sb->index != s)
        return TRIAD_TABLE_ERR_SANDBOX_INDEX;
    if (sb->criticality >= TRIAD_CRIT_COUNT || sb->console_kind >= TRIAD_CONSOLE_KIND_COUNT)
        return TRIAD_TABLE_ERR_ENUM;
    if ((uint32_t)sb->ipi_policy >= (uint32_t)TRIAD_IPI_POLICY_COUNT) {
        return TRIAD_TABLE_ERR_ENUM;
    }
    /*@ loop invariant 0 <= k <= TRIAD_FAULT_KIND_COUNT;
        loop assigns k;
        loop variant TRIAD_FAULT_KIND_COUNT - k; */
    for (uint32_t k = 0; k < TRIAD_FAULT_KIND_COUNT; k++)
        if (sb->health_action[k] >= TRIAD_ACTION_COUNT)
            return TRIAD_TABLE_ERR_ENUM;
    if (sb->safe_mode_policy >= (uint8_t)TRIAD_SAFE_MODE_POLICY_COUNT) {
        return TRIAD_TABLE_ERR_ENUM;
    }
    /* Only cores below core_count: the mask shifted right by core_count must
       be empty.  A shift by core_count >= 32 would be undefined (the old
       (1ull << core_count) - 1 was for core_count >= 64), and a 32-bit mask
       has no bit there anyway. */
    if (sb->core_mask == 0
        || (b->platform.core_count < TRIAD_MAX_CORES && (sb->core_mask >> b->platform.core_count) != 0))
        return TRIAD_TABLE_ERR_CORES;
    /*@ loop invariant 0 <= k <= s;
        loop assigns k;
        loop variant s - k; */
    for (uint32_t k = 0; k < s; k++)
        if (sb->core_mask & b->sandboxes[k].core_mask)
            return TRIAD_TABLE_ERR_CORES;
    return TRIAD_TABLE_OK;
}

/*@ requires \valid_read(b);
    requires b->sandbox_count <= TRIAD_MAX_SANDBOXES;
    assigns \nothing;
    ensures ERR_RANGE: 0 <= \result < TRIAD_TABLE_ERROR_COUNT;
*/
static enum triad_table_error check_channel_area(const struct triad_table_body *b)
{
    const struct triad_channel_area *a = &b->channel_area;
    const struct triad_platform *p = &b->platform;
    if (a->window_gpa != TRIAD_CHANNEL_WINDOW_GPA)
        return TRIAD_TABLE_ERR_CHANNEL_AREA;
    if (b->channel_count == 0 && a->size == 0 && a->host_base == 0)
        return TRIAD_TABLE_OK;
    if (a->size == 0 || a->size > TRIAD_CHANNEL_WINDOW_MAX || a->host_base % TRIAD_REGION_ALIGN != 0
        || a->size % TRIAD_REGION_ALIGN != 0 || a->host_base > p->ram_size || a->size > p->ram_size - a->host_base
        || overlaps(a->host_base, a->size, p->monitor_base, p->monitor_size))
        return TRIAD_TABLE_ERR_CHANNEL_AREA;
    /*@ loop invariant 0 <= s <= b->sandbox_count;
        loop assigns s;
        loop variant b->sandbox_count - s; */
    for (uint32_t s = 0; s < b->sandbox_count; s++)
        if (overlaps(a->host_base, a->size, b->sandboxes[s].mem_base, b->sandboxes[s].mem_size))
            return TRIAD_TABLE_ERR_CHANNEL_AREA;
    return TRIAD_TABLE_OK;
}

/*@ requires \valid_read(b);
    requires b->sandbox_count <= TRIAD_MAX_SANDBOXES && b->channel_count <= TRIAD_MAX_CHANNELS;
    requires i < b->channel_count;
    requires b->channels[i].reader_count <= TRIAD_MAX_READERS;
    assigns \nothing;
    ensures ERR_RANGE: 0 <= \result < TRIAD_TABLE_ERROR_COUNT;
*/
static enum triad_table_error check_channel(const struct triad_table_body *b, uint32_t i)
{
    const struct triad_channel *ch = &b->channels[i];
    if (ch->kind >= TRIAD_CHANNEL_KIND_COUNT || ch->msg_size == 0 || ch->depth == 0 || ch->key == 0
        || (ch->kind == TRIAD_CHANNEL_ASYNC_4SLOT && ch->depth != 4))
        return TRIAD_TABLE_ERR_CHANNEL_PARAMS;
    /*@ loop invariant 0 <= k <= i;
        loop assigns k;
        loop variant i - k; */
    for (uint32_t k = 0; k < i; k++)
        if (b->channels[k].key == ch->key)
            return TRIAD_TABLE_ERR_CHANNEL_PARAMS;
    if (ch->writer >= b->sandbox_count || ch->reader_count == 0)
        return TRIAD_TABLE_ERR_CHANNEL_ENDPOINT;
    /* I/O failover's standby writer (index + 1): another sandbox, and no
       reader of the channel (one role per sandbox and channel). */
    if ((ch->shadow_writer > b->sandbox_count)
        || ((ch->shadow_writer != 0u) && ((uint32_t)ch->shadow_writer == ((uint32_t)ch->writer + 1u)))) {
        return TRIAD_TABLE_ERR_CHANNEL_ENDPOINT;
    }
    /*@ loop invariant 0 <= r <= ch->reader_count;
        loop assigns r;
        loop variant ch->reader_count - r; */
    for (uint32_t r = 0; r < ch->reader_count; r++) {
        if (ch->readers[r] >= b->sandbox_count || ch->readers[r] == ch->writer)
            return TRIAD_TABLE_ERR_CHANNEL_ENDPOINT;
        if (((uint32_t)ch->readers[r] + 1u) == (uint32_t)ch->shadow_writer) {
            return TRIAD_TABLE_ERR_CHANNEL_ENDPOINT;    /* the standby writer reads it too */
        }
        /*@ loop invariant 0 <= k <= r;
            loop assigns k;
            loop variant r - k; */
        for (uint32_t k = 0; k < r; k++)
            if (ch->readers[k] == ch->readers[r])
                return TRIAD_TABLE_ERR_CHANNEL_ENDPOINT;
    }
    uint64_t area = b->channel_area.size;
    if (ch->writer_size == 0 || ch->writer_offset % TRIAD_PAGE_SIZE != 0 || ch->writer_size % TRIAD_PAGE_SIZE != 0
        || (uint64_t)ch->writer_offset + ch->writer_size > area || ch->reader_ctl_size != TRIAD_READER_CTL_SIZE)
        return TRIAD_TABLE_ERR_CHANNEL_PAGES;
    /*@ loop invariant 0 <= r <= ch->reader_count;
        loop assigns r;
        loop variant ch->reader_count - r; */
    for (uint32_t r = 0; r < ch->reader_count; r++)
        if (ch->reader_ctl_offset[r] % TRIAD_PAGE_SIZE != 0
            || (uint64_t)ch->reader_ctl_offset[r] + ch->reader_ctl_size > area)
            return TRIAD_TABLE_ERR_CHANNEL_PAGES;
    return TRIAD_TABLE_OK;
}

/* Page span number n of channel i: 0 is the writer area, 1.. the readers'
   control pages.  Used to compare every span with every other. */
/*@ requires \valid_read(ch);
    requires \valid(off) && \valid(size);
    requires ch->reader_count <= TRIAD_MAX_READERS && n <= ch->reader_count;
    assigns *off, *size;
*/
static void channel_span(const struct triad_channel *ch, uint32_t n, uint64_t *off, uint64_t *size)
{
    if (n == 0) {
        *off = ch->writer_offset;
        *size = ch->writer_size;
    } else {
        *off = ch->reader_ctl_offset[n - 1];
        *size = ch->reader_ctl_size;
    }
}

/* No two page spans of any channels share a byte: each side of each
   channel gets its own pages, so EPT can give each its own permission. */
/*@ requires \valid_read(b);
    requires b->channel_count <= TRIAD_MAX_CHANNELS;
    requires \forall integer i; 0 <= i < b->channel_count ==> b->channels[i].reader_count <= TRIAD_MAX_READERS;
    assigns \nothing;
    ensures ERR_RANGE: 0 <= \result < TRIAD_TABLE_ERROR_COUNT;
*/
static enum triad_table_error check_channel_overlaps(const struct triad_table_body *b)
{
    /*@ loop invariant 0 <= i <= b->channel_count;
        loop assigns i;
        loop variant b->channel_count - i; */
    for (uint32_t i = 0; i < b->channel_count; i++) {
        const struct triad_channel *ci = &b->channels[i];
        /*@ loop invariant 0 <= m <= ci->reader_count + 1;
            loop assigns m;
            loop variant ci->reader_count + 1 - m; */
        for (uint32_t m = 0; m <= ci->reader_count; m++) {
            uint64_t ao, as;
            channel_span(ci, m, &ao, &as);
            /*@ loop invariant i <= j <= b->channel_count;
                loop assigns j;
                loop variant b->channel_count - j; */
            for (uint32_t j = i; j < b->channel_count; j++) {
                const struct triad_channel *cj = &b->channels[j];
                /*@ loop invariant 0 <= n <= cj->reader_count + 1;
                    loop assigns n;
                    loop variant cj->reader_count + 1 - n; */
                for (uint32_t n = (j == i ? m + 1 : 0); n <= cj->reader_count; n++) {
                    uint64_t bo, bs;
                    channel_span(cj, n, &bo, &bs);
                    if (overlaps(ao, as, bo, bs))
                        return TRIAD_TABLE_ERR_CHANNEL_PAGES;
                }
            }
        }
    }
    return TRIAD_TABLE_OK;
}

/*@ requires \valid_read(ch);
    requires ch->reader_count <= TRIAD_MAX_READERS;
    assigns \nothing;
*/
static int channel_read_by(const struct triad_channel *ch, uint8_t s)
{
    /*@ loop invariant 0 <= r <= ch->reader_count;
        loop assigns r;
        loop variant ch->reader_count - r; */
    for (uint32_t r = 0; r < ch->reader_count; r++)
        if (ch->readers[r] == s)
            return 1;
    return 0;
}

/* A replica's output channel: valid, written by it, read by the voter. */
/*@ requires \valid_read(b);
    requires b->channel_count <= TRIAD_MAX_CHANNELS;
    requires \forall integer i; 0 <= i < b->channel_count ==> b->channels[i].reader_count <= TRIAD_MAX_READERS;
    assigns \nothing;
*/
static int output_ok(const struct triad_table_body *b, uint8_t channel, uint8_t writer, uint8_t voter)
{
    return channel < b->channel_count && b->channels[channel].writer == writer
        && channel_read_by(&b->channels[channel], voter);
}

/*@ requires \valid_read(b);
    requires b->sandbox_count <= TRIAD_MAX_SANDBOXES && b->channel_count <= TRIAD_MAX_CHANNELS;
    requires b->tmr_group_count <= TRIAD_MAX_TMR_GROUPS;
    requires \forall integer i; 0 <= i < b->channel_count ==> b->channels[i].reader_count <= TRIAD_MAX_READERS;
    requires \forall integer g; 0 <= g < b->tmr_group_count ==> b->tmr_groups[g].replica_count <= TRIAD_MAX_REPLICAS;
    assigns \nothing;
    ensures ERR_RANGE: 0 <= \result < TRIAD_TABLE_ERROR_COUNT;
*/
static enum triad_table_error check_tmr(const struct triad_table_body *b)
{
    /*@ loop invariant 0 <= g <= b->tmr_group_count;
        loop assigns g;
        loop variant b->tmr_group_count - g; */
    for (uint32_t g = 0; g < b->tmr_group_count; g++) {
        const struct triad_tmr_group *t = &b->tmr_groups[g];
        if (t->replica_count < 3 || t->replica_count % 2 == 0 || t->voter >= b->sandbox_count
            || t->vote_mode >= TRIAD_VOTE_MODE_COUNT || t->period_us == 0
            || (t->input_channel != TRIAD_NONE && t->input_channel >= b->channel_count))
            return TRIAD_TABLE_ERR_TMR;
        if (t->standby != TRIAD_NONE
            && (t->standby >= b->sandbox_count || t->standby == t->voter
                || !output_ok(b, t->standby_output_channel, t->standby, t->voter)))
            return TRIAD_TABLE_ERR_TMR;
        /*@ loop invariant 0 <= i <= t->replica_count;
            loop assigns i;
            loop variant t->replica_count - i; */
        for (uint32_t i = 0; i < t->replica_count; i++) {
            uint8_t r = t->replicas[i];
            if (r >= b->sandbox_count || r == t->voter || r == t->standby
                || !output_ok(b, t->output_channels[i], r, t->voter))
                return TRIAD_TABLE_ERR_TMR;
            /*@ loop invariant 0 <= k <= i;
                loop assigns k;
                loop variant i - k; */
            for (uint32_t k = 0; k < i; k++)
                if (t->replicas[k] == r)
                    return TRIAD_TABLE_ERR_TMR;
        }
    }
    return TRIAD_TABLE_OK;
}

/* Who may end system safe mode: nobody (TRIAD_NONE), or a sandbox of the
   table with a hold in sysgen's range (docs/recovery.md).  An id past the
   sandboxes would let the monitor compare callers against a sandbox that
   does not exist. */
/*@ requires \valid_read(b);
    assigns \nothing;
    ensures ERR_RANGE: 0 <= \result < TRIAD_TABLE_ERROR_COUNT;
    ensures SAFE_EXIT_OK: \result == TRIAD_TABLE_OK ==>
      b->safe_exit_by == TRIAD_NONE || b->safe_exit_by < b->sandbox_count;
*/
static enum triad_table_error check_safe_exit(const struct triad_table_body *b)
{
    if (b->safe_exit_by == TRIAD_NONE) {
        return TRIAD_TABLE_OK;
    }
    if ((b->safe_exit_by >= b->sandbox_count) || (b->safe_exit_hold_ms < TRIAD_SAFE_EXIT_HOLD_MIN_MS)
        || (b->safe_exit_hold_ms > TRIAD_SAFE_EXIT_HOLD_MAX_MS)) {
        return TRIAD_TABLE_ERR_ENUM;
    }
    return TRIAD_TABLE_OK;
}

/*@ requires \valid_read(b);
    requires b->sandbox_count <= TRIAD_MAX_SANDBOXES && b->channel_count <= TRIAD_MAX_CHANNELS;
    requires b->tmr_group_count <= TRIAD_MAX_TMR_GROUPS;
    requires b->platform.serial_count <= TRIAD_MAX_SERIAL_PORTS && b->platform.pci_count <= TRIAD_MAX_PCI_DEVICES;
    requires triad_counts_ok(b);
    assigns \nothing;
    ensures PARTITION_OK: \result == TRIAD_TABLE_OK ==> triad_partition_ok(b);
    ensures ERR_RANGE: 0 <= \result < TRIAD_TABLE_ERROR_COUNT;
*/
static enum triad_table_error check_body(const struct triad_table_body *b)
{
    enum triad_table_error e = check_platform(&b->platform);
    if (e != TRIAD_TABLE_OK)
        return e;
    /*@ loop invariant 0 <= s <= b->sandbox_count;
        loop invariant \forall integer j; 0 <= j < s ==>
          triad_region_ok(b, j) && triad_disjoint_from_earlier(b, j);
        loop assigns s, e;
        loop variant b->sandbox_count - s; */
    for (uint32_t s = 0; s < b->sandbox_count; s++) {
        if ((e = check_sandbox_fields(b, s)) != TRIAD_TABLE_OK || (e = check_region(b, s)) != TRIAD_TABLE_OK
            || (e = check_ownership(b, s)) != TRIAD_TABLE_OK || (e = check_vcpus(b, s)) != TRIAD_TABLE_OK)
            return e;
    }
    if ((e = check_channel_area(b)) != TRIAD_TABLE_OK)
        return e;
    /*@ loop invariant 0 <= i <= b->channel_count;
        loop assigns i, e;
        loop variant b->channel_count - i; */
    for (uint32_t i = 0; i < b->channel_count; i++)
        if ((e = check_channel(b, i)) != TRIAD_TABLE_OK)
            return e;
    if ((e = check_channel_overlaps(b)) != TRIAD_TABLE_OK)
        return e;
    /* Consoles last: a console channel must be a checked channel. */
    /*@ loop invariant 0 <= s <= b->sandbox_count;
        loop assigns s, e;
        loop variant b->sandbox_count - s; */
    for (uint32_t s = 0; s < b->sandbox_count; s++)
        if ((e = check_console(b, s)) != TRIAD_TABLE_OK)
            return e;
    e = check_tmr(b);
    if (e != TRIAD_TABLE_OK) {
        return e;
    }
    return check_safe_exit(b);
}

/* The body's SHA-256 reads the body as bytes: WP's typed memory model keeps
   one type per location and cannot see a struct through a byte pointer, so
   under Frama-C this one call is a contract stub (trusted, listed in
   proofs/ASSUMPTIONS.md; sha256 itself is proved on bytes, module
   attest-sha256). */
#ifdef __FRAMAC__
/*@ requires \valid_read(b);
    requires \valid(digest + (0 .. TRIAD_SHA256_LEN - 1));
    assigns digest[0 .. TRIAD_SHA256_LEN - 1];
*/
void triad_table_body_digest(const struct triad_table_body *b, uint8_t digest[TRIAD_SHA256_LEN]);
#else
static void triad_table_body_digest(const struct triad_table_body *b, uint8_t digest[TRIAD_SHA256_LEN])
{
    sha256(b, sizeof *b, digest);
}
#endif

enum triad_table_error triad_table_check(const struct triad_system_table *t, size_t len,
                                         const struct triad_system_table **out)
{
    if (out != NULL)
        *out = NULL;
    if (t == NULL)
        return TRIAD_TABLE_ERR_NULL;
    if (((uintptr_t)t & 7u) != 0)
        return TRIAD_TABLE_ERR_ALIGNMENT;
    if (len < sizeof(struct triad_table_header))
        return TRIAD_TABLE_ERR_TRUNCATED;
    enum triad_table_error e = check_header(&t->header);
    if (e != TRIAD_TABLE_OK)
        return e;
    /* total_length is now known to be the layout's size. */
    if (len < TRIAD_TABLE_SIZE)
        return TRIAD_TABLE_ERR_TRUNCATED;
    uint8_t digest[TRIAD_SHA256_LEN];
    triad_table_body_digest(&t->body, digest);
    if (!digest_equal(digest, t->header.body_sha256))
        return TRIAD_TABLE_ERR_CHECKSUM;
    if ((e = check_counts_and_strings(&t->body)) != TRIAD_TABLE_OK)
        return e;
    if ((e = check_body(&t->body)) != TRIAD_TABLE_OK)
        return e;
    if (out != NULL)
        *out = t;
    return TRIAD_TABLE_OK;
}

/* The caller's bytes seen as a table: a conversion from void *, outside
   WP's typed memory model, so hidden from Frama-C (trusted: it is
   triad_table_check on the same address, proofs/ASSUMPTIONS.md). */
#ifndef __FRAMAC__
enum triad_table_error triad_table_validate(const void *buf, size_t len,
                                            const struct triad_system_table **out)
{
    return triad_table_check(buf, len, out);
}
#endif
