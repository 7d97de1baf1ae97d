/*
 * The I/O sandbox's side of attestation: the monitor keeps the TCG event
 * log in its own memory and hands it out through TRIAD_HC_EVENT_LOG
 * (hypercall 8) to a sandbox that owns a device.  This reads it in small
 * pieces (the calls are what is being exercised, not the copy speed) and
 * prints it as "attest: event-log <offset> <hex>" lines, the format the
 * monitor uses on COM1, so that attest-verify reads either console.
 * It also shows the monitor's refusals: an offset past the end and a buffer
 * outside this sandbox's RAM; a sandbox without a device is refused outright.
 */
#include "attest_log.h"
#include "attest_quote.h"
#include "cmdline.h"
#include "printk.h"
#include "../arch/x86_64/hypercall.h"
#include "../../monitor/abi/hypercall.h"

#define CHUNK 64u                     /* bytes per hypercall and per line */
#define LOG_MAX (64u * 1024u)         /* far above the monitor's 16 KiB log */

static uint8_t chunk[CHUNK];

static void print_chunk(uint32_t off, uint32_t n)
{
    static const char hex[] = "0123456789abcdef";
    char line[2 * CHUNK + 1];
    for (uint32_t i = 0; i < n; i++) {
        line[2 * i] = hex[chunk[i] >> 4];
        line[2 * i + 1] = hex[chunk[i] & 15];
    }
    line[2 * n] = '\0';
    printk("attest: event-log %u %s\n", off, line);
}

void attest_log_run(const char *cmdline, uint64_t ram_top)
{
    char mode[8];
    if (!cmdline_get(cmdline, "triad.attest", mode, sizeof mode))
        return;
    if (mode[0] != 'l' || mode[1] != 'o' || mode[2] != 'g' || mode[3] != '\0') {
        printk("attest: triad.attest=%s not understood (only 'log')\n", mode);
        return;
    }
    if (!triad_monitor_present()) {
        printk("attest: no Triad monitor: no event log to read\n");
        return;
    }
    int64_t len = hypercall(TRIAD_HC_EVENT_LOG, 0, (uint64_t)(uintptr_t)chunk, 0);
    if (len < 0) {
        printk("attest: event log refused by the monitor (error %ld)\n", (long)len);
        attest_quote_serve(0);      /* the quote hypercall has the same policy */
        return;
    }
    if (len > (int64_t)LOG_MAX) {
        printk("attest: event log length %ld is not plausible\n", (long)len);
        return;
    }
    printk("attest: event log of %ld bytes from the monitor (hypercall 8)\n", (long)len);
    uint32_t off = 0;
    while (off < (uint32_t)len) {
        int64_t n = hypercall(TRIAD_HC_EVENT_LOG, off, (uint64_t)(uintptr_t)chunk, CHUNK);
        if (n <= 0 || n > (int64_t)CHUNK) {
            printk("attest: event log read at %u failed (result %ld)\n", off, (long)n);
            return;
        }
        print_chunk(off, (uint32_t)n);
        off += (uint32_t)n;
    }
    int64_t end = hypercall(TRIAD_HC_EVENT_LOG, off, (uint64_t)(uintptr_t)chunk, CHUNK);
    printk("attest: event-log end %u\n", off);
    /* The refusals, each must come back as an error and cost nothing else. */
    int64_t past = hypercall(TRIAD_HC_EVENT_LOG, off + 1, (uint64_t)(uintptr_t)chunk, CHUNK);
    int64_t outside = hypercall(TRIAD_HC_EVENT_LOG, 0, ram_top + 0x1000, CHUNK);
    printk("attest: read at the end -> %ld, past the end -> %ld, buffer outside RAM -> %ld\n",
           (long)end, (long)past, (long)outside);
    attest_quote_refusals(ram_top);
}
