# Certification input for make test's package (test 95): clang-19
# -fcoverage-mcdc build of the monitor's, the voter's and the channels' host
# tests and their run, then llvm-cov (MC/DC), stamped
# (tests/system/cert_coverage_lib.sh).
# REQ: ANA-COV-001
. tests/system/cert_coverage_lib.sh
coverage_part mcdc
finish
