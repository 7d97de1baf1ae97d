/*
 * PCI configuration space through the legacy mechanism (ports 0xCF8/0xCFC).
 * Only what the network driver needs: find a function by vendor and device
 * id, read and write its registers.  Under the monitor the I/O bitmap lets a
 * sandbox reach these ports only when the description gives it a device.
 */
#ifndef TRIAD_DRIVERS_PCI_H
#define TRIAD_DRIVERS_PCI_H
#include <stdint.h>

struct pci_function {
    uint8_t bus, dev, fn;
    uint16_t vendor, device;
};

#define PCI_COMMAND        0x04
#define PCI_CMD_MEMORY     0x0002
#define PCI_CMD_BUS_MASTER 0x0004
#define PCI_CMD_INTX_OFF   0x0400
#define PCI_BAR0           0x10
#define PCI_INTERRUPT_LINE 0x3C

uint32_t pci_read32(const struct pci_function *f, uint8_t off);
void pci_write32(const struct pci_function *f, uint8_t off, uint32_t v);
/* The `index`-th function (0 = first) with this vendor and device id, scanning
   buses 0..PCI_MAX_BUS; 1 found, 0 not. */
#define PCI_MAX_BUS 8
int pci_find(uint16_t vendor, uint16_t device, unsigned index, struct pci_function *out);
/* Prints the id of function "B:D.F" (hex; the boot word triad.pci-probe). */
void pci_probe_report(const char *bdf);
#endif
