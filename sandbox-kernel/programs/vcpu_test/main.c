/* The VCPU API: create a Main VCPU (C = 20 ms, T = 100 ms), bind to it, read its parameters back; bad requests fail. */
#include <stdio.h>
#include "../lib/triad.h"

static void show(const char *when, int v)
{
    struct sched_param p;
    int r = vcpu_getparams(v, &p);
    printf("vcpu_test: %s: vcpu %d type %s C=%lu T=%lu (getparams %d)\n", when, v,
           p.type == MAIN_VCPU ? "main" : p.type == IO_VCPU ? "io" : "best-effort",
           (unsigned long)(p.C / 1000), (unsigned long)(p.T / 1000), r);
}

int main(void)
{
    printf("vcpu_test: running on vcpu %d before binding\n", vcpu_self());
    struct sched_param p = { .type = MAIN_VCPU, .C = 20000, .T = 100000 };
    int v = vcpu_create(&p);
    if (v < 0) {
        printf("vcpu_test: vcpu_create failed %d\n", v);
        return 1;
    }
    show("before binding", v);
    int b = vcpu_bind_task(v, 0);
    printf("vcpu_test: bound to vcpu %d (result %d), now on vcpu %d\n", v, b, vcpu_self());
    show("after binding", v);
    struct sched_param over = { .type = MAIN_VCPU, .C = 90000, .T = 100000 };
    printf("vcpu_test: create over the bound -> %d\n", vcpu_create(&over));
    struct sched_param bad = { .type = MAIN_VCPU, .C = 200, .T = 100 };
    printf("vcpu_test: create with C > T -> %d\n", vcpu_create(&bad));
    printf("vcpu_test: getparams through a kernel pointer -> %d\n", vcpu_getparams(v, (struct sched_param *)0x100000));
    printf("vcpu_test: destroy while bound -> %d\n", vcpu_destroy(v));
    return 0;
}
