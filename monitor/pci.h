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

/* The CONFIG_ADDRESS word of (bus, dev, fn, register). */
/*@ requires dev < 32 && fn < 8;
    assigns \nothing;
    ensures \result == (0x80000000u | ((uint32_t)bus << 16) | ((uint32_t)dev << 11) | ((uint32_t)fn << 8) | ((uint32_t)reg & 0xFCu)); */
uint32_t pci_config_address(uint8_t bus, uint8_t dev, uint8_t fn, uint8_t reg);

/* Places the declared BARs of every device of the table; prints one line per
   device on the monitor console (absent, other device, placed, in place).
   Returns how many devices were present and placed. */
/*@ requires \valid_read(p);
    assigns \nothing; */
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
/*@ requires \valid(regs) && \valid_read(s) && \valid_read(p);
    assigns regs->rax; */
int pci_filter_io(uint32_t core, const struct triad_sandbox *s, const struct triad_platform *p,
                  struct guest_regs *regs, uint64_t qualification);

#endif
