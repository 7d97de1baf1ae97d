/* VMCS field encodings and control bits the monitor uses (Intel SDM vol. 3, appendix B/24). */
#ifndef TRIAD_MONITOR_VMX_VMCS_H
#define TRIAD_MONITOR_VMX_VMCS_H

/* 16-bit */
#define VMCS_VPID                 0x0000u
#define VMCS_GUEST_ES_SEL         0x0800u   /* ES, CS, SS, DS, FS, GS, LDTR, TR: +2 each */
#define VMCS_HOST_ES_SEL          0x0C00u
#define VMCS_HOST_CS_SEL          0x0C02u
#define VMCS_HOST_SS_SEL          0x0C04u
#define VMCS_HOST_DS_SEL          0x0C06u
#define VMCS_HOST_FS_SEL          0x0C08u
#define VMCS_HOST_GS_SEL          0x0C0Au
#define VMCS_HOST_TR_SEL          0x0C0Cu
/* 64-bit */
#define VMCS_IO_BITMAP_A          0x2000u
#define VMCS_IO_BITMAP_B          0x2002u
#define VMCS_MSR_BITMAP           0x2004u
#define VMCS_EPT_POINTER          0x201Au
#define VMCS_GUEST_PHYS_ADDR      0x2400u
#define VMCS_LINK_POINTER         0x2800u
#define VMCS_GUEST_DEBUGCTL       0x2802u
#define VMCS_GUEST_PAT            0x2804u
#define VMCS_GUEST_EFER           0x2806u
#define VMCS_HOST_PAT             0x2C00u
#define VMCS_HOST_EFER            0x2C02u
/* 32-bit */
#define VMCS_PIN_CTLS             0x4000u
#define VMCS_PROC_CTLS            0x4002u
#define VMCS_EXCEPTION_BITMAP     0x4004u
#define VMCS_CR3_TARGET_COUNT     0x400Au
#define VMCS_EXIT_CTLS            0x400Cu
#define VMCS_ENTRY_CTLS           0x4012u
#define VMCS_ENTRY_INTR_INFO      0x4016u
#define VMCS_PROC_CTLS2           0x401Eu
#define VMCS_INSTR_ERROR          0x4400u
#define VMCS_EXIT_REASON          0x4402u
#define VMCS_EXIT_INTR_INFO       0x4404u
#define VMCS_IDT_VECTORING_INFO   0x4408u
#define VMCS_EXIT_INSTR_LEN       0x440Cu
#define VMCS_GUEST_ES_LIMIT       0x4800u   /* ES..TR: +2 each, then GDTR 0x4810, IDTR 0x4812 */
#define VMCS_GUEST_GDTR_LIMIT     0x4810u
#define VMCS_GUEST_IDTR_LIMIT     0x4812u
#define VMCS_GUEST_ES_AR          0x4814u   /* ES..TR: +2 each */
#define VMCS_GUEST_INTERRUPTIBILITY 0x4824u
#define VMCS_GUEST_ACTIVITY       0x4826u
#define VMX_ACTIVITY_ACTIVE       0u
#define VMX_ACTIVITY_HLT          1u
#define VMX_ACTIVITY_WAIT_SIPI    3u
#define VMCS_GUEST_SYSENTER_CS    0x482Au
#define VMCS_PREEMPTION_TIMER     0x482Eu
#define VMCS_HOST_SYSENTER_CS     0x4C00u
/* natural width */
#define VMCS_CR0_MASK             0x6000u
#define VMCS_CR4_MASK             0x6002u
#define VMCS_CR0_SHADOW           0x6004u
#define VMCS_CR4_SHADOW           0x6006u
#define VMCS_EXIT_QUALIFICATION   0x6400u
#define VMCS_GUEST_CR0            0x6800u
#define VMCS_GUEST_CR3            0x6802u
#define VMCS_GUEST_CR4            0x6804u
#define VMCS_GUEST_ES_BASE        0x6806u   /* ES..TR: +2 each */
#define VMCS_GUEST_GDTR_BASE      0x6816u
#define VMCS_GUEST_IDTR_BASE      0x6818u
#define VMCS_GUEST_DR7            0x681Au
#define VMCS_GUEST_RSP            0x681Cu
#define VMCS_GUEST_RIP            0x681Eu
#define VMCS_GUEST_RFLAGS         0x6820u
#define VMCS_GUEST_PENDING_DBG    0x6822u
#define VMCS_GUEST_SYSENTER_ESP   0x6824u
#define VMCS_GUEST_SYSENTER_EIP   0x6826u
#define VMCS_HOST_CR0             0x6C00u
#define VMCS_HOST_CR3             0x6C02u
#define VMCS_HOST_CR4             0x6C04u
#define VMCS_HOST_FS_BASE         0x6C06u
#define VMCS_HOST_GS_BASE         0x6C08u
#define VMCS_HOST_TR_BASE         0x6C0Au
#define VMCS_HOST_GDTR_BASE       0x6C0Cu
#define VMCS_HOST_IDTR_BASE       0x6C0Eu
#define VMCS_HOST_SYSENTER_ESP    0x6C10u
#define VMCS_HOST_SYSENTER_EIP    0x6C12u
#define VMCS_HOST_RSP             0x6C14u
#define VMCS_HOST_RIP             0x6C16u

