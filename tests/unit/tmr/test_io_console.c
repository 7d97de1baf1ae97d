/* io_voter's typed commands (sandbox-kernel/programs/io_voter/io_console.c):
 * every bad input of `corrupt R` and the other commands gets its own clear
 * answer and changes nothing; a valid one names the replica.  The system
 * test 80-qemu-svm-uav-square types the same lines into the I/O sandbox.
 * REQ: TMR-SYS-001, REC-SAFE-002 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "io_console.h"

/* Types `text` byte by byte; returns the command of the last line ended. */
static int type(struct io_console *c, const char *text, struct io_cmd *cmd, char *echo)
{
    int lines = 0;
    for (const char *p = text; *p; p++)
        lines += io_console_byte(c, *p, cmd, echo);
    return lines;
}

static void commands_parse(void **state)
{
    (void)state;
    struct io_cmd cmd;
    io_console_parse("help", &cmd);
    assert_int_equal(cmd.kind, IO_CMD_HELP);
    io_console_parse("  status  ", &cmd);
    assert_int_equal(cmd.kind, IO_CMD_STATUS);
    io_console_parse("corrupt c", &cmd);
    assert_int_equal(cmd.kind, IO_CMD_CORRUPT);
    assert_int_equal(cmd.replica, 2);
    io_console_parse("corrupt   d ", &cmd);
    assert_int_equal(cmd.kind, IO_CMD_CORRUPT);
    assert_int_equal(cmd.replica, 3);
    io_console_parse(" safe-exit ", &cmd);
    assert_int_equal(cmd.kind, IO_CMD_SAFE_EXIT);
    io_console_parse("", &cmd);
    assert_int_equal(cmd.kind, IO_CMD_NONE);
    io_console_parse("    ", &cmd);
    assert_int_equal(cmd.kind, IO_CMD_NONE);
}

static void bad_lines_are_refused_with_a_reason(void **state)
{
    (void)state;
    struct io_cmd cmd;
    io_console_parse("corrupt x", &cmd);
    assert_int_equal(cmd.kind, IO_CMD_ERROR);
    assert_string_equal(cmd.error, "no replica 'x': corrupt a|b|c|d");
    io_console_parse("corrupt bb", &cmd);
    assert_int_equal(cmd.kind, IO_CMD_ERROR);
    assert_string_equal(cmd.error, "no replica 'bb': corrupt a|b|c|d");
    io_console_parse("corrupt", &cmd);
    assert_int_equal(cmd.kind, IO_CMD_ERROR);
    assert_string_equal(cmd.error, "usage: corrupt a|b|c|d (one replica)");
    io_console_parse("corrupt a b", &cmd);
    assert_int_equal(cmd.kind, IO_CMD_ERROR);
    assert_string_equal(cmd.error, "usage: corrupt a|b|c|d (one replica)");
    io_console_parse("status now", &cmd);
    assert_int_equal(cmd.kind, IO_CMD_ERROR);
    assert_string_equal(cmd.error, "'status' takes no argument");
    io_console_parse("xyzzy 12", &cmd);
    assert_int_equal(cmd.kind, IO_CMD_ERROR);
    assert_string_equal(cmd.error, "unknown command 'xyzzy' (commands: help, status, corrupt R, safe-exit)");
    io_console_parse("safe-exit now", &cmd);
    assert_int_equal(cmd.kind, IO_CMD_ERROR);
    assert_string_equal(cmd.error, "'safe-exit' takes no argument");
    io_console_parse("safe-exit 12345 3", &cmd);
    assert_int_equal(cmd.kind, IO_CMD_ERROR);
    assert_string_equal(cmd.error, "'safe-exit' takes no argument");
    io_console_parse("safe_exit", &cmd);     /* the name exactly */
    assert_int_equal(cmd.kind, IO_CMD_ERROR);
    io_console_parse("safe-exi", &cmd);
    assert_int_equal(cmd.kind, IO_CMD_ERROR);
    io_console_parse("CORRUPT b", &cmd);     /* commands are lower case, as at the shell */
    assert_int_equal(cmd.kind, IO_CMD_ERROR);
}

static void line_assembly(void **state)
{
    (void)state;
    struct io_console c;
    struct io_cmd cmd;
    char echo[IO_CONSOLE_LINE + 1];
    io_console_init(&c);
    /* No line yet without CR or LF. */
    assert_int_equal(type(&c, "corr", &cmd, echo), 0);
    /* Backspace, control bytes and non-ASCII dropped; CR ends the line. */
    assert_int_equal(type(&c, "upx\b\x01\xfft b\r", &cmd, echo), 1);
    assert_string_equal(echo, "corrupt b");
    assert_int_equal(cmd.kind, IO_CMD_CORRUPT);
    assert_int_equal(cmd.replica, 1);
    /* CR LF: the LF ends an empty line (no command). */
    assert_int_equal(type(&c, "\n", &cmd, echo), 1);
    assert_int_equal(cmd.kind, IO_CMD_NONE);
    /* An overlong line is refused whole, and the next line is clean. */
    char longline[IO_CONSOLE_LINE + 20];
    memset(longline, 'a', sizeof longline - 2);
    longline[sizeof longline - 2] = '\n';
    longline[sizeof longline - 1] = '\0';
    assert_int_equal(type(&c, longline, &cmd, echo), 1);
    assert_int_equal(cmd.kind, IO_CMD_ERROR);
    assert_string_equal(cmd.error, "line longer than 64 characters refused (type help)");
    assert_int_equal(type(&c, "help\n", &cmd, echo), 1);
    assert_int_equal(cmd.kind, IO_CMD_HELP);
    assert_string_equal(echo, "help");
}

