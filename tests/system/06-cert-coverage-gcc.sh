# Certification input for make test's package (test 95): gcc --coverage build
# of every host test and its run, then gcovr (statement and branch coverage),
# stamped (tests/system/cert_coverage_lib.sh).
# REQ: ANA-COV-001
. tests/system/cert_coverage_lib.sh
coverage_part gcc
finish
