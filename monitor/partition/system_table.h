/*
 * system.bin: the fixed-layout partition table compiled from a system
 * description by tools/sysgen and validated again by the monitor before use.
 * This header is the one definition of that layout, shared by the host tool
 * and the freestanding monitor, so it only needs <stdint.h>.
 *
 * Layout (all integers little-endian, every offset fixed at compile time):
 *
 *   offset 0      struct triad_table_header   64 bytes
 *                   magic "TRSY", version 1.0, total_length, header_size,
 *                   SHA-256 of every byte after the header (the body)
 *   offset 64     struct triad_table_body     fixed size
 *                   system name, platform, counts,
 *                   channel area, sandboxes[], channels[], tmr_groups[]
 *
 * Every array has a fixed capacity (TRIAD_MAX_*) and a count; entries past
 * the count are all zero.  Strings are NUL-terminated inside their field.
 * A sandbox, channel, serial port or device is referred to by its index in
 * its array; TRIAD_NONE (0xFF) means "none".  Indices are 8-bit, which is
 * why every capacity is at most 254.
 *
 * Memory:
 *   - The monitor region [monitor_base, monitor_base + monitor_size) holds the
 *     monitor, the GRUB modules, page tables and EPTs; no sandbox touches it.
 *   - Each sandbox owns one host-physical region, 2 MiB aligned and sized,
 *     mapped at guest-physical 0.
 *   - All channel pages live in one host-physical channel area (2 MiB
 *     aligned), assigned by sysgen after the sandboxes.  Every sandbox sees
 *     the channel area at the same guest-physical window,
 *     TRIAD_CHANNEL_WINDOW_GPA (2 GiB), at the same offsets: a channel page at
 *     area offset X is at guest-physical window_gpa + X in every sandbox that
 *     may see it.  Permissions differ per sandbox: the writer's pages are
 *     read-write for the writer and read-only for its readers; a reader's
 *     control page is read-write for that reader and read-only for the
 *     writer; other sandboxes get nothing mapped.  The window lies above the
 *     RAM of every sandbox (a sandbox has at most 2 GiB of RAM).
 *   - Serial console: io_ranges[] of a sandbox already contains the 8 ports
 *     of its serial console as entry 0 (sysgen adds them), so the monitor builds the I/O
 *     permission bitmap from io_ranges[] alone.  COM1 (0x3F8) is the monitor
 *     console and never belongs to a sandbox.
 */
#ifndef TRIAD_MONITOR_PARTITION_SYSTEM_TABLE_H
#define TRIAD_MONITOR_PARTITION_SYSTEM_TABLE_H

#include <stddef.h>
#include <stdint.h>

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "system.bin is little-endian; this layout is read in place"
#endif

#define TRIAD_TABLE_MAGIC          0x59535254u  /* "TRSY" in memory order */
#define TRIAD_TABLE_VERSION_MAJOR  1u           /* layout changes bump this */
#define TRIAD_TABLE_VERSION_MINOR  3u           /* compatible additions bump this (1: ipi_policy, 2: safe_mode_policy, 3: safe_exit_by/hold) */

/* Capacities: generous for a UAV computer, small enough to keep the table
   (and every bounded loop over it) short. */
#define TRIAD_MAX_CORES            32u   /* core_mask is 32 bits */
#define TRIAD_MAX_SANDBOXES        16u
#define TRIAD_MAX_SERIAL_PORTS     4u
#define TRIAD_MAX_PCI_DEVICES      8u
#define TRIAD_MAX_BARS             6u
#define TRIAD_MAX_IO_RANGES        8u    /* per sandbox, console included */
#define TRIAD_MAX_SANDBOX_DEVICES  4u
#define TRIAD_MAX_MAIN_VCPUS       8u
#define TRIAD_MAX_IO_VCPUS         4u
#define TRIAD_MAX_PROGRAMS         8u
#define TRIAD_MAX_CHANNELS         32u
#define TRIAD_MAX_READERS          8u
#define TRIAD_MAX_TMR_GROUPS       4u
#define TRIAD_MAX_REPLICAS         7u

#define TRIAD_NAME_LEN             32u   /* names, NUL included */
#define TRIAD_ARGS_LEN             96u   /* program arguments, NUL included */
#define TRIAD_SHA256_LEN           32u

#define TRIAD_NONE                 0xFFu /* "no sandbox / channel / device" */
#define TRIAD_NONE16               0xFFFFu

