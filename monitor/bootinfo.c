/* Building a sandbox's multiboot2 information block (see bootinfo.h). */
#include "bootinfo.h"

#define TAG_CMDLINE 1u
#define TAG_LOADER  2u
#define TAG_MMAP    6u
#define TAG_END     0u
#define MAX_CMDLINE 1024u

/* A bounded writer: once out of space it stops writing and says so. */
struct out { uint8_t *buf; uint32_t cap, len; int overflow; };

/*@ requires \valid(o); assigns o->buf[0 .. o->cap - 1], o->len, o->overflow; */
static void put(struct out *o, const void *src, uint32_t n)
{
    const uint8_t *s = src;
    if (o->overflow || n > o->cap - o->len) {
        o->overflow = 1;
        return;
    }
    /*@ loop invariant 0 <= i <= n;
        loop assigns i, o->buf[0 .. o->cap - 1];
        loop variant n - i; */
    for (uint32_t i = 0; i < n; i++)
        o->buf[o->len + i] = s[i];
    o->len += n;
}

/*@ requires \valid(o); assigns o->buf[0 .. o->cap - 1], o->len, o->overflow; */
static void put32(struct out *o, uint32_t v) { put(o, &v, 4); }
/*@ requires \valid(o); assigns o->buf[0 .. o->cap - 1], o->len, o->overflow; */
static void put64(struct out *o, uint64_t v) { put(o, &v, 8); }

/*@ requires \valid(o); assigns o->buf[0 .. o->cap - 1], o->len, o->overflow; */
static void align8(struct out *o)
{
    static const uint8_t zero[8];
    put(o, zero, (8 - (o->len & 7)) & 7);
}

/* A string of at most max bytes (stops at NUL). */
/*@ requires \valid(o); assigns o->buf[0 .. o->cap - 1], o->len, o->overflow; */
static void put_str(struct out *o, const char *s, uint32_t max)
{
    /*@ loop invariant 0 <= i <= max;
        loop assigns i, o->buf[0 .. o->cap - 1], o->len, o->overflow;
        loop variant max - i; */
    for (uint32_t i = 0; i < max && s[i] != '\0'; i++)
        put(o, &s[i], 1);
}

