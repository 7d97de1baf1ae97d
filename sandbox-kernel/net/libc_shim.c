/* The one libc function lwIP needs beyond kernel/string.c. */
#include <stdlib.h>

int atoi(const char *s)
{
    int sign = 1, v = 0;
    if (*s == '-') {
        sign = -1;
        s++;
    }
    for (unsigned n = 0; n < 10 && *s >= '0' && *s <= '9'; n++, s++)
        v = v * 10 + (*s - '0');
    return sign * v;
}
