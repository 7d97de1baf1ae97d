#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/tree.h>
#include "diag.h"
#include "parse.h"

struct parser {
    struct model *m;
    unsigned errors;
};

#define ERR(p, line, rule, ...) \
    do { diag_error((p)->m->file, (long)(line), rule, __VA_ARGS__); (p)->errors++; } while (0)

static int line_of(xmlNodePtr n)
{
    return (int)xmlGetLineNo(n);
}

static bool is_elem(xmlNodePtr n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

/* The attribute's value (schema defaults applied by the validator are not
   in the tree, so callers pass their own default), or NULL. */
static const char *attr(xmlNodePtr n, const char *name)
{
    xmlAttrPtr a = xmlHasProp(n, (const xmlChar *)name);
    if (a == NULL || a->children == NULL || a->children->content == NULL)
        return NULL;
    return (const char *)a->children->content;
}

static void copy_name(char dst[TRIAD_NAME_LEN], const char *src)
{
    snprintf(dst, TRIAD_NAME_LEN, "%s", src ? src : "");
}

/* Decimal or 0x-hex, with an optional K/M/G suffix (the schema decides
   which forms an attribute accepts).  Reports overflow. */
static bool number(struct parser *p, xmlNodePtr n, const char *name, uint64_t *out)
{
    const char *s = attr(n, name);
    if (s == NULL)
        return false;
    int base = 10;
    const char *digits = s;
    if (s[0] == '0' && s[1] == 'x') {
        base = 16;
        digits = s + 2;
    }
    uint64_t v = 0;
    const char *c = digits;
    for (; *c; c++) {
        unsigned d;
        if (*c >= '0' && *c <= '9') d = (unsigned)(*c - '0');
        else if (base == 16 && *c >= 'a' && *c <= 'f') d = (unsigned)(*c - 'a' + 10);
        else if (base == 16 && *c >= 'A' && *c <= 'F') d = (unsigned)(*c - 'A' + 10);
        else break;
        if (v > (UINT64_MAX - d) / (uint64_t)base) {
            ERR(p, line_of(n), "number-too-large", "%s=\"%s\" does not fit in 64 bits; use a smaller value", name, s);
            return false;
        }
        v = v * (uint64_t)base + d;
    }
    unsigned shift = 0;
    if (*c == 'K') shift = 10;
    else if (*c == 'M') shift = 20;
    else if (*c == 'G') shift = 30;
    if (shift && v > (UINT64_MAX >> shift)) {
        ERR(p, line_of(n), "number-too-large", "%s=\"%s\" does not fit in 64 bits; use a smaller value", name, s);
        return false;
    }
    *out = v << shift;
    return true;
}

/* A schema-checked xs:decimal (at most 6 fraction digits) in millionths. */
static bool micro_units(xmlNodePtr n, const char *name, uint64_t *out)
{
    const char *s = attr(n, name);
    if (s == NULL)
        return false;
    uint64_t whole = 0, frac = 0;
    unsigned frac_digits = 0;
    const char *c = s;
    if (*c == '+') c++;
    for (; *c >= '0' && *c <= '9'; c++)
        whole = whole * 10u + (uint64_t)(*c - '0');
    if (*c == '.')
        for (c++; *c >= '0' && *c <= '9'; c++)
            if (frac_digits < 6) {
                frac = frac * 10u + (uint64_t)(*c - '0');
                frac_digits++;
            }
    for (; frac_digits < 6; frac_digits++)
        frac *= 10u;
    *out = whole * 1000000u + frac;
    return true;
}

static int find_sandbox(const struct model *m, const char *name)
{
    for (uint32_t i = 0; name && i < m->table.body.sandbox_count; i++)
        if (strcmp(m->table.body.sandboxes[i].name, name) == 0)
            return (int)i;
    return -1;
}

static int find_channel(const struct model *m, const char *name)
{
    for (uint32_t i = 0; name && i < m->table.body.channel_count; i++)
        if (strcmp(m->table.body.channels[i].name, name) == 0)
            return (int)i;
    return -1;
}

static int find_serial(const struct model *m, const char *name)
{
    for (uint32_t i = 0; name && i < m->table.body.platform.serial_count; i++)
        if (strcmp(m->serial_name[i], name) == 0)
            return (int)i;
    return -1;
}

static int find_pci(const struct model *m, const char *name)
{
    for (uint32_t i = 0; name && i < m->table.body.platform.pci_count; i++)
        if (strcmp(m->table.body.platform.pci[i].name, name) == 0)
            return (int)i;
    return -1;
}

static uint8_t device_class(const char *s)
{
    static const char *const names[TRIAD_DEVCLASS_COUNT] = { "other", "serial", "net", "storage", "channel" };
    for (uint8_t i = 0; s && i < TRIAD_DEVCLASS_COUNT; i++)
        if (strcmp(s, names[i]) == 0)
            return i;
    return TRIAD_DEVCLASS_OTHER;
}

static const char *const fault_names[TRIAD_FAULT_KIND_COUNT] = {
    "ept_violation", "io_violation", "msr_violation", "triple_fault",
    "vmx_instruction", "bad_hypercall", "deadline_miss", "watchdog",
};
static const char *const action_names[TRIAD_ACTION_COUNT] = {
    "log", "restart_warm", "restart_cold", "halt", "failover",
    "recover_driver_local", "recover_driver_remote", "safe_mode",
};

static int lookup(const char *const *names, int count, const char *s)
{
    for (int i = 0; s && i < count; i++)
        if (strcmp(names[i], s) == 0)
            return i;
    return -1;
}

static void parse_platform(struct parser *p, xmlNodePtr n)
{
    struct model *m = p->m;
    struct triad_platform *pl = &m->table.body.platform;
    uint64_t v;
    m->platform_line = line_of(n);
    if (number(p, n, "cores", &v)) pl->core_count = (uint32_t)v;
    if (number(p, n, "ram", &v)) pl->ram_size = v;
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (is_elem(c, "monitor")) {
            m->monitor_line = line_of(c);
            if (number(p, c, "base", &v)) pl->monitor_base = v;
            if (number(p, c, "size", &v)) pl->monitor_size = v;
        } else if (is_elem(c, "serial")) {
            unsigned i = pl->serial_count++;
            const char *name = attr(c, "name");
            if (find_serial(m, name) >= 0)
                ERR(p, line_of(c), "duplicate-name", "serial port \"%s\" is declared twice; rename one", name);
            copy_name(m->serial_name[i], name);
            m->serial_line[i] = line_of(c);
            if (number(p, c, "port", &v)) {
                if (v + TRIAD_SERIAL_PORT_COUNT > 0x10000u)
                    ERR(p, line_of(c), "ioports-range", "serial port \"%s\" at 0x%llx runs past port 0xFFFF; use a UART base below 0xFFF8",
                        name, (unsigned long long)v);
                pl->serial[i].io_base = (uint16_t)v;
            }
            pl->serial[i].irq = number(p, c, "irq", &v) ? (uint8_t)v : TRIAD_NONE;
        } else if (is_elem(c, "pci")) {
            unsigned i = pl->pci_count++;
            struct triad_pci_device *d = &pl->pci[i];
            const char *name = attr(c, "name");
            if (find_pci(m, name) >= 0)
                ERR(p, line_of(c), "duplicate-name", "device \"%s\" is declared twice; rename one", name);
            copy_name(d->name, name);
            m->pci_line[i] = line_of(c);
            d->dev_class = device_class(attr(c, "class"));
            if (number(p, c, "vendor", &v)) {
                if (v > 0xFFFFu)
                    ERR(p, line_of(c), "number-too-large", "vendor 0x%llx of device \"%s\" is wider than 16 bits; use the PCI vendor ID",
                        (unsigned long long)v, name);
                d->vendor_id = (uint16_t)v;
            }
            if (number(p, c, "device", &v)) {
                if (v > 0xFFFFu)
                    ERR(p, line_of(c), "number-too-large", "device 0x%llx of device \"%s\" is wider than 16 bits; use the PCI device ID",
                        (unsigned long long)v, name);
                d->device_id = (uint16_t)v;
            }
            if (number(p, c, "bus", &v)) d->bus = (uint8_t)v;
            if (number(p, c, "dev", &v)) d->dev = (uint8_t)v;
            d->fn = number(p, c, "fn", &v) ? (uint8_t)v : 0;
            d->irq = number(p, c, "irq", &v) ? (uint8_t)v : TRIAD_NONE;
            for (xmlNodePtr b = c->children; b; b = b->next) {
                if (!is_elem(b, "bar"))
                    continue;
                unsigned k = d->bar_count++;
                m->bar_line[i][k] = line_of(b);
                if (number(p, b, "base", &v)) d->bars[k].base = v;
                if (number(p, b, "size", &v)) d->bars[k].size = v;
            }
        } else if (is_elem(c, "tpm")) {
            pl->tpm_present = 1;
        }
    }
}

