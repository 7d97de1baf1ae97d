/*
 * Hypercalls: the only deliberate way from a sandbox into its monitor.
 * Freestanding: needs only <stdint.h>.
 *
 * Calling convention (any CPU mode; under unrestricted guest the kernel may
 * call from 32-bit or 64-bit code, the monitor reads the full registers):
 *     RAX = hypercall number, RDI, RSI, RDX, RCX = arguments;
 *     VMCALL;
 *     RAX = result: >= 0 success, < 0 a TRIAD_E_* code.  Other registers
 *     are preserved.
 * Pointers are guest-physical addresses.  A buffer must lie entirely inside
 * the caller's RAM [0, mem_size) (never the channel window, never MMIO);
 * otherwise the call fails with TRIAD_E_FAULT and a fault record of kind
 * "bad-hypercall" is logged (the sandbox is not halted: the error is its to
 * handle).  An unknown number gets TRIAD_E_NOSYS and a fault record too.
 * Every call costs exactly one VM exit, counted under "VMCALL".
 */
#ifndef TRIAD_MONITOR_ABI_HYPERCALL_H
#define TRIAD_MONITOR_ABI_HYPERCALL_H

#include <stdint.h>

enum triad_hypercall {
    /* RDI = buffer, RSI = its size (>= sizeof(struct triad_hc_info)).
       Fills struct triad_hc_info; returns its size. */
    TRIAD_HC_SANDBOX_INFO = 1,
    /* RDI = core index (TRIAD_HC_SELF for the calling core), RSI = buffer,
       RDX = size (>= sizeof(struct triad_hc_exit_counters)).
       Fills the counters of that core; returns their size. */
    TRIAD_HC_EXIT_COUNTERS = 2,
    /* RDI = index of the first record wanted (0 = oldest kept), RSI = buffer,
       RDX = size in bytes (a multiple of sizeof(struct triad_fault_record)).
       Copies up to size / sizeof records; returns how many were copied.
       The log is global (every sandbox's faults: it is the supervisor's
       read-only view), holds the last TRIAD_FAULT_LOG_LEN records. */
    TRIAD_HC_FAULT_LOG = 3,
    /* RDI = channel key, RSI = buffer, RDX = size (>= sizeof(struct
       triad_boot_channel) from sandbox_boot.h).  Succeeds only when
       system.bin makes the caller an endpoint of that channel; fills the
       channel's description (the pages are already mapped at boot).
       Returns 0, or TRIAD_E_PERM / TRIAD_E_NOENT. */
    TRIAD_HC_CHANNEL_OPEN = 4,
    /* RDI = fault code chosen by the sandbox, RSI = detail (e.g. an address).
       Logs a fault record of kind "reported" for the caller; returns 0.
       The health-monitor action is not applied (the sandbox keeps running). */
    TRIAD_HC_REPORT_FAULT = 5,
    /* RDI = sandbox id to restart (the caller's own, or TRIAD_HC_SELF, or
       a replica or the standby of a TMR group the caller is the voter of).
       Accepted when the target's health table declares a restart and its
       restart limit is not reached.  The caller itself: the call does not
       return, the caller is restarted from its pristine image.  A group
       member: returns 0 once the member's core took the request (the
       member restarts there), TRIAD_E_BUSY if it did not.  Otherwise
       TRIAD_E_PERM (another sandbox that is no member of the caller's
       group, no restart in its policy, limit reached, already being
       recovered, no core running) or TRIAD_E_INVAL (no such sandbox);
       docs/recovery.md, docs/tmr.md. */
    TRIAD_HC_RESTART = 6,
    /* No arguments.  Prints the exit-counter table of every core on the
       monitor console (COM1); returns 0. */
    TRIAD_HC_PRINT_COUNTERS = 7,
    /* RDI = byte offset into the measured-launch event log (TCG crypto-agile,
       docs/attestation.md), RSI = buffer, RDX = size.  Copies
       min(size, length - offset) bytes of the log from offset; returns how
       many (0 at the end).  RDX = 0 returns the log's length.  Allowed only
       to a sandbox that system.bin gives a device (the I/O sandbox, which
       serves the evidence): others get TRIAD_E_PERM; offset past the end:
       TRIAD_E_INVAL. */
    TRIAD_HC_EVENT_LOG = 8,
    /* RDI = PCR selection (bit n = SHA-256 PCR n, 0..23, at least one),
       RSI = buffer holding a struct triad_hc_quote, RDX = its size
       (>= sizeof(struct triad_hc_quote)).  The caller fills nonce_len
       (1..TRIAD_QUOTE_NONCE_MAX) and nonce (the verifier's, at run time);
       the monitor runs TPM2_Quote with the attestation key it created at
       boot and fills the rest: the key's TPM2B_PUBLIC, the TPMS_ATTEST
       (without its size field) and the TPMT_SIGNATURE, one after the other
       in data[].  Returns the bytes of data[] used.  Same policy as
       TRIAD_HC_EVENT_LOG: only a sandbox with a device (TRIAD_E_PERM);
       a bad selection or nonce length: TRIAD_E_INVAL; no TPM, or a TPM
       that failed at boot (no key): TRIAD_E_UNMEASURED; the TPM refusing
       the quote now: TRIAD_E_TPM with its response code in tpm_rc; another
       core's quote under way: TRIAD_E_BUSY.  The caller's core waits in
       its monitor while the TPM works (docs/attestation.md).  RDX = 0 (no
       buffer) only asks: 0 when quotes can be made, TRIAD_E_UNMEASURED
       when not. */
    TRIAD_HC_QUOTE = 9,
    /* RDI = APIC ID of a core of the caller's own sandbox, RSI = start-up
       vector (the core starts in real mode at CS:IP = vector << 8 : 0).
       The monitor starts that core, which waits in its monitor since boot
       or since the sandbox's restart (the SVM backend: AMD has no
       wait-for-SIPI guest state).  Returns 0; TRIAD_E_PERM (and an
       ipi-violation record of the caller) for a core outside the caller's
       sandbox; TRIAD_E_INVAL for the caller's own core, a vector above
       0xFF or a core that is not waiting (already started);
       TRIAD_E_NOT_YET on the VMX backend, where the waiting core takes the
       guest's own start-up IPI (send it through the LAPIC instead). */
    TRIAD_HC_START_CORE = 10,
    /* RDI = first sequence number wanted, RSI = buffer, RDX = size in bytes
       (at least one struct triad_decision).  Copies the monitor's recovery
       decisions (monitor/decision_log.h) from that sequence on, oldest
       first, as many as fit; returns how many (0: none newer).  A sequence
       already overwritten starts at the oldest kept (the reader sees the gap
       in seq).  Only a sandbox with a device (the I/O sandbox, as
       TRIAD_HC_EVENT_LOG): others TRIAD_E_PERM; a size below one record or
       a sequence past the next one: TRIAD_E_INVAL. */
    TRIAD_HC_DECISION_LOG = 11,
    /* Leaving system safe mode, an operator's decision the monitor checks
       (docs/recovery.md, health_safe_exit_check): RDI = the entry time the
       operator acknowledges (safe_tsc of TRIAD_HC_SANDBOX_INFO: a request
       made for an earlier entry never ends a later one), RSI = the
       vehicle's state as the caller knows it (TRIAD_VEHICLE_*: exactly on
       the ground and disarmed).  Only the sandbox the description names
       (<safe-mode exit-by=>), only after the safe command held hold-ms.
       Returns 0 when accepted: system_state NORMAL again, the sandboxes the
       entry halted restarted cold from their pristine images (restart
       counts reset; the restarts run on their own cores, after the call
       returned).  Refused: TRIAD_E_INVAL (not in safe mode, stale ack),
       TRIAD_E_PERM (not the sandbox named; also a fault record of kind
       reported), TRIAD_E_BUSY (vehicle not safe, hold not elapsed); the
       caller runs on and safe mode stays. */
    TRIAD_HC_SAFE_MODE_EXIT = 12,
    /* Local driver recovery (docs/recovery.md, monitor/driver_local.h).
       RDI = TRIAD_DRV_REGISTER | vector << 8, RSI/RDX = the driver's code
       [start, end) (guest RIPs): a fault whose decision is
       recover-driver-local and whose RIP is in that range is not answered
       by a restart: the monitor injects the vector (TRIAD_DRV_VECTOR, the
       architectural #VE, delivered as an exception where the faulting
       instruction was) and the kernel restarts its driver.  Returns 0;
       TRIAD_E_INVAL (another vector, an empty range), TRIAD_E_PERM (the
       sandbox's health table declares no recover_driver_local).
       RDI = TRIAD_DRV_DONE: the kernel's recovery ended; returns the
       guest-physical address of the fault it recovered from (>= 0), or
       TRIAD_E_INVAL when no recovery was under way.  Until then a second
       fault of the sandbox escalates (fault-during-recovery). */
    TRIAD_HC_DRIVER_RECOVERY = 13,
    TRIAD_HC_COUNT = 14
};

