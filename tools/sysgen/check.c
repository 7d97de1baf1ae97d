#include <stdint.h>
#include <string.h>
#include "diag.h"
#include "check.h"
#include "sched.h"

#define MIB(x) ((unsigned long long)((x) >> 20))

struct checker {
    struct model *m;
    struct triad_table_body *b;
    unsigned errors;
};

#define ERR(c, line, rule, ...) \
    do { diag_error((c)->m->file, (long)(line), rule, __VA_ARGS__); (c)->errors++; } while (0)

static int overlaps(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
    return as && bs && a < b + bs && b < a + as;
}

static void check_platform(struct checker *c)
{
    const struct triad_platform *p = &c->b->platform;
    if (p->monitor_base % TRIAD_REGION_ALIGN || p->monitor_size % TRIAD_REGION_ALIGN || p->monitor_size == 0)
        ERR(c, c->m->monitor_line, "monitor-region",
            "the monitor region 0x%llx+0x%llx is not a non-empty 2 MiB-aligned region; use 2 MiB multiples",
            (unsigned long long)p->monitor_base, (unsigned long long)p->monitor_size);
    else if (p->monitor_base + p->monitor_size > p->ram_size)
        ERR(c, c->m->monitor_line, "monitor-region", "the monitor region ends at %llu MiB, beyond the %llu MiB of RAM; move or shrink it",
            MIB(p->monitor_base + p->monitor_size), MIB(p->ram_size));
    for (unsigned i = 0; i < p->pci_count; i++) {
        const struct triad_pci_device *d = &p->pci[i];
        for (unsigned k = 0; k < i; k++)
            if (p->pci[k].bus == d->bus && p->pci[k].dev == d->dev && p->pci[k].fn == d->fn)
                ERR(c, c->m->pci_line[i], "pci-address-twice", "device \"%s\" has the PCI address %02x:%02x.%u of \"%s\"; fix bus, dev or fn",
                    d->name, d->bus, d->dev, d->fn, p->pci[k].name);
        for (unsigned k = 0; k < d->bar_count; k++) {
            const struct triad_bar *bar = &d->bars[k];
            int line = c->m->bar_line[i][k];
            if (bar->size == 0 || bar->base % TRIAD_PAGE_SIZE || bar->size % TRIAD_PAGE_SIZE)
                ERR(c, line, "bar-misaligned", "BAR 0x%llx+0x%llx of \"%s\" is not a non-empty 4 KiB-aligned region; use page multiples",
                    (unsigned long long)bar->base, (unsigned long long)bar->size, d->name);
            else if (overlaps(bar->base, bar->size, 0, p->ram_size))
                ERR(c, line, "bar-overlaps-ram", "BAR at 0x%llx of \"%s\" lies inside the %llu MiB of RAM; use the address the device really decodes",
                    (unsigned long long)bar->base, d->name, MIB(p->ram_size));
            else if (overlaps(bar->base, bar->size, TRIAD_CHANNEL_WINDOW_GPA, TRIAD_CHANNEL_WINDOW_MAX))
                ERR(c, line, "bar-overlaps-channel-window", "BAR at 0x%llx of \"%s\" falls in the channel window 0x%llx..0x%llx; devices are mapped 1:1 and must stay clear of it",
                    (unsigned long long)bar->base, d->name, (unsigned long long)TRIAD_CHANNEL_WINDOW_GPA,
                    (unsigned long long)(TRIAD_CHANNEL_WINDOW_GPA + TRIAD_CHANNEL_WINDOW_MAX - 1));
        }
    }
}