/* A sandbox may name at most TRIAD_MAX_IO_RANGES ranges, its console's
   included (the schema allows as many ioports as the table holds, so a
   serial console can be the one too many). */
static void add_io_range(struct parser *p, unsigned s, int line, uint64_t base, uint64_t count)
{
    struct triad_sandbox *sb = &p->m->table.body.sandboxes[s];
    if (sb->io_range_count >= TRIAD_MAX_IO_RANGES) {
        ERR(p, line, "too-many-io-ranges", "sandbox \"%s\" owns more than %u I/O port ranges (its serial console counts as one); merge adjacent ranges",
            sb->name, TRIAD_MAX_IO_RANGES);
        return;
    }
    if (base + count > 0x10000u) {
        ERR(p, line, "ioports-range", "ports 0x%llx..0x%llx of sandbox \"%s\" run past port 0xFFFF; shorten the range",
            (unsigned long long)base, (unsigned long long)(base + count - 1), sb->name);
        return;
    }
    unsigned k = sb->io_range_count++;
    sb->io_ranges[k].base = (uint16_t)base;
    sb->io_ranges[k].count = (uint16_t)count;
    p->m->sandbox[s].io_range_line[k] = line;
}

static void parse_health(struct parser *p, unsigned s, xmlNodePtr n)
{
    struct triad_sandbox *sb = &p->m->table.body.sandboxes[s];
    struct sandbox_src *src = &p->m->sandbox[s];
    uint64_t v;
    src->health_line = line_of(n);
    int def = lookup(action_names, TRIAD_ACTION_COUNT, attr(n, "default"));
    for (unsigned k = 0; k < TRIAD_FAULT_KIND_COUNT; k++)
        sb->health_action[k] = (uint8_t)(def >= 0 ? def : TRIAD_ACTION_HALT);
    sb->restart_limit = number(p, n, "restart-limit", &v) ? (uint8_t)v : 3;
    /* The schema admits only "run" and "halt" (default run: the sandbox
       keeps running when the system enters safe mode). */
    const char *safe = attr(n, "system-safe-mode");
    sb->safe_mode_policy = (safe != NULL && strcmp(safe, "halt") == 0) ? TRIAD_SAFE_MODE_HALT : TRIAD_SAFE_MODE_RUN;
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (!is_elem(c, "on"))
            continue;
        int kind = lookup(fault_names, TRIAD_FAULT_KIND_COUNT, attr(c, "fault"));
        int act = lookup(action_names, TRIAD_ACTION_COUNT, attr(c, "action"));
        if (kind < 0 || act < 0)
            continue;   /* the schema already refused it */
        if (src->action_line[kind] != 0)
            ERR(p, line_of(c), "duplicate-fault-action", "fault %s of sandbox \"%s\" already has an action (line %d); keep one <on> per fault",
                fault_names[kind], sb->name, src->action_line[kind]);
        sb->health_action[kind] = (uint8_t)act;
        src->action_line[kind] = line_of(c);
    }
}

