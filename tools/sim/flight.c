/* Closed-loop engine (see flight.h).  Per period: the "I/O sandbox" part
 * samples the sensors and stamps the frame, the controller replicas step,
 * the replica set votes, the command drives one plant step.  Restarting a
 * failed replica means what the recovery sandbox will do: reset it to its
 * pristine initial state, then load the majority's published state. */
#include <math.h>
#include <string.h>
#include "flight.h"
#include "flightctl.h"
#include "fc_replica.h"
#include "mission.h"
#include "prng.h"
#include "quad_model.h"
#include "sensors.h"

#define RAD2DEG (180.0 / 3.14159265358979323846)

void flight_default_config(struct flight_config *c)
{
    *c = (struct flight_config){ .rate_hz = FC_DEFAULT_RATE_HZ, .substeps = 4, .seed = 1,
                                 .tmr = 0, .restart_delay = 5 };
    tmr_rs_default_config(&c->rs);
}

struct replica {
    struct fc_state state;            /* private memory of the replica's sandbox */
    struct replica_output out;        /* its output channel (latest slot) */
    int published;                    /* out holds something */
    int hung;
    int garbage;
    uint32_t restart_at;              /* period the restart completes, 0 = none pending */
};

struct loop {
    const struct flight_config *c;
    struct fc_params fp;
    struct replica rep[TMR_MAX_REPLICAS];
    struct tmr_replica_set rs;
    uint32_t nrep;
};

static void inject(struct loop *L, uint32_t period, struct flight_metrics *m)
{
    for (uint32_t i = 0; i < L->c->nfaults; i++) {
        const struct flight_fault *f = &L->c->fault[i];
        if (f->period != period || f->replica >= L->nrep)
            continue;
        struct replica *r = &L->rep[f->replica];
        if (f->kind == FAULT_FLIP) {
            uint32_t words[sizeof r->state / 4];
            memcpy(words, &r->state, sizeof words);
            words[f->word % (sizeof words / 4)] ^= 1u << (f->bit % 32);
            memcpy(&r->state, words, sizeof words);
        } else if (f->kind == FAULT_HANG) {
            r->hung = 1;
        } else if (f->kind == FAULT_GARBAGE) {
            r->garbage = 1;
        }
        if (f->kind != FAULT_NONE && !m->first_fault_period)
            m->first_fault_period = period;
    }
}

/* Steps every replica that is running; returns the trace of the first one
 * that stepped, for the log. */
static void step_replicas(struct loop *L, const struct sensor_frame *f, struct fc_trace *trace)
{
    int traced = 0;
    for (uint32_t id = 0; id < L->nrep; id++) {
        struct replica *r = &L->rep[id];
        if (r->hung || r->restart_at)
            continue;                 /* its channel keeps the old output */
        struct fc_trace t;
        if (fc_replica_step(&L->fp, &r->state, f, id, &r->out, &t) == FC_OK) {
            r->published = 1;
            if (!traced && (!L->c->tmr || L->rs.rep[id].role == TMR_ROLE_ACTIVE)) {
                *trace = t;
                traced = 1;
            }
        }
        if (r->garbage)
            r->out.motor[id % TMR_MOTORS] = 0xFFFF;
    }
}

/* Failed replicas are restarted after restart_delay periods. */
static void recover(struct loop *L, uint32_t period)
{
    for (uint32_t id = 0; id < L->nrep; id++) {
        struct replica *r = &L->rep[id];
        if (L->rs.rep[id].role != TMR_ROLE_FAILED) {
            continue;
        }
        if (!r->restart_at) {
            r->restart_at = period + (L->c->restart_delay ? L->c->restart_delay : 1);
            continue;
        }
        if (period < r->restart_at)
            continue;
        uint32_t src = tmr_rs_transfer_source(&L->rs);
        if (src == TMR_NO_REPLICA)
            continue;                 /* no majority to copy from: try next period */
        /* The pristine image starts from the initial state, then loads the
         * majority's; a restart clears whatever fault the replica had. */
        fc_state_init(&r->state);
        r->hung = r->garbage = 0;
        if (fc_replica_load(&r->state, &L->rep[src].out) != 0)
            continue;
        r->restart_at = 0;
        r->published = 0;
        tmr_rs_rejoin(&L->rs, id, period);
    }
}