static void check_region(struct checker *c, unsigned s)
{
    const struct triad_platform *p = &c->b->platform;
    const struct triad_sandbox *sb = &c->b->sandboxes[s];
    int line = c->m->sandbox[s].line;
    if (sb->mem_size == 0 || sb->mem_size % TRIAD_REGION_ALIGN || sb->mem_base % TRIAD_REGION_ALIGN) {
        ERR(c, line, "region-misaligned", "sandbox \"%s\" has memory 0x%llx at base 0x%llx; base and size must be non-zero multiples of 2 MiB",
            sb->name, (unsigned long long)sb->mem_size, (unsigned long long)sb->mem_base);
        return;
    }
    if (sb->mem_size > TRIAD_MAX_SANDBOX_RAM) {
        ERR(c, line, "region-too-large", "sandbox \"%s\" asks for %llu MiB; a sandbox has at most %llu MiB (the channel window starts there)",
            sb->name, MIB(sb->mem_size), MIB(TRIAD_MAX_SANDBOX_RAM));
        return;
    }
    if (!c->m->sandbox[s].base_given && sb->mem_base == 0)
        return;     /* layout found no room and said so */
    if (sb->mem_base + sb->mem_size > p->ram_size || sb->mem_base + sb->mem_size < sb->mem_base) {
        ERR(c, line, "region-outside-ram", "sandbox \"%s\" at 0x%llx+%llu MiB ends beyond the %llu MiB of RAM; lower its base or size",
            sb->name, (unsigned long long)sb->mem_base, MIB(sb->mem_size), MIB(p->ram_size));
        return;
    }
    if (overlaps(sb->mem_base, sb->mem_size, p->monitor_base, p->monitor_size))
        ERR(c, line, "region-overlaps-monitor", "sandbox \"%s\" at 0x%llx overlaps the monitor region 0x%llx+%llu MiB; move it above 0x%llx",
            sb->name, (unsigned long long)sb->mem_base, (unsigned long long)p->monitor_base, MIB(p->monitor_size),
            (unsigned long long)(p->monitor_base + p->monitor_size));
    for (unsigned k = 0; k < s; k++) {
        const struct triad_sandbox *o = &c->b->sandboxes[k];
        if (overlaps(sb->mem_base, sb->mem_size, o->mem_base, o->mem_size))
            ERR(c, line, "region-overlap", "memory of sandbox \"%s\" (0x%llx+%llu MiB) overlaps sandbox \"%s\" (0x%llx+%llu MiB, line %d); give them disjoint regions",
                sb->name, (unsigned long long)sb->mem_base, MIB(sb->mem_size), o->name,
                (unsigned long long)o->mem_base, MIB(o->mem_size), c->m->sandbox[k].line);
    }
}

static void check_cores_and_vcpus(struct checker *c, unsigned s)
{
    const struct triad_sandbox *sb = &c->b->sandboxes[s];
    const struct sandbox_src *src = &c->m->sandbox[s];
    for (unsigned k = 0; k < s; k++) {
        uint32_t shared = sb->core_mask & c->b->sandboxes[k].core_mask;
        for (unsigned core = 0; shared && core < TRIAD_MAX_CORES; core++)
            if (shared & (1u << core))
                ERR(c, src->line, "core-used-twice", "core %u of sandbox \"%s\" already belongs to sandbox \"%s\" (line %d); give each core to one sandbox",
                    core, sb->name, c->b->sandboxes[k].name, c->m->sandbox[k].line);
    }
    for (unsigned i = 0; i < sb->main_vcpu_count; i++) {
        const struct triad_main_vcpu *v = &sb->main_vcpus[i];
        if (v->core >= TRIAD_MAX_CORES || !(sb->core_mask & (1u << v->core)))
            ERR(c, src->main_vcpu_line[i], "vcpu-core-not-owned", "a VCPU of sandbox \"%s\" runs on core %u, which the sandbox does not own; use one of its cores",
                sb->name, v->core);
        if (v->budget_us > v->period_us)
            ERR(c, src->main_vcpu_line[i], "vcpu-budget-exceeds-period", "VCPU budget %u us exceeds its period %u us in sandbox \"%s\"; budget must be at most the period",
                v->budget_us, v->period_us, sb->name);
    }
    for (unsigned i = 0; i < sb->io_vcpu_count; i++) {
        const struct triad_io_vcpu *v = &sb->io_vcpus[i];
        if (v->core >= TRIAD_MAX_CORES || !(sb->core_mask & (1u << v->core)))
            ERR(c, src->io_vcpu_line[i], "vcpu-core-not-owned", "an I/O VCPU of sandbox \"%s\" runs on core %u, which the sandbox does not own; use one of its cores",
                sb->name, v->core);
    }
    for (unsigned core = 0; core < TRIAD_MAX_CORES; core++) {
        if (!(sb->core_mask & (1u << core)))
            continue;
        struct core_load l = core_load(sb, core);
        if (core_load_fits(&l))
            continue;
        int line = src->line;
        for (unsigned i = 0; i < sb->main_vcpu_count; i++)
            if (sb->main_vcpus[i].core == core) { line = src->main_vcpu_line[i]; break; }
        ERR(c, line, "utilization-bound", "sandbox \"%s\" core %u: utilization %.4f exceeds the bound %.4f for %u VCPUs; lower budgets or utilizations, or raise periods",
            sb->name, core, l.utilization, l.bound, l.vcpus);
    }
}