static void parse_cores(struct parser *p, unsigned s, xmlNodePtr n)
{
    struct triad_sandbox *sb = &p->m->table.body.sandboxes[s];
    const char *list = attr(n, "cores");
    const char *c = list ? list : "";
    while (*c) {
        char *end;
        unsigned long core = strtoul(c, &end, 10);
        if (end == c) {
            c++;
            continue;
        }
        c = end;
        if (core >= TRIAD_MAX_CORES || core >= p->m->table.body.platform.core_count) {
            ERR(p, line_of(n), "core-out-of-range", "sandbox \"%s\" names core %lu but the platform has %u cores (0..%u); use an existing core",
                sb->name, core, p->m->table.body.platform.core_count, p->m->table.body.platform.core_count - 1);
            continue;
        }
        if (sb->core_mask & (1u << core))
            ERR(p, line_of(n), "core-used-twice", "sandbox \"%s\" lists core %lu twice; list each core once", sb->name, core);
        sb->core_mask |= 1u << core;
    }
}

static void parse_sandbox(struct parser *p, xmlNodePtr n)
{
    struct model *m = p->m;
    unsigned s = m->table.body.sandbox_count++;
    struct triad_sandbox *sb = &m->table.body.sandboxes[s];
    struct sandbox_src *src = &m->sandbox[s];
    uint64_t v;
    const char *name = attr(n, "name");
    src->line = line_of(n);
    if (find_sandbox(m, name) >= 0)
        ERR(p, src->line, "duplicate-name", "sandbox \"%s\" is declared twice; rename one", name);
    copy_name(sb->name, name);
    sb->index = (uint8_t)s;
    const char *crit = attr(n, "criticality");
    sb->criticality = (uint8_t)(crit ? crit[0] - 'A' : TRIAD_CRIT_E);
    /* The schema admits only "contained" and "direct"; without the
       attribute, software below level C is contained (system.xsd). */
    const char *ipi = attr(n, "ipi");
    if (ipi != NULL)
        sb->ipi_policy = strcmp(ipi, "contained") == 0 ? TRIAD_IPI_CONTAINED : TRIAD_IPI_DIRECT;
    else
        sb->ipi_policy = sb->criticality >= TRIAD_CRIT_D ? TRIAD_IPI_CONTAINED : TRIAD_IPI_DIRECT;
    if (number(p, n, "memory", &v)) sb->mem_size = v;
    if (number(p, n, "base", &v)) {
        sb->mem_base = v;
        src->base_given = true;
    }
    parse_cores(p, s, n);
    sb->console_kind = TRIAD_CONSOLE_NONE;
    sb->console_channel = TRIAD_NONE;
    for (unsigned k = 0; k < TRIAD_FAULT_KIND_COUNT; k++)
        sb->health_action[k] = TRIAD_ACTION_HALT;
    sb->restart_limit = 3;
    for (unsigned k = 0; k < TRIAD_MAX_SANDBOX_DEVICES; k++)
        sb->devices[k] = 0;

    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        int line = line_of(c);
        if (is_elem(c, "kernel")) {
            src->kernel_line = line;
            const char *module = attr(c, "module");
            if (module && strlen(module) >= TRIAD_NAME_LEN)
                ERR(p, line, "name-too-long", "kernel module name \"%s\" is longer than %u characters; shorten it",
                    module, TRIAD_NAME_LEN - 1);
            copy_name(sb->kernel_module, module);
            const char *hex = attr(c, "sha256");
            for (unsigned k = 0; hex && k < TRIAD_SHA256_LEN; k++) {
                unsigned byte;
                sscanf(hex + 2 * k, "%2x", &byte);
                sb->kernel_sha256[k] = (uint8_t)byte;
            }
        } else if (is_elem(c, "console")) {
            src->console_line = line;
            const char *serial = attr(c, "serial"), *channel = attr(c, "channel");
            if ((serial == NULL) == (channel == NULL)) {
                ERR(p, line, "console-kind", "the console of sandbox \"%s\" must name exactly one of serial=\"...\" or channel=\"...\"; keep one",
                    sb->name);
            } else if (serial) {
                int port = find_serial(m, serial);
                if (port < 0) {
                    ERR(p, line, "unknown-serial-port", "sandbox \"%s\" uses serial port \"%s\", which the platform does not declare; declare it under <platform> or use a declared one",
                        sb->name, serial);
                } else {
                    sb->console_kind = TRIAD_CONSOLE_SERIAL;
                    sb->console_port = m->table.body.platform.serial[port].io_base;
                    add_io_range(p, s, line, sb->console_port, TRIAD_SERIAL_PORT_COUNT);
                }
            } else {
                sb->console_kind = TRIAD_CONSOLE_CHANNEL;
                copy_name(src->console_channel, channel);
            }
        } else if (is_elem(c, "device")) {
            const char *dev = attr(c, "name");
            int d = find_pci(m, dev);
            if (d < 0) {
                ERR(p, line, "unknown-device", "sandbox \"%s\" owns device \"%s\", which the platform does not declare; declare it as <pci> or remove it",
                    sb->name, dev);
                continue;
            }
            src->device_line[sb->device_count] = line;
            const char *standby = attr(c, "standby");
            if (standby)    /* resolved by the checker: the standby may be declared later */
                copy_name(src->device_standby[sb->device_count], standby);
            sb->devices[sb->device_count++] = (uint8_t)d;
        } else if (is_elem(c, "ioports")) {
            uint64_t base = 0, count = 0;
            number(p, c, "base", &base);
            number(p, c, "count", &count);
            add_io_range(p, s, line, base, count);
        } else if (is_elem(c, "vcpu")) {
            struct triad_main_vcpu *vc = &sb->main_vcpus[sb->main_vcpu_count];
            src->main_vcpu_line[sb->main_vcpu_count++] = line;
            if (number(p, c, "core", &v)) vc->core = (uint8_t)v;
            if (number(p, c, "budget", &v)) vc->budget_us = (uint32_t)v;
            if (number(p, c, "period", &v)) vc->period_us = (uint32_t)v;
        } else if (is_elem(c, "io-vcpu")) {
            struct triad_io_vcpu *vc = &sb->io_vcpus[sb->io_vcpu_count];
            src->io_vcpu_line[sb->io_vcpu_count++] = line;
            if (number(p, c, "core", &v)) vc->core = (uint8_t)v;
            if (micro_units(c, "utilization", &v)) vc->utilization_ppm = (uint32_t)v;
            vc->dev_class = device_class(attr(c, "class"));
        } else if (is_elem(c, "program")) {
            struct triad_program *pr = &sb->programs[sb->program_count++];
            copy_name(pr->name, attr(c, "name"));
            snprintf(pr->args, TRIAD_ARGS_LEN, "%s", attr(c, "args") ? attr(c, "args") : "");
        } else if (is_elem(c, "health")) {
            parse_health(p, s, c);
        }
    }
}