#define TRIAD_REGION_ALIGN         0x200000ull      /* 2 MiB: EPT large pages */
#define TRIAD_PAGE_SIZE            0x1000u
#define TRIAD_CHANNEL_WINDOW_GPA   0x80000000ull    /* 2 GiB */
#define TRIAD_MAX_SANDBOX_RAM      TRIAD_CHANNEL_WINDOW_GPA
#define TRIAD_CHANNEL_WINDOW_MAX   0x10000000ull    /* 256 MiB of channel pages */
#define TRIAD_READER_CTL_SIZE      0x1000u          /* one page per reader */
#define TRIAD_MONITOR_COM_PORT     0x3F8u           /* COM1: the monitor console */
#define TRIAD_SERIAL_PORT_COUNT    8u               /* I/O ports of one UART */

/* Fault kinds the health monitor distinguishes (index into health_action[]). */
enum triad_fault_kind {
    TRIAD_FAULT_EPT_VIOLATION = 0,
    TRIAD_FAULT_IO_VIOLATION = 1,
    TRIAD_FAULT_MSR_VIOLATION = 2,
    TRIAD_FAULT_TRIPLE_FAULT = 3,
    TRIAD_FAULT_VMX_INSTRUCTION = 4,
    TRIAD_FAULT_BAD_HYPERCALL = 5,
    TRIAD_FAULT_DEADLINE_MISS = 6,
    TRIAD_FAULT_WATCHDOG = 7,
    TRIAD_FAULT_KIND_COUNT = 8
};

enum triad_health_action {
    TRIAD_ACTION_LOG = 0,
    TRIAD_ACTION_RESTART_WARM = 1,
    TRIAD_ACTION_RESTART_COLD = 2,
    TRIAD_ACTION_HALT = 3,
    TRIAD_ACTION_FAILOVER = 4,
    TRIAD_ACTION_RECOVER_DRIVER_LOCAL = 5,
    TRIAD_ACTION_RECOVER_DRIVER_REMOTE = 6,
    TRIAD_ACTION_SAFE_MODE = 7,
    TRIAD_ACTION_COUNT = 8
};

/* Design assurance level of the software in a sandbox (DO-178C A..E). */
enum triad_criticality {
    TRIAD_CRIT_A = 0, TRIAD_CRIT_B = 1, TRIAD_CRIT_C = 2, TRIAD_CRIT_D = 3, TRIAD_CRIT_E = 4,
    TRIAD_CRIT_COUNT = 5
};

/* How a sandbox reaches the APIC bus on a processor without x2APIC
   (docs/monitor.md: IPIs between sandboxes).  DIRECT: the xAPIC page is
   passed through (zero exits, any IPI to any core possible).  CONTAINED:
   the page is left out of the second-level tables and every access is
   emulated by the monitor, ICR writes checked like x2APIC ones (an exit per
   access).  With x2APIC both policies give the same: only ICR writes exit.
   0 in tables of minor version 0 (the byte was reserved): DIRECT. */
enum triad_ipi_policy {
    TRIAD_IPI_DIRECT = 0,
    TRIAD_IPI_CONTAINED = 1,
    TRIAD_IPI_POLICY_COUNT = 2
};

/* What a sandbox does when the system enters safe mode (docs/recovery.md:
   a sandbox's ladder ended in safe_mode).  RUN: it keeps running (essential:
   the I/O sandbox that commands the safe actuator value); HALT: the monitor
   stops its cores.  0 in tables written before the field (the byte was
   reserved): RUN, the behaviour of those tables. */
enum triad_safe_mode_policy {
    TRIAD_SAFE_MODE_RUN = 0,
    TRIAD_SAFE_MODE_HALT = 1,
    TRIAD_SAFE_MODE_POLICY_COUNT = 2
};

/* <safe-mode hold-ms=>: the range sysgen accepts and the validator checks
   (a hold of 0 would let a request come in the entry's own period). */
#define TRIAD_SAFE_EXIT_HOLD_MIN_MS 100u
#define TRIAD_SAFE_EXIT_HOLD_MAX_MS 60000u

enum triad_console_kind {
    TRIAD_CONSOLE_NONE = 0,
    TRIAD_CONSOLE_SERIAL = 1,   /* console_port is the UART's I/O base */
    TRIAD_CONSOLE_CHANNEL = 2,  /* console_channel is a channel to the I/O sandbox */
    TRIAD_CONSOLE_KIND_COUNT = 3
};

