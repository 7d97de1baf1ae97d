/* See io_console.h. */
#include <stdio.h>
#include <string.h>
#include "io_console.h"

void io_console_init(struct io_console *c)
{
    memset(c, 0, sizeof *c);
}

int io_console_byte(struct io_console *c, char byte, struct io_cmd *cmd, char echo[IO_CONSOLE_LINE + 1])
{
    if (byte == '\r' || byte == '\n') {
        c->line[c->len] = '\0';
        memcpy(echo, c->line, c->len + 1);
        if (c->overlong) {
            cmd->kind = IO_CMD_ERROR;
            snprintf(cmd->error, sizeof cmd->error, "line longer than %d characters refused (type help)",
                     IO_CONSOLE_LINE);
        } else {
            io_console_parse(c->line, cmd);
        }
        c->len = 0;
        c->overlong = 0;
        return 1;
    }
    if ((byte == 8 || byte == 127) && c->len > 0) {     /* backspace, as at the shell */
        c->len--;
        return 0;
    }
    if ((unsigned char)byte < ' ' || (unsigned char)byte > '~')
        return 0;                                       /* control and non-ASCII bytes dropped */
    if (c->len < IO_CONSOLE_LINE)
        c->line[c->len++] = byte;
    else
        c->overlong = 1;
    return 0;
}

/* The words of a line, at most `max`; returns how many there were (may exceed max). */
static int words(const char *line, char w[][IO_CONSOLE_LINE + 1], int max)
{
    int n = 0;
    const char *p = line;
    while (*p) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        size_t len = 0;
        while (p[len] && p[len] != ' ')
            len++;
        if (n < max) {
            memcpy(w[n], p, len);
            w[n][len] = '\0';
        }
        n++;
        p += len;
    }
    return n;
}

void io_console_parse(const char *line, struct io_cmd *cmd)
{
    char w[2][IO_CONSOLE_LINE + 1];
    memset(cmd, 0, sizeof *cmd);
    int n = words(line, w, 2);
    if (n == 0) {
        cmd->kind = IO_CMD_NONE;
    } else if (strcmp(w[0], "help") == 0 && n == 1) {
        cmd->kind = IO_CMD_HELP;
    } else if (strcmp(w[0], "status") == 0 && n == 1) {
        cmd->kind = IO_CMD_STATUS;
    } else if (strcmp(w[0], "corrupt") == 0 && n == 2 && w[1][0] >= 'a' && w[1][0] <= 'd' && w[1][1] == '\0') {
        cmd->kind = IO_CMD_CORRUPT;
        cmd->replica = (uint32_t)(w[1][0] - 'a');
    } else if (strcmp(w[0], "corrupt") == 0 && n == 2) {
        cmd->kind = IO_CMD_ERROR;
        snprintf(cmd->error, sizeof cmd->error, "no replica '%.16s': corrupt a|b|c|d", w[1]);
    } else if (strcmp(w[0], "corrupt") == 0) {
        cmd->kind = IO_CMD_ERROR;
        snprintf(cmd->error, sizeof cmd->error, "usage: corrupt a|b|c|d (one replica)");
    } else if (strcmp(w[0], "safe-exit") == 0 && n == 1) {
        cmd->kind = IO_CMD_SAFE_EXIT;
    } else if ((strcmp(w[0], "help") == 0 || strcmp(w[0], "status") == 0 || strcmp(w[0], "safe-exit") == 0) &&
               n > 1) {
        cmd->kind = IO_CMD_ERROR;
        snprintf(cmd->error, sizeof cmd->error, "'%s' takes no argument", w[0]);
    } else {
        cmd->kind = IO_CMD_ERROR;
        snprintf(cmd->error, sizeof cmd->error, "unknown command '%.24s' (commands: help, status, corrupt R, safe-exit)",
                 w[0]);
    }
}

const char *io_console_corrupt_refusal(const struct tmr_replica_set *rs, uint32_t replica, int pending)
{
    if (!rs || replica >= rs->cfg.replicas || replica >= TMR_MAX_REPLICAS)
        return "no such replica in this replica set";
    if (pending)
        return "a corruption is already on its way this period; try again";
    uint32_t role = rs->rep[replica].role;
    if (role == TMR_ROLE_FAILED)
        return "that replica is already failed (being restarted): nothing to mask";
    if (role == TMR_ROLE_REJOINING)
        return "that replica is rejoining (on probation): wait until it is back";
    if (role != TMR_ROLE_ACTIVE && role != TMR_ROLE_STANDBY)
        return "that replica is not running";
    if (role == TMR_ROLE_ACTIVE && rs->nslots < 3)
        return "only two replicas vote now: corrupting one would leave no majority (the safe command)";
    return 0;
}

uint32_t io_safe_exit_vehicle(int on_ground, int safe_command_applied)
{
    return (on_ground ? IO_VEHICLE_ON_GROUND : 0u) | (safe_command_applied ? IO_VEHICLE_DISARMED : 0u);
}

const char *io_safe_exit_verdict(long rc, uint64_t ack, uint32_t vehicle)
{
    if (rc == 0)
        return "accepted";
    if (rc == -IO_E_INVAL)
        return ack == 0 ? "not-in-safe-mode" : "stale-ack";
    if (rc == -IO_E_PERM)
        return "not-permitted";
    if (rc == -IO_E_BUSY)
        return vehicle == (IO_VEHICLE_ON_GROUND | IO_VEHICLE_DISARMED) ? "hold-not-elapsed" : "vehicle-not-safe";
    if (rc == -IO_E_NOSYS)
        return "no-monitor";
    return "unknown-answer";
}

const char *io_safe_exit_advice(const char *verdict)
{
    static const struct { const char *verdict, *advice; } advice[] = {
        { "accepted", "the voted command from the next period on; the halted replicas restart and rejoin" },
        { "not-in-safe-mode", "the system is not in safe mode: nothing to leave" },
        { "stale-ack", "safe mode was entered again meanwhile: check the cause, then type safe-exit again" },
        { "not-permitted", "this sandbox may not end safe mode (the description's <safe-mode exit-by>)" },
        { "vehicle-not-safe", "the vehicle must be on the ground with the safe command applied" },
        { "hold-not-elapsed", "the safe command has not been held for the description's hold-ms yet: try again" },
        { "no-monitor", "no monitor to ask (bare metal): safe mode is the monitor's" },
    };
    for (size_t i = 0; i < sizeof advice / sizeof advice[0]; i++)
        if (verdict && strcmp(verdict, advice[i].verdict) == 0)
            return advice[i].advice;
    return "the monitor's answer is not one safe-exit knows";
}