static void parse_channel(struct parser *p, xmlNodePtr n)
{
    struct model *m = p->m;
    unsigned i = m->table.body.channel_count++;
    struct triad_channel *ch = &m->table.body.channels[i];
    struct channel_src *src = &m->channel[i];
    uint64_t v;
    const char *name = attr(n, "name");
    src->line = line_of(n);
    if (find_channel(m, name) >= 0)
        ERR(p, src->line, "duplicate-name", "channel \"%s\" is declared twice; rename one", name);
    copy_name(ch->name, name);
    if (number(p, n, "key", &v)) ch->key = (uint32_t)v;
    for (unsigned k = 0; k < i; k++)
        if (m->table.body.channels[k].key == ch->key)
            ERR(p, src->line, "duplicate-key", "channel \"%s\" has key %u, already used by channel \"%s\" (line %d); choose an unused key",
                ch->name, ch->key, m->table.body.channels[k].name, m->channel[k].line);
    const char *kind = attr(n, "kind");
    ch->kind = (uint8_t)(kind && strcmp(kind, "sync-fifo") == 0 ? TRIAD_CHANNEL_SYNC_FIFO : TRIAD_CHANNEL_ASYNC_4SLOT);
    if (number(p, n, "msg-size", &v)) ch->msg_size = (uint32_t)v;
    src->depth_given = number(p, n, "depth", &v);
    ch->depth = src->depth_given ? (uint32_t)v : (ch->kind == TRIAD_CHANNEL_ASYNC_4SLOT ? 4u : 0u);
    ch->refresh_us = number(p, n, "refresh", &v) ? (uint32_t)v : 0;
    const char *writer = attr(n, "writer");
    int w = find_sandbox(m, writer);
    if (w < 0)
        ERR(p, src->line, "channel-unknown-writer", "channel \"%s\" names writer \"%s\", which is not a sandbox; name a declared sandbox",
            ch->name, writer);
    ch->writer = (uint8_t)(w < 0 ? (int)TRIAD_NONE : w);
    for (unsigned k = 0; k < TRIAD_MAX_READERS; k++)
        ch->readers[k] = TRIAD_NONE;
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (!is_elem(c, "reader"))
            continue;
        const char *reader = attr(c, "sandbox");
        int r = find_sandbox(m, reader);
        if (r < 0) {
            ERR(p, line_of(c), "channel-unknown-reader", "channel \"%s\" names reader \"%s\", which is not a sandbox; name a declared sandbox",
                ch->name, reader);
            continue;
        }
        src->reader_line[ch->reader_count] = line_of(c);
        ch->readers[ch->reader_count++] = (uint8_t)r;
    }
}

