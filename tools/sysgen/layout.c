#include <stdint.h>
#include "channels/shm_layout.h"
#include "diag.h"
#include "layout.h"

_Static_assert(SHM_MAX_READERS == TRIAD_MAX_READERS, "channel reader limits agree");
_Static_assert(SHM_READER_CTL_BYTES == TRIAD_READER_CTL_SIZE, "reader control size agrees");
_Static_assert((int)SHM_KIND_ASYNC == (int)TRIAD_CHANNEL_ASYNC_4SLOT && (int)SHM_KIND_SYNC == (int)TRIAD_CHANNEL_SYNC_FIFO,
               "channel kinds agree");

struct span { uint64_t base, size; };

static uint64_t round_up(uint64_t x, uint64_t a)
{
    return (x + a - 1) / a * a;
}

static int overlaps(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
    return a < b + bs && b < a + as;
}

/* The regions already placed: the monitor and every sandbox with a base
   (declared, or assigned earlier). */
static unsigned taken(const struct model *m, const uint8_t *placed, struct span *out)
{
    const struct triad_table_body *b = &m->table.body;
    unsigned n = 0;
    out[n++] = (struct span){ b->platform.monitor_base, b->platform.monitor_size };
    for (uint32_t s = 0; s < b->sandbox_count; s++)
        if (placed[s])
            out[n++] = (struct span){ b->sandboxes[s].mem_base, b->sandboxes[s].mem_size };
    return n;
}

/* Lowest 2 MiB-aligned base where `size` bytes fit in RAM clear of `used`;
   returns 0 with *ok false when nothing fits. */
static uint64_t first_fit(const struct model *m, const struct span *used, unsigned n, uint64_t size, int *ok)
{
    uint64_t ram = m->table.body.platform.ram_size;
    uint64_t candidate = 0;
    *ok = 0;
    /* Each retry moves past one region, so n + 1 tries are enough. */
    for (unsigned tries = 0; tries <= n; tries++) {
        if (candidate + size > ram || candidate + size < candidate)
            return 0;
        int moved = 0;
        for (unsigned i = 0; i < n; i++) {
            if (used[i].size && overlaps(candidate, size, used[i].base, used[i].size)) {
                candidate = round_up(used[i].base + used[i].size, TRIAD_REGION_ALIGN);
                moved = 1;
            }
        }
        if (!moved) {
            *ok = 1;
            return candidate;
        }
    }
    return 0;
}

static unsigned carve_channels(struct model *m, uint64_t *total)
{
    struct triad_table_body *b = &m->table.body;
    unsigned errors = 0;
    uint64_t offset = 0;
    for (uint32_t i = 0; i < b->channel_count; i++) {
        struct triad_channel *ch = &b->channels[i];
        uint64_t w = shm_writer_area_bytes(ch->kind, ch->msg_size, ch->depth, ch->reader_count);
        if (w == 0) {
            /* Invalid parameters: the checker names them; leave no pages. */
            continue;
        }
        ch->writer_offset = (uint32_t)offset;
        ch->writer_size = (uint32_t)w;
        offset += w;
        ch->reader_ctl_size = TRIAD_READER_CTL_SIZE;
        for (unsigned r = 0; r < ch->reader_count; r++) {
            ch->reader_ctl_offset[r] = (uint32_t)offset;
            offset += TRIAD_READER_CTL_SIZE;
        }
        if (offset > TRIAD_CHANNEL_WINDOW_MAX) {
            diag_error(m->file, m->channel[i].line, "channel-area-too-large",
                       "the channels up to \"%s\" need more than the %llu MiB channel window; reduce message sizes or depths",
                       ch->name, (unsigned long long)(TRIAD_CHANNEL_WINDOW_MAX >> 20));
            return errors + 1;
        }
    }
    *total = round_up(offset, TRIAD_REGION_ALIGN);
    return errors;
}

unsigned layout_memory(struct model *m)
{
    struct triad_table_body *b = &m->table.body;
    unsigned errors = 0;
    uint8_t placed[TRIAD_MAX_SANDBOXES] = { 0 };
    struct span used[TRIAD_MAX_SANDBOXES + 2];
    for (uint32_t s = 0; s < b->sandbox_count; s++)
        placed[s] = m->sandbox[s].base_given;
    for (uint32_t s = 0; s < b->sandbox_count; s++) {
        struct triad_sandbox *sb = &b->sandboxes[s];
        if (placed[s] || sb->mem_size == 0 || sb->mem_size % TRIAD_REGION_ALIGN != 0)
            continue;   /* a bad size is the checker's to report */
        int ok;
        unsigned n = taken(m, placed, used);
        sb->mem_base = first_fit(m, used, n, sb->mem_size, &ok);
        if (!ok) {
            diag_error(m->file, m->sandbox[s].line, "no-room",
                       "no free %llu MiB region is left in RAM for sandbox \"%s\"; shrink sandboxes or declare more RAM",
                       (unsigned long long)(sb->mem_size >> 20), sb->name);
            errors++;
            continue;
        }
        placed[s] = 1;
    }

    uint64_t total = 0;
    errors += carve_channels(m, &total);
    b->channel_area.window_gpa = TRIAD_CHANNEL_WINDOW_GPA;
    if (total > 0 && errors == 0) {
        int ok;
        unsigned n = taken(m, placed, used);
        b->channel_area.size = total;
        b->channel_area.host_base = first_fit(m, used, n, total, &ok);
        if (!ok) {
            diag_error(m->file, m->platform_line, "no-room",
                       "no free %llu MiB region is left in RAM for the channel area; shrink sandboxes or declare more RAM",
                       (unsigned long long)(total >> 20));
            errors++;
        }
    }
    return errors;
}
