/*
 * The VMCB layout (AMD64 APM vol. 2, appendix B) as byte offsets, and the
 * exit codes the monitor uses.  One 4 KiB VMCB per core: control area at 0,
 * state-save area at 0x400.
 */
#ifndef TRIAD_MONITOR_SVM_VMCB_H
#define TRIAD_MONITOR_SVM_VMCB_H

#include <stdint.h>

/* control area */
#define VMCB_INTERCEPT_CR      0x000u   /* u32: reads 15:0, writes 31:16 */
#define VMCB_INTERCEPT_EXC     0x008u   /* u32: exception vectors */
#define VMCB_INTERCEPT_MISC1   0x00Cu   /* u32 */
#define VMCB_INTERCEPT_MISC2   0x010u   /* u32 */
#define VMCB_IOPM_BASE         0x040u
#define VMCB_MSRPM_BASE        0x048u
#define VMCB_TSC_OFFSET        0x050u
#define VMCB_ASID              0x058u   /* u32 */
#define VMCB_TLB_CONTROL       0x05Cu   /* u8: 1 flush everything */
#define VMCB_VINTR             0x060u
#define VMCB_INT_SHADOW        0x068u
#define VMCB_EXITCODE          0x070u
#define VMCB_EXITINFO1         0x078u
#define VMCB_EXITINFO2         0x080u
#define VMCB_EXITINTINFO       0x088u
#define VMCB_NP_ENABLE         0x090u
#define VMCB_EVENTINJ          0x0A8u
#define VMCB_NCR3              0x0B0u
#define VMCB_CLEAN             0x0C0u
#define VMCB_NRIP              0x0C8u

/* state-save area: segments are {u16 sel, u16 attrib, u32 limit, u64 base} */
#define VMCB_ES                0x400u
#define VMCB_CS                0x410u
#define VMCB_SS                0x420u
#define VMCB_DS                0x430u
#define VMCB_FS                0x440u
#define VMCB_GS                0x450u
#define VMCB_GDTR              0x460u
#define VMCB_LDTR              0x470u
#define VMCB_IDTR              0x480u
#define VMCB_TR                0x490u
#define VMCB_CPL               0x4CBu   /* u8 */
#define VMCB_EFER              0x4D0u
#define VMCB_CR4               0x548u
#define VMCB_CR3               0x550u
#define VMCB_CR0               0x558u
#define VMCB_DR7               0x560u
#define VMCB_DR6               0x568u
#define VMCB_RFLAGS            0x570u
#define VMCB_RIP               0x578u
#define VMCB_RSP               0x5D8u
#define VMCB_RAX               0x5F8u
#define VMCB_GPAT              0x668u

/* intercept words */
#define MISC1_INTR             (1u << 0)
#define MISC1_NMI              (1u << 1)
#define MISC1_INIT             (1u << 3)
#define MISC1_CPUID            (1u << 18)
#define MISC1_INVLPGA          (1u << 26)
#define MISC1_IOIO             (1u << 27)
#define MISC1_MSR              (1u << 28)
#define MISC1_SHUTDOWN         (1u << 31)
#define MISC2_VMRUN            (1u << 0)
#define MISC2_VMMCALL          (1u << 1)
#define MISC2_VMLOAD           (1u << 2)
#define MISC2_VMSAVE           (1u << 3)
#define MISC2_STGI             (1u << 4)
#define MISC2_CLGI             (1u << 5)
#define MISC2_SKINIT           (1u << 6)
#define MISC2_XSETBV           (1u << 13)

/* exit codes */
#define SVM_EXIT_EXCP_BASE     0x040u
#define SVM_EXIT_INTR          0x060u
#define SVM_EXIT_NMI           0x061u
#define SVM_EXIT_INIT          0x063u
#define SVM_EXIT_CPUID         0x072u
#define SVM_EXIT_IOIO          0x07Bu
#define SVM_EXIT_MSR           0x07Cu
#define SVM_EXIT_SHUTDOWN      0x07Fu
#define SVM_EXIT_VMRUN         0x080u
#define SVM_EXIT_VMMCALL       0x081u
#define SVM_EXIT_SKINIT        0x086u
#define SVM_EXIT_INVLPGA       0x07Au
#define SVM_EXIT_XSETBV        0x08Du
#define SVM_EXIT_NPF           0x400u
#define SVM_EXIT_INVALID       0xFFFFFFFFFFFFFFFFull

/* IOIO EXITINFO1 */
#define SVM_IO_IN              (1u << 0)
#define SVM_IO_STRING          (1u << 2)
#define SVM_IO_REP             (1u << 3)
#define SVM_IO_SZ8             (1u << 4)
#define SVM_IO_SZ16            (1u << 5)
#define SVM_IO_SZ32            (1u << 6)

#define MSR_EFER               0xC0000080u
#define MSR_VM_CR              0xC0010114u
#define MSR_VM_HSAVE_PA        0xC0010117u
#define EFER_NXE               (1ull << 11)
#define EFER_SVME              (1ull << 12)

#define SVM_IOPM_BYTES         12288u   /* 3 pages: one bit per port plus the wrap */
#define SVM_MSRPM_BYTES        8192u    /* 2 pages: read and write bit per MSR */

/*@ requires \valid(vmcb + (off .. off + 7));
    assigns vmcb[off .. off + 7]; */
static inline void vmcb_w64(uint8_t *vmcb, uint32_t off, uint64_t v)
{
    *(volatile uint64_t *)(void *)(vmcb + off) = v;
}

/*@ requires \valid(vmcb + (off .. off + 3));
    assigns vmcb[off .. off + 3]; */
static inline void vmcb_w32(uint8_t *vmcb, uint32_t off, uint32_t v)
{
    *(volatile uint32_t *)(void *)(vmcb + off) = v;
}

/*@ requires \valid_read(vmcb + (off .. off + 7));
    assigns \nothing; */
static inline uint64_t vmcb_r64(const uint8_t *vmcb, uint32_t off)
{
    return *(const volatile uint64_t *)(const void *)(vmcb + off);
}

/* A segment register in the VMCB: attrib is the VMX access-rights word
   packed the SVM way (type/S/DPL/P in 7:0, AVL/L/D/G in 11:8). */
/*@ requires \valid(vmcb + (off .. off + 15));
    assigns vmcb[off .. off + 15]; */
static inline void vmcb_seg(uint8_t *vmcb, uint32_t off, uint16_t sel, uint32_t vmx_ar,
                            uint32_t limit, uint64_t base)
{
    *(volatile uint16_t *)(void *)(vmcb + off) = sel;
    *(volatile uint16_t *)(void *)(vmcb + off + 2) = (uint16_t)((vmx_ar & 0xFFu) | ((vmx_ar >> 4) & 0xF00u));
    *(volatile uint32_t *)(void *)(vmcb + off + 4) = limit;
    *(volatile uint64_t *)(void *)(vmcb + off + 8) = base;
}

#endif