/* What a device (or the I/O VCPU serving it) is. */
enum triad_device_class {
    TRIAD_DEVCLASS_OTHER = 0,
    TRIAD_DEVCLASS_SERIAL = 1,
    TRIAD_DEVCLASS_NET = 2,
    TRIAD_DEVCLASS_STORAGE = 3,
    TRIAD_DEVCLASS_CHANNEL = 4,  /* I/O VCPU serving inter-sandbox channels */
    TRIAD_DEVCLASS_COUNT = 5
};

enum triad_channel_kind {
    TRIAD_CHANNEL_ASYNC_4SLOT = 0,  /* one writer, many readers, latest value */
    TRIAD_CHANNEL_SYNC_FIFO = 1,    /* one writer, one or more readers, queue of depth */
    TRIAD_CHANNEL_KIND_COUNT = 2
};

enum triad_vote_mode {
    TRIAD_VOTE_EXACT = 0,           /* bit-for-bit majority */
    TRIAD_VOTE_TOLERANCE = 1,       /* values within tolerance agree */
    TRIAD_VOTE_MODE_COUNT = 2
};

struct triad_table_header {
    uint32_t magic;                 /* TRIAD_TABLE_MAGIC */
    uint16_t version_major;
    uint16_t version_minor;
    uint32_t total_length;          /* header + body, bytes */
    uint32_t header_size;           /* sizeof(struct triad_table_header) */
    uint8_t  body_sha256[TRIAD_SHA256_LEN];  /* SHA-256 of bytes [header_size, total_length) */
    uint8_t  reserved[16];          /* zero */
};

struct triad_serial_port {
    uint16_t io_base;               /* e.g. 0x2F8 for COM2 */
    uint8_t  irq;
    uint8_t  reserved;
};

struct triad_bar {
    uint64_t base;                  /* host-physical MMIO base, page aligned */
    uint64_t size;                  /* bytes, page multiple */
};

struct triad_pci_device {
    char     name[TRIAD_NAME_LEN];
    uint16_t vendor_id;             /* 0 when not declared */
    uint16_t device_id;
    uint8_t  bus;
    uint8_t  dev;                   /* 0..31 */
    uint8_t  fn;                    /* 0..7 */
    uint8_t  irq;                   /* legacy IRQ line */
    uint8_t  dev_class;             /* enum triad_device_class */
    uint8_t  bar_count;
    uint8_t  standby_ref;           /* remote driver recovery: 0 = no standby, else the
                                       standby sandbox's index + 1 (0 keeps old tables valid) */
    uint8_t  reserved[5];
    struct triad_bar bars[TRIAD_MAX_BARS];
};

struct triad_platform {
    uint64_t ram_size;              /* bytes of RAM from physical 0 the table may use */
    uint64_t monitor_base;          /* region reserved for the monitor, 2 MiB aligned */
    uint64_t monitor_size;
    uint32_t core_count;
    uint8_t  serial_count;
    uint8_t  pci_count;
    uint8_t  tpm_present;           /* 1: a TPM 2.0 at the TIS address */
    uint8_t  reserved;
    struct triad_serial_port serial[TRIAD_MAX_SERIAL_PORTS];
    struct triad_pci_device  pci[TRIAD_MAX_PCI_DEVICES];
};

struct triad_io_range {
    uint16_t base;                  /* first port */
    uint16_t count;                 /* number of ports, >= 1, base + count <= 0x10000 */
};

struct triad_main_vcpu {
    uint32_t budget_us;             /* C */
    uint32_t period_us;             /* T */
    uint8_t  core;                  /* physical core index, one of the sandbox's cores */
    uint8_t  reserved[3];
};

struct triad_io_vcpu {
    uint32_t utilization_ppm;       /* U in millionths, 1..1000000 */
    uint8_t  core;
    uint8_t  dev_class;             /* enum triad_device_class */
    uint8_t  reserved[2];
};

struct triad_program {
    char name[TRIAD_NAME_LEN];      /* program to start at boot */
    char args[TRIAD_ARGS_LEN];      /* its argument string, may be empty */
};

