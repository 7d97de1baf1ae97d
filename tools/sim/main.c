/* sim-closed-loop: flies the scripted mission on the host and prints a
 * summary; the trajectory goes to a CSV file.
 *
 *   sim-closed-loop [--tmr] [--rate HZ] [--seed N] [--csv FILE]
 *                   [--flip R:PERIOD:WORD:BIT] [--hang R:PERIOD] [--garbage R:PERIOD]
 *                   [--square ALT:SIDE:LEG]   (mission_square instead of the default mission)
 *
 * Exit status 0 if the flight ended landed without a crash, 1 otherwise,
 * 2 for bad usage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "digest.h"
#include "flight.h"

static void usage(void)
{
    fprintf(stderr, "usage: sim-closed-loop [--tmr] [--rate HZ] [--seed N] [--csv FILE]\n"
                    "       [--flip R:PERIOD:WORD:BIT] [--hang R:PERIOD] [--garbage R:PERIOD]\n"
                    "       [--square ALT:SIDE:LEG]\n");
    exit(2);
}

struct log_ctx {
    FILE *csv;
    uint32_t events_printed;
    uint64_t cmd_digest;   /* chained digest of every command applied: compares builds */
};

static void on_period(void *p, const struct flight_sample *s, const struct tmr_replica_set *rs)
{
    struct log_ctx *ctx = p;
    uint32_t w[4] = { (uint32_t)ctx->cmd_digest, (uint32_t)(ctx->cmd_digest >> 32),
                      s->motor[0] | (uint32_t)s->motor[1] << 16,
                      s->motor[2] | (uint32_t)s->motor[3] << 16 };
    ctx->cmd_digest = tmr_digest(w, 4);
    if (ctx->csv)
        fprintf(ctx->csv, "%u,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.3f,%.3f,%.3f,%u,%u,%u,%u,%u,%u,%04x\n",
                s->period, s->t, s->pos[0], s->pos[1], s->pos[2], s->euler[0], s->euler[1],
                s->euler[2], s->setpoint[0], s->setpoint[1], s->setpoint[2], s->phase,
                s->motor[0], s->motor[1], s->motor[2], s->motor[3], s->vote_status, s->roles);
    if (!rs)
        return;
    /* The TMR event log, as the console will show it. */
    while (ctx->events_printed < rs->ev_total) {
        uint32_t back = rs->ev_total - 1 - ctx->events_printed;
        const struct tmr_event *e = tmr_rs_event(rs, back);
        if (e)
            printf("[tmr] period %u: %s replica %d (detail %u)\n", e->seq,
                   tmr_event_name(e->kind), e->replica == TMR_NO_REPLICA ? -1 : e->replica,
                   e->detail);
        ctx->events_printed++;
    }
}

static void add_fault(struct flight_config *c, uint32_t kind, const char *arg)
{
    if (c->nfaults >= FLIGHT_MAX_FAULTS)
        usage();
    struct flight_fault *f = &c->fault[c->nfaults++];
    f->kind = kind;
    int n = sscanf(arg, "%u:%u:%u:%u", &f->replica, &f->period, &f->word, &f->bit);
    if (n < 2 || (kind == FAULT_FLIP && n != 4))
        usage();
}

int main(int argc, char **argv)
{
    struct flight_config c;
    flight_default_config(&c);
    const char *csv = "build/sim/closed-loop.csv";
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--tmr")) {
            c.tmr = 1;
        } else if (v && !strcmp(a, "--rate")) {
            c.rate_hz = (uint32_t)strtoul(v, NULL, 10); i++;
        } else if (v && !strcmp(a, "--seed")) {
            c.seed = strtoull(v, NULL, 10); i++;
        } else if (v && !strcmp(a, "--csv")) {
            csv = v; i++;
        } else if (v && !strcmp(a, "--flip")) {
            add_fault(&c, FAULT_FLIP, v); i++; c.tmr = 1;
        } else if (v && !strcmp(a, "--hang")) {
            add_fault(&c, FAULT_HANG, v); i++; c.tmr = 1;
        } else if (v && !strcmp(a, "--square")) {
            if (sscanf(v, "%lf:%lf:%lf", &c.square_alt, &c.square_side, &c.square_leg) != 3 ||
                !(c.square_alt > 0.0 && c.square_alt <= 20.0 && c.square_side > 0.0 && c.square_leg > 0.0))
                usage();
            i++;
        } else if (v && !strcmp(a, "--garbage")) {
            add_fault(&c, FAULT_GARBAGE, v); i++; c.tmr = 1;
        } else {
            usage();
        }
    }
    struct log_ctx ctx = { .csv = fopen(csv, "w") };
    if (!ctx.csv) {
        perror(csv);
        return 2;
    }
    fprintf(ctx.csv, "period,t,x,y,z,roll,pitch,yaw,sp_x,sp_y,sp_z,phase,m0,m1,m2,m3,vote,roles\n");
    struct flight_metrics m;
    if (flight_run(&c, &m, on_period, &ctx) != 0) {
        fprintf(stderr, "sim-closed-loop: bad configuration\n");
        return 2;
    }
    fclose(ctx.csv);
    printf("periods                  %u at %u Hz (%s)\n", m.periods, c.rate_hz,
           c.tmr ? "TMR: 3 voted + 1 standby" : "single controller");
    printf("hover |z-2m| rms / max   %.4f / %.4f m\n", m.hover_rms, m.hover_max);
    printf("step: alt max err        %.4f m\n", m.step_alt_max);
    printf("step: rise 90%% / overshoot / final err   %.2f s / %.3f m / %.3f m\n",
           m.step_rise_s, m.step_overshoot, m.step_final_err);
    printf("max tilt / att err       %.2f / %.2f deg\n", m.max_tilt_deg, m.max_att_err_deg);
    printf("touchdown speed          %.3f m/s\n", m.touchdown_speed);
    if (c.square_side > 0.0)
        printf("square: corner err max   %.3f m (end of each leg)\n", m.corner_err_max);
    printf("final position           %.3f %.3f %.3f m, %s, %s%s\n", m.final_pos[0],
           m.final_pos[1], m.final_pos[2], m.landed ? "on ground" : "airborne",
           m.disarmed ? "disarmed" : "armed", m.crashed ? ", CRASHED" : "");
    if (c.tmr) {
        printf("tmr: failures %u promotions %u rejoins %u no-majority periods %u events %u\n",
               m.failures, m.promotions, m.rejoins, m.no_majority_periods, m.events);
        if (m.first_fault_period && m.first_failed_period)
            printf("tmr: fault at period %u, named after %u, standby voting after %u, "
                   "rejoined after %u periods\n", m.first_fault_period,
                   m.first_failed_period - m.first_fault_period,
                   m.first_promoted_period ? m.first_promoted_period - m.first_fault_period : 0,
                   m.first_rejoined_period ? m.first_rejoined_period - m.first_fault_period : 0);
    }
    printf("command digest           %016llx\n", (unsigned long long)ctx.cmd_digest);
    printf("trajectory               %s\n", csv);
    return m.crashed || !m.landed ? 1 : 0;
}
