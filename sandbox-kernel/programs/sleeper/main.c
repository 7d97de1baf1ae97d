/* Sleeps 10 ms at a time forever: a long-running program for the shell's kill commands. */
#include <stdio.h>
#include "../lib/triad.h"

int main(void)
{
    printf("sleeper: pid started, sleeping\n");
    for (;;)
        triad_sleep_ns(10000000);
}
