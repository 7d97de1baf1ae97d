/* Recovery in the monitor (issue 9, docs/recovery.md): the health-monitor
   decision for a fault, and the sandbox restart from its pristine image. */
#ifndef TRIAD_MONITOR_RESTART_H
#define TRIAD_MONITOR_RESTART_H

#include <stdint.h>
#include "percore.h"
#include "recovery/health.h"
#include "partition/system_table.h"   /* TRIAD_MAX_SANDBOXES in the contracts */

/* Boot: remember sandbox sb's pristine image (the GRUB module, which no
   sandbox EPT maps: monitor-only memory) and, when its policy can restart
   it, the image's SHA-256 taken now, before any sandbox runs. */
/*@ assigns \nothing; */
void restart_note_image(uint32_t sb, uint64_t start, uint64_t size);

/* The ladder's decision for a fault of kind in sandbox sb (health_decide
   with the sandbox's restart count and recovery state); logs one
   `HEALTH t= ...` line.  A restart decision claims the sandbox's recovery
   (a fault of it on another core meanwhile escalates and aborts the
   restart); a halt or safe-mode decision also stops the sandbox's other
   running cores by NMI (`RECOVERY sandbox=N name=X halting: cores-stopped=K`). */
/*@ assigns \nothing; */
struct health_decision restart_decide(uint32_t core, uint8_t sb, uint8_t kind);

/* Restarts core c's sandbox from this exit: stops its other cores (NMI),
   scrubs its RAM, verifies and reloads the pristine image, rebuilds the
   boot block (triad.restart=<n>), resets the VMCS guest state; returns 0
   when the exit handler may resume the fresh guest, nonzero when the
   restart was refused (the caller halts the sandbox).  request != 0: asked
   for by the restart hypercall (counted against the limit here); 2: by the
   sandbox's TMR voter, run on the sandbox's own core (restart_nmi); 3: by
   an accepted safe-mode exit, run on the revived core (restart_revived). */
/*@ requires \valid(c);
    assigns *c; */
int restart_sandbox(struct core *c, int request);

/* The restart hypercall from core c's sandbox (target: its own id,
   TRIAD_HC_SELF, or a member of the TMR group it votes for,
   tmr_restart_allowed): the policy of health_request_ok on the target's
   record, refused too while the target is being recovered or (another
   sandbox) has no core running; logs one HEALTH line (kind=restart-request).
   Returns a TRIAD_E_* code when refused.  Its own restart accepted: the
   caller is relaunched (c->relaunched = RELAUNCH_DONE) or, if the reload
   was refused, c->relaunched = RELAUNCH_HALT.  A member's accepted: 0 once
   the member's core took the request (NMI, restart_nmi restarts it there),
   TRIAD_E_BUSY if it never did. */
/*@ requires \valid(c);
    assigns *c; */
int64_t restart_request(struct core *c, uint64_t target);

/* NMI exit on core c: 1 when recovery asked this core to stop (it parks,
   then resumes in its sandbox's fresh state or halts), or when the
   sandbox's TMR voter asked for its restart (done here, on this core);
   -1 when the sandbox halts instead. */
/*@ requires \valid(c);
    assigns *c; */
int restart_nmi(struct core *c);

/* The first hypercall after a relaunch: logs the phase `back` (relaunch to
   the kernel's first hypercall). */
/*@ requires \valid_read(c);
    assigns \nothing; */
void restart_note_hypercall(const struct core *c);

/* An NMI to core k through this core's LAPIC (x2APIC when this core's
   guest switched it on, else xAPIC MMIO): the monitor-to-monitor signal. */
/*@ assigns \nothing; */
void restart_send_nmi(uint32_t k);

/* System safe mode as TRIAD_HC_SANDBOX_INFO reports it: state (enum
   triad_system_state), the sandbox whose ladder ended there (0xFF when
   normal) and the entry's virtual time (0 when normal). */
/*@ requires \valid(state) && \valid(cause) && \valid(tsc);
    assigns *state, *cause, *tsc; */
void restart_system_info(uint32_t *state, uint32_t *cause, uint64_t *tsc);

/* The one line of a refused recovery step, under the console lock:
   `RECOVERY sandbox=N name=X [handover dev=D] refused: why` (device: the
   device a hand-over was moving, or null for a restart).  Returns -1. */
/*@ requires sb < TRIAD_MAX_SANDBOXES;
    assigns \nothing;
    ensures \result == -1; */
int restart_refusal(uint32_t sb, const char *device, const char *why);

/* Leaving system safe mode (safe_exit.c; the caller holds the console
   lock).  restart_safe_state: 1 in safe mode (*tsc = the entry's virtual
   time), else 0.  restart_safe_leave: back to NORMAL (restarts allowed
   again, SANDBOX_INFO reports state 0, cause 0xFF); returns the mask of the
   sandboxes the entry halted (its cause and the system-safe-mode="halt"
   ones), whose restart counts are reset: the caller revives them. */
/*@ requires \valid(tsc);
    assigns *tsc;
    ensures \result == 0 || \result == 1; */
int restart_safe_state(uint64_t *tsc);
/*@ assigns \nothing; */
uint32_t restart_safe_leave(void);

/* A halted core revived (core.revive, set by safe_exit.c): REVIVE_RESTART
   restarts its sandbox cold from the pristine image on this core
   (`RECOVERY ... cause=safe-mode-exit`), REVIVE_SECONDARY resets it to wait
   for the fresh kernel's start-up IPI.  0: the exit path enters the fresh
   guest (c->relaunched = RELAUNCH_DONE); nonzero: refused, the core halts. */
/*@ requires \valid(c);
    assigns *c; */
int restart_revived(struct core *c);

/* Bit k: sandbox k is being restarted (from the decision until its fresh
   kernel's first hypercall).  I/O failover refuses such a standby. */
/*@ assigns \nothing; */
uint32_t restart_recovering(void);

/* Restarts done so far for sandbox sb (0 for an unknown index). */
/*@ assigns \nothing; */
uint8_t restart_count(uint32_t sb);

/* core.relaunched after an exit's handling */
#define RELAUNCH_NONE 0u   /* resume the guest as usual */
#define RELAUNCH_DONE 1u   /* fresh guest state: no RIP advance, no RAX write */
#define RELAUNCH_HALT 2u   /* a requested restart was refused: halt the sandbox */

#endif
