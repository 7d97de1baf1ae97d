/* I/O sandbox failover: the plan (see io_failover.h). */
#include "io_failover.h"

uint32_t failover_writer_now(const struct triad_table_body *b, uint32_t swapped, uint32_t i)
{
    if ((i >= b->channel_count) || (i >= TRIAD_MAX_CHANNELS)) {
        return TRIAD_NONE;
    }
    const struct triad_channel *ch = &b->channels[i];
    if ((ch->shadow_writer != 0u) && (((swapped >> i) & 1u) != 0u)) {
        return (uint32_t)ch->shadow_writer - 1u;
    }
    return ch->writer;
}

/* The other member of channel i's {writer, shadow writer} pair than the
   one writing now; TRIAD_NONE without a shadow. */
/*@ requires \valid_read(b) && i < TRIAD_MAX_CHANNELS;
    assigns \nothing; */
static uint32_t shadow_now(const struct triad_table_body *b, uint32_t swapped, uint32_t i)
{
    const struct triad_channel *ch = &b->channels[i];
    if (ch->shadow_writer == 0u) {
        return TRIAD_NONE;
    }
    return (((swapped >> i) & 1u) != 0u) ? ch->writer : ((uint32_t)ch->shadow_writer - 1u);
}

uint32_t failover_shadowed(const struct triad_table_body *b, uint32_t swapped, uint32_t sb)
{
    uint32_t mask = 0;
    /*@ loop assigns i, mask; loop variant TRIAD_MAX_CHANNELS - i; */
    for (uint32_t i = 0; (i < b->channel_count) && (i < TRIAD_MAX_CHANNELS); i++) {
        if (shadow_now(b, swapped, i) == sb) {
            mask |= 1u << i;
        }
    }
    return mask;
}

int failover_plan(const struct triad_table_body *b, uint32_t swapped, uint32_t failed, uint32_t halted,
                  uint32_t recovering, struct failover_plan *out)
{
    out->from = (uint8_t)failed;
    out->to = (uint8_t)TRIAD_NONE;
    out->channel_count = 0;
    if ((failed >= b->sandbox_count) || (failed >= TRIAD_MAX_SANDBOXES)) {
        return FO_E_SANDBOX;
    }
    uint32_t to = TRIAD_NONE;
    uint32_t n = 0;
    /*@ loop assigns i, to, n, out->channels[0 .. TRIAD_MAX_CHANNELS - 1];
        loop invariant n <= i;
        loop variant TRIAD_MAX_CHANNELS - i; */
    for (uint32_t i = 0; (i < b->channel_count) && (i < TRIAD_MAX_CHANNELS); i++) {
        const uint32_t other = shadow_now(b, swapped, i);
        if ((other == TRIAD_NONE) || (failover_writer_now(b, swapped, i) != failed)) {
            continue;
        }
        if ((to != TRIAD_NONE) && (other != to)) {
            return FO_E_INCONSISTENT;
        }
        to = other;
        out->channels[n] = (uint8_t)i;
        n++;
    }
    if ((n == 0u) || (to >= b->sandbox_count) || (to == failed)) {
        return FO_E_NOT_DECLARED;
    }
    out->to = (uint8_t)to;
    if (((halted >> to) & 1u) != 0u) {
        return FO_E_STANDBY_HALTED;
    }
    if (((recovering >> to) & 1u) != 0u) {
        return FO_E_STANDBY_RECOVERING;
    }
    out->channel_count = (uint8_t)n;
    return FO_OK;
}

/* Bit i: sb is channel i's writer or shadow writer (either role). */
/*@ requires \valid_read(b) && b->channel_count <= TRIAD_MAX_CHANNELS;
    assigns \nothing; */
static uint32_t pair_channels(const struct triad_table_body *b, uint32_t sb)
{
    uint32_t mask = 0;
    /*@ loop assigns i, mask; loop variant TRIAD_MAX_CHANNELS - i; */
    for (uint32_t i = 0; (i < b->channel_count) && (i < TRIAD_MAX_CHANNELS); i++) {
        const struct triad_channel *ch = &b->channels[i];
        if ((ch->shadow_writer != 0u) && ((ch->writer == sb) || (((uint32_t)ch->shadow_writer - 1u) == sb))) {
            mask |= 1u << i;
        }
    }
    return mask;
}

int failover_request_check(const struct triad_table_body *b, uint32_t swapped, uint32_t caller, uint32_t target)
{
    if ((caller >= b->sandbox_count) || (target >= b->sandbox_count)) {
        return FO_E_SANDBOX;
    }
    if (caller == target) {
        return FO_POLICY;                 /* its own restart: the usual policy */
    }
    const uint32_t pair = pair_channels(b, target);
    if (pair == 0u) {
        return FO_POLICY;
    }
    const uint32_t shadowed = failover_shadowed(b, swapped, target);
    if (shadowed == pair) {
        return FO_E_NOT_CURRENT;          /* target writes none of them now */
    }
    /* target writes some of its pair channels now: the caller must be
       the shadow of every one of them */
    /*@ loop assigns i; loop variant TRIAD_MAX_CHANNELS - i; */
    for (uint32_t i = 0; (i < b->channel_count) && (i < TRIAD_MAX_CHANNELS); i++) {
        if ((((pair & ~shadowed) >> i) & 1u) != 0u) {
            if (shadow_now(b, swapped, i) != caller) {
                return FO_E_NOT_STANDBY;
            }
        }
    }
    return FO_OK;
}

uint32_t failover_voter_now(const struct triad_table_body *b, uint32_t swapped, uint32_t g)
{
    if ((g >= b->tmr_group_count) || (g >= TRIAD_MAX_TMR_GROUPS)) {
        return TRIAD_NONE;
    }
    const struct triad_tmr_group *grp = &b->tmr_groups[g];
    const uint32_t in = grp->input_channel;
    if ((in < b->channel_count) && (in < TRIAD_MAX_CHANNELS) && (b->channels[in].shadow_writer != 0u) &&
        (b->channels[in].writer == grp->voter)) {
        return failover_writer_now(b, swapped, in);
    }
    return grp->voter;
}

const char *failover_result_name(int r)
{
    switch (r) {
    case FO_OK:                   return "ok";
    case FO_E_SANDBOX:            return "no-such-sandbox";
    case FO_E_NOT_DECLARED:       return "no-voter-standby";
    case FO_E_INCONSISTENT:       return "shadows-differ";
    case FO_E_STANDBY_HALTED:     return "standby-not-running";
    case FO_E_STANDBY_RECOVERING: return "standby-in-recovery";
    case FO_E_NOT_STANDBY:        return "not-voter-standby";
    case FO_E_NOT_CURRENT:        return "not-current-voter";
    case FO_POLICY:               return "tmr-policy";
    default:                      return "unknown";
    }
}
