/*
 * The console shell (a kernel thread): run programs from the archive, in the
 * foreground or with `nowait`, `wait` for them, list threads (`ps -t`) and
 * VCPUs (`ps -v`), `kill -t ID` one task or `kill -c` every program started
 * from the console, `halt` to end the run.
 */
#include "shell.h"
#include "process.h"
#include "progar.h"
#include "uthread.h"
#include "../sched/sched.h"
#include "../kernel/console.h"
#include "../kernel/printk.h"
#include "../kernel/string.h"
#include "../kernel/cmdline.h"
#include "../kernel/attest_quote.h"
#include "../kernel/panic.h"
#include "../kernel/pmem.h"

static const char *const state_names[] = { "free", "ready", "running", "blocked", "sleeping", "dead" };
static const char *const vcpu_types[] = { "best-effort", "main", "io", "low" };

static int split(char *line, char *argv[], int max)
{
    int argc = 0;
    char *p = line;
    while (*p && argc < max) {
        while (*p == ' ')
            *p++ = '\0';
        if (!*p)
            break;
        argv[argc++] = p;
        while (*p && *p != ' ')
            p++;
    }
    return argc;
}

static void ps_threads(void)
{
    printk("  TID  STATE     VCPU  CPU(us)      PID  NAME\n");
    for (unsigned i = 0; i < MAX_THREADS; i++) {
        struct thread *t = thread_slot(i);
        if (t->state == T_FREE || (t->state == T_DEAD && !t->proc))
            continue;
        printk("  %-4d %-9s %-5d %-12lu %-4d %s\n", t->id, state_names[t->state], t->vcpu ? t->vcpu->id : -1,
               (unsigned long)(t->cpu_ns / 1000), t->proc ? t->proc->pid : 0, t->name);
    }
}

static void ps_vcpus(void)
{
    printk("  VCPU TYPE         C(us)      T(us)      U(ppm)   BUDGETED(us) BACKGROUND(us) THREADS\n");
    for (int i = 0; i < MAX_VCPUS; i++) {
        struct vcpu *v = vcpu_by_id(i);
        if (!v)
            continue;
        printk("  %-4d %-12s %-10lu %-10lu %-8lu %-12lu %-14lu %u\n", v->id, vcpu_types[v->type],
               (unsigned long)v->C_us, (unsigned long)v->T_us, (unsigned long)(v->U_ppb / 1000),
               (unsigned long)(v->budgeted_ns / 1000), (unsigned long)(v->background_ns / 1000), v->bound_threads);
    }
    printk("  load %lu ppb\n", (unsigned long)vcpu_load_ppb());
}

static int run(int argc, char *argv[], int wait)
{
    int pid = process_spawn(argv[0], argc, argv, 0);
    if (pid == -E_NOENT) {
        printk("shell: no program '%s'\n", argv[0]);
        return pid;
    }
    if (pid < 0) {
        printk("shell: cannot start '%s' (error %d)\n", argv[0], pid);
        return pid;
    }
    if (!wait) {
        printk("shell: started '%s' as pid %d\n", argv[0], pid);
        return 0;
    }
    int status = 0;
    process_wait(0, pid, &status);
    printk("shell: '%s' (pid %d) exited with status %d\n", argv[0], pid, status);
    return 0;
}

static void kill_cmd(int argc, char *argv[])
{
    uint64_t id;
    if (argc == 2 && strcmp(argv[1], "-c") == 0) {
        unsigned n = 0;
        for (unsigned i = 0; i < MAX_PROCS; i++) {
            struct process *p = process_slot(i);
            if (p->in_use && !p->zombie && process_kill(p->pid) == 0)
                n++;
        }
        printk("shell: killed %u program(s)\n", n);
    } else if (argc == 3 && strcmp(argv[1], "-t") == 0 && parse_u64(argv[2], 0, &id) == 1) {
        struct thread *t = thread_by_id((int)id);
        if (!t || t->state == T_DEAD)
            printk("shell: no task %lu\n", (unsigned long)id);
        else if (!t->proc)
            printk("shell: task %lu is a kernel thread: not killed\n", (unsigned long)id);
        else if (process_kill(t->proc->pid) == 0)
            printk("shell: killed task %lu (pid %d)\n", (unsigned long)id, t->proc->pid);
    } else {
        printk("shell: usage: kill -t ID | kill -c\n");
    }
}

