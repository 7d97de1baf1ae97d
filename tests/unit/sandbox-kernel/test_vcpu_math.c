/* Host tests of the VCPU scheduling arithmetic the kernel runs (sandbox-kernel/sched/vcpu_math.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <math.h>
#include <cmocka.h>
#include "sched/vcpu_math.h"

#define MS 1000000ull

static void ss_starts_with_full_budget(void **state)
{
    (void)state;
    struct sporadic_server s;
    ss_init(&s, 20 * MS, 100 * MS, 5);
    assert_int_equal(ss_budget(&s, 5), 20 * MS);
    assert_int_equal(ss_budget(&s, 4), 0);              /* not yet released */
    assert_int_equal(ss_total(&s), 20 * MS);
    assert_int_equal(ss_next_replenishment(&s, 5), UINT64_MAX);
}

static void ss_charge_moves_budget_one_period_later(void **state)
{
    (void)state;
    struct sporadic_server s;
    ss_init(&s, 20 * MS, 100 * MS, 0);
    ss_charge(&s, 10 * MS, 5 * MS, 15 * MS);
    assert_int_equal(ss_budget(&s, 15 * MS), 15 * MS);
    assert_int_equal(ss_total(&s), 20 * MS);
    assert_int_equal(ss_next_replenishment(&s, 15 * MS), 110 * MS);
    assert_int_equal(ss_budget(&s, 110 * MS), 20 * MS);
}

static void ss_exhaustion_leaves_no_budget_until_replenished(void **state)
{
    (void)state;
    struct sporadic_server s;
    ss_init(&s, 20 * MS, 100 * MS, 0);
    ss_charge(&s, 0, 20 * MS, 20 * MS);
    assert_int_equal(ss_budget(&s, 20 * MS), 0);
    assert_int_equal(ss_budget(&s, 99 * MS), 0);
    assert_int_equal(ss_budget(&s, 100 * MS), 20 * MS);
    assert_int_equal(ss_total(&s), 20 * MS);
}

static void ss_background_use_is_not_charged(void **state)
{
    (void)state;
    struct sporadic_server s;
    ss_init(&s, 20 * MS, 100 * MS, 0);
    ss_charge(&s, 0, 20 * MS, 20 * MS);
    ss_charge(&s, 20 * MS, 30 * MS, 50 * MS);           /* ran in background: no budget left */
    assert_int_equal(ss_total(&s), 20 * MS);
    assert_int_equal(s.count, 1);
    assert_int_equal(s.repl[0].time, 100 * MS);
}

static void ss_charge_spans_several_replenishments(void **state)
{
    (void)state;
    struct sporadic_server s;
    ss_init(&s, 20 * MS, 100 * MS, 0);
    ss_charge(&s, 0, 5 * MS, 5 * MS);                    /* 5 at 100 */
    ss_charge(&s, 10 * MS, 5 * MS, 15 * MS);             /* 5 at 110 */
    ss_charge(&s, 20 * MS, 10 * MS, 30 * MS);            /* 10 at 120: list empty now */
    assert_int_equal(ss_budget(&s, 30 * MS), 0);
    assert_int_equal(s.count, 3);
    /* At 115 ms two replenishments (10 ms) are back; use 7 ms across both. */
    ss_charge(&s, 115 * MS, 7 * MS, 122 * MS);
    assert_int_equal(ss_total(&s), 20 * MS);
    assert_int_equal(ss_budget(&s, 122 * MS), 13 * MS);
    for (unsigned i = 1; i < s.count; i++)
        assert_true(s.repl[i - 1].time <= s.repl[i].time);
}

static void ss_full_list_merges_conservatively(void **state)
{
    (void)state;
    struct sporadic_server s;
    ss_init(&s, 64 * MS, 1000 * MS, 0);
    for (unsigned i = 0; i < SS_MAX_REPL + 10; i++)
        ss_charge(&s, i * 2 * MS, 1 * MS, i * 2 * MS + 1 * MS);
    assert_true(s.count <= SS_MAX_REPL);
    assert_int_equal(ss_total(&s), 64 * MS);
    /* No budget may come back earlier than one period after its use. */
    assert_int_equal(ss_budget(&s, 999 * MS), 64 * MS - (SS_MAX_REPL + 10) * MS);
    for (unsigned i = 1; i < s.count; i++)
        assert_true(s.repl[i - 1].time <= s.repl[i].time);
}

/* Simulates a greedy task on one server for a long time: it never gets more than C in any window of T. */
static void ss_never_exceeds_C_per_T(void **state)
{
    (void)state;
    struct sporadic_server s;
    uint64_t C = 20 * MS, T = 100 * MS, t = 0, consumed = 0;
    ss_init(&s, C, T, 0);
    uint64_t runs_start[4096], runs_len[4096];
    unsigned nruns = 0;
    while (t < 2000 * MS && nruns < 4096) {
        uint64_t b = ss_budget(&s, t);
        if (b == 0) {
            t = ss_next_replenishment(&s, t);
            continue;
        }
        uint64_t slice = b < 3 * MS ? b : 3 * MS;       /* preempted every 3 ms */
        ss_charge(&s, t, slice, t + slice);
        runs_start[nruns] = t;
        runs_len[nruns++] = slice;
        consumed += slice;
        t += slice + 1 * MS;
        assert_int_equal(ss_total(&s), C);
    }
    for (uint64_t w = 0; w + T <= 2000 * MS; w += MS) {
        uint64_t in = 0;
        for (unsigned i = 0; i < nruns; i++) {
            uint64_t a = runs_start[i], e = a + runs_len[i];
            uint64_t lo = a > w ? a : w, hi = e < w + T ? e : w + T;
            if (hi > lo)
                in += hi - lo;
        }
        assert_true(in <= C);
    }
    assert_true(consumed >= 19 * 20 * MS);              /* and it does get its share */
}

