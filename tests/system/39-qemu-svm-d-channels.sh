# QEMU TCG (AMD SVM with nested paging): the cross-sandbox channels of 40 on
# the SVM backend, same ISO, same checks (40 run with the emulator switched):
# one-way channel pages in the nested page tables, the rogue reader's write
# an ept-violation record, SDK and ARINC 653 scenarios.
# REQ: CHN-FIFO-001, CHN-PROT-001, CHN-API-002, CHN-APX-001
export TRIAD_MONITOR_EMU=qemu TRIAD_RUNS=${BUILD:-build}/runs/system-svm
. tests/system/40-bochs-channels.sh
