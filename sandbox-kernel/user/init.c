#include "init.h"
#include "../kernel/printk.h"
#include "../sched/sched.h"

void init_run(const struct boot_info *bi)
{
    (void)bi;
    printk("kernel: ready, idle\n");
    for (;;)
        thread_sleep_ns(1000000000ull);
}