static void check_devices_and_ports(struct checker *c, unsigned s)
{
    const struct triad_sandbox *sb = &c->b->sandboxes[s];
    const struct sandbox_src *src = &c->m->sandbox[s];
    for (unsigned i = 0; i < sb->device_count; i++) {
        for (unsigned k = 0; k <= s; k++) {
            const struct triad_sandbox *o = &c->b->sandboxes[k];
            unsigned limit = k == s ? i : o->device_count;
            for (unsigned j = 0; j < limit; j++)
                if (o->devices[j] == sb->devices[i])
                    ERR(c, src->device_line[i], "device-owned-twice", "device \"%s\" is already owned by sandbox \"%s\" (line %d); give each device to one sandbox",
                        c->b->platform.pci[sb->devices[i]].name, o->name, c->m->sandbox[k].device_line[j]);
        }
    }
    for (unsigned i = 0; i < sb->io_range_count; i++) {
        const struct triad_io_range *r = &sb->io_ranges[i];
        if (overlaps(r->base, r->count, TRIAD_MONITOR_COM_PORT, TRIAD_SERIAL_PORT_COUNT)) {
            ERR(c, src->io_range_line[i], "monitor-console", "sandbox \"%s\" is given ports 0x%x..0x%x, which include COM1 (0x3F8), the monitor's console; use COM2..COM4 or a console channel",
                sb->name, r->base, r->base + r->count - 1);
            continue;
        }
        for (unsigned k = 0; k <= s; k++) {
            const struct triad_sandbox *o = &c->b->sandboxes[k];
            unsigned limit = k == s ? i : o->io_range_count;
            for (unsigned j = 0; j < limit; j++)
                if (overlaps(r->base, r->count, o->io_ranges[j].base, o->io_ranges[j].count))
                    ERR(c, src->io_range_line[i], "ioports-owned-twice", "ports 0x%x..0x%x of sandbox \"%s\" overlap ports 0x%x..0x%x of sandbox \"%s\" (line %d); give each port to one sandbox",
                        r->base, r->base + r->count - 1, sb->name, o->io_ranges[j].base,
                        o->io_ranges[j].base + o->io_ranges[j].count - 1, o->name, c->m->sandbox[k].io_range_line[j]);
        }
    }
    if (sb->console_kind == TRIAD_CONSOLE_CHANNEL && sb->console_channel != TRIAD_NONE) {
        const struct triad_channel *ch = &c->b->channels[sb->console_channel];
        if (ch->writer != s)
            ERR(c, src->console_line, "console-channel-writer", "console channel \"%s\" of sandbox \"%s\" is not written by \"%s\"; make \"%s\" its writer",
                ch->name, sb->name, sb->name, sb->name);
    }
}

static void check_channels(struct checker *c)
{
    for (unsigned i = 0; i < c->b->channel_count; i++) {
        const struct triad_channel *ch = &c->b->channels[i];
        const struct channel_src *src = &c->m->channel[i];
        if (ch->kind == TRIAD_CHANNEL_SYNC_FIFO && !src->depth_given)
            ERR(c, src->line, "channel-depth", "sync-fifo channel \"%s\" has no depth; add depth=\"N\"", ch->name);
        if (ch->kind == TRIAD_CHANNEL_ASYNC_4SLOT && src->depth_given && ch->depth != 4)
            ERR(c, src->line, "channel-depth", "async-4slot channel \"%s\" always has 4 slots; remove depth=\"%u\"", ch->name, ch->depth);
        for (unsigned r = 0; r < ch->reader_count; r++) {
            if (ch->readers[r] == ch->writer)
                ERR(c, src->reader_line[r], "channel-writer-reads", "sandbox \"%s\" is both writer and reader of channel \"%s\"; remove it from the readers",
                    c->b->sandboxes[ch->writer].name, ch->name);
            for (unsigned k = 0; k < r; k++)
                if (ch->readers[k] == ch->readers[r])
                    ERR(c, src->reader_line[r], "channel-duplicate-reader", "sandbox \"%s\" reads channel \"%s\" twice; list each reader once",
                        c->b->sandboxes[ch->readers[r]].name, ch->name);
        }
    }
}

