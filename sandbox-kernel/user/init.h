#ifndef TRIAD_USER_INIT_H
#define TRIAD_USER_INIT_H
#include "../kernel/bootinfo.h"
/* The init thread's last job: start the programs the command line names, then run the shell. */
__attribute__((noreturn)) void init_run(const struct boot_info *bi);
#endif
