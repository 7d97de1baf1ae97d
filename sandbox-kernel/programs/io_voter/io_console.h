/* io_voter's typed commands (issue 8: "a console command that corrupts one
 * replica so the user can watch it being masked").  io_voter reads its
 * console (fd 0, the I/O sandbox's COM2) without blocking once per control
 * period; the bytes only reach it when it runs in the foreground of the
 * kernel's shell (`triad.shell=io_voter ...`: the shell then waits for it
 * and does not read the console itself).
 *
 *   help          the commands
 *   status        the vote and every replica's role
 *   corrupt R     R (a..d) flips a bit of its controller state in this
 *                 period's transfer message (the demo fault of --corrupt)
 *   safe-exit     the operator's decision to leave system safe mode
 *                 (docs/recovery.md): io_voter acknowledges the entry the
 *                 monitor reports (safe_tsc) with its own vehicle word and
 *                 asks the monitor (hypercall 12 through SYS_SAFE_MODE_EXIT);
 *                 the monitor's answer is printed, a refusal by its reason
 *
 * Parsing and the refusals are pure functions of the line and the replica
 * set, so the host tests every bad input (tests/unit/tmr/test_io_console.c). */
#ifndef IO_CONSOLE_H
#define IO_CONSOLE_H

#include <stdint.h>
#include "replica_set.h"

#define IO_CONSOLE_LINE 64      /* longest command line kept; longer ones are refused whole */

enum io_cmd_kind { IO_CMD_NONE, IO_CMD_HELP, IO_CMD_STATUS, IO_CMD_CORRUPT, IO_CMD_SAFE_EXIT, IO_CMD_ERROR };

struct io_cmd {
    enum io_cmd_kind kind;
    uint32_t replica;           /* IO_CMD_CORRUPT: 0..3 */
    char error[96];             /* IO_CMD_ERROR: why the line was refused */
};

/* Line assembly: bytes in, whole lines out (CR or LF ends a line; other
 * control bytes are dropped; a line longer than IO_CONSOLE_LINE is marked
 * overlong and refused when it ends). */
struct io_console {
    char line[IO_CONSOLE_LINE + 1];
    uint32_t len;
    int overlong;
};

void io_console_init(struct io_console *c);
/* Feeds one byte.  Returns 1 when a line ended: *cmd is its command (NONE
 * for an empty line) and `echo` holds the line as typed (for the console). */
int io_console_byte(struct io_console *c, char byte, struct io_cmd *cmd, char echo[IO_CONSOLE_LINE + 1]);
/* Parses one line (NUL-terminated). */
void io_console_parse(const char *line, struct io_cmd *cmd);
/* Why `corrupt R` must be refused now, or NULL when it may go ahead:
 * R failed, restarting or rejoining (it is not computing the flight), a
 * corruption already pending this period, or R holds one of only two vote
 * slots (the pair would disagree: no majority, the safe command). */
const char *io_console_corrupt_refusal(const struct tmr_replica_set *rs, uint32_t replica, int pending);

/* safe-exit's vehicle word (monitor/abi/hypercall.h TRIAD_VEHICLE_*: the
 * monitor cannot see the vehicle and takes it from the I/O sandbox): on the
 * ground as the plant's sensors report it this period, disarmed when the
 * command io_voter last sent the motors was the replica set's safe command. */
#define IO_VEHICLE_ON_GROUND 0x1u
#define IO_VEHICLE_DISARMED  0x2u
uint32_t io_safe_exit_vehicle(int on_ground, int safe_command_applied);
/* The sandbox kernel's error numbers that SYS_SAFE_MODE_EXIT returns
 * negated (sandbox-kernel/sched/sched.h: Linux's values, not newlib's). */
#define IO_E_PERM  1
#define IO_E_BUSY  16
#define IO_E_INVAL 22
#define IO_E_NOSYS 38
/* The monitor's verdict named from the system call's result: the monitor
 * folds its five refusals into three codes, and io_voter tells each pair
 * apart by what it sent (the entry it acknowledged: 0 when not in safe mode;
 * the vehicle word).  "accepted" for 0; the names are health_safe_exit_check's
 * (recovery/health.c), as on the monitor's HEALTH line. */
const char *io_safe_exit_verdict(long rc, uint64_t ack, uint32_t vehicle);
/* What the operator should know about a verdict (one sentence). */
const char *io_safe_exit_advice(const char *verdict);
#endif