static int reads(const struct triad_channel *ch, uint8_t s)
{
    for (unsigned r = 0; r < ch->reader_count; r++)
        if (ch->readers[r] == s)
            return 1;
    return 0;
}

/* The channel replica -> voter for `who`: the declared one, checked, or the
   first such channel when none is declared. */
static uint8_t output_path(struct checker *c, const struct triad_tmr_group *t, uint8_t who, uint8_t declared, int line)
{
    const char *name = c->b->sandboxes[who].name;
    if (declared != TRIAD_NONE) {
        const struct triad_channel *ch = &c->b->channels[declared];
        if (ch->writer != who || !reads(ch, t->voter))
            ERR(c, line, "tmr-no-output-path", "output channel \"%s\" of \"%s\" in TMR group \"%s\" must be written by \"%s\" and read by the voter \"%s\"; fix its writer or readers",
                ch->name, name, t->name, name, c->b->sandboxes[t->voter].name);
        return declared;
    }
    for (unsigned i = 0; i < c->b->channel_count; i++)
        if (c->b->channels[i].writer == who && reads(&c->b->channels[i], t->voter))
            return (uint8_t)i;
    ERR(c, line, "tmr-no-output-path", "no channel carries the output of \"%s\" to the voter \"%s\" of TMR group \"%s\"; declare a channel written by \"%s\" and read by \"%s\"",
        name, c->b->sandboxes[t->voter].name, t->name, name, c->b->sandboxes[t->voter].name);
    return TRIAD_NONE;
}

