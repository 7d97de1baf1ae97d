/* See io_report.h. */
#include <stdio.h>
#include <string.h>
#include <math.h>
#include "io_report.h"

#define RAD2DEG (180.0 / 3.14159265358979323846)
#define HOVER_SETTLE_S 1.0     /* the hover error counts from this long after reaching altitude */

/* value * 1000 as "-1.234" */
static const char *milli(char *buf, double v)
{
    long m = (long)(v * 1000.0 + (v < 0 ? -0.5 : 0.5));
    const char *sign = m < 0 ? "-" : "";
    if (m < 0)
        m = -m;
    snprintf(buf, 24, "%s%ld.%03ld", sign, m / 1000, m % 1000);
    return buf;
}

void io_stats_init(struct io_stats *s, const struct mission *ms, uint32_t rate)
{
    memset(s, 0, sizeof *s);
    s->ms = ms;
    s->rate = rate;
}

void io_stats_period(struct io_stats *s, uint32_t k, const struct sim_msg *sm, const struct sensor_frame *f,
                     const struct tmr_replica_set *rs, const struct tmr_vote_result *v, uint32_t answered,
                     uint64_t latency_ns, uint64_t now_ns)
{
    (void)answered;
    s->periods = k;
    if (k == 1)
        s->t_first_ns = now_ns;
    s->t_last_ns = now_ns;
    s->sec_periods++;
    if (v->status == TMR_VOTE_UNANIMOUS) {
        s->unanimous++;
        s->sec_unanimous++;
    } else if (v->status == TMR_VOTE_MAJORITY) {
        s->majority++;
    } else {
        s->no_majority++;
    }
    if (rs->cfg.replicas > 3 && rs->rep[3].role == TMR_ROLE_STANDBY)
        s->standby_ok++;
    if (k > 1) {                      /* period 1 waits for the replicas to start */
        s->lat_sum_ns += latency_ns;
        if (latency_ns > s->lat_max_ns) {
            s->lat_max_ns = latency_ns;
            s->lat_max_period = k;
        }
    }
    double t = (double)k / s->rate;
    if (!sm->on_ground) {
        s->airborne_periods++;
        double tilt = acos(fmin(1.0, cos(sm->euler[0]) * cos(sm->euler[1]))) * RAD2DEG;
        if (tilt > s->max_tilt_deg)
            s->max_tilt_deg = tilt;
    }
    if (t >= s->ms->t_hover + HOVER_SETTLE_S && t < s->ms->t_step) {
        double e = fabs(sm->pos[2] - s->ms->alt);
        s->hover_sq += e * e;
        s->hover_n++;
        if (e > s->hover_max)
            s->hover_max = e;
    }
    s->crashed |= sm->crashed;
    if (s->ms->square_side > 0.0 && s->ms->leg > 0.0 && t >= s->ms->t_step) {
        for (int c = 1; c <= 4; c++)
            if ((uint32_t)((s->ms->t_step + c * s->ms->leg) * s->rate + 0.5) == k + 1) {
                double cx = (c == 1 || c == 2) ? s->ms->square_side : 0.0;
                double cy = (c == 2 || c == 3) ? s->ms->square_side : 0.0;
                double e = sqrt((sm->pos[0] - cx) * (sm->pos[0] - cx) + (sm->pos[1] - cy) * (sm->pos[1] - cy));
                s->corners++;
                if (e > s->corner_err_max)
                    s->corner_err_max = e;
            }
        if (t < s->ms->t_down) {
            double ez = fabs(sm->pos[2] - s->ms->alt);
            if (ez > s->square_alt_max)
                s->square_alt_max = ez;
        }
    }
    s->on_ground = sm->on_ground;
    s->touchdown_mm_s = sm->touchdown_mm_s;
    s->phase = f->phase;
    s->armed = (v->flags & REPLICA_FLAG_ARMED) != 0;
    s->motors_off = (v->motor[0] | v->motor[1] | v->motor[2] | v->motor[3]) == 0;
}

static const char *vote_name(uint32_t st)
{
    static const char *const n[] = { "unanimous", "majority", "no-majority", "bad-input" };
    return st < 4 ? n[st] : "?";
}