#define TRIAD_HC_SELF 0xFFFFFFFFu

/* TRIAD_HC_DRIVER_RECOVERY's operations and its one vector. */
#define TRIAD_DRV_REGISTER 0u
#define TRIAD_DRV_DONE     1u
#define TRIAD_DRV_VECTOR   20u   /* #VE: an exception without error code, any IF */

/* TRIAD_HC_SAFE_MODE_EXIT's vehicle word (recovery/health.h's values). */
#define TRIAD_VEHICLE_ON_GROUND 0x1u
#define TRIAD_VEHICLE_DISARMED  0x2u

enum triad_hc_error {
    TRIAD_E_NOSYS = -1,     /* unknown hypercall number */
    TRIAD_E_FAULT = -2,     /* a buffer outside the caller's RAM */
    TRIAD_E_INVAL = -3,     /* a bad argument (size too small, index out of range) */
    TRIAD_E_PERM = -4,      /* system.bin does not allow it */
    TRIAD_E_NOENT = -5,     /* no such channel */
    TRIAD_E_NOT_YET = -6,   /* defined but not implemented yet */
    TRIAD_E_UNMEASURED = -7,/* no TPM, or it failed at boot: nothing to quote with */
    TRIAD_E_TPM = -8,       /* the TPM answered an error (its code is returned too) */
    TRIAD_E_BUSY = -9,      /* the resource is in use by another core: try again */
};

