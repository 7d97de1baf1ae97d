# QEMU TCG (AMD SVM with nested paging, 4 cores, -icount): test 36's checks
# on the SVM backend.  alpha's kernel starts its second core on every boot
# through the monitor (TRIAD_HC_START_CORE: the core waits in its monitor,
# then enters the guest in real mode at the start-up vector); alpha's
# restart stops that running core by NMI, parks it, and the fresh kernel
# starts it again; the escalated halt stops both cores.  beta restarts
# once; gamma is never disturbed.  Translations flushed by TLB control.
# REQ: REC-HM-001, REC-RST-001, REC-RST-003, MON-SVM-002
export TRIAD_MONITOR_EMU=qemu TRIAD_RUNS=${BUILD:-build}/runs/system-svm
. tests/system/36-bochs-recovery-restart.sh
