# tmr/: voter, replica-set management, state digest; host tests and the
# Frama-C proof of the voter.  (The TMR closed-loop test uses tools/sim and
# the flight controller; their variables come from tools/sim/rules.mk.)
TMR_SANITIZE := -fsanitize=address,undefined -fno-sanitize-recover=all

$(eval $(call host_test,tmr/test_voter,tests/unit/tmr/test_voter.c tmr/voter.c,-Itmr $(TMR_SANITIZE)))
$(eval $(call host_test,tmr/test_replica_set,tests/unit/tmr/test_replica_set.c tmr/replica_set.c tmr/voter.c tmr/digest.c,-Itmr $(TMR_SANITIZE)))
# io_voter's typed commands (the in-sandbox voter's console; pure parsing and refusals).
$(eval $(call host_test,tmr/test_io_console,tests/unit/tmr/test_io_console.c sandbox-kernel/programs/io_voter/io_console.c tmr/replica_set.c tmr/voter.c tmr/digest.c,-Itmr -Isandbox-kernel/programs/io_voter $(TMR_SANITIZE)))
$(eval $(call host_test,tmr/test_tmr_flight,tests/unit/tmr/test_tmr_flight.c $(filter-out tools/sim/main.c,$(wildcard tools/sim/*.c)) $(wildcard sandbox-kernel/programs/flightctl/*.c) tmr/voter.c tmr/replica_set.c tmr/digest.c,-Itmr -Isandbox-kernel/programs/flightctl -Itools/sim -ffp-contract=off -fno-math-errno $(TMR_SANITIZE) -lm))

# Frama-C/WP over tmr/voter.c; fails unless every goal is Valid.
.PHONY: proofs-tmr
proofs-tmr: | $(DEPS_STAMP)
	@proofs/tmr/run.sh $(BUILD)/proofs/tmr
PROOF_TARGETS += proofs-tmr
