/* Boot command line lookup: see cmdline.h. */
#include "cmdline.h"

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\n'; }

int cmdline_get(const char *cmdline, const char *key, char *out, size_t size)
{
    size_t klen = 0;
    while (key[klen] != '\0')
        klen++;
    const char *p = cmdline;
    while (*p != '\0') {
        while (is_space(*p))
            p++;
        const char *word = p;
        while (*p != '\0' && !is_space(*p))
            p++;
        size_t wlen = (size_t)(p - word);
        size_t i = 0;
        while (i < klen && i < wlen && word[i] == key[i])
            i++;
        if (i == klen && wlen > klen && word[klen] == '=') {
            size_t n = 0;
            for (const char *v = word + klen + 1; v < p && n + 1 < size; v++)
                out[n++] = *v;
            if (size > 0)
                out[n] = '\0';
            return 1;
        }
    }
    return 0;
}

int parse_u64(const char *s, int hex, uint64_t *value)
{
    unsigned base = hex ? 16 : 10;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
    }
    if (*s == '\0')
        return -1;
    uint64_t v = 0;
    for (; *s != '\0'; s++) {
        unsigned d;
        if (*s >= '0' && *s <= '9')
            d = (unsigned)(*s - '0');
        else if (base == 16 && *s >= 'a' && *s <= 'f')
            d = (unsigned)(*s - 'a' + 10);
        else if (base == 16 && *s >= 'A' && *s <= 'F')
            d = (unsigned)(*s - 'A' + 10);
        else
            return -1;
        if (v > (UINT64_MAX - d) / base)
            return -1;
        v = v * base + d;
    }
    *value = v;
    return 1;
}

int cmdline_get_u64(const char *cmdline, const char *key, int hex, uint64_t *value)
{
    char buf[32];
    if (!cmdline_get(cmdline, key, buf, sizeof buf))
        return 0;
    return parse_u64(buf, hex, value);
}
