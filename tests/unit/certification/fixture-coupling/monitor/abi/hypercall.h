/* Fixture (tests/unit/certification/test_certgen.sh): the hypercall numbers
   the coupling analysis reads. */
enum triad_hc {
    TRIAD_HC_PING = 1,
    TRIAD_HC_FAULT_LOG = 2,
    TRIAD_HC_COUNT = 3
};