static struct tmr_replica_set rs;

static void fresh_set(void)
{
    struct tmr_rs_config cfg;
    tmr_rs_default_config(&cfg);
    assert_int_equal(tmr_rs_init(&rs, &cfg), 0);
}

static void corrupt_refusals(void **state)
{
    (void)state;
    fresh_set();
    /* a..c vote, d is the standby: each may be corrupted. */
    for (uint32_t id = 0; id < 4; id++)
        assert_null(io_console_corrupt_refusal(&rs, id, 0));
    assert_string_equal(io_console_corrupt_refusal(&rs, 1, 1),
                        "a corruption is already on its way this period; try again");
    assert_string_equal(io_console_corrupt_refusal(&rs, 4, 0), "no such replica in this replica set");
    assert_string_equal(io_console_corrupt_refusal(NULL, 0, 0), "no such replica in this replica set");
    rs.rep[1].role = TMR_ROLE_FAILED;
    assert_string_equal(io_console_corrupt_refusal(&rs, 1, 0),
                        "that replica is already failed (being restarted): nothing to mask");
    rs.rep[1].role = TMR_ROLE_REJOINING;
    assert_string_equal(io_console_corrupt_refusal(&rs, 1, 0),
                        "that replica is rejoining (on probation): wait until it is back");
    /* Two slots left: corrupting a voter would leave no majority; the
     * standby-less pair is protected, a failed third is still refused. */
    rs.nslots = 2;
    assert_string_equal(io_console_corrupt_refusal(&rs, 0, 0),
                        "only two replicas vote now: corrupting one would leave no majority (the safe command)");
    assert_null(io_console_corrupt_refusal(&rs, 3, 0));
}

/* safe-exit (REQ: REC-SAFE-002): the vehicle word io_voter sends and every
 * answer of the monitor named, the refusal pairs told apart by what was sent. */
static void safe_exit_vehicle_word(void **state)
{
    (void)state;
    assert_int_equal(io_safe_exit_vehicle(1, 1), IO_VEHICLE_ON_GROUND | IO_VEHICLE_DISARMED);
    assert_int_equal(io_safe_exit_vehicle(1, 0), IO_VEHICLE_ON_GROUND);
    assert_int_equal(io_safe_exit_vehicle(0, 1), IO_VEHICLE_DISARMED);
    assert_int_equal(io_safe_exit_vehicle(0, 0), 0);
    assert_int_equal(io_safe_exit_vehicle(7, 9), 3);     /* any true reading is one bit */
}

static void safe_exit_verdicts(void **state)
{
    (void)state;
    const uint32_t safe = IO_VEHICLE_ON_GROUND | IO_VEHICLE_DISARMED;
    assert_string_equal(io_safe_exit_verdict(0, 1234, safe), "accepted");
    assert_string_equal(io_safe_exit_verdict(-IO_E_INVAL, 0, safe), "not-in-safe-mode");
    assert_string_equal(io_safe_exit_verdict(-IO_E_INVAL, 1234, safe), "stale-ack");
    assert_string_equal(io_safe_exit_verdict(-IO_E_PERM, 1234, safe), "not-permitted");
    assert_string_equal(io_safe_exit_verdict(-IO_E_BUSY, 1234, safe), "hold-not-elapsed");
    assert_string_equal(io_safe_exit_verdict(-IO_E_BUSY, 1234, IO_VEHICLE_ON_GROUND), "vehicle-not-safe");
    assert_string_equal(io_safe_exit_verdict(-IO_E_BUSY, 1234, IO_VEHICLE_DISARMED), "vehicle-not-safe");
    assert_string_equal(io_safe_exit_verdict(-IO_E_BUSY, 1234, 0), "vehicle-not-safe");
    assert_string_equal(io_safe_exit_verdict(-IO_E_NOSYS, 0, safe), "no-monitor");
    assert_string_equal(io_safe_exit_verdict(-5, 1234, safe), "unknown-answer");
    assert_string_equal(io_safe_exit_verdict(7, 1234, safe), "unknown-answer");
    /* Each verdict has its own advice; an unknown one (or none) a generic line. */
    const char *names[] = { "accepted", "not-in-safe-mode", "stale-ack", "not-permitted", "vehicle-not-safe",
                            "hold-not-elapsed", "no-monitor" };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const char *a = io_safe_exit_advice(names[i]);
        assert_string_not_equal(a, "the monitor's answer is not one safe-exit knows");
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(a, io_safe_exit_advice(names[j]));
    }
    assert_string_equal(io_safe_exit_advice("unknown-answer"), "the monitor's answer is not one safe-exit knows");
    assert_string_equal(io_safe_exit_advice(NULL), "the monitor's answer is not one safe-exit knows");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(commands_parse),
        cmocka_unit_test(bad_lines_are_refused_with_a_reason),
        cmocka_unit_test(line_assembly),
        cmocka_unit_test(corrupt_refusals),
        cmocka_unit_test(safe_exit_vehicle_word),
        cmocka_unit_test(safe_exit_verdicts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