static void pibs_eligibility_follows_actual_use(void **state)
{
    (void)state;
    struct pibs_server p;
    pibs_init(&p, 100000000, 10 * MS);                   /* U = 10%, T = 10 ms: 1 ms budget */
    assert_int_equal(pibs_budget(&p, 0), 1 * MS);
    pibs_charge(&p, 50 * MS, 200000, 1);                 /* 0.2 ms then blocked */
    assert_int_equal(p.eligible_at, 50 * MS + 2 * MS);  /* t + C_actual / U */
    assert_int_equal(pibs_budget(&p, 51 * MS), 0);
    assert_int_equal(pibs_budget(&p, 52 * MS), 1 * MS);
}

static void pibs_run_in_pieces_counts_from_its_start(void **state)
{
    (void)state;
    struct pibs_server p;
    pibs_init(&p, 250000000, 4 * MS);                    /* 25% of 4 ms: 1 ms */
    pibs_charge(&p, 10 * MS, 400000, 0);                 /* preempted */
    assert_int_equal(pibs_budget(&p, 11 * MS), 600000);
    pibs_charge(&p, 12 * MS, 600000, 0);                 /* budget spent: window ends */
    assert_int_equal(p.eligible_at, 10 * MS + 4 * MS);
    assert_int_equal(pibs_budget(&p, 14 * MS), 1 * MS);
}

static void pibs_inherits_period(void **state)
{
    (void)state;
    struct pibs_server p;
    pibs_init(&p, 100000000, 10 * MS);
    pibs_inherit(&p, 100 * MS);
    assert_int_equal(p.T, 100 * MS);
    assert_int_equal(pibs_budget(&p, 0), 10 * MS);
}

static void utilizations_round_up(void **state)
{
    (void)state;
    assert_int_equal(util_main_ppb(20000, 100000), 200000000);
    assert_int_equal(util_main_ppb(1, 3), 333333334);
    assert_int_equal(util_io_ppb(100000000), 190000000);  /* (2 - 0.1) * 0.1 */
    assert_int_equal(util_io_ppb(1000000000), 1000000000);
}

static void bound_table_matches_libm(void **state)
{
    (void)state;
    for (unsigned n = 1; n <= ADMIT_MAX_MAIN; n++) {
        double exact = n * (pow(2.0, 1.0 / n) - 1.0) * 1e9;
        assert_true(liu_layland_bound_ppb[n - 1] <= (uint64_t)exact);
        assert_true((uint64_t)exact - liu_layland_bound_ppb[n - 1] <= 1);
    }
    for (unsigned n = 1; n < ADMIT_MAX_MAIN; n++)
        assert_true(liu_layland_bound_ppb[n] < liu_layland_bound_ppb[n - 1]);
}

static void admission_accepts_under_and_refuses_over(void **state)
{
    (void)state;
    /* Two Main VCPUs: 20/100 and 10/50 (0.4), one I/O VCPU of 10% (0.19): 0.59 <= 0.828. */
    struct vcpu_set_load l = { 2, util_main_ppb(20000, 100000) + util_main_ppb(10000, 50000) + util_io_ppb(100000000) };
    assert_true(admission_ok(&l));
    /* Two Main VCPUs of 50% each: 1.0 > 0.828. */
    l = (struct vcpu_set_load){ 2, 2 * util_main_ppb(50000, 100000) };
    assert_false(admission_ok(&l));
    /* Exactly at the bound for one VCPU (100%) is accepted; one ppb more is not. */
    l = (struct vcpu_set_load){ 1, PPB };
    assert_true(admission_ok(&l));
    l.load_ppb = PPB + 1;
    assert_false(admission_ok(&l));
    l = (struct vcpu_set_load){ ADMIT_MAX_MAIN + 1, 0 };
    assert_false(admission_ok(&l));
    /* Only I/O VCPUs: judged against n = 1. */
    l = (struct vcpu_set_load){ 0, util_io_ppb(500000000) };
    assert_true(admission_ok(&l));
}

static void bad_parameters_are_refused(void **state)
{
    (void)state;
    assert_int_equal(vcpu_params_valid_main(20000, 100000), 0);
    assert_int_equal(vcpu_params_valid_main(0, 100000), -1);
    assert_int_equal(vcpu_params_valid_main(100, 0), -1);
    assert_int_equal(vcpu_params_valid_main(200, 100), -1);
    assert_int_equal(vcpu_params_valid_main(1, 1000000001ull), -1);
    assert_int_equal(vcpu_params_valid_io(0), -1);
    assert_int_equal(vcpu_params_valid_io(PPB + 1), -1);
    assert_int_equal(vcpu_params_valid_io(PPB), 0);
}

/* REQ: KRN-SCHED-001 */
int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ss_starts_with_full_budget),
        cmocka_unit_test(ss_charge_moves_budget_one_period_later),
        cmocka_unit_test(ss_exhaustion_leaves_no_budget_until_replenished),
        cmocka_unit_test(ss_background_use_is_not_charged),
        cmocka_unit_test(ss_charge_spans_several_replenishments),
        cmocka_unit_test(ss_full_list_merges_conservatively),
        cmocka_unit_test(ss_never_exceeds_C_per_T),
        cmocka_unit_test(pibs_eligibility_follows_actual_use),
        cmocka_unit_test(pibs_run_in_pieces_counts_from_its_start),
        cmocka_unit_test(pibs_inherits_period),
        cmocka_unit_test(utilizations_round_up),
        cmocka_unit_test(bound_table_matches_libm),
        cmocka_unit_test(admission_accepts_under_and_refuses_over),
        cmocka_unit_test(bad_parameters_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
