/* Bad system-call arguments: each must fail with an error and leave the kernel running. */
#include <stdio.h>
#include "../lib/triad.h"

int main(void)
{
    printf("bad_syscalls: write from a kernel address -> %ld\n", triad_syscall(1, 1, 0x100000, 16));
    printf("bad_syscalls: write from an unmapped address -> %ld\n", triad_syscall(1, 1, 0x7000000, 16));
    printf("bad_syscalls: write to a bad fd -> %ld\n", triad_syscall(1, 9, (long)"x", 1));
    printf("bad_syscalls: unknown system call -> %ld\n", triad_syscall(999, 0, 0, 0));
    printf("bad_syscalls: spawn a missing program -> %d\n", triad_spawn("no_such_program", 0));
    printf("bad_syscalls: spawn a file that is not ELF -> %d\n", triad_spawn("not_elf", 0));
    char longname[300];
    for (int i = 0; i < 299; i++)
        longname[i] = 'a';
    longname[299] = 0;
    printf("bad_syscalls: spawn with a name too long -> %d\n", triad_spawn(longname, 0));
    printf("bad_syscalls: waitpid into the kernel -> %ld\n", triad_syscall(7, -1, 0x100000, 0));
    printf("bad_syscalls: sbrk past the heap limit -> %ld\n", triad_syscall(3, 0x7fffffff, 0, 0));
    printf("bad_syscalls: now a store to a kernel address\n");
    *(volatile int *)0x100000 = 1;
    printf("bad_syscalls: FAILED: still running\n");
    return 0;
}