static void check_tmr(struct checker *c)
{
    for (unsigned g = 0; g < c->b->tmr_group_count; g++) {
        struct triad_tmr_group *t = &c->b->tmr_groups[g];
        const struct tmr_src *src = &c->m->tmr[g];
        if (t->replica_count < 3 || t->replica_count % 2 == 0)
            ERR(c, src->line, "tmr-replica-count", "TMR group \"%s\" has %u replicas; a majority vote needs an odd number, at least 3",
                t->name, t->replica_count);
        if (t->vote_mode == TRIAD_VOTE_TOLERANCE && !src->tolerance_given)
            ERR(c, src->line, "tmr-tolerance", "TMR group \"%s\" votes with tolerance but declares none; add tolerance=\"...\"", t->name);
        if (t->vote_mode == TRIAD_VOTE_EXACT && t->tolerance_micro != 0)
            ERR(c, src->line, "tmr-tolerance", "TMR group \"%s\" votes exactly but declares a tolerance; remove it or use vote=\"tolerance\"", t->name);
        if (t->voter == TRIAD_NONE)
            continue;
        /* Shape first: a path check on a malformed group only adds noise. */
        unsigned before = c->errors;
        for (unsigned i = 0; i < t->replica_count; i++) {
            uint8_t r = t->replicas[i];
            const char *name = c->b->sandboxes[r].name;
            for (unsigned k = 0; k < i; k++)
                if (t->replicas[k] == r)
                    ERR(c, src->replica_line[i], "tmr-duplicate-replica", "sandbox \"%s\" is a replica of TMR group \"%s\" twice; replicas must be distinct sandboxes",
                        name, t->name);
            if (r == t->voter)
                ERR(c, src->replica_line[i], "tmr-voter-is-replica", "the voter \"%s\" of TMR group \"%s\" is also a replica; vote in another sandbox",
                    name, t->name);
            if (r == t->standby)
                ERR(c, src->standby_line, "tmr-standby-not-distinct", "the standby \"%s\" of TMR group \"%s\" is also a replica; use a separate sandbox",
                    name, t->name);
            for (unsigned h = 0; h < g; h++)
                for (unsigned k = 0; k < c->b->tmr_groups[h].replica_count; k++)
                    if (c->b->tmr_groups[h].replicas[k] == r)
                        ERR(c, src->replica_line[i], "tmr-sandbox-in-two-groups", "sandbox \"%s\" is already a replica of TMR group \"%s\"; a sandbox serves one group",
                            name, c->b->tmr_groups[h].name);
        }
        if (t->standby != TRIAD_NONE && t->standby == t->voter)
            ERR(c, src->standby_line, "tmr-voter-is-replica", "the voter \"%s\" of TMR group \"%s\" is also its standby; use another sandbox",
                c->b->sandboxes[t->voter].name, t->name);
        if (c->errors != before)
            continue;
        for (unsigned i = 0; i < t->replica_count; i++) {
            uint8_t r = t->replicas[i];
            t->output_channels[i] = output_path(c, t, r, t->output_channels[i], src->replica_line[i]);
            if (t->input_channel != TRIAD_NONE && !reads(&c->b->channels[t->input_channel], r))
                ERR(c, src->replica_line[i], "tmr-input-not-read", "replica \"%s\" does not read the input channel \"%s\" of TMR group \"%s\"; add it as a reader",
                    c->b->sandboxes[r].name, c->b->channels[t->input_channel].name, t->name);
        }
        if (t->standby != TRIAD_NONE) {
            t->standby_output_channel = output_path(c, t, t->standby, t->standby_output_channel, src->standby_line);
            if (t->input_channel != TRIAD_NONE && !reads(&c->b->channels[t->input_channel], t->standby))
                ERR(c, src->standby_line, "tmr-input-not-read", "standby \"%s\" does not read the input channel \"%s\" of TMR group \"%s\"; add it as a reader",
                    c->b->sandboxes[t->standby].name, c->b->channels[t->input_channel].name, t->name);
        }
    }
}

/* Is channel i some sandbox's console? */
static int is_console(const struct checker *c, unsigned i)
{
    for (unsigned s = 0; s < c->b->sandbox_count; s++)
        if (c->b->sandboxes[s].console_kind == TRIAD_CONSOLE_CHANNEL && c->b->sandboxes[s].console_channel == i)
            return 1;
    return 0;
}

/* I/O failover (docs/recovery.md): a voter-standby runs the voter's program
   in shadow on the same inputs, so it reads every channel the voter reads
   (consoles aside: they are not the vote's), keeps running in system safe
   mode as the voter does, and is none of the group's members.  It becomes
   the shadow writer of every channel the voter writes: its tables map those
   pages read-only at boot and the monitor's failover grants them. */
static void check_voter_standby(struct checker *c)
{
    for (unsigned g = 0; g < c->b->tmr_group_count; g++) {
        const struct triad_tmr_group *t = &c->b->tmr_groups[g];
        const struct tmr_src *src = &c->m->tmr[g];
        if (src->voter_standby < 0 || t->voter == TRIAD_NONE)
            continue;
        const uint8_t vs = (uint8_t)src->voter_standby;
        const char *name = c->b->sandboxes[vs].name;
        unsigned before = c->errors;
        int member = vs == t->standby;
        for (unsigned i = 0; i < t->replica_count; i++)
            member |= t->replicas[i] == vs;
        if (vs == t->voter || member) {
            ERR(c, src->line, "voter-standby-not-distinct", "the voter-standby \"%s\" of TMR group \"%s\" is its voter or one of its members; use a sandbox of its own",
                name, t->name);
            continue;
        }
        if (c->b->sandboxes[vs].safe_mode_policy == TRIAD_SAFE_MODE_HALT)
            ERR(c, src->line, "voter-halted-in-safe-mode", "sandbox \"%s\" stands by as the voter of TMR group \"%s\" and may command the safe actuator value in system safe mode; it cannot be halted then (system-safe-mode=\"run\")",
                name, t->name);
        for (unsigned i = 0; i < c->b->channel_count; i++) {
            const struct triad_channel *ch = &c->b->channels[i];
            if (reads(ch, t->voter) && !is_console(c, i) && !reads(ch, vs))
                ERR(c, src->line, "voter-standby-not-reading", "the voter-standby \"%s\" of TMR group \"%s\" does not read channel \"%s\", which the voter reads; add it as a reader",
                    name, t->name, ch->name);
            if (ch->writer == t->voter && (reads(ch, vs) || ch->shadow_writer != 0))
                ERR(c, src->line, "voter-standby-channel-role", "the voter-standby \"%s\" of TMR group \"%s\" must take over channel \"%s\" from the voter, so it cannot read it nor stand by for another group there",
                    name, t->name, ch->name);
        }
        if (c->errors != before)
            continue;
        for (unsigned i = 0; i < c->b->channel_count; i++)
            if (c->b->channels[i].writer == t->voter)
                c->b->channels[i].shadow_writer = (uint8_t)(vs + 1u);
    }
}

