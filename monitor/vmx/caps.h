/* What the processor's VMX implementation offers, read from the capability MSRs. */
#ifndef TRIAD_MONITOR_VMX_CAPS_H
#define TRIAD_MONITOR_VMX_CAPS_H

#include <stdint.h>
#include <stdbool.h>

struct vmx_caps {
    bool vmx;                   /* CPUID.1:ECX.VMX */
    bool locked_off;            /* IA32_FEATURE_CONTROL locked without VMX outside SMX */
    uint32_t vmcs_revision;
    bool secondary_controls;
    bool ept;
    bool unrestricted_guest;
    bool vpid;
    bool preemption_timer;
    bool ept_2mb_pages;
    bool ept_wb;
};

/* Raw MSR values, so the decoding is a pure function testable on the host. */
struct vmx_msrs {
    uint32_t cpuid1_ecx;
    uint64_t feature_control;
    uint64_t basic;
    uint64_t pinbased;          /* IA32_VMX_(TRUE_)PINBASED_CTLS */
    uint64_t procbased;         /* IA32_VMX_(TRUE_)PROCBASED_CTLS */
    uint64_t procbased2;        /* IA32_VMX_PROCBASED_CTLS2, 0 if not readable */
    uint64_t ept_vpid_cap;      /* IA32_VMX_EPT_VPID_CAP, 0 if not readable */
};

/*@ requires \valid_read(msrs) && \valid(caps);
    assigns *caps;
    ensures !caps->vmx ==> !caps->ept && !caps->unrestricted_guest;
    ensures caps->unrestricted_guest ==> caps->ept; */
void vmx_decode_caps(const struct vmx_msrs *msrs, struct vmx_caps *caps);

/* The INVEPT type that drops every cached mapping of one EPT (IA32_VMX_EPT_VPID_CAP
   bits 20/25/26): 1 single-context, 2 all-context when only that exists, 0 none. */
/*@ assigns \nothing;
    ensures \result == 0 || \result == 1 || \result == 2; */
uint32_t vmx_invept_type(uint64_t ept_vpid_cap);

/* The same for INVVPID (bits 32/41/42): 1 single-context, 2 all-context, 0 none. */
/*@ assigns \nothing;
    ensures \result == 0 || \result == 1 || \result == 2; */
uint32_t vmx_invvpid_type(uint64_t ept_vpid_cap);

/* Reads CPUID and the MSRs of the current processor (only those that exist). */
/*@ requires \valid(caps);
    assigns *caps; */
void vmx_read_caps(struct vmx_caps *caps);

#endif
