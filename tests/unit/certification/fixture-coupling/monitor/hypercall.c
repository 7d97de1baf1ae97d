/* Fixture: a monitor with two hypercalls, in the form coupling.py reads
   (a table of known numbers, a dispatcher switch, one handler each). */
static int64_t hc_ping(struct core *c, const struct triad_sandbox *s, const struct guest_regs *r)
{
    return 0;
}

static int64_t hc_fault_log(struct core *c, const struct triad_sandbox *s, const struct guest_regs *r)
{
    uint32_t n = fault_log_copy(r->rsi);
    return copy_out(c, r->rsi, n);
}

static const struct { uint8_t known, ptr_arg, size_arg; } table[TRIAD_HC_COUNT] = {
    [TRIAD_HC_PING]      = { 1, 0, 0 },
    [TRIAD_HC_FAULT_LOG] = { 1, 2, 3 },
};

static int64_t run_handler(uint64_t nr, struct core *c, const struct triad_sandbox *s,
                           const struct guest_regs *r)
{
    switch (nr) {
    case TRIAD_HC_PING:      return hc_ping(c, s, r);
    case TRIAD_HC_FAULT_LOG: return hc_fault_log(c, s, r);
    default:                 return TRIAD_E_NOSYS;
    }
}