/* pin-based */
#define PIN_NMI_EXITING           (1u << 3)
#define PIN_PREEMPTION_TIMER      (1u << 6)
#define PIN_EXTERNAL_INTR_EXITING (1u << 0)
/* primary processor-based */
#define PROC_HLT_EXITING          (1u << 7)
#define PROC_CR3_LOAD_EXITING     (1u << 15)
#define PROC_CR3_STORE_EXITING    (1u << 16)
#define PROC_UNCOND_IO_EXITING    (1u << 24)
#define PROC_USE_IO_BITMAPS       (1u << 25)
#define PROC_USE_MSR_BITMAPS      (1u << 28)
#define PROC_SECONDARY            (1u << 31)
/* secondary processor-based */
#define PROC2_EPT                 (1u << 1)
#define PROC2_RDTSCP              (1u << 3)
#define PROC2_VPID                (1u << 5)
#define PROC2_UNRESTRICTED        (1u << 7)
#define PROC2_INVPCID             (1u << 12)
#define PROC2_XSAVES              (1u << 20)
/* VM-exit */
#define EXIT_SAVE_DEBUG           (1u << 2)
#define EXIT_HOST_64BIT           (1u << 9)
#define EXIT_ACK_INTR             (1u << 15)
#define EXIT_SAVE_PAT             (1u << 18)
#define EXIT_LOAD_PAT             (1u << 19)
#define EXIT_SAVE_EFER            (1u << 20)
#define EXIT_LOAD_EFER            (1u << 21)
#define EXIT_SAVE_PREEMPTION      (1u << 22)
/* VM-entry */
#define ENTRY_LOAD_DEBUG          (1u << 2)
#define ENTRY_IA32E_GUEST         (1u << 9)
#define ENTRY_LOAD_PAT            (1u << 14)
#define ENTRY_LOAD_EFER           (1u << 15)

/* basic exit reasons */
#define EXIT_REASON_EXCEPTION_NMI 0u
#define EXIT_REASON_TRIPLE_FAULT  2u
#define EXIT_REASON_INIT          3u
#define EXIT_REASON_SIPI          4u
#define EXIT_REASON_CPUID         10u
#define EXIT_REASON_GETSEC        11u
#define EXIT_REASON_HLT           12u
#define EXIT_REASON_VMCALL        18u
#define EXIT_REASON_VMCLEAR       19u
#define EXIT_REASON_VMXON         27u
#define EXIT_REASON_CR_ACCESS     28u
#define EXIT_REASON_IO            30u
#define EXIT_REASON_RDMSR         31u
#define EXIT_REASON_WRMSR         32u
#define EXIT_REASON_BAD_GUEST     33u
#define EXIT_REASON_EPT_VIOLATION 48u
#define EXIT_REASON_EPT_MISCONFIG 49u
#define EXIT_REASON_INVEPT        50u
#define EXIT_REASON_PREEMPTION    52u
#define EXIT_REASON_INVVPID       53u
#define EXIT_REASON_XSETBV        55u
#define EXIT_REASON_VMFUNC        59u
#define EXIT_REASON_ENTRY_FAIL    (1u << 31)

#endif