static void metrics_period(const struct flight_config *c, const struct mission *ms,
                           const struct flight_sample *s, const struct quad_state *q,
                           struct flight_metrics *m, double *hover_sq, uint32_t *hover_n)
{
    double t = s->t;
    double tilt = acos(fmin(1.0, fmax(-1.0, cos(s->euler[0]) * cos(s->euler[1])))) * RAD2DEG;
    if (!q->on_ground) {
        if (tilt > m->max_tilt_deg)
            m->max_tilt_deg = tilt;
        for (int i = 0; i < 2; i++) {
            double e = fabs(s->euler[i] - s->att_sp[i]) * RAD2DEG;
            if (e > m->max_att_err_deg)
                m->max_att_err_deg = e;
        }
    }
    double ez = fabs(s->pos[2] - ms->alt);
    if (t >= ms->t_hover + 3.0 && t < ms->t_step) {
        *hover_sq += ez * ez;
        (*hover_n)++;
        if (ez > m->hover_max)
            m->hover_max = ez;
    }
    if (ms->square_side > 0.0 && t >= ms->t_step) {
        /* the last period of each leg: how far from its corner */
        for (int k = 1; k <= 4; k++) {
            double end = ms->t_step + k * ms->leg;
            if (fabs(t - (end - 1.0 / c->rate_hz)) < 0.5 / c->rate_hz) {
                double cx = (k == 1 || k == 2) ? ms->square_side : 0.0;
                double cy = (k == 2 || k == 3) ? ms->square_side : 0.0;
                double e = sqrt((s->pos[0] - cx) * (s->pos[0] - cx) + (s->pos[1] - cy) * (s->pos[1] - cy));
                if (e > m->corner_err_max)
                    m->corner_err_max = e;
            }
        }
    }
    if (t >= ms->t_step && t < (ms->t_down > 0.0 ? ms->t_down : ms->t_land)) {
        if (ez > m->step_alt_max)
            m->step_alt_max = ez;
        double over = s->pos[0] - ms->step_x;
        if (over > m->step_overshoot)
            m->step_overshoot = over;
        if (m->step_rise_s == 0.0 && s->pos[0] >= 0.9 * ms->step_x)
            m->step_rise_s = t - ms->t_step;
        if (fabs(t - (ms->t_land - 1.0)) < 0.5 / c->rate_hz)
            m->step_final_err = fabs(s->pos[0] - ms->step_x);
    }
}

