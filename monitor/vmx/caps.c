#include "caps.h"
#include "../cpu.h"

#define MSR_FEATURE_CONTROL     0x03Au
#define MSR_VMX_BASIC           0x480u
#define MSR_VMX_PINBASED        0x481u
#define MSR_VMX_PROCBASED       0x482u
#define MSR_VMX_PROCBASED2      0x48Bu
#define MSR_VMX_EPT_VPID_CAP    0x48Cu
#define MSR_VMX_TRUE_PINBASED   0x48Du
#define MSR_VMX_TRUE_PROCBASED  0x48Eu

#define CPUID1_ECX_VMX          (1u << 5)
#define FC_LOCKED               (1u << 0)
#define FC_VMX_OUTSIDE_SMX      (1u << 2)
#define BASIC_TRUE_CTLS         (1ull << 55)
#define PIN_PREEMPTION_TIMER    (1u << 6)
#define PROC_SECONDARY          (1u << 31)
#define PROC2_EPT               (1u << 1)
#define PROC2_VPID              (1u << 5)
#define PROC2_UNRESTRICTED      (1u << 7)
#define EPTCAP_WB               (1ull << 14)
#define EPTCAP_2MB              (1ull << 16)

/* A control can be set to 1 when its bit is set in the allowed-1 half (bits 63:32). */
/*@ assigns \nothing; */
static bool allowed1(uint64_t ctl_msr, uint32_t bit)
{
    return ((ctl_msr >> 32) & bit) != 0;
}

void vmx_decode_caps(const struct vmx_msrs *m, struct vmx_caps *c)
{
    c->vmx = (m->cpuid1_ecx & CPUID1_ECX_VMX) != 0;
    c->locked_off = (m->feature_control & FC_LOCKED) != 0 &&
                    (m->feature_control & FC_VMX_OUTSIDE_SMX) == 0;
    c->vmcs_revision = c->vmx ? (uint32_t)(m->basic & 0x7FFFFFFFu) : 0;
    c->secondary_controls = c->vmx && allowed1(m->procbased, PROC_SECONDARY);
    c->ept = c->secondary_controls && allowed1(m->procbased2, PROC2_EPT);
    c->vpid = c->secondary_controls && allowed1(m->procbased2, PROC2_VPID);
    /* Unrestricted guest is defined only together with EPT. */
    c->unrestricted_guest = c->ept && allowed1(m->procbased2, PROC2_UNRESTRICTED);
    c->preemption_timer = c->vmx && allowed1(m->pinbased, PIN_PREEMPTION_TIMER);
    c->ept_2mb_pages = c->ept && (m->ept_vpid_cap & EPTCAP_2MB) != 0;
    c->ept_wb = c->ept && (m->ept_vpid_cap & EPTCAP_WB) != 0;
}

uint32_t vmx_invept_type(uint64_t cap)
{
    if (!(cap & (1ull << 20)))
        return 0;
    return (cap & (1ull << 25)) ? 1u : (cap & (1ull << 26)) ? 2u : 0u;
}

uint32_t vmx_invvpid_type(uint64_t cap)
{
    if (!(cap & (1ull << 32)))
        return 0;
    return (cap & (1ull << 41)) ? 1u : (cap & (1ull << 42)) ? 2u : 0u;
}

void vmx_read_caps(struct vmx_caps *caps)
{
    struct vmx_msrs m = {0};
    struct cpuid_regs r;
    cpu_cpuid(1, 0, &r);
    m.cpuid1_ecx = r.ecx;
    if (m.cpuid1_ecx & CPUID1_ECX_VMX) {
        /* The VMX MSRs exist only when CPUID reports VMX: reading them
           otherwise is a #GP. */
        m.feature_control = cpu_rdmsr(MSR_FEATURE_CONTROL);
        m.basic = cpu_rdmsr(MSR_VMX_BASIC);
        bool true_ctls = (m.basic & BASIC_TRUE_CTLS) != 0;
        m.pinbased = cpu_rdmsr(true_ctls ? MSR_VMX_TRUE_PINBASED : MSR_VMX_PINBASED);
        m.procbased = cpu_rdmsr(true_ctls ? MSR_VMX_TRUE_PROCBASED : MSR_VMX_PROCBASED);
        if (allowed1(m.procbased, PROC_SECONDARY)) {
            m.procbased2 = cpu_rdmsr(MSR_VMX_PROCBASED2);
            if (allowed1(m.procbased2, PROC2_EPT) || allowed1(m.procbased2, PROC2_VPID))
                m.ept_vpid_cap = cpu_rdmsr(MSR_VMX_EPT_VPID_CAP);
        }
    }
    vmx_decode_caps(&m, caps);
}