void io_status_line(struct io_stats *s, uint32_t k, const struct sim_msg *sm, const struct sensor_frame *f,
                    const struct tmr_replica_set *rs, const struct tmr_vote_result *v)
{
    char a[24], b[24], c[24], d[24], e[24], g[24], agree[16] = "", roles[48] = "";
    size_t n = 0;
    /* The verdicts are per slot of the vote as it was cast: a failure in
     * this period has already repacked rs->slot. */
    for (uint32_t i = 0; i < s->nvoted && i < TMR_VOTE_SLOTS; i++)
        if (v->verdict[i] == TMR_SLOT_AGREES && n + 3 < sizeof agree) {
            if (n)
                agree[n++] = ',';
            agree[n++] = (char)('a' + s->voted[i]);
            agree[n] = '\0';
        }
    size_t r = 0;
    for (uint32_t id = 0; id < rs->cfg.replicas && id < TMR_MAX_REPLICAS; id++)
        r += (size_t)snprintf(roles + r, sizeof roles - r, "%s%c=%s", id ? " " : "", 'a' + (int)id,
                              tmr_role_name(rs->rep[id].role));
    static const char *const phase[] = { "disarmed", "fly", "land" };
    char x[24], y[24];
    printf("[flight] t=%s s %s alt %s m (sp %s) x %s y %s m roll %s pitch %s yaw %s deg | vote %s, %u/%u unanimous, agree %s | %s\n",
           milli(a, (double)k / s->rate), f->phase < PHASE_COUNT ? phase[f->phase] : "?", milli(b, sm->pos[2]),
           milli(c, f->setpoint[2]), milli(x, sm->pos[0]), milli(y, sm->pos[1]), milli(d, sm->euler[0] * RAD2DEG),
           milli(e, sm->euler[1] * RAD2DEG),
           milli(g, sm->euler[2] * RAD2DEG), vote_name(v->status), (unsigned)s->sec_unanimous,
           (unsigned)s->sec_periods, n ? agree : "none", roles);
    s->sec_unanimous = s->sec_periods = 0;
}

/* v * 1000 rounded to the nearest integer */
static long thousandths(double v)
{
    return (long)(v * 1000.0 + (v < 0 ? -0.5 : 0.5));
}

/* The control-rate trace (--trace 1: fault-injection campaigns): one line
 * per period with the plant's state at its start, the command the vote
 * sent for it and the vote's state, so the flight around an injection can
 * be plotted period by period (docs/fault-injection.md).  No brackets in
 * the line: it is not taken for a relayed sandbox console line.  Integers
 * only (mm, millidegrees) to keep it short.  Roles: one letter per replica,
 * A active, S standby, F failed, R rejoining, - absent. */
void io_trace_line(uint32_t k, const struct sim_msg *sm, const struct actuator_cmd *cmd,
                   const struct tmr_replica_set *rs, const struct tmr_vote_result *v)
{
    static const char role_letter[] = "ASFR-";
    char roles[TMR_MAX_REPLICAS + 1];
    uint32_t n = 0;
    for (uint32_t id = 0; id < rs->cfg.replicas && id < TMR_MAX_REPLICAS; id++) {
        uint32_t r = rs->rep[id].role;
        roles[n++] = r < sizeof role_letter - 1 ? role_letter[r] : '?';
    }
    roles[n] = '\0';
    printf("uav: trace k=%u alt_mm=%ld att_mdeg=%ld,%ld,%ld cmd=%u,%u,%u,%u vote=%s roles=%s\n", (unsigned)k,
           thousandths(sm->pos[2]), thousandths(sm->euler[0] * RAD2DEG), thousandths(sm->euler[1] * RAD2DEG),
           thousandths(sm->euler[2] * RAD2DEG),
           (unsigned)cmd->motor[0], (unsigned)cmd->motor[1], (unsigned)cmd->motor[2], (unsigned)cmd->motor[3],
           vote_name(v->status), roles);
}