#define TRIAD_QUOTE_NONCE_MAX 32u
#define TRIAD_QUOTE_DATA_MAX  1024u

/* TRIAD_HC_QUOTE's buffer: the request (nonce) in, the evidence out. */
struct triad_hc_quote {
    uint32_t nonce_len;                    /* in: 1 .. TRIAD_QUOTE_NONCE_MAX */
    uint8_t  nonce[TRIAD_QUOTE_NONCE_MAX]; /* in: the verifier's nonce */
    uint32_t tpm_rc;                       /* out: the TPM's code on TRIAD_E_TPM */
    uint32_t ak_len;                       /* out: data[0 .. ak_len) TPM2B_PUBLIC */
    uint32_t attest_len;                   /* out: then the TPMS_ATTEST */
    uint32_t sig_len;                      /* out: then the TPMT_SIGNATURE */
    uint32_t reserved;
    uint8_t  data[TRIAD_QUOTE_DATA_MAX];
};
_Static_assert(sizeof(struct triad_hc_quote) == 56 + TRIAD_QUOTE_DATA_MAX, "quote buffer layout");

struct triad_hc_info {
    uint32_t sandbox_id;
    uint32_t core;           /* calling core (physical index) */
    uint32_t core_mask;
    uint32_t sandbox_count;  /* sandboxes in the system */
    uint64_t mem_size;
    char     name[32];
    uint64_t tsc_khz;        /* the monitor's TSC calibration, 0 if unknown */
    uint32_t devices_held;   /* bit d: platform device d is the caller's now (remote driver
                                recovery moves a device to its declared standby) */
    uint32_t devices_awaited;/* bit d: the caller is device d's standby and does not hold it yet */
    uint32_t system_state;   /* enum triad_system_state: the I/O sandbox commands the safe
                                actuator value once it reads TRIAD_SYSTEM_SAFE_MODE */
    uint32_t safe_cause;     /* in safe mode: the sandbox whose ladder ended there, else 0xFF */
    uint64_t safe_tsc;       /* in safe mode: virtual time of the entry (the deciding core's TSC) */
    uint32_t shadow_channels;/* I/O failover: bit i, the caller is channel i's writer or
                                voter-standby (shadow writer) and does not write it now: its
                                voter runs in shadow (docs/recovery.md) */
    uint32_t reserved_info;  /* zero */
};

/* The system's state as the monitor's health monitor sees it (docs/recovery.md:
   system safe mode).  Left only by an accepted TRIAD_HC_SAFE_MODE_EXIT. */
enum triad_system_state {
    TRIAD_SYSTEM_NORMAL = 0,
    TRIAD_SYSTEM_SAFE_MODE = 1,
};

/* Exit reasons counted, in the order of the Quest-V "monitor trap count"
   table, then the rest.  TRIAD_EXIT_OTHER counts every reason not listed. */
enum triad_exit_counter {
    TRIAD_EXIT_EXCEPTION = 0,
    TRIAD_EXIT_CPUID = 1,
    TRIAD_EXIT_VMCALL = 2,
    TRIAD_EXIT_IO = 3,
    TRIAD_EXIT_EPT_VIOLATION = 4,
    TRIAD_EXIT_XSETBV = 5,
    TRIAD_EXIT_MSR_READ = 6,
    TRIAD_EXIT_MSR_WRITE = 7,
    TRIAD_EXIT_CR_ACCESS = 8,
    TRIAD_EXIT_VMX_INSTRUCTION = 9,
    TRIAD_EXIT_TRIPLE_FAULT = 10,
    TRIAD_EXIT_NMI = 11,
    TRIAD_EXIT_EPT_MISCONFIG = 12,
    TRIAD_EXIT_PREEMPTION_TIMER = 13,   /* only the monitor's own test clock */
    TRIAD_EXIT_OTHER = 14,
    TRIAD_EXIT_COUNTER_COUNT = 15
};

