/* Fixture: the channel page rule coupling.py checks. */
uint32_t channel_page_perm(const struct triad_channel *c, uint8_t sb, int reader)
{
    uint32_t n = c->reader_count;
    if (reader < 0) {
        if (c->writer == sb)
            return EPT_READ | EPT_WRITE;
        for (uint32_t i = 0; i < n; i++)
            if (c->readers[i] == sb)
                return EPT_READ;
        return 0;
    }
    if ((uint32_t)reader >= n)
        return 0;
    if (c->readers[reader] == sb)
        return EPT_READ | EPT_WRITE;
    return c->writer == sb ? EPT_READ : 0;
}