/* failover hands a replica's place to the standby: only meaningful for a
   replica of a group that has one.  Driver recovery (local or remote)
   re-initialises a device the sandbox owns: meaningless without one. */
static void check_health(struct checker *c, unsigned s)
{
    const struct triad_sandbox *sb = &c->b->sandboxes[s];
    int has_standby = 0;
    /* In system safe mode the voter commands the safe actuator value: it
       must be one of the sandboxes that keep running. */
    for (unsigned g = 0; g < c->b->tmr_group_count; g++)
        if (c->b->tmr_groups[g].voter == s && sb->safe_mode_policy == TRIAD_SAFE_MODE_HALT) {
            ERR(c, c->m->sandbox[s].health_line, "voter-halted-in-safe-mode",
                "sandbox \"%s\" votes for TMR group \"%s\" and commands the safe actuator value in system safe mode; it cannot be halted then (system-safe-mode=\"run\")",
                sb->name, c->b->tmr_groups[g].name);
            return;
        }
    for (unsigned g = 0; g < c->b->tmr_group_count; g++) {
        for (unsigned i = 0; i < c->b->tmr_groups[g].replica_count; i++)
            if (c->b->tmr_groups[g].replicas[i] == s && c->b->tmr_groups[g].standby != TRIAD_NONE)
                has_standby = 1;
        /* the voter fails over to its voter-standby (I/O failover), and the
           standby, once it is the voter, back to the restarted voter */
        if ((c->b->tmr_groups[g].voter == s || c->m->tmr[g].voter_standby == (int)s) && c->m->tmr[g].voter_standby >= 0)
            has_standby = 1;
    }
    for (unsigned k = 0; k < TRIAD_FAULT_KIND_COUNT; k++) {
        const uint8_t a = sb->health_action[k];
        /* `log` resumes the guest after the faulting instruction, which the
           monitor knows only for exits caused by an instruction it decodes.
           An EPT/NPF violation is a memory access it does not decode: SVM
           gives no next RIP for an NPF and VMX leaves the instruction length
           undefined for an EPT violation, so the guest would resume at a
           wrong RIP or re-run the access forever. */
        if (k == TRIAD_FAULT_EPT_VIOLATION && a == TRIAD_ACTION_LOG) {
            int line = c->m->sandbox[s].action_line[k] ? c->m->sandbox[s].action_line[k] : c->m->sandbox[s].health_line;
            ERR(c, line, "log-not-resumable",
                "sandbox \"%s\" only logs an ept_violation, but the monitor cannot step over a memory access it does not decode; give ept_violation another action (halt, restart_cold, ...)",
                sb->name);
            return;
        }
        if ((a == TRIAD_ACTION_RECOVER_DRIVER_LOCAL || a == TRIAD_ACTION_RECOVER_DRIVER_REMOTE) && sb->device_count == 0) {
            int line = c->m->sandbox[s].action_line[k] ? c->m->sandbox[s].action_line[k] : c->m->sandbox[s].health_line;
            ERR(c, line, "driver-recovery-without-device", "sandbox \"%s\" recovers a driver but owns no device; give it the device or choose another action",
                sb->name);
            return;
        }
        if (a != TRIAD_ACTION_FAILOVER || has_standby)
            continue;
        int line = c->m->sandbox[s].action_line[k] ? c->m->sandbox[s].action_line[k] : c->m->sandbox[s].health_line;
        ERR(c, line, "failover-without-standby", "sandbox \"%s\" fails over but is neither a replica of a TMR group with a standby nor the voter or voter-standby of a TMR group with both; choose another action",
            sb->name);
        return;
    }
}

