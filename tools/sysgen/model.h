/*
 * The in-memory system description: the table exactly as it will be written
 * (struct triad_system_table), plus what only the compiler needs to explain
 * itself (the source line of every declaration) and to lay memory out (which
 * bases the user gave).
 */
#ifndef TRIAD_SYSGEN_MODEL_H
#define TRIAD_SYSGEN_MODEL_H

#include <stdbool.h>
#include "partition/system_table.h"

struct sandbox_src {
    int line;
    bool base_given;
    int kernel_line, console_line, health_line;
    int device_line[TRIAD_MAX_SANDBOX_DEVICES];
    char device_standby[TRIAD_MAX_SANDBOX_DEVICES][TRIAD_NAME_LEN];  /* "" when none declared */
    int io_range_line[TRIAD_MAX_IO_RANGES];   /* console range included */
    int main_vcpu_line[TRIAD_MAX_MAIN_VCPUS];
    int io_vcpu_line[TRIAD_MAX_IO_VCPUS];
    int action_line[TRIAD_FAULT_KIND_COUNT];  /* 0 when the default applies */
    char console_channel[TRIAD_NAME_LEN];     /* resolved once channels are read */
};

struct channel_src {
    int line;
    bool depth_given;
    int reader_line[TRIAD_MAX_READERS];
};

struct tmr_src {
    int line;
    int replica_line[TRIAD_MAX_REPLICAS];
    int standby_line;
    bool tolerance_given;
    int voter_standby;      /* I/O failover's standby voter (voter-standby=): sandbox index, -1 when none */
};

struct model {
    const char *file;                 /* as named on the command line */
    struct triad_system_table table;  /* header filled by the emitter */
    int platform_line, monitor_line;
    int serial_line[TRIAD_MAX_SERIAL_PORTS];
    char serial_name[TRIAD_MAX_SERIAL_PORTS][TRIAD_NAME_LEN];
    int pci_line[TRIAD_MAX_PCI_DEVICES];
    int bar_line[TRIAD_MAX_PCI_DEVICES][TRIAD_MAX_BARS];
    struct sandbox_src sandbox[TRIAD_MAX_SANDBOXES];
    struct channel_src channel[TRIAD_MAX_CHANNELS];
    struct tmr_src tmr[TRIAD_MAX_TMR_GROUPS];
    int safe_mode_line;                /* <safe-mode>, 0 when absent */
};

#endif
