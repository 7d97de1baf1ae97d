/*
 * PCI configuration space as the monitor sees it at boot (mechanism #1,
 * ports 0xCF8/0xCFC): before any sandbox runs, every device the system
 * description declares gets its memory BARs at the bases the description
 * gives, whatever the firmware chose.  The description is then the one
 * truth: the monitor maps exactly those bases into the owner's EPT/NPT, and
 * the same description works on machines whose firmware places devices
 * differently (QEMU's SeaBIOS and Bochs' BIOS do).
 */
#ifndef TRIAD_MONITOR_PCI_H
#define TRIAD_MONITOR_PCI_H

#include <stdint.h>
#include "partition/system_table.h"
#include "percore.h"   /* struct guest_regs: the contract below names regs->rax */
#include "console_defer.h"   /* con_lock_word, con_out: pci_place_bars prints */

/* The CONFIG_ADDRESS word of (bus, dev, fn, register): enable bit 31, bus
   in bits 23:16, device 15:11, function 10:8, register 7:2 (reg / 4 * 4:
   reg & 0xFC); the fields do not overlap, so the word is their sum. */
/*@ requires dev < 32 && fn < 8;
    assigns \nothing;
    ensures \result == 0x80000000 + bus * 65536 + dev * 2048 + fn * 256 + reg / 4 * 4; */
uint32_t pci_config_address(uint8_t bus, uint8_t dev, uint8_t fn, uint8_t reg);

/* Places the declared BARs of every device of the table; prints one line per
   device on the monitor console (absent, other device, placed, in place).
   Returns how many devices were present and placed. */
/*@ requires \valid_read(p);
    assigns con_lock_word, con_out; */
uint32_t pci_place_bars(const struct triad_platform *p);

/*
 * Configuration cycles of a sandbox (ports 0xCF8-0xCFF not in its I/O
 * bitmap, so every access exits): the monitor keeps the sandbox's
 * CONFIG_ADDRESS per core and performs a data-port access only when that
 * address names one of the sandbox's own devices.  Any other function reads
 * as all ones (no device: vendor 0xFFFF) and ignores writes, so a sandbox
 * can neither see nor reconfigure another sandbox's device.  Writes to its
 * own device's BARs and expansion ROM are dropped too: the monitor placed
 * them (pci_place_bars) and maps exactly there.  Returns 1 when the access
 * was one of these (done, RAX updated for an IN), 0 otherwise (string I/O,
 * a CONFIG_ADDRESS access that is not a dword, another port).
 */
struct core;
/* The per-core CONFIG_ADDRESS shadows and the CONFIG_ADDRESS/DATA lock
   (pci.c): what pci_filter_io writes besides RAX. */
extern uint32_t pci_latched[MAX_CORES];
extern volatile uint32_t pci_cfg_lock;
/*@ requires \valid(regs) && \valid_read(s) && \valid_read(p);
    assigns regs->rax, pci_latched[core], pci_cfg_lock; */
int pci_filter_io(uint32_t core, const struct triad_sandbox *s, const struct triad_platform *p,
                  struct guest_regs *regs, uint64_t qualification);

#endif
