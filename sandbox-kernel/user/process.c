#include "process.h"

void process_thread_exited(struct thread *t)
{
    (void)t;
}