void shell_execute(char *line)
{
    char *argv[MAX_ARGS + 1];
    int argc = split(line, argv, MAX_ARGS);
    argv[argc] = 0;
    if (argc == 0)
        return;
    if (strcmp(argv[0], "ps") == 0 && argc == 2 && strcmp(argv[1], "-t") == 0) {
        ps_threads();
    } else if (strcmp(argv[0], "ps") == 0 && argc == 2 && strcmp(argv[1], "-v") == 0) {
        ps_vcpus();
    } else if (strcmp(argv[0], "ps") == 0) {
        printk("shell: usage: ps -t | ps -v\n");
    } else if (strcmp(argv[0], "kill") == 0) {
        kill_cmd(argc, argv);
    } else if (strcmp(argv[0], "nowait") == 0) {
        if (argc < 2)
            printk("shell: usage: nowait PROGRAM [ARGS]\n");
        else
            run(argc - 1, argv + 1, 0);
    } else if (strcmp(argv[0], "wait") == 0) {
        int status, pid;
        while ((pid = process_wait(0, -1, &status)) > 0)
            printk("shell: pid %d exited with status %d\n", pid, status);
        printk("shell: no more programs running\n");
    } else if (strcmp(argv[0], "sleep") == 0 && argc == 2) {
        uint64_t ms;
        if (parse_u64(argv[1], 0, &ms) == 1 && ms <= 60000)
            thread_sleep_ns(ms * 1000000);
    } else if (strcmp(argv[0], "stats") == 0) {
        struct sched_stats st;
        sched_get_stats(&st);
        printk("stats: %lu timer interrupts, %lu context switches, %lu schedule calls\n",
               (unsigned long)st.timer_interrupts, (unsigned long)st.context_switches, (unsigned long)st.schedule_calls);
        printk("stats: %lu pages free\n", (unsigned long)pmem_free_pages());
        unsigned used = 0;
        for (unsigned i = 0; i < MAX_THREADS; i++)
            used += thread_slot(i)->state != T_FREE;
        printk("stats: %u thread slots used, %u processes, %u user semaphores\n", used, process_count(),
               uthread_semaphores_in_use());
        printk("stats: timer interrupt handler %lu ticks each (%lu interrupts without a switch)\n",
               (unsigned long)(st.timer_cost_count ? st.timer_cost_ticks / st.timer_cost_count : 0),
               (unsigned long)st.timer_cost_count);
    } else if (strcmp(argv[0], "quote") == 0 && argc >= 2 && strcmp(argv[1], "serve") == 0) {
        uint64_t s = 20;
        if (argc == 3 && (parse_u64(argv[2], 0, &s) != 1 || s > 600))
            printk("shell: usage: quote serve [SECONDS <= 600]\n");
        else
            attest_quote_serve(s);
    } else if (strcmp(argv[0], "quote") == 0 && argc == 2) {
        attest_quote_request(argv[1]);
    } else if (strcmp(argv[0], "quote") == 0) {
        printk("shell: usage: quote NONCE-HEX | quote serve [SECONDS]\n");
    } else if (strcmp(argv[0], "halt") == 0) {
        kernel_exit(0);
    } else {
        uint64_t len;
        const uint8_t *ar = process_archive(&len);
        const uint8_t *data;
        size_t size;
        if (ar && progar_find(ar, len, argv[0], &data, &size) == PROGAR_OK)
            run(argc, argv, 1);
        else
            printk("shell: unknown command '%s'\n", argv[0]);
    }
}

void shell_loop(void)
{
    char line[160];
    for (;;) {
        printk("triad> ");
        unsigned n = 0;
        for (;;) {
            int c = console_getc();
            if (c == '\r' || c == '\n') {
                console_write("\n", 1);
                break;
            }
            if ((c == 8 || c == 127) && n > 0) {
                n--;
                console_write("\b \b", 3);
            } else if (c >= ' ' && n + 1 < sizeof line) {
                line[n++] = (char)c;
                char ch = (char)c;
                console_write(&ch, 1);
            }
        }
        line[n] = '\0';
        shell_execute(line);
    }
}
