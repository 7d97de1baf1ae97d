# Fixture system test: its checks exercise the fixture's couplings.
# REQ: FIX-B-001
check "ping answered" true
check "fault log read by right" true
check "kernel found the monitor by CPUID" true
check "right received left's value over the channel ($n)" true
