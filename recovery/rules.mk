# recovery/: the health monitor's pure decision logic (linked into the
# monitor through MONITOR_SRCS in monitor/rules.mk) and its host tests.
$(eval $(call host_test,recovery/test_health,tests/unit/recovery/test_health.c recovery/health.c,-Irecovery -Imonitor $(SANITIZE)))
