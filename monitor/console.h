/* The monitor console: COM1 plus the Bochs/QEMU 0xE9 debug port. */
#ifndef TRIAD_MONITOR_CONSOLE_H
#define TRIAD_MONITOR_CONSOLE_H

#include <stdint.h>

/*@ assigns \nothing; */
void con_init(void);

/*@ assigns \nothing; */
void con_putc(char c);

/*@ requires valid_string: \valid_read(s + (0 .. 4095));
    assigns \nothing; */
void con_puts(const char *s);

/*@ assigns \nothing; */
void con_hex(uint64_t value, unsigned digits);

/*@ assigns \nothing; */
void con_dec(uint64_t value);

/* "[monitor] " then s: every monitor line starts with this prefix. */
/*@ requires \valid_read(s + (0 .. 4095));
    assigns \nothing; */
void con_line(const char *s);



/* Serialises whole lines from several cores.  Bounded: a core that waits
   too long (a holder died mid-line) proceeds rather than hang the monitor. */
/*@ assigns \nothing; */
void con_lock(void);

/*@ assigns \nothing; */
void con_unlock(void);
#endif
