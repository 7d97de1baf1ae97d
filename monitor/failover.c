/* I/O sandbox failover: the plan applied (see failover.h). */
#include "failover.h"
#include "console.h"
#include "cpu.h"
#include "decision_log.h"
#include "handover.h"
#include "monitor.h"
#include "restart.h"
#include "virt.h"
#include "vmx/ept.h"
#include "abi/hypercall.h"
#include "recovery/io_failover.h"

/* Bit i: channel i's shadow writer writes it now.  Written under the
   console lock, after the pages moved. */
static volatile uint32_t swapped;

uint32_t failover_shadow_channels(uint32_t sb)
{
    return failover_shadowed(sys, swapped, sb);
}

/* Sandboxes none of whose cores runs guest code (halted, in safe mode,
   never started). */
/*@ assigns \nothing; */
static uint32_t failover_halted_mask(void)
{
    uint32_t halted = 0;
    /*@ loop assigns s, halted; loop variant TRIAD_MAX_SANDBOXES - s; */
    for (uint32_t s = 0; (s < sys->sandbox_count) && (s < TRIAD_MAX_SANDBOXES); s++) {
        int running = 0;
        /*@ loop assigns k, running; loop variant MAX_CORES - k; */
        for (uint32_t k = 0; k < MAX_CORES; k++) {
            if (((sys->sandboxes[s].core_mask & (1u << k)) != 0u) && (cores[k].state == (uint8_t)CORE_RUNNING)) {
                running = 1;
            }
        }
        if (running == 0) {
            halted |= 1u << s;
        }
    }
    return halted;
}

/* The writer area of channel i in its guest-physical window. */
/*@ requires i < TRIAD_MAX_CHANNELS;
    assigns \nothing; */
static uint64_t failover_writer_gpa(uint32_t i)
{
    return sys->channel_area.window_gpa + sys->channels[i].writer_offset;
}

/*@ assigns \nothing; */
static void failover_record(uint32_t from, uint8_t event)
{
    struct triad_decision r = { .tsc = cpu_rdtsc(), .sandbox = (uint8_t)from, .kind = TRIAD_DECISION_KIND_NONE,
                                .event = event, .declared = TRIAD_ACTION_FAILOVER, .applied = TRIAD_ACTION_FAILOVER,
                                .reason = 0, .restarts = restart_count(from),
                                .limit = sys->sandboxes[from].restart_limit };
    /*@ loop assigns i, r.name[0 .. TRIAD_DECISION_NAME - 1]; loop variant TRIAD_DECISION_NAME - i; */
    for (uint32_t i = 0; (i < (uint32_t)TRIAD_DECISION_NAME) && (sys->sandboxes[from].name[i] != '\0'); i++) {
        r.name[i] = sys->sandboxes[from].name[i];
    }
    decision_log_add(&monitor_decisions, &r);
}

/*@ assigns \nothing; */
static int failover_refused(uint32_t from, const char *why)
{
    con_lock();
    con_line("RECOVERY sandbox=");
    con_dec(from);
    con_puts(" name=");
    con_puts(sys->sandboxes[from].name);
    con_puts(" failover refused: ");
    con_puts(why);
    con_puts(" (restart cold without it)\n");
    con_unlock();
    return 0;
}

void failover_voters_now(uint8_t *voters)
{
    /*@ loop assigns g, voters[0 .. TRIAD_MAX_TMR_GROUPS - 1]; loop variant TRIAD_MAX_TMR_GROUPS - g; */
    for (uint32_t g = 0; g < TRIAD_MAX_TMR_GROUPS; g++) {
        voters[g] = (uint8_t)failover_voter_now(sys, swapped, g);
    }
}

int failover_request(uint32_t caller, uint32_t target)
{
    return failover_request_check(sys, swapped, caller, target);
}

int failover_apply(struct core *c)
{
    return failover_move(c, c->sandbox, 0);
}

