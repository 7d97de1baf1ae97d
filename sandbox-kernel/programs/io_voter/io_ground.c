/* The voter's side of the ground link (io_ground.h). */
#include <stdio.h>
#include <string.h>
#include "io_ground.h"
#include "../../net/user/triad_socket.h"

/* MAV_SEVERITY: 2 critical, 3 error, 4 warning, 5 notice. */
static unsigned severity_of(const char *what)
{
    /* The voter commands the safe value from now on: flight termination;
       or, after the operator's accepted exit, the voted command again: the
       motors are live once more, as critical a change for the ground. */
    if (!strcmp(what, "system-safe-mode") || !strcmp(what, "safe-mode-left"))
        return 2;
    if (!strcmp(what, "failed") || !strcmp(what, "no-majority") || !strcmp(what, "safe-command"))
        return 3;
    if (!strcmp(what, "disagree") || !strcmp(what, "late") || !strcmp(what, "invalid") ||
        !strcmp(what, "corrupt-command") || !strcmp(what, "degraded"))
        return 4;
    return 5;
}

void io_ground_event(uint32_t k, const char *what, uint32_t replica)
{
    char text[TRIAD_NET_EVENT_TEXT + 1];
    char who = replica < TMR_MAX_REPLICAS ? (char)('a' + replica) : '-';
    snprintf(text, sizeof text, "TMR p%u: %s %c", (unsigned)k, what, who);
    tnet_event_post(severity_of(what), text);   /* never blocks: a full queue drops its oldest */
}

void io_ground_state(uint32_t k, uint32_t rate, uint32_t phase, const struct sim_msg *sm,
                     const struct tmr_replica_set *rs, const struct tmr_vote_result *v)
{
    struct triad_flight_state fs;
    memset(&fs, 0, sizeof fs);
    /* Armed while the voted command drives a motor: the landing phase ends
       with the motors off and the vehicle on the ground, and the ground
       station must then see it disarmed (the phase alone stays "landing"). */
    const int motors_on = (v->motor[0] | v->motor[1] | v->motor[2] | v->motor[3]) != 0;
    fs.period = k;
    fs.time_us = (uint64_t)k * 1000000ull / rate;
    fs.flags = (phase != 0 && motors_on ? TRIAD_FS_ARMED : 0) |
               (v->status == TMR_VOTE_UNANIMOUS || v->status == TMR_VOTE_MAJORITY ? TRIAD_FS_VOTED : 0) |
               (rs->nslots < 3 ? TRIAD_FS_DEGRADED : 0);
    fs.roll = sm->euler[0];
    fs.pitch = -sm->euler[1];       /* FLU body (nose up positive about y-left) -> FRD */
    fs.yaw = -sm->euler[2];         /* yaw left positive -> yaw right positive */
    fs.x = sm->pos[0];              /* world x forward (north), y left, z up -> NED */
    fs.y = -sm->pos[1];
    fs.z = -sm->pos[2];
    fs.vx = sm->vel[0];
    fs.vy = -sm->vel[1];
    fs.vz = -sm->vel[2];
    fs.replicas_active = (uint8_t)rs->nslots;
    fs.phase = (uint8_t)phase;
    fs.disagreements = (uint16_t)rs->failures;
    tnet_state_put(&fs);
}