struct triad_sandbox {
    char     name[TRIAD_NAME_LEN];
    char     kernel_module[TRIAD_NAME_LEN];   /* GRUB module name of the kernel image */
    uint8_t  kernel_sha256[TRIAD_SHA256_LEN]; /* golden digest; all zero = not provided */
    uint64_t mem_base;              /* host-physical, 2 MiB aligned */
    uint64_t mem_size;              /* 2 MiB multiple, <= TRIAD_MAX_SANDBOX_RAM */
    uint32_t core_mask;             /* bit i = physical core i */
    uint8_t  index;                 /* equals its position in sandboxes[] */
    uint8_t  criticality;           /* enum triad_criticality */
    uint8_t  console_kind;          /* enum triad_console_kind */
    uint8_t  console_channel;       /* channel index for a channel console, else TRIAD_NONE */
    uint16_t console_port;          /* UART I/O base for a serial console, else 0 */
    uint8_t  restart_limit;         /* restarts allowed before the action escalates to halt */
    uint8_t  io_range_count;
    uint8_t  device_count;
    uint8_t  main_vcpu_count;
    uint8_t  io_vcpu_count;
    uint8_t  program_count;
    uint8_t  health_action[TRIAD_FAULT_KIND_COUNT];  /* enum triad_health_action per fault kind */
    struct triad_io_range  io_ranges[TRIAD_MAX_IO_RANGES];
    uint8_t  devices[TRIAD_MAX_SANDBOX_DEVICES];     /* indices into platform.pci[] */
    uint8_t  ipi_policy;            /* enum triad_ipi_policy */
    uint8_t  safe_mode_policy;      /* enum triad_safe_mode_policy */
    uint8_t  reserved[2];
    struct triad_main_vcpu main_vcpus[TRIAD_MAX_MAIN_VCPUS];
    struct triad_io_vcpu   io_vcpus[TRIAD_MAX_IO_VCPUS];
    struct triad_program   programs[TRIAD_MAX_PROGRAMS];
};

struct triad_channel {
    char     name[TRIAD_NAME_LEN];
    uint32_t key;                   /* the number programs open it by, unique */
    uint8_t  kind;                  /* enum triad_channel_kind */
    uint8_t  writer;                /* sandbox index */
    uint8_t  reader_count;          /* 1..TRIAD_MAX_READERS */
    uint8_t  shadow_writer;         /* I/O failover: 0 = none, else the standby voter's
                                       sandbox index + 1: its tables map the writer area
                                       (and the readers' pages) read-only at boot, and
                                       the monitor's failover makes it the writer (the
                                       byte was reserved: 0 keeps old tables valid) */
    uint32_t msg_size;              /* bytes per message, >= 1 */
    uint32_t depth;                 /* FIFO depth; 4 for async 4-slot */
    uint32_t refresh_us;            /* period the writer refreshes it, 0 = aperiodic */
    uint8_t  readers[TRIAD_MAX_READERS];            /* sandbox indices */
    uint32_t writer_offset;         /* from the channel area base, page aligned */
    uint32_t writer_size;           /* bytes, page multiple */
    uint32_t reader_ctl_offset[TRIAD_MAX_READERS];  /* one control area per reader */
    uint32_t reader_ctl_size;       /* bytes, page multiple (TRIAD_READER_CTL_SIZE) */
    uint32_t reserved1;
};

struct triad_channel_area {
    uint64_t host_base;             /* host-physical, 2 MiB aligned; 0 when no channels */
    uint64_t size;                  /* bytes, 2 MiB multiple, <= TRIAD_CHANNEL_WINDOW_MAX */
    uint64_t window_gpa;            /* TRIAD_CHANNEL_WINDOW_GPA in every sandbox */
};

struct triad_tmr_group {
    char     name[TRIAD_NAME_LEN];
    uint8_t  replica_count;         /* odd, >= 3 */
    uint8_t  replicas[TRIAD_MAX_REPLICAS];          /* sandbox indices */
    uint8_t  output_channels[TRIAD_MAX_REPLICAS];   /* replica i -> voter channel */
    uint8_t  standby;               /* sandbox index or TRIAD_NONE */
    uint8_t  standby_output_channel;/* standby -> voter channel or TRIAD_NONE */
    uint8_t  voter;                 /* sandbox index */
    uint8_t  input_channel;         /* sensor channel read by every replica, or TRIAD_NONE */
    uint8_t  vote_mode;             /* enum triad_vote_mode */
    uint32_t tolerance_micro;       /* tolerance in millionths of a unit (0 for exact) */
    uint32_t period_us;             /* control period */
};

struct triad_table_body {
    char     system_name[TRIAD_NAME_LEN];
    struct triad_platform platform;
    uint32_t sandbox_count;
    uint32_t channel_count;
    uint32_t tmr_group_count;
    /* Leaving system safe mode (<safe-mode exit-by= hold-ms=>, docs/recovery.md):
       the one sandbox that may ask (TRIAD_NONE: nobody, the default) and how
       long the safe command must have been applied first (100..60000 ms). */
    uint8_t  safe_exit_by;
    uint8_t  reserved;
    uint16_t safe_exit_hold_ms;
    struct triad_channel_area channel_area;
    struct triad_sandbox   sandboxes[TRIAD_MAX_SANDBOXES];
    struct triad_channel   channels[TRIAD_MAX_CHANNELS];
    struct triad_tmr_group tmr_groups[TRIAD_MAX_TMR_GROUPS];
};