/* Finds the channel `name` for TMR group g; reports it when unknown. */
static uint8_t tmr_channel(struct parser *p, xmlNodePtr n, const char *what, const char *name)
{
    int c = find_channel(p->m, name);
    if (c < 0) {
        ERR(p, line_of(n), "tmr-unknown-channel", "%s channel \"%s\" is not declared; name a declared <channel>", what, name);
        return TRIAD_NONE;
    }
    return (uint8_t)c;
}

static void parse_tmr(struct parser *p, xmlNodePtr n)
{
    struct model *m = p->m;
    unsigned g = m->table.body.tmr_group_count++;
    struct triad_tmr_group *t = &m->table.body.tmr_groups[g];
    struct tmr_src *src = &m->tmr[g];
    uint64_t v;
    src->line = line_of(n);
    copy_name(t->name, attr(n, "name"));
    for (unsigned k = 0; k < g; k++)
        if (strcmp(m->table.body.tmr_groups[k].name, t->name) == 0)
            ERR(p, src->line, "duplicate-name", "TMR group \"%s\" is declared twice; rename one", t->name);
    const char *voter = attr(n, "voter");
    int vs = find_sandbox(m, voter);
    if (vs < 0)
        ERR(p, src->line, "tmr-unknown-sandbox", "voter \"%s\" of TMR group \"%s\" is not a sandbox; name a declared sandbox", voter, t->name);
    t->voter = (uint8_t)(vs < 0 ? (int)TRIAD_NONE : vs);
    src->voter_standby = -1;
    const char *vstandby = attr(n, "voter-standby");
    if (vstandby) {
        src->voter_standby = find_sandbox(m, vstandby);
        if (src->voter_standby < 0)
            ERR(p, src->line, "tmr-unknown-sandbox", "voter-standby \"%s\" of TMR group \"%s\" is not a sandbox; name a declared sandbox", vstandby, t->name);
    }
    t->input_channel = attr(n, "input") ? tmr_channel(p, n, "input", attr(n, "input")) : TRIAD_NONE;
    const char *vote = attr(n, "vote");
    t->vote_mode = (uint8_t)(vote && strcmp(vote, "tolerance") == 0 ? TRIAD_VOTE_TOLERANCE : TRIAD_VOTE_EXACT);
    src->tolerance_given = micro_units(n, "tolerance", &v);
    t->tolerance_micro = src->tolerance_given ? (uint32_t)v : 0;
    if (number(p, n, "period", &v)) t->period_us = (uint32_t)v;
    t->standby = TRIAD_NONE;
    t->standby_output_channel = TRIAD_NONE;
    for (unsigned k = 0; k < TRIAD_MAX_REPLICAS; k++) {
        t->replicas[k] = TRIAD_NONE;
        t->output_channels[k] = TRIAD_NONE;
    }
    for (xmlNodePtr c = n->children; c; c = c->next) {
        bool replica = is_elem(c, "replica");
        if (!replica && !is_elem(c, "standby"))
            continue;
        const char *who = attr(c, "sandbox");
        int s = find_sandbox(m, who);
        if (s < 0) {
            ERR(p, line_of(c), "tmr-unknown-sandbox", "%s \"%s\" of TMR group \"%s\" is not a sandbox; name a declared sandbox",
                replica ? "replica" : "standby", who, t->name);
            continue;
        }
        uint8_t out = attr(c, "output") ? tmr_channel(p, c, "output", attr(c, "output")) : TRIAD_NONE;
        if (replica) {
            src->replica_line[t->replica_count] = line_of(c);
            t->output_channels[t->replica_count] = out;
            t->replicas[t->replica_count++] = (uint8_t)s;
        } else {
            src->standby_line = line_of(c);
            t->standby = (uint8_t)s;
            t->standby_output_channel = out;
        }
    }
}

