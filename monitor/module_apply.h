/* Modules out of the sandbox regions (module_move.h says why). */
#ifndef TRIAD_MONITOR_MODULE_APPLY_H
#define TRIAD_MONITOR_MODULE_APPLY_H

#include <stdint.h>
#include "boot/multiboot2.h"

/* Moves every module, and the multiboot2 information block at info_phys,
   that lies in a region system.bin gives a sandbox into free memory of the
   monitor's reservation, and updates b (addresses, and the command line and
   names that pointed into the old block).  Returns how many moved (0 also
   when system.bin is missing or invalid: sandboxes_prepare says so), or -1
   when one does not fit (nothing moved; the sandboxes are then refused as
   before). */
/*@ requires \valid(b);
    assigns b->modules[0 .. MB2_MAX_MODULES - 1], b->cmdline, b->loader; */
int modules_out_of_sandboxes(struct boot_info *b, uint32_t info_phys);

#endif