int failover_move(struct core *c, uint32_t from, int from_stopped)
{
    if ((from >= sys->sandbox_count) || (from >= TRIAD_MAX_SANDBOXES)) {
        return 0;
    }
    const uint64_t t0 = cpu_rdtsc();
    struct failover_plan plan = { 0 };
    /* The standby's state is judged under the console lock, which every
       restart and halt decision takes (restart_decide). */
    con_lock();
    const int r = failover_plan(sys, swapped, from, failover_halted_mask(), restart_recovering(), &plan);
    con_unlock();
    if (r != (int)FO_OK) {
        return failover_refused(from, failover_result_name(r));
    }
    const uint32_t to = plan.to;
    if (to >= TRIAD_MAX_SANDBOXES) {
        return failover_refused(from, "no-voter-standby");   /* not from failover_plan's FO_OK */
    }
    if ((c->sandbox != from) && (c->sandbox != to)) {
        /* asked by a standby that another failover meanwhile made the voter */
        return failover_refused(from, "roles-changed");
    }
    /* 1. flip: the failed voter's writer areas read-only, the standby's
       read-write (both sets of entries built at boot) */
    /*@ loop assigns i; loop variant TRIAD_MAX_CHANNELS - i; */
    for (uint32_t i = 0; (i < plan.channel_count) && (i < TRIAD_MAX_CHANNELS); i++) {
        const uint32_t ch = plan.channels[i];
        if (ch >= TRIAD_MAX_CHANNELS) {
            return failover_refused(from, "shadows-differ");       /* not from failover_plan's FO_OK */
        }
        if (virt_slat_set_perm(from, failover_writer_gpa(ch), sys->channels[ch].writer_size, EPT_READ) != (int)EPT_OK) {
            return failover_refused(from, "channel-not-mapped-in-voter");
        }
        if (virt_slat_set_perm(to, failover_writer_gpa(ch), sys->channels[ch].writer_size, EPT_READ | EPT_WRITE) != (int)EPT_OK) {
            return failover_refused(from, "channel-not-prepared-in-standby");
        }
    }
    /* this core's own translations (the failed voter's on a fault; the
       standby's, read-only until now, on its request for a hung voter) */
    if (virt_flush_slat(c) != 0) {
        return failover_refused(from, "flush-failed");
    }
    const uint64_t t1 = cpu_rdtsc();
    /* 2. flush: every other running core of both sandboxes */
    uint32_t asked = 0;
    /* a voter stopped for its restart flushes at its relaunch (vcpu_reset) */
    const uint32_t others = (from_stopped != 0) ? sys->sandboxes[to].core_mask
                                                : (sys->sandboxes[from].core_mask | sys->sandboxes[to].core_mask);
    const uint32_t flushed = handover_flush_others(c, others, &asked);
    const uint64_t t2 = cpu_rdtsc();
    /* 3. roles: the standby is the voter from now on (SANDBOX_INFO) */
    con_lock();
    uint32_t moved = 0;
    /*@ loop assigns i, moved; loop variant TRIAD_MAX_CHANNELS - i; */
    for (uint32_t i = 0; (i < plan.channel_count) && (i < TRIAD_MAX_CHANNELS); i++) {
        moved |= 1u << plan.channels[i];
    }
    swapped ^= moved;
    const uint64_t t3 = cpu_rdtsc();
    con_line("RECOVERY sandbox=");
    con_dec(from);
    con_puts(" name=");
    con_puts(sys->sandboxes[from].name);
    con_puts(" failover to=");
    con_dec(to);
    con_puts(" to-name=");
    con_puts(sys->sandboxes[to].name);
    con_puts(" channels=");
    con_dec(plan.channel_count);
    con_puts(" t=");
    con_dec(t3);
    con_puts(" flip=");
    con_dec(t1 - t0);
    con_puts(" flush=");
    con_dec(t2 - t1);
    con_puts(" total=");
    con_dec(t3 - t0);
    con_puts(" cores-flushed=");
    con_dec(flushed);
    con_puts("/");
    con_dec(asked);
    con_puts("\n");
    failover_record(from, TRIAD_DECISION_FAILOVER);
    con_unlock();
    /* 4. the devices the voter role carries (the ground link's NIC of a
       pair {owner, declared standby}) follow it, through the remote
       recovery's hand-over: BARs, ports, interrupt line; refused with its
       line for a `to` outside the device's pair (the device stays) */
    (void)handover_follow(c, from, to, from_stopped);
    return 1;
}
