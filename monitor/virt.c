/*
 * Backend selection and the seam's forwarding (see virt.h).  A switch on
 * the backend chosen at boot rather than function pointers: the calls stay
 * direct, so the proof tools and a reader see which code runs.
 */
#include <stdbool.h>
#include "virt.h"
#include "monitor.h"
#include "sandbox.h"
#include "vmx/ept_sandbox.h"
#include "vmx/vcpu.h"
#include "svm/vcpu.h"
#include "svm/caps.h"
#include "svm/vmcb.h"
#include "vmx/caps.h"
#include "vmx/vmx_asm.h"
#include "cpu.h"
#include "guest_walk.h"
#include "xapic_trap.h"
#include "abi/hypercall.h"

#define SLAT_PAGES_PER_SANDBOX 16u

uint8_t virt_backend;
static ept_table slat_pages[TRIAD_MAX_SANDBOXES][SLAT_PAGES_PER_SANDBOX] __attribute__((aligned(4096)));

/* The physical address of sandbox sb's table pages, which the tables
   themselves store (the monitor image is identity-mapped, so it is the
   pages' own address).  One function so that the pointer-to-integer view
   has one place: under Frama-C only its contract is seen (trusted,
   proofs/ASSUMPTIONS.md), because EVA keeps an address turned into an
   integer only as a "garbled mix" and then loses the pool's pages. */
/*@ requires sb < TRIAD_MAX_SANDBOXES;
    assigns \result \from sb;
    ensures SLAT_PHYS_PAGE: \result % EPT_PAGE == 0 && EPT_PAGE <= \result < EPT_MAX_HPA; */
static uint64_t slat_phys_base(uint32_t sb);
#ifndef __FRAMAC__
static uint64_t slat_phys_base(uint32_t sb)
{
    return (uintptr_t)slat_pages[sb];
}
#endif

uint8_t virt_select(int vmx_usable, int svm_usable)
{
    if (vmx_usable != 0) {
        virt_backend = (uint8_t)VIRT_VMX;
    } else if (svm_usable != 0) {
        virt_backend = (uint8_t)VIRT_SVM;
    } else {
        virt_backend = (uint8_t)VIRT_NONE;
    }
    return virt_backend;
}

const char *virt_name(void)
{
    return (virt_backend == (uint8_t)VIRT_VMX) ? "VMX with EPT"
           : ((virt_backend == (uint8_t)VIRT_SVM) ? "SVM with nested paging" : "none");
}

int virt_build_tables(uint32_t sb, uint32_t *pages)
{
    *pages = 0;
    if (sb >= TRIAD_MAX_SANDBOXES) {
        return EPT_ERR_RANGE;
    }
    struct ept_pool pool;
    const bool svm = virt_backend == (uint8_t)VIRT_SVM;
    if (svm) {
        struct svm_caps caps;
        svm_read_caps(&caps);
        if ((sb + 1u) >= caps.asids) {
            return EPT_ERR_RANGE;   /* no ASID left for this sandbox */
        }
        svm_msrpm_build();   /* BSP, msr_bitmap already built: idempotent */
    }
    /* The xAPIC page is passed through only on a processor without x2APIC
       and only to a sandbox whose IPIs are not contained (docs/monitor.md:
       IPIs between sandboxes); a contained sandbox's accesses exit and are
       emulated (xapic_trap.c). */
    int err = slat_build_sandbox(sys, sb, &pool, slat_pages[sb], slat_phys_base(sb),
                                 SLAT_PAGES_PER_SANDBOX, !cpu_has_x2apic() && !xapic_trapped(sb),
                                 svm ? SLAT_FORMAT_NPT : SLAT_FORMAT_EPT);
    if (err != (int)EPT_OK) {
        return err;
    }
    sandboxes[sb].eptp = svm ? npt_root(&pool) : ept_pointer(&pool);
    *pages = pool.used;
    return EPT_OK;
}

