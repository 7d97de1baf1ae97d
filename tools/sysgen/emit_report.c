#include "emit.h"
#include "sched.h"

static const char *const class_names[TRIAD_DEVCLASS_COUNT] = { "other", "serial", "net", "storage", "channel" };

struct region { unsigned long long base, size; const char *what; };

static void memory_map(const struct model *m, FILE *out)
{
    const struct triad_table_body *b = &m->table.body;
    /* Print regions in address order: at most 16 sandboxes + 2 regions. */
    struct region r[TRIAD_MAX_SANDBOXES + 2];
    unsigned n = 0;
    r[n++] = (struct region){ b->platform.monitor_base, b->platform.monitor_size, "monitor" };
    for (unsigned s = 0; s < b->sandbox_count; s++)
        r[n++] = (struct region){ b->sandboxes[s].mem_base, b->sandboxes[s].mem_size, b->sandboxes[s].name };
    if (b->channel_area.size)
        r[n++] = (struct region){ b->channel_area.host_base, b->channel_area.size, "channel area" };
    for (unsigned i = 1; i < n; i++)
        for (unsigned k = i; k > 0 && r[k - 1].base > r[k].base; k--) {
            struct region t = r[k]; r[k] = r[k - 1]; r[k - 1] = t;
        }
    fprintf(out, "Memory map (host-physical, RAM %llu MiB)\n", (unsigned long long)(b->platform.ram_size >> 20));
    for (unsigned i = 0; i < n; i++)
        fprintf(out, "  0x%010llx-0x%010llx %6llu MiB  %s\n", r[i].base, r[i].base + r[i].size - 1, r[i].size >> 20, r[i].what);
    fprintf(out, "  channel window in every sandbox: guest-physical 0x%llx\n\n",
            (unsigned long long)b->channel_area.window_gpa);
}

static void schedule(const struct model *m, FILE *out)
{
    const struct triad_table_body *b = &m->table.body;
    fprintf(out, "Utilization per core (sum C/T + sum (2-U)U <= n(2^(1/n)-1))\n");
    for (unsigned s = 0; s < b->sandbox_count; s++) {
        const struct triad_sandbox *sb = &b->sandboxes[s];
        for (unsigned core = 0; core < TRIAD_MAX_CORES; core++) {
            if (!(sb->core_mask & (1u << core)))
                continue;
            struct core_load l = core_load(sb, core);
            fprintf(out, "  %-16s core %2u  %u VCPU(s)  utilization %.4f  bound %.4f  %s\n", sb->name, core, l.vcpus,
                    l.utilization, l.bound, l.vcpus == 0 ? "idle" : core_load_fits(&l) ? "ok" : "OVER");
        }
        for (unsigned i = 0; i < sb->main_vcpu_count; i++)
            fprintf(out, "      main VCPU core %u  C=%u us  T=%u us\n", sb->main_vcpus[i].core,
                    sb->main_vcpus[i].budget_us, sb->main_vcpus[i].period_us);
        for (unsigned i = 0; i < sb->io_vcpu_count; i++)
            fprintf(out, "      I/O VCPU  core %u  U=%u.%06u  class %s\n", sb->io_vcpus[i].core,
                    sb->io_vcpus[i].utilization_ppm / 1000000u, sb->io_vcpus[i].utilization_ppm % 1000000u,
                    class_names[sb->io_vcpus[i].dev_class % TRIAD_DEVCLASS_COUNT]);
    }
    fputc('\n', out);
}

static void channel_graph(const struct model *m, FILE *out)
{
    const struct triad_table_body *b = &m->table.body;
    fprintf(out, "Channels (offsets from the channel area base 0x%llx)\n", (unsigned long long)b->channel_area.host_base);
    for (unsigned i = 0; i < b->channel_count; i++) {
        const struct triad_channel *ch = &b->channels[i];
        fprintf(out, "  %-16s key %-4u %-11s msg %u depth %u  %s ->", ch->name, ch->key,
                ch->kind == TRIAD_CHANNEL_SYNC_FIFO ? "sync-fifo" : "async-4slot", ch->msg_size, ch->depth,
                b->sandboxes[ch->writer].name);
        for (unsigned r = 0; r < ch->reader_count; r++)
            fprintf(out, " %s", b->sandboxes[ch->readers[r]].name);
        fprintf(out, "\n      writer pages 0x%06x+0x%x", ch->writer_offset, ch->writer_size);
        for (unsigned r = 0; r < ch->reader_count; r++)
            fprintf(out, "  %s ctl 0x%06x", b->sandboxes[ch->readers[r]].name, ch->reader_ctl_offset[r]);
        fputc('\n', out);
    }
    for (unsigned g = 0; g < b->tmr_group_count; g++) {
        const struct triad_tmr_group *t = &b->tmr_groups[g];
        fprintf(out, "\nTMR group %s: voter %s, period %u us, vote %s", t->name, b->sandboxes[t->voter].name,
                t->period_us, t->vote_mode == TRIAD_VOTE_TOLERANCE ? "tolerance" : "exact");
        if (t->vote_mode == TRIAD_VOTE_TOLERANCE)
            fprintf(out, " %u.%06u", t->tolerance_micro / 1000000u, t->tolerance_micro % 1000000u);
        fputc('\n', out);
        for (unsigned i = 0; i < t->replica_count; i++)
            fprintf(out, "  replica %s -> %s\n", b->sandboxes[t->replicas[i]].name, b->channels[t->output_channels[i]].name);
        if (t->standby != TRIAD_NONE)
            fprintf(out, "  standby %s -> %s\n", b->sandboxes[t->standby].name, b->channels[t->standby_output_channel].name);
    }
}

int emit_report(const struct model *m, FILE *out)
{
    fprintf(out, "System %s (from %s): %u cores, %u sandboxes, %u channels, %u TMR groups, table %u bytes\n\n",
            m->table.body.system_name, m->file, m->table.body.platform.core_count, m->table.body.sandbox_count,
            m->table.body.channel_count, m->table.body.tmr_group_count, m->table.header.total_length);
    memory_map(m, out);
    schedule(m, out);
    channel_graph(m, out);
    return ferror(out) ? -1 : 0;
}
