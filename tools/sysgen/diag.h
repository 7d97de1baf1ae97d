/* Error reporting in the one format every rule uses:
     FILE:LINE: RULE: what is wrong; what to change
   printed on stderr, counted so the caller can refuse to write anything. */
#ifndef TRIAD_SYSGEN_DIAG_H
#define TRIAD_SYSGEN_DIAG_H

void diag_error(const char *file, long line, const char *rule, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
unsigned diag_count(void);

#endif
