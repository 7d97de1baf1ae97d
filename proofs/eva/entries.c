/*
 * EVA's one entry (proofs/eva/run.sh, -main eva_entries): the monitor's C
 * entry points, each reached from assembly, with what the assembly hands
 * them.  Which one runs is left open (Frama_C_interval), so one analysis
 * covers all of them from the state the monitor's globals have at load:
 *   0  monitor_main(magic, info): the boot processor from boot/entry.S, the
 *      multiboot2 information at an address the boot loader chose;
 *   1  ap_entry(): a secondary core from boot/trampoline.S;
 *   2  vmx_exit_handler(&core->regs): every VM exit (vmx/entry.S);
 *   3  svm_exit_handler(&core->regs): every #VMEXIT (svm/entry.S);
 *   4  monitor_trap(frame): a host exception (boot/idt.S); the NMI handler
 *      is IRETQ alone (boot/idt.S), with no C code to analyse.
 * Never compiled into the monitor: only Frama-C reads this file.
 */
#include <stdint.h>
#include "__fc_builtin.h"
#include "percore.h"
#include "monitor.h"
#include "partition/system_table.h"

void monitor_main(uint32_t magic, uint32_t info_phys);
void ap_entry(void);
void vmx_exit_handler(struct guest_regs *regs);
void svm_exit_handler(struct guest_regs *regs);
void monitor_trap(const uint64_t *frame);

#define MB2_MAGIC 0x36D76289u

void eva_entries(void);

/* The system table the boot processor validated and published in sys
   before any guest ran: an exit handler never runs before that.  Its
   contents are left unknown, within the counts validation enforces. */
static struct triad_table_body eva_table;

/*@ assigns sys, eva_table, cores[core].sandbox; */
static void after_boot(uint32_t core)
{
    Frama_C_make_unknown((char *)&eva_table, sizeof eva_table);
    eva_table.sandbox_count = Frama_C_unsigned_int_interval(1u, TRIAD_MAX_SANDBOXES);
    eva_table.channel_count = Frama_C_unsigned_int_interval(0u, TRIAD_MAX_CHANNELS);
    sys = &eva_table;
    cores[core].sandbox = (uint8_t)Frama_C_unsigned_int_interval(0u, eva_table.sandbox_count - 1u);
}

void eva_entries(void)
{
    uint64_t frame[7];
    Frama_C_make_unknown((char *)frame, sizeof frame);
    const uint32_t core = Frama_C_unsigned_int_interval(0u, MAX_CORES - 1u);
    switch (Frama_C_interval(0, 4)) {
    case 0:
        /* GRUB places the information below 4 GiB, 8-byte aligned */
        monitor_main(MB2_MAGIC, Frama_C_unsigned_int_interval(0x1000u, 0xFFFFF000u) & ~7u);
        break;
    case 1:
        ap_entry();
        break;
    case 2:
        after_boot(core);
        vmx_exit_handler(&cores[core].regs);
        break;
    case 3:
        after_boot(core);
        svm_exit_handler(&cores[core].regs);
        break;
    default:
        monitor_trap(frame);
        break;
    }
}
