/*
 * Boot hand-off from the monitor to a sandbox kernel (the ABI the sandbox
 * kernel codes against).  Freestanding: needs only <stdint.h>.
 *
 * The monitor enters the kernel exactly as a multiboot2 loader would:
 *   - at the ELF entry point of the kernel image, whose PT_LOAD segments the
 *     monitor copied to their physical addresses (guest-physical, inside the
 *     sandbox's RAM, which starts at guest-physical 0);
 *   - 32-bit protected mode, paging off, CR0 = PE (plus ET), interrupts off,
 *     flat 4 GiB code (selector 0x08) and data (0x10) segments, no IDT;
 *   - EAX = 0x36D76289 (MB2_LOADER_MAGIC), EBX = guest-physical address of a
 *     multiboot2 information block, 8-byte aligned, inside the sandbox's RAM
 *     and placed below the kernel image (at TRIAD_BOOT_INFO_GPA);
 *   - every other general register zero; ESP zero (the kernel sets its stack).
 *
 * The information block holds, in this order:
 *   1. a command line tag (type 1):
 *        "triad.sandbox=<id> triad.name=<name> triad.console=<0x2f8|channel|none>
 *         triad.cores=<n> [the args of each program the description lists]"
 *      e.g. "triad.sandbox=1 triad.name=nav triad.console=0x2f8 triad.cores=1
 *            triad.test=write-other-sandbox";
 *   2. a boot loader name tag (type 2): "Triad monitor <version>";
 *   3. a memory map tag (type 6), version 0, 24-byte entries:
 *        [0, 0x1000) reserved (real-mode IVT page, kept out of allocators),
 *        [0x1000, mem_size) available (type 1) minus nothing: the kernel owns
 *        all of it, including the pages holding its image and this block;
 *        the channel window, when the sandbox has channels, as type 2
 *        (reserved) so that allocators never hand it out;
 *   4. module tags (type 3) for program archives (none yet);
 *   5. the Triad sandbox tag (type TRIAD_MB2_TAG_SANDBOX), below;
 *   6. the end tag (type 0, size 8).
 * The kernel must not assume anything about other tags' presence.
 */
#ifndef TRIAD_MONITOR_ABI_SANDBOX_BOOT_H
#define TRIAD_MONITOR_ABI_SANDBOX_BOOT_H

#include <stdint.h>

#define TRIAD_MB2_LOADER_MAGIC   0x36D76289u
#define TRIAD_BOOT_INFO_GPA      0x8000u     /* where the monitor writes the block */
#define TRIAD_BOOT_INFO_MAX      0x4000u     /* bytes reserved for it: [0x8000, 0xC000) */

/* Triad's own multiboot2 tag type (the standard ones stop well below 0x1000). */
#define TRIAD_MB2_TAG_SANDBOX    0x7A1Du
#define TRIAD_SANDBOX_TAG_VERSION 1u

/* Device interrupts (monitor/irq_route.h): the monitor points a declared
   device's legacy line (GSI g < TRIAD_IOAPIC_MAX_GSI, the description's
   `irq`) at the lowest core of the sandbox holding the device, at vector
   TRIAD_DEVICE_VECTOR(g), and adds `triad.irq-vector=<hex>` to the command
   line of the device's owner and of its declared standby.  The kernel
   handles that vector and ends it with its LAPIC's EOI (level-triggered:
   the EOI broadcast re-arms the I/O APIC's line).  Without the word the
   device has no interrupt under the monitor and its driver polls. */
#define TRIAD_IOAPIC_MAX_GSI     24u
#define TRIAD_DEVICE_VECTOR_BASE 0x30u
#define TRIAD_DEVICE_VECTOR(gsi) (TRIAD_DEVICE_VECTOR_BASE + (uint32_t)(gsi))

#define TRIAD_BOOT_NAME_LEN      32u
#define TRIAD_BOOT_MAX_CHANNELS  32u

enum triad_boot_channel_role {
    TRIAD_ROLE_WRITER = 0,
    TRIAD_ROLE_READER = 1,
};

/* One channel this sandbox is an endpoint of.  All addresses are
   guest-physical (inside the channel window), page aligned, sizes page
   multiples.  The writer area carries the messages (read-write for the
   writer, read-only for readers).  Control pages carry each reader's
   acknowledgements (read-write for that reader, read-only for the writer):
     - role READER: control_gpa/control_size is this reader's own page;
     - role WRITER: control_gpa is the page of reader 0 and reader i's page
       is at reader_ctl_gpa[i]; control_size is one reader's size. */
struct triad_boot_channel {
    uint32_t key;                /* the number programs open it by */
    uint8_t  kind;               /* 0 = async 4-slot, 1 = sync FIFO (system_table.h) */
    uint8_t  role;               /* enum triad_boot_channel_role */
    uint8_t  reader_index;       /* role READER: which reader of the channel this is */
    uint8_t  reader_count;
    uint32_t msg_size;           /* bytes per message */
    uint32_t depth;              /* FIFO depth; 4 for 4-slot */
    uint64_t writer_gpa;
    uint64_t writer_size;
    uint64_t control_gpa;
    uint64_t control_size;
    uint64_t reader_ctl_gpa[8];  /* role WRITER only; 0 past reader_count */
};

/* Multiboot2 tag of type TRIAD_MB2_TAG_SANDBOX. */
struct triad_boot_sandbox_tag {
    uint32_t type;               /* TRIAD_MB2_TAG_SANDBOX */
    uint32_t size;               /* bytes of this tag: header + channel_count entries */
    uint32_t version;            /* TRIAD_SANDBOX_TAG_VERSION */
    uint32_t sandbox_id;         /* index in system.bin */
    char     name[TRIAD_BOOT_NAME_LEN];   /* NUL-terminated */
    uint64_t mem_size;           /* RAM from guest-physical 0, bytes */
    uint64_t channel_window_gpa; /* base of the channel window (0 when no channels) */
    uint64_t channel_window_size;
    uint32_t core_mask;          /* physical cores of the sandbox */
    uint16_t console_port;       /* UART base, 0 for a channel console */
    uint8_t  console_kind;       /* 0 none, 1 serial, 2 channel (system_table.h) */
    uint8_t  console_channel;    /* index in channels[] for a channel console, else 0xFF */
    uint32_t channel_count;
    uint32_t reserved;
    struct triad_boot_channel channels[];  /* channel_count entries */
};

_Static_assert(sizeof(struct triad_boot_channel) == 112, "boot channel layout");
_Static_assert(sizeof(struct triad_boot_sandbox_tag) == 88, "sandbox tag header layout");

#endif
