/*
 * Reading the Triad sandbox tag: see chan_boot.h.  Every size is checked
 * before the bytes it covers are read, every channel against the window.
 */
#include "chan_boot.h"

struct mb2_tag_hdr {
    uint32_t type;
    uint32_t size;
};

static void zero(void *p, size_t n)
{
    volatile uint8_t *b = p;     /* no libc here: host tests and kernel alike */
    for (size_t i = 0; i < n; i++)
        b[i] = 0;
}

static void copy(void *d, const void *s, size_t n)
{
    uint8_t *o = d;
    const uint8_t *i = s;
    for (size_t k = 0; k < n; k++)
        o[k] = i[k];
}

/* A range [a, a+n) inside [base, base+size), page aligned, without overflow. */
static int in_window(uint64_t a, uint64_t n, uint64_t base, uint64_t size)
{
    if (n == 0 || (a & 0xFFFu) || (n & 0xFFFu))
        return 0;
    if (a < base || n > size)
        return 0;
    return a - base <= size - n;
}

int chan_boot_entry_ok(const struct triad_boot_channel *c, uint64_t base, uint64_t size)
{
    if (c->key == 0 || c->kind > 1 || c->role > TRIAD_ROLE_READER)
        return 0;
    if (c->reader_count == 0 || c->reader_count > 8 || c->msg_size == 0)
        return 0;
    if (!in_window(c->writer_gpa, c->writer_size, base, size))
        return 0;
    if (c->role == TRIAD_ROLE_READER) {
        if (c->reader_index >= c->reader_count)
            return 0;
        return in_window(c->control_gpa, c->control_size, base, size);
    }
    for (unsigned r = 0; r < c->reader_count; r++)
        if (!in_window(c->reader_ctl_gpa[r], c->control_size, base, size))
            return 0;
    return 1;
}

static int parse_tag(const uint8_t *t, uint32_t tsize, struct chan_boot *out)
{
    struct triad_boot_sandbox_tag h;
    if (tsize < sizeof h)
        return CHAN_BOOT_BAD_TAG;
    copy(&h, t, sizeof h);
    if (h.version != TRIAD_SANDBOX_TAG_VERSION || h.channel_count > TRIAD_BOOT_MAX_CHANNELS)
        return CHAN_BOOT_BAD_TAG;
    if ((uint64_t)h.channel_count * sizeof(struct triad_boot_channel) > tsize - sizeof h)
        return CHAN_BOOT_BAD_TAG;
    if (h.channel_count > 0 && (h.channel_window_size == 0 ||
        h.channel_window_gpa + h.channel_window_size < h.channel_window_gpa))
        return CHAN_BOOT_BAD_TAG;
    for (uint32_t i = 0; i < h.channel_count; i++) {
        copy(&out->ch[i], t + sizeof h + i * sizeof(struct triad_boot_channel),
             sizeof(struct triad_boot_channel));
        if (!chan_boot_entry_ok(&out->ch[i], h.channel_window_gpa, h.channel_window_size))
            return CHAN_BOOT_BAD_CHAN;
        for (uint32_t j = 0; j < i; j++)
            if (out->ch[j].key == out->ch[i].key)
                return CHAN_BOOT_BAD_CHAN;
    }
    if (h.console_kind == 2 && (h.console_channel >= h.channel_count ||
        out->ch[h.console_channel].role != TRIAD_ROLE_WRITER))
        return CHAN_BOOT_BAD_CHAN;
    out->present = 1;
    out->sandbox_id = h.sandbox_id;
    copy(out->name, h.name, sizeof out->name);
    out->name[sizeof out->name - 1] = 0;
    out->window_gpa = h.channel_window_gpa;
    out->window_size = h.channel_window_size;
    out->console_kind = h.console_kind;
    out->console_channel = h.console_channel;
    out->count = h.channel_count;
    return CHAN_BOOT_OK;
}

int chan_boot_parse(const void *mbi, size_t limit, struct chan_boot *out)
{
    const uint8_t *b = mbi;
    zero(out, sizeof *out);
    if (b == 0 || limit < 16)
        return CHAN_BOOT_BAD_BLOCK;
    uint32_t total;
    copy(&total, b, 4);
    if (total < 16 || total > limit)
        return CHAN_BOOT_BAD_BLOCK;
    for (uint32_t off = 8; off + sizeof(struct mb2_tag_hdr) <= total;) {
        struct mb2_tag_hdr t;
        copy(&t, b + off, sizeof t);
        if (t.size < 8 || t.size > total - off)
            return CHAN_BOOT_BAD_BLOCK;
        if (t.type == 0)
            return CHAN_BOOT_NO_TAG;
        if (t.type == TRIAD_MB2_TAG_SANDBOX) {
            int r = parse_tag(b + off, t.size, out);
            if (r != CHAN_BOOT_OK) {
                zero(out, sizeof *out);
                return r;
            }
            return CHAN_BOOT_OK;
        }
        off += (t.size + 7u) & ~7u;
    }
    return CHAN_BOOT_BAD_BLOCK;   /* no end tag */
}

const struct triad_boot_channel *chan_boot_find(const struct chan_boot *b, uint32_t key)
{
    for (uint32_t i = 0; i < b->count && i < TRIAD_BOOT_MAX_CHANNELS; i++)
        if (b->ch[i].key == key)
            return &b->ch[i];
    return 0;
}
