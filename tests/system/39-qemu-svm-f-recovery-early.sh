# QEMU TCG (AMD SVM with nested paging): the fault-during-recovery
# escalation of 39-bochs-recovery-early on the SVM backend, same ISO, same
# checks (that script run with the emulator switched): the sandbox is
# restarted through the SVM reset (VMCB rebuilt, TLB flushed) and its fresh
# kernel's fault before its first hypercall escalates to safe mode.  Leaving
# safe mode too: the refusals, the accepted exit and the halted cores
# revived (GIF set around their HLT on SVM); the revived restarts' end is
# checked on Bochs only (see the script).
# REQ: REC-HM-002, REC-HM-001, REC-SAFE-002
export TRIAD_MONITOR_EMU=qemu TRIAD_RUNS=${BUILD:-build}/runs/system-svm
. tests/system/39-bochs-recovery-early.sh