void virt_run(struct core *c, int secondary)
{
    if (virt_backend == (uint8_t)VIRT_SVM) {
        svm_vcpu_run(c, secondary);
    } else if (virt_backend == (uint8_t)VIRT_VMX) {
        vcpu_run(c, secondary);
    } else {
        /* no backend: main.c never launches a sandbox then */
    }
}

int virt_reset(struct core *c, int secondary)
{
    if (virt_backend == (uint8_t)VIRT_SVM) {
        return svm_vcpu_reset(c, secondary);
    }
    return secondary ? vcpu_reset_secondary(c) : vcpu_reset(c);
}

uint64_t virt_guest_rip(const struct core *c)
{
    return (virt_backend == (uint8_t)VIRT_SVM) ? svm_guest_rip(c) : virt_vmx_guest_rip();
}

int virt_guest_paging(const struct core *c, struct guest_paging *pg)
{
    if (virt_backend == (uint8_t)VIRT_SVM) {
        svm_guest_paging(c, pg);
    } else {
        virt_vmx_guest_paging(pg);
    }
    return 0;
}

void virt_set_rip(struct core *c, uint64_t rip)
{
    if (virt_backend == (uint8_t)VIRT_SVM) {
        svm_set_rip(c, rip);
    } else {
        virt_vmx_set_rip(rip);
    }
}

void virt_inject_exception(struct core *c, uint8_t vector)
{
    if (virt_backend == (uint8_t)VIRT_SVM) {
        svm_inject_exception(c, vector);
    } else {
        virt_vmx_inject_exception(vector);
    }
}

int virt_event_pending(const struct core *c)
{
    return (virt_backend == (uint8_t)VIRT_SVM) ? svm_event_pending(c) : virt_vmx_event_pending();
}

void virt_set_deadline(struct core *c, uint64_t deadline, uint64_t now)
{
    if (virt_backend == (uint8_t)VIRT_SVM) {
        svm_clock_arm(c, deadline, now);
    } else {
        vcpu_set_deadline(deadline, now);
    }
}

void virt_start_at_sipi(struct core *c, uint8_t vector)
{
    (void)c;
    if (virt_backend == (uint8_t)VIRT_VMX) {
        vcpu_start_at_sipi(vector);
    }
}

int64_t virt_start_core(uint32_t core, uint8_t vector)
{
    if ((virt_backend != (uint8_t)VIRT_SVM) || (core >= MAX_CORES)) {
        return TRIAD_E_NOT_YET;
    }
    return svm_post_start(&cores[core], vector);
}

/* The sandbox's pool as virt_build_tables left it: every table it may
   follow lies in its static pages (ept.c checks each pointer). */
int virt_slat_set_perm(uint32_t sb, uint64_t gpa, uint64_t size, uint32_t perm)
{
    if (sb >= TRIAD_MAX_SANDBOXES) {
        return EPT_ERR_RANGE;
    }
    struct ept_pool pool = {
        .pages = slat_pages[sb], .phys_base = slat_phys_base(sb),
        .capacity = SLAT_PAGES_PER_SANDBOX, .used = SLAT_PAGES_PER_SANDBOX,
        .format = (virt_backend == (uint8_t)VIRT_SVM) ? SLAT_FORMAT_NPT : SLAT_FORMAT_EPT,
    };
    return ept_set_perm(&pool, gpa, size, perm);
}

int virt_flush_slat(struct core *c)
{
    if (c->sandbox >= TRIAD_MAX_SANDBOXES) {
        return -1;
    }
    if (virt_backend == (uint8_t)VIRT_SVM) {
        ((volatile uint8_t *)c->vmcs)[VMCB_TLB_CONTROL] = 1;
        return 0;
    }
    const uint32_t type = vmx_invept_type(cpu_rdmsr(0x48Cu));   /* IA32_VMX_EPT_VPID_CAP */
    if (type == 0u) {
        return -1;
    }
    return (vmx_invept(type, sandboxes[c->sandbox].eptp) == 0) ? 0 : -1;
}

void virt_io_bitmap_changed(uint32_t sb)
{
    if (virt_backend == (uint8_t)VIRT_SVM) {
        (void)svm_iopm_phys(sb);
    }
}