int flight_run(const struct flight_config *c, struct flight_metrics *m,
               void (*on_period)(void *, const struct flight_sample *,
                                 const struct tmr_replica_set *),
               void *ctx)
{
    if (!c || !m || c->rate_hz < 50 || c->rate_hz > 2000 || c->substeps < 1)
        return -1;
    static struct loop L;             /* one run at a time; keeps the stack small */
    memset(&L, 0, sizeof L);
    L.c = c;
    fc_params_default(&L.fp, c->rate_hz);
    L.nrep = c->tmr ? c->rs.replicas : 1;
    if (c->tmr && tmr_rs_init(&L.rs, &c->rs) != 0)
        return -1;
    for (uint32_t id = 0; id < L.nrep; id++)
        fc_state_init(&L.rep[id].state);

    struct quad_params qp;
    struct quad_state q;
    struct sensor_params sp;
    struct sim_rng rng;
    struct mission ms;
    quad_params_default(&qp);
    quad_init(&q);
    sensor_params_default(&sp);
    sim_rng_seed(&rng, c->seed);
    if (c->square_side > 0.0)
        mission_square(&ms, c->rate_hz, c->square_alt, c->square_side, c->square_leg);
    else
        mission_default(&ms, c->rate_hz);

    memset(m, 0, sizeof *m);
    double hover_sq = 0.0, dt = 1.0 / c->rate_hz;
    uint32_t hover_n = 0, periods = mission_periods(&ms);
    for (uint32_t period = 1; period <= periods; period++) {
        struct sensor_frame f;
        memset(&f, 0, sizeof f);
        f.version = TMR_FRAME_VERSION;
        f.seq = period;
        f.time_us = (uint64_t)period * 1000000u / c->rate_hz;
        sensors_sample(&sp, &rng, &q, period, &f);
        mission_setpoint(&ms, period, &f);

        inject(&L, period, m);
        struct fc_trace trace = { { 0, 0, 0 }, 0 };
        step_replicas(&L, &f, &trace);

        struct actuator_cmd cmd = { .seq = period };
        if (c->tmr) {
            const struct replica_output *outs[TMR_MAX_REPLICAS] = { 0 };
            for (uint32_t id = 0; id < L.nrep; id++)
                outs[id] = L.rep[id].published ? &L.rep[id].out : 0;
            tmr_rs_period(&L.rs, outs, period, &cmd, 0);
            recover(&L, period);
            if (L.rs.failures && !m->first_failed_period)
                m->first_failed_period = period;
            if (L.rs.promotions && !m->first_promoted_period)
                m->first_promoted_period = period;
            if (L.rs.rejoins && !m->first_rejoined_period)
                m->first_rejoined_period = period;
        } else {
            for (unsigned k = 0; k < TMR_MOTORS; k++)
                cmd.motor[k] = L.rep[0].published ? L.rep[0].out.motor[k] : 0;
            cmd.vote_status = TMR_VOTE_UNANIMOUS;
        }
        quad_step(&qp, &q, cmd.motor, dt, (int)c->substeps);

        struct flight_sample s = { .period = period, .t = period * dt, .phase = f.phase,
                                   .vote_status = cmd.vote_status };
        for (int i = 0; i < 3; i++) {
            s.pos[i] = q.pos[i];
            s.vel[i] = q.vel[i];
            s.att_sp[i] = trace.att_sp[i];
            s.est_pos[i] = L.rep[0].state.pos[i];
        }
        quad_euler(&q, s.euler);
        for (int i = 0; i < 4; i++)
            s.setpoint[i] = f.setpoint[i];
        for (unsigned k = 0; k < TMR_MOTORS; k++)
            s.motor[k] = cmd.motor[k];
        if (c->tmr) {
            for (uint32_t id = 0; id < TMR_MAX_REPLICAS; id++)
                s.roles |= (L.rs.rep[id].role & 0xFu) << (4 * id);
            s.nslots = L.rs.nslots;
        }
        metrics_period(c, &ms, &s, &q, m, &hover_sq, &hover_n);
        if (on_period)
            on_period(ctx, &s, c->tmr ? &L.rs : 0);
        m->periods = period;
    }
    m->hover_rms = hover_n ? sqrt(hover_sq / hover_n) : 0.0;
    m->touchdown_speed = q.max_touchdown_speed;
    m->crashed = q.crashed;
    for (int i = 0; i < 3; i++)
        m->final_pos[i] = q.pos[i];
    m->landed = q.on_ground;
    uint32_t ref = c->tmr ? (L.rs.nslots ? L.rs.slot[0] : 0) : 0;
    m->disarmed = !(L.rep[ref].state.flags & REPLICA_FLAG_ARMED);
    if (c->tmr) {
        m->failures = L.rs.failures;
        m->promotions = L.rs.promotions;
        m->rejoins = L.rs.rejoins;
        m->no_majority_periods = L.rs.no_majority_periods;
        m->events = L.rs.ev_total;
    }
    return 0;
}
