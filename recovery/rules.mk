# recovery/: the health monitor's pure decision logic (linked into the
# monitor through MONITOR_SRCS in monitor/rules.mk) and its host tests.
$(eval $(call host_test,recovery/test_health,tests/unit/recovery/test_health.c recovery/health.c,-Irecovery -Imonitor $(SANITIZE)))
$(eval $(call host_test,recovery/test_device_handover,tests/unit/recovery/test_device_handover.c recovery/device_handover.c,-Irecovery -Imonitor $(SANITIZE)))
$(eval $(call host_test,recovery/test_io_failover,tests/unit/recovery/test_io_failover.c recovery/io_failover.c,-Irecovery -Imonitor $(SANITIZE)))
$(eval $(call host_test,recovery/test_driver_watchdog,tests/unit/recovery/test_driver_watchdog.c recovery/driver_watchdog.c,-Irecovery $(SANITIZE)))
# The NIC driver watchdog's verdicts, linked into the sandbox kernel
# (KERNEL_OBJS in sandbox-kernel/rules.mk).
$(BUILD)/recovery/%.c.o: recovery/%.c
	@mkdir -p $(@D)
	@echo "CC    $<"
	@$(CC) $(KERNEL_CFLAGS) -Irecovery -c -o $@ $<