/*@ requires \valid(o); assigns o->buf[0 .. o->cap - 1], o->len, o->overflow; */
static void put_dec(struct out *o, uint64_t v)
{
    char d[20];
    uint32_t n = 0;
    /*@ loop assigns n, v, d[0 .. 19]; loop variant 20 - n; */
    do {
        d[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0 && n < 20);
    /*@ loop assigns n, o->buf[0 .. o->cap - 1], o->len, o->overflow; loop variant n; */
    while (n > 0)
        put(o, &d[--n], 1);
}

/*@ requires \valid(o); assigns o->buf[0 .. o->cap - 1], o->len, o->overflow; */
static void put_hex(struct out *o, uint64_t v)
{
    static const char hex[] = "0123456789abcdef";
    put_str(o, "0x", 2);
    int started = 0;
    /*@ loop assigns shift, started, o->buf[0 .. o->cap - 1], o->len, o->overflow;
        loop variant shift + 4; */
    for (int shift = 60; shift >= 0; shift -= 4) {
        uint32_t nib = (uint32_t)((v >> shift) & 0xFu);
        if (nib || started || shift == 0) {
            put(o, &hex[nib], 1);
            started = 1;
        }
    }
}

/*@ assigns \nothing; */
static uint32_t popcount32(uint32_t v)
{
    uint32_t n = 0;
    /*@ loop assigns v, n; loop variant v; */
    while (v) {
        v &= v - 1;
        n++;
    }
    return n;
}

/* The interrupt line (GSI) of the first device sandbox sb holds, else of
   the first it is the declared standby of; 0xFF when neither has one. */
/*@ requires \valid_read(t) && \valid_read(s); assigns \nothing; */
static uint32_t device_line(const struct triad_table_body *t, const struct triad_sandbox *s, uint32_t sb)
{
    if ((s->device_count != 0u) && (s->devices[0] < TRIAD_MAX_PCI_DEVICES)) {
        return t->platform.pci[s->devices[0]].irq;
    }
    /*@ loop assigns d; loop variant TRIAD_MAX_PCI_DEVICES - d; */
    for (uint32_t d = 0u; (d < t->platform.pci_count) && (d < TRIAD_MAX_PCI_DEVICES); d++) {
        if (t->platform.pci[d].standby_ref == (sb + 1u)) {
            return t->platform.pci[d].irq;
        }
    }
    return 0xFFu;
}

/* 1 when sandbox sb is some device's declared standby. */
/*@ requires \valid_read(t); assigns \nothing; */
static int standby_of_any(const struct triad_table_body *t, uint32_t sb)
{
    int found = 0;
    /*@ loop assigns d, found; loop variant TRIAD_MAX_PCI_DEVICES - d; */
    for (uint32_t d = 0u; (d < t->platform.pci_count) && (d < TRIAD_MAX_PCI_DEVICES); d++) {
        if (t->platform.pci[d].standby_ref == (sb + 1u)) {
            found = 1;
        }
    }
    return found;
}

/*@ requires \valid(o) && \valid_read(s) && \valid_read(t); assigns o->buf[0 .. o->cap - 1], o->len, o->overflow; */
static void put_cmdline(struct out *o, const struct triad_table_body *t, const struct triad_sandbox *s, uint32_t sb,
                        uint32_t restart)
{
    uint32_t start = o->len;
    put32(o, TAG_CMDLINE);
    put32(o, 0);                       /* size, patched below */
    put_str(o, "triad.sandbox=", 32);
    put_dec(o, sb);
    put_str(o, " triad.name=", 32);
    put_str(o, s->name, TRIAD_NAME_LEN - 1);
    put_str(o, " triad.console=", 32);
    if (s->console_kind == TRIAD_CONSOLE_SERIAL)
        put_hex(o, s->console_port);
    else
        put_str(o, s->console_kind == TRIAD_CONSOLE_CHANNEL ? "channel" : "none", 16);
    put_str(o, " triad.cores=", 32);
    put_dec(o, popcount32(s->core_mask));
    /* a declared standby too: the device may be handed to it (remote
       recovery, or the I/O failover's ground link) */
    if ((s->device_count != 0u) || (standby_of_any(t, sb) != 0)) {
        /* A device without an IOMMU sees host-physical memory while the
           sandbox sees its RAM at guest-physical 0: its driver adds this
           offset to every DMA address it hands the device.  The monitor
           says it (not the description's author) so it is always the base
           the monitor really placed the sandbox at. */
        put_str(o, " triad.dma-offset=", 32);
        put_hex(o, s->mem_base);
    }
    /* The vector the monitor routes this sandbox's device line to (its
       own device, or the one it is the declared standby of): irq_route.h. */
    const uint32_t gsi = device_line(t, s, sb);
    if (gsi < TRIAD_IOAPIC_MAX_GSI) {
        put_str(o, " triad.irq-vector=", 32);
        put_hex(o, TRIAD_DEVICE_VECTOR(gsi));
    }
    if (restart != 0) {                /* a relaunch by the recovery path */
        put_str(o, " triad.restart=", 32);
        put_dec(o, restart);
    }
    /*@ loop assigns p, o->buf[0 .. o->cap - 1], o->len, o->overflow;
        loop variant TRIAD_MAX_PROGRAMS - p; */
    for (uint32_t p = 0; p < s->program_count && p < TRIAD_MAX_PROGRAMS; p++) {
        if (s->programs[p].args[0] == '\0')
            continue;
        put_str(o, " ", 1);
        put_str(o, s->programs[p].args, TRIAD_ARGS_LEN - 1);
    }
    put(o, "", 1);
    if (!o->overflow) {
        uint32_t size = o->len - start;
        /*@ assert o->len <= o->cap; */
        o->buf[start + 4] = (uint8_t)size;
        o->buf[start + 5] = (uint8_t)(size >> 8);
    }
    align8(o);
}

/*@ requires \valid(o); assigns o->buf[0 .. o->cap - 1], o->len, o->overflow; */
static void put_region(struct out *o, uint64_t base, uint64_t len, uint32_t type)
{
    put64(o, base);
    put64(o, len);
    put32(o, type);
    put32(o, 0);
}

int bootinfo_channel(const struct triad_table_body *t, uint32_t ci, uint8_t sb,
                     struct triad_boot_channel *out)
{
    const struct triad_channel *c = &t->channels[ci];
    const uint64_t w = t->channel_area.window_gpa;
    const uint32_t nr = c->reader_count <= TRIAD_MAX_READERS ? c->reader_count : TRIAD_MAX_READERS;
    int role = -1;
    uint32_t me = 0;
    /* I/O failover's standby writer is told the writer's role: it opens
       the channel as a sender that writes only once the monitor's
       failover grants it the pages (read-only until then). */
    if ((c->writer == sb) || ((c->shadow_writer != 0u) && ((uint32_t)c->shadow_writer == ((uint32_t)sb + 1u)))) {
        role = TRIAD_ROLE_WRITER;
    }
    /*@ loop assigns r, role, me; loop variant nr - r; */
    for (uint32_t r = 0; r < nr && role < 0; r++)
        if (c->readers[r] == sb)
            role = TRIAD_ROLE_READER, me = r;
    if (role < 0)
        return -1;
    struct triad_boot_channel d = {0};
    d.key = c->key;
    d.kind = c->kind;
    d.role = (uint8_t)role;
    d.reader_index = role == TRIAD_ROLE_READER ? (uint8_t)me : 0xFF;
    d.reader_count = (uint8_t)nr;
    d.msg_size = c->msg_size;
    d.depth = c->depth;
    d.writer_gpa = w + c->writer_offset;
    d.writer_size = c->writer_size;
    d.control_gpa = w + c->reader_ctl_offset[me];
    d.control_size = c->reader_ctl_size;
    /*@ loop assigns r, d.reader_ctl_gpa[0 .. 7]; loop variant nr - r; */
    for (uint32_t r = 0; r < nr && role == TRIAD_ROLE_WRITER; r++)
        d.reader_ctl_gpa[r] = w + c->reader_ctl_offset[r];
    *out = d;
    return 0;
}

int bootinfo_build(uint8_t *buf, uint32_t cap, const struct triad_table_body *t, uint32_t sb,
                   const char *loader_name)
{
    return bootinfo_build_restart(buf, cap, t, sb, loader_name, 0);
}

int bootinfo_build_restart(uint8_t *buf, uint32_t cap, const struct triad_table_body *t, uint32_t sb,
                           const char *loader_name, uint32_t restart)
{
    if (sb >= t->sandbox_count || sb >= TRIAD_MAX_SANDBOXES)
        return BOOTINFO_ERR_INDEX;
    const struct triad_sandbox *s = &t->sandboxes[sb];
    struct out o = { buf, cap, 0, 0 };
    put32(&o, 0);                      /* total size, patched at the end */
    put32(&o, 0);
    put_cmdline(&o, t, s, sb, restart);

    uint32_t start = o.len;
    put32(&o, TAG_LOADER);
    put32(&o, 0);
    put_str(&o, loader_name, 64);
    put(&o, "", 1);
    if (!o.overflow)
        o.buf[start + 4] = (uint8_t)(o.len - start);
    align8(&o);

    const int has_window = t->channel_area.size != 0;
    put32(&o, TAG_MMAP);
    put32(&o, 16 + 24 * (has_window ? 3u : 2u));
    put32(&o, 24);                     /* entry size */
    put32(&o, 0);                      /* entry version */
    put_region(&o, 0, 0x1000, 2);
    put_region(&o, 0x1000, s->mem_size > 0x1000 ? s->mem_size - 0x1000 : 0, 1);
    if (has_window)
        put_region(&o, t->channel_area.window_gpa, t->channel_area.size, 2);

    start = o.len;
    put32(&o, TRIAD_MB2_TAG_SANDBOX);
    put32(&o, 0);
    put32(&o, TRIAD_SANDBOX_TAG_VERSION);
    put32(&o, sb);
    char name[TRIAD_BOOT_NAME_LEN] = {0};
    /*@ loop assigns i, name[0 .. TRIAD_BOOT_NAME_LEN - 1]; loop variant TRIAD_BOOT_NAME_LEN - 1 - i; */
    for (uint32_t i = 0; i < TRIAD_BOOT_NAME_LEN - 1 && s->name[i]; i++)
        name[i] = s->name[i];
    put(&o, name, sizeof name);
    put64(&o, s->mem_size);
    put64(&o, has_window ? t->channel_area.window_gpa : 0);
    put64(&o, t->channel_area.size);
    put32(&o, s->core_mask);
    uint16_t port = s->console_kind == TRIAD_CONSOLE_SERIAL ? s->console_port : 0;
    put(&o, &port, 2);
    put(&o, &s->console_kind, 1);
    uint8_t console_channel = TRIAD_NONE;
    uint32_t count_at = o.len + 1;
    put(&o, &console_channel, 1);      /* patched when the console channel is seen */
    put32(&o, 0);                      /* channel_count, patched */
    put32(&o, 0);
    uint32_t count = 0;
    /*@ loop assigns ci, count, name[0 .. TRIAD_BOOT_NAME_LEN - 1], o.buf[0 .. cap - 1], o.len, o.overflow;
        loop variant TRIAD_MAX_CHANNELS - ci; */
    for (uint32_t ci = 0; ci < t->channel_count && ci < TRIAD_MAX_CHANNELS; ci++) {
        struct triad_boot_channel d;
        if (bootinfo_channel(t, ci, (uint8_t)sb, &d) != 0)
            continue;
        if (s->console_kind == TRIAD_CONSOLE_CHANNEL && s->console_channel == ci && !o.overflow)
            o.buf[count_at - 1] = (uint8_t)count;
        put(&o, &d, sizeof d);
        count++;
    }
    if (!o.overflow) {
        uint32_t size = o.len - start;
        o.buf[start + 4] = (uint8_t)size;
        o.buf[start + 5] = (uint8_t)(size >> 8);
        o.buf[count_at] = (uint8_t)count;
    }
    align8(&o);
    put32(&o, TAG_END);
    put32(&o, 8);
    if (o.overflow)
        return BOOTINFO_ERR_SPACE;
    o.buf[0] = (uint8_t)o.len;
    o.buf[1] = (uint8_t)(o.len >> 8);
    return (int)o.len;
}