/* Rejoins begun, from the event ring (the set counts completions only). */
static uint32_t rejoins_started(const struct tmr_replica_set *rs)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < TMR_EVENT_LOG; i++) {
        const struct tmr_event *e = tmr_rs_event(rs, i);
        if (e && e->kind == TMR_EV_REJOINING)
            n++;
    }
    return n;
}

void io_report(const struct io_stats *s, uint32_t k, const struct tmr_replica_set *rs, const struct sim_msg *plant)
{
    char a[24], b[24], c[24], d[24], e[24], g[24];
    double rms = s->hover_n ? sqrt(s->hover_sq / s->hover_n) : 0.0;
    uint64_t span = s->t_last_ns - s->t_first_ns;
    printf("uav: report periods=%u flight=%s s unanimous=%u majority=%u no_majority=%u standby_ok=%u "
           "failures=%u promotions=%u\n",
           (unsigned)k, milli(a, (double)k / s->rate), (unsigned)s->unanimous, (unsigned)s->majority,
           (unsigned)s->no_majority, (unsigned)s->standby_ok, (unsigned)rs->failures, (unsigned)rs->promotions);
    printf("uav: report hover_from=%s s hover_periods=%u hover_max=%s m hover_rms=%s m max_tilt=%s deg crashed=%u airborne_periods=%u\n",
           milli(b, s->ms->t_hover + HOVER_SETTLE_S), (unsigned)s->hover_n, milli(c, s->hover_max), milli(d, rms),
           milli(e, s->max_tilt_deg), (unsigned)s->crashed, (unsigned)s->airborne_periods);
    printf("uav: report virtual_us_per_period=%llu sensor_to_vote_us avg=%llu max=%llu\n",
           (unsigned long long)(k > 1 ? span / 1000u / (k - 1) : 0),
           (unsigned long long)(k > 1 ? s->lat_sum_ns / 1000u / (k - 1) : 0),
           (unsigned long long)(s->lat_max_ns / 1000u));
    printf("uav: report plant checked=%u wrong=%u first_wrong=%u not_voted=%u\n", (unsigned)plant->cmd_checked,
           (unsigned)plant->cmd_wrong, (unsigned)plant->cmd_first_wrong, (unsigned)plant->cmd_not_voted);
    printf("uav: report rejoin restarts_requested=%u rejoins_started=%u rejoined=%u\n", (unsigned)s->restarts_asked,
           (unsigned)rejoins_started(rs), (unsigned)rs->rejoins);
    printf("uav: report voter_restart requested=%u\n", (unsigned)s->voter_restarts);
    printf("uav: report sensor_to_vote_max period=%u\n", (unsigned)s->lat_max_period);
    printf("uav: report timing sensor_to_actuator_us avg=%llu max=%llu vote_us avg=%llu max=%llu\n",
           (unsigned long long)(plant->s2a_n ? plant->s2a_sum_ns / 1000u / plant->s2a_n : 0),
           (unsigned long long)plant->s2a_max_us,
           (unsigned long long)(s->vote_n ? s->vote_sum_ns / 1000u / s->vote_n : 0),
           (unsigned long long)(s->vote_max_ns / 1000u));
    if (s->ms->square_side > 0.0)
        printf("uav: report square corners=%u corner_err_max=%s m square_alt_max=%s m\n", (unsigned)s->corners,
               milli(a, s->corner_err_max), milli(b, s->square_alt_max));
    printf("uav: report landing phase=%s on_ground=%u touchdown=%s m/s armed=%u motors_off=%u\n",
           s->phase == PHASE_LAND ? "land" : s->phase == PHASE_FLY ? "fly" : "disarmed", (unsigned)s->on_ground,
           milli(c, s->touchdown_mm_s / 1000.0), (unsigned)s->armed, (unsigned)s->motors_off);
    char roles[64];
    size_t r = 0;
    for (uint32_t id = 0; id < rs->cfg.replicas && id < TMR_MAX_REPLICAS; id++)
        r += (size_t)snprintf(roles + r, sizeof roles - r, "%s%c=%s", id ? " " : "", 'a' + (int)id,
                              tmr_role_name(rs->rep[id].role));
    printf("uav: report roles slots=%u %s\n", (unsigned)rs->nslots, roles);
    printf("uav: report end\n");
    (void)g;
}
