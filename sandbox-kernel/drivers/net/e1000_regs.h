/* 82540EM register offsets and bits (Intel PCI/PCI-X Family of Gigabit
   Ethernet Controllers Software Developer's Manual, section 13). */
#ifndef TRIAD_DRIVERS_E1000_REGS_H
#define TRIAD_DRIVERS_E1000_REGS_H

#define E1000_VENDOR_INTEL 0x8086
#define E1000_DEV_82540EM  0x100E

#define REG_CTRL   0x0000
#define REG_STATUS 0x0008
#define REG_EERD   0x0014
#define REG_ICR    0x00C0
#define REG_IMS    0x00D0
#define REG_IMC    0x00D8
#define REG_RCTL   0x0100
#define REG_TCTL   0x0400
#define REG_TIPG   0x0410
#define REG_RDBAL  0x2800
#define REG_RDBAH  0x2804
#define REG_RDLEN  0x2808
#define REG_RDH    0x2810
#define REG_RDT    0x2818
#define REG_TDBAL  0x3800
#define REG_TDBAH  0x3804
#define REG_TDLEN  0x3808
#define REG_TDH    0x3810
#define REG_TDT    0x3818
#define REG_MTA    0x5200          /* 128 words of multicast table */
#define REG_RAL0   0x5400
#define REG_RAH0   0x5404
#define REG_MPC    0x4010          /* missed packets (no descriptor) */

#define CTRL_ASDE  (1u << 5)
#define CTRL_SLU   (1u << 6)
#define CTRL_RST   (1u << 26)
#define STATUS_LU  (1u << 1)
#define EERD_START 1u
#define EERD_DONE  (1u << 4)
#define RAH_AV     (1u << 31)

#define RCTL_EN    (1u << 1)
#define RCTL_BAM   (1u << 15)      /* accept broadcast (ARP, DHCP) */
#define RCTL_SECRC (1u << 26)      /* strip the Ethernet CRC */
/* BSIZE 00 with BSEX 0: 2048-byte buffers */

#define TCTL_EN    (1u << 1)
#define TCTL_PSP   (1u << 3)
#define TCTL_CT    (0x10u << 4)
#define TCTL_COLD  (0x40u << 12)
#define TIPG_82540 (10u | 8u << 10 | 6u << 20)

#define ICR_TXDW   (1u << 0)
#define ICR_LSC    (1u << 2)
#define ICR_RXDMT0 (1u << 4)
#define ICR_RXO    (1u << 6)
#define ICR_RXT0   (1u << 7)

#define RXD_DD     0x01
#define RXD_EOP    0x02
#define TXD_EOP    0x01
#define TXD_IFCS   0x02
#define TXD_RS     0x08
#define TXD_DD     0x01

struct e1000_rx_desc {
    uint64_t addr;
    uint16_t length, checksum;
    uint8_t status, errors;
    uint16_t special;
} __attribute__((packed));

struct e1000_tx_desc {
    uint64_t addr;
    uint16_t length;
    uint8_t cso, cmd, status, css;
    uint16_t special;
} __attribute__((packed));
#endif
