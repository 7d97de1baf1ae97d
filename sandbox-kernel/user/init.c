/*
 * The init thread's last job: find the program archive module, run the
 * boot script (`triad.shell=cmd1,cmd2,...`, '+' standing for a space since
 * GRUB splits its command line on spaces), start the programs named by
 * `triad.run=prog1,prog2` without waiting, then serve the console shell.
 */
#include "init.h"
#include "process.h"
#include "progar.h"
#include "shell.h"
#include "syscall.h"
#include "../kernel/printk.h"
#include "../kernel/cmdline.h"
#include "../kernel/console.h"
#include "../kernel/string.h"
#include "../sched/sched.h"
#include "../net/net.h"

/* Defined only in the kernel variant that carries its programs
   (programs/embed_archive.S); weak, so 0 in the plain kernel. */
extern const uint8_t embedded_archive_start[] __attribute__((weak));
extern const uint8_t embedded_archive_end[] __attribute__((weak));

static void list_archive(const char *what, const uint8_t *ar, uint64_t size)
{
    process_set_archive(ar, size);
    printk("kernel: program archive%s:", what);
    const char *name;
    for (unsigned k = 0; (name = progar_name(ar, size, k)) != 0; k++)
        printk(" %s", name);
    printk("\n");
}

/* A module named `programs` wins; else the archive built into the image. */
static void find_archive(const struct boot_info *bi)
{
    int found = 0;
    for (unsigned i = 0; i < bi->module_count; i++) {
        const struct boot_module *m = &bi->modules[i];
        const uint8_t *ar = (const uint8_t *)(uintptr_t)m->start;
        if (strcmp(m->name, "programs") != 0)
            continue;
        if (progar_check(ar, m->end - m->start) != PROGAR_OK) {
            printk("kernel: module '%s' is not a valid program archive\n", m->name);
            continue;
        }
        list_archive("", ar, m->end - m->start);
        found = 1;
    }
    if (found || embedded_archive_start == 0)
        return;
    uint64_t size = (uint64_t)(embedded_archive_end - embedded_archive_start);
    if (progar_check(embedded_archive_start, size) != PROGAR_OK) {
        printk("kernel: the built-in program archive is not valid\n");
        return;
    }
    list_archive(" (built in)", embedded_archive_start, size);
}

/* Runs each comma-separated item of `list`, '+' standing for ' '; `prefix` is prepended. */
static void run_list(char *list, const char *prefix)
{
    char *p = list;
    while (*p) {
        char *item = p;
        while (*p && *p != ',')
            p++;
        if (*p)
            *p++ = '\0';
        char line[160];
        strlcpy_k(line, prefix, sizeof line);
        size_t n = strlen(line);
        for (char *c = item; *c && n + 1 < sizeof line; c++)
            line[n++] = *c == '+' ? ' ' : *c;
        line[n] = '\0';
        printk("shell> %s\n", line);
        shell_execute(line);
    }
}

void init_run(const struct boot_info *bi)
{
    static char list[BOOT_CMDLINE_MAX];
    syscall_init();
    find_archive(bi);
    console_input_start();
    net_start(bi->cmdline);         /* before programs: they may open sockets at once */
    if (cmdline_get(bi->cmdline, "triad.run", list, sizeof list))
        run_list(list, "nowait ");
    /* The ground link's programs (telemetry), started like triad.run: a word
       of their own, so a description's triad.run or triad.shell stays whole. */
    if (cmdline_get(bi->cmdline, "triad.ground", list, sizeof list))
        run_list(list, "nowait ");
    if (cmdline_get(bi->cmdline, "triad.shell", list, sizeof list))
        run_list(list, "");
    printk("kernel: ready, idle\n");
    shell_loop();
}