/* Console channels are declared after the sandboxes that use them. */
static void resolve_consoles(struct parser *p)
{
    struct model *m = p->m;
    for (uint32_t s = 0; s < m->table.body.sandbox_count; s++) {
        struct triad_sandbox *sb = &m->table.body.sandboxes[s];
        if (sb->console_kind != TRIAD_CONSOLE_CHANNEL)
            continue;
        int c = find_channel(m, m->sandbox[s].console_channel);
        if (c < 0) {
            ERR(p, m->sandbox[s].console_line, "unknown-channel", "console channel \"%s\" of sandbox \"%s\" is not declared; declare it as a <channel> written by \"%s\"",
                m->sandbox[s].console_channel, sb->name, sb->name);
            continue;
        }
        sb->console_channel = (uint8_t)c;
    }
}

/* <safe-mode exit-by= hold-ms=>: who may end system safe mode, and after
   how long (docs/recovery.md).  Comes after every sandbox (schema order). */
static void parse_safe_mode(struct parser *p, xmlNodePtr n)
{
    struct model *m = p->m;
    m->safe_mode_line = line_of(n);
    const char *by = attr(n, "exit-by");
    int s = find_sandbox(m, by);
    if (s < 0)
        ERR(p, m->safe_mode_line, "safe-mode-exit-unknown",
            "safe-mode exit-by=\"%s\" is not a sandbox; name the declared sandbox that may end system safe mode", by ? by : "");
    else
        m->table.body.safe_exit_by = (uint8_t)s;
    uint64_t hold = 0;
    if (number(p, n, "hold-ms", &hold)) {
        if (hold < TRIAD_SAFE_EXIT_HOLD_MIN_MS || hold > TRIAD_SAFE_EXIT_HOLD_MAX_MS)
            ERR(p, m->safe_mode_line, "safe-mode-hold-range",
                "safe-mode hold-ms=\"%llu\" is outside %u..%u; choose how long the safe command must hold before an exit",
                (unsigned long long)hold, TRIAD_SAFE_EXIT_HOLD_MIN_MS, TRIAD_SAFE_EXIT_HOLD_MAX_MS);
        else
            m->table.body.safe_exit_hold_ms = (uint16_t)hold;
    }
}

unsigned parse_description(struct model *m, xmlDocPtr doc)
{
    struct parser p = { .m = m, .errors = 0 };
    xmlNodePtr root = xmlDocGetRootElement(doc);
    copy_name(m->table.body.system_name, attr(root, "name"));
    m->table.body.safe_exit_by = TRIAD_NONE;      /* no <safe-mode>: nobody may leave */
    for (xmlNodePtr c = root->children; c; c = c->next) {
        if (is_elem(c, "platform")) parse_platform(&p, c);
        else if (is_elem(c, "sandbox")) parse_sandbox(&p, c);
        else if (is_elem(c, "channel")) parse_channel(&p, c);
        else if (is_elem(c, "tmr-group")) parse_tmr(&p, c);
        else if (is_elem(c, "safe-mode")) parse_safe_mode(&p, c);
    }
    resolve_consoles(&p);
    return p.errors;
}
