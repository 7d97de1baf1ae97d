/* See console_ring.h. */
#include "console_ring.h"

void console_ring_init(struct console_ring *r)
{
    r->head = r->tail = 0;
}

size_t console_ring_used(const struct console_ring *r)
{
    return (size_t)(r->head - r->tail);
}

size_t console_ring_free(const struct console_ring *r)
{
    return CONSOLE_RING_SIZE - console_ring_used(r);
}

int console_ring_put(struct console_ring *r, const char *s, size_t n)
{
    if (n > console_ring_free(r))
        return -1;
    for (size_t i = 0; i < n; i++)
        r->buf[(r->head + i) % CONSOLE_RING_SIZE] = s[i];
    r->head += n;
    return 0;
}

int console_ring_peek(const struct console_ring *r, char *c)
{
    if (console_ring_used(r) == 0)
        return 0;
    *c = r->buf[r->tail % CONSOLE_RING_SIZE];
    return 1;
}

size_t console_ring_take(struct console_ring *r, char *out, size_t max)
{
    size_t n = console_ring_used(r);
    if (n > max)
        n = max;
    for (size_t i = 0; i < n; i++)
        out[i] = r->buf[(r->tail + i) % CONSOLE_RING_SIZE];
    r->tail += n;
    return n;
}
