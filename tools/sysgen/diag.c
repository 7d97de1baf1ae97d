#include <stdarg.h>
#include <stdio.h>
#include "diag.h"

static unsigned errors;

void diag_error(const char *file, long line, const char *rule, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s:%ld: %s: ", file, line, rule);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    errors++;
}

unsigned diag_count(void)
{
    return errors;
}