struct triad_hc_exit_counters {
    uint32_t core;
    uint32_t sandbox_id;     /* 0xFF when the core runs no sandbox */
    uint64_t total;
    uint64_t count[TRIAD_EXIT_COUNTER_COUNT];
};

/* Fault kinds of a record: the system_table.h kinds, plus these. */
#define TRIAD_FAULT_REPORTED     16u   /* TRIAD_HC_REPORT_FAULT */
#define TRIAD_FAULT_UNEXPECTED   17u   /* an exit reason the monitor does not handle */
#define TRIAD_FAULT_IMAGE_MISMATCH 18u /* kernel image differs from its golden digest: never launched */
#define TRIAD_FAULT_IPI_VIOLATION  19u /* an IPI to a core outside the sender's sandbox: not sent */
#define TRIAD_FAULT_LOG_LEN      64u

/* One fault, as logged and as printed on COM1 (see docs/monitor.md):
   "[monitor] FAULT t=<tsc> core=<n> sandbox=<id> kind=<name> gpa=0x<16 hex>
    rip=0x<16 hex> qual=0x<16 hex> action=<name>" (one line). */
struct triad_fault_record {
    uint64_t tsc;            /* virtual time: the TSC of the faulting core */
    uint64_t gpa;            /* guest-physical address, I/O port or MSR; 0 if none */
    uint64_t rip;            /* guest RIP of the faulting instruction */
    uint64_t qualification;  /* VM-exit qualification (raw), or the reported code */
    uint32_t core;
    uint8_t  sandbox;
    uint8_t  kind;           /* enum triad_fault_kind or TRIAD_FAULT_* above */
    uint8_t  action;         /* enum triad_health_action applied */
    uint8_t  reserved;
    uint64_t sequence;       /* 0, 1, 2... over the whole run */
};

/* One recovery decision of the monitor (TRIAD_HC_DECISION_LOG). */
enum triad_decision_event {
    TRIAD_DECISION_TAKEN = 0,     /* the health monitor's decision for a fault or request */
    TRIAD_DECISION_RESTARTED = 1, /* the restart it began is done */
    TRIAD_DECISION_REFUSED = 2,   /* the restart it began was refused (sandbox stays down) */
    TRIAD_DECISION_SAFE_MODE = 3, /* the system entered safe mode (sandbox: whose ladder ended there) */
    TRIAD_DECISION_SAFE_MODE_LEFT = 4, /* an operator's exit accepted (sandbox: who asked) */
    TRIAD_DECISION_FAILOVER = 5,  /* I/O failover: sandbox's voter role moved to its voter-standby */
};
#define TRIAD_DECISION_KIND_SAFE_EXIT 0xFDu /* kind of a safe-mode exit request (accepted or refused) */
#define TRIAD_DECISION_KIND_REQUEST 0xFEu   /* kind of a restart the sandbox asked for */
#define TRIAD_DECISION_KIND_NONE    0xFFu   /* kind of a restart's end (done or refused) */
#define TRIAD_DECISION_NAME 12
struct triad_decision {
    uint64_t seq;            /* 0, 1, 2... over the whole run */
    uint64_t tsc;            /* virtual time: the deciding core's TSC */
    uint8_t  sandbox;
    uint8_t  kind;           /* fault kind (TRIAD_FAULT_*) */
    uint8_t  event;          /* enum triad_decision_event */
    uint8_t  declared;       /* enum triad_health_action of the description */
    uint8_t  applied;        /* enum triad_health_action applied */
    uint8_t  reason;         /* recovery/health.h enum health_reason */
    uint8_t  restarts;       /* restarts so far */
    uint8_t  limit;          /* restart limit */
    char     name[TRIAD_DECISION_NAME];   /* sandbox name, NUL-padded, may lack the NUL */
    uint32_t reserved;
};

_Static_assert(sizeof(struct triad_fault_record) == 48, "fault record layout");
_Static_assert(sizeof(struct triad_decision) == 40, "decision record layout");
_Static_assert(sizeof(struct triad_hc_exit_counters) == 16 + 8 * TRIAD_EXIT_COUNTER_COUNT, "counters");

#endif