/* Remote driver recovery: each <device standby="..."> names another
   declared sandbox; the compiled table records it on the device
   (standby_ref = index + 1). */
static void check_standbys(struct checker *c, unsigned s)
{
    struct triad_sandbox *sb = &c->b->sandboxes[s];
    const struct sandbox_src *src = &c->m->sandbox[s];
    for (unsigned i = 0; i < sb->device_count; i++) {
        const char *name = src->device_standby[i];
        if (name[0] == 0)
            continue;
        struct triad_pci_device *dev = &c->b->platform.pci[sb->devices[i]];
        unsigned k = 0;
        while (k < c->b->sandbox_count && strcmp(c->b->sandboxes[k].name, name) != 0)
            k++;
        if (k == c->b->sandbox_count)
            ERR(c, src->device_line[i], "unknown-standby", "sandbox \"%s\" names \"%s\" as the standby of device \"%s\", but no sandbox has that name; declare it or fix the name",
                sb->name, name, dev->name);
        else if (k == s)
            ERR(c, src->device_line[i], "standby-is-owner", "sandbox \"%s\" names itself as the standby of its device \"%s\"; name another sandbox",
                sb->name, dev->name);
        else
            dev->standby_ref = (uint8_t)(k + 1u);
    }
}

/* recover_driver_remote needs a device with a declared standby to hand over. */
static void check_remote_recovery(struct checker *c, unsigned s)
{
    const struct triad_sandbox *sb = &c->b->sandboxes[s];
    int has_standby = 0;
    for (unsigned i = 0; i < sb->device_count; i++)
        if (c->m->sandbox[s].device_standby[i][0] != 0)
            has_standby = 1;
    for (unsigned k = 0; k < TRIAD_FAULT_KIND_COUNT; k++) {
        if (sb->health_action[k] != TRIAD_ACTION_RECOVER_DRIVER_REMOTE || sb->device_count == 0 || has_standby)
            continue;
        int line = c->m->sandbox[s].action_line[k] ? c->m->sandbox[s].action_line[k] : c->m->sandbox[s].health_line;
        ERR(c, line, "remote-recovery-without-standby", "sandbox \"%s\" recovers a driver remotely but none of its devices names a standby; add standby=\"<sandbox>\" to its <device> or choose another action",
            sb->name);
        return;
    }
}

/* The sandbox that may end system safe mode must be running then: one
   marked system-safe-mode="halt" is stopped at the entry and could never
   ask. */
static void check_safe_exit(struct checker *c)
{
    const uint8_t by = c->b->safe_exit_by;
    if (by == TRIAD_NONE || by >= c->b->sandbox_count)
        return;
    const struct triad_sandbox *sb = &c->b->sandboxes[by];
    if (sb->safe_mode_policy == TRIAD_SAFE_MODE_HALT)
        ERR(c, c->m->safe_mode_line, "safe-mode-exit-halted",
            "safe-mode exit-by=\"%s\" names a sandbox halted in system safe mode (system-safe-mode=\"halt\"); it could never ask: name one that keeps running",
            sb->name);
}

unsigned check_description(struct model *m)
{
    struct checker c = { .m = m, .b = &m->table.body, .errors = 0 };
    check_platform(&c);
    for (unsigned s = 0; s < c.b->sandbox_count; s++) {
        check_region(&c, s);
        check_cores_and_vcpus(&c, s);
        check_devices_and_ports(&c, s);
    }
    check_channels(&c);
    check_tmr(&c);
    check_voter_standby(&c);
    for (unsigned s = 0; s < c.b->sandbox_count; s++) {
        check_health(&c, s);
        check_standbys(&c, s);
        check_remote_recovery(&c, s);
    }
    check_safe_exit(&c);
    return c.errors;
}