struct triad_system_table {
    struct triad_table_header header;
    struct triad_table_body   body;
};

/* The layout is part of the contract: any change here must be deliberate.
   (Frama-C 25 does not parse _Static_assert; the compilers check it.) */
#ifndef __FRAMAC__
_Static_assert(sizeof(struct triad_table_header) == 64, "header is 64 bytes");
_Static_assert(offsetof(struct triad_table_header, body_sha256) == 16, "digest at 16");
_Static_assert(sizeof(struct triad_serial_port) == 4, "serial port");
_Static_assert(sizeof(struct triad_bar) == 16, "bar");
_Static_assert(offsetof(struct triad_pci_device, bars) == 48, "pci bars");
_Static_assert(sizeof(struct triad_pci_device) == 48 + 16 * TRIAD_MAX_BARS, "pci device");
_Static_assert(offsetof(struct triad_platform, serial) == 32, "platform serial");
_Static_assert(offsetof(struct triad_platform, pci) == 48, "platform pci");
_Static_assert(sizeof(struct triad_platform) == 48 + 144 * TRIAD_MAX_PCI_DEVICES, "platform");
_Static_assert(sizeof(struct triad_io_range) == 4, "io range");
_Static_assert(sizeof(struct triad_main_vcpu) == 12, "main vcpu");
_Static_assert(sizeof(struct triad_io_vcpu) == 8, "io vcpu");
_Static_assert(sizeof(struct triad_program) == 128, "program");
_Static_assert(offsetof(struct triad_sandbox, mem_base) == 96, "sandbox mem_base");
_Static_assert(offsetof(struct triad_sandbox, core_mask) == 112, "sandbox core_mask");
_Static_assert(offsetof(struct triad_sandbox, health_action) == 128, "sandbox health");
_Static_assert(offsetof(struct triad_sandbox, io_ranges) == 136, "sandbox io ranges");
_Static_assert(offsetof(struct triad_sandbox, devices) == 168, "sandbox devices");
_Static_assert(offsetof(struct triad_sandbox, main_vcpus) == 176, "sandbox main vcpus");
_Static_assert(offsetof(struct triad_sandbox, io_vcpus) == 272, "sandbox io vcpus");
_Static_assert(offsetof(struct triad_sandbox, programs) == 304, "sandbox programs");
_Static_assert(sizeof(struct triad_sandbox) == 304 + 128 * TRIAD_MAX_PROGRAMS, "sandbox");
_Static_assert(offsetof(struct triad_channel, readers) == 52, "channel readers");
_Static_assert(offsetof(struct triad_channel, writer_offset) == 60, "channel writer");
_Static_assert(offsetof(struct triad_channel, reader_ctl_offset) == 68, "channel ctl");
_Static_assert(sizeof(struct triad_channel) == 108, "channel");
_Static_assert(sizeof(struct triad_channel_area) == 24, "channel area");
_Static_assert(offsetof(struct triad_tmr_group, standby) == 47, "tmr standby");
_Static_assert(offsetof(struct triad_tmr_group, tolerance_micro) == 52, "tmr tolerance");
_Static_assert(sizeof(struct triad_tmr_group) == 60, "tmr group");
_Static_assert(offsetof(struct triad_table_body, platform) == 32, "body platform");
_Static_assert(offsetof(struct triad_table_body, sandbox_count) == 32 + 1200, "body counts");
_Static_assert(offsetof(struct triad_table_body, safe_exit_hold_ms) == 1246, "body safe-mode exit");
_Static_assert(offsetof(struct triad_table_body, channel_area) == 1248, "body channel area");
_Static_assert(offsetof(struct triad_table_body, sandboxes) == 1272, "body sandboxes");
_Static_assert(sizeof(struct triad_table_body) ==
               1272 + 1328 * TRIAD_MAX_SANDBOXES + 108 * TRIAD_MAX_CHANNELS + 60 * TRIAD_MAX_TMR_GROUPS,
               "body");
_Static_assert(offsetof(struct triad_system_table, body) == 64, "body after header");
#endif

#define TRIAD_TABLE_SIZE ((uint32_t)sizeof(struct triad_system_table))

#endif
