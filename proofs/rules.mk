# proofs/: Frama-C/WP proofs, one phony target per module of
# proofs/wp/modules.list, all in PROOF_TARGETS, so `make -j2 proofs` runs
# them in parallel (`make -k -j2 proofs` to see every failing module).
# Results: build/proofs/MODULE.{log,csv,result.json}, the summary table
# build/proofs/summary.{txt,json} and build/proofs/report.json.
# docs/proofs.md explains the flags, the trusted base and requirement IDs.

WP_MODULES := $(shell awk '!/^\#/ && NF {print $$1}' proofs/wp/modules.list)
WP_TARGETS := $(addprefix proofs-wp-,$(WP_MODULES))
# Function-focused runs (proofs/wp/functions.list): targets of their own,
# not part of `make proofs` (the whole module is).
WP_FOCUS   := $(shell awk '!/^\#/ && NF {print $$1}' proofs/wp/functions.list)
WP_FOCUS_TARGETS := $(addprefix proofs-wp-,$(WP_FOCUS))

.PHONY: proofs-wp-scope proofs-wp-summary proofs-wp-selftest $(WP_TARGETS) $(WP_FOCUS_TARGETS)

# Every C file of the scope is in some module (nothing silently left out).
proofs-wp-scope:
	@proofs/wp/scope.sh

$(WP_TARGETS) $(WP_FOCUS_TARGETS): proofs-wp-%: | $(DEPS_STAMP)
	@proofs/wp/run.sh $*

# The table and the cross-module check: a contract one module assumes for a
# function defined elsewhere must be Valid in that other module.
proofs-wp-summary: $(WP_TARGETS) proofs-wp-scope
	@python3 proofs/wp/summary.py $(BUILD)/proofs --check

PROOF_TARGETS += proofs-wp-scope $(WP_TARGETS) proofs-wp-summary

# The gate's own test: Frama-C's unquoted multi-line properties, refusals.
UNIT_TESTS += tests/unit/proofs/test_gate.py
# The provers' step limits and the proof cache's key per step setting.
UNIT_TESTS += tests/unit/proofs/test_why3env.sh

# EVA from the monitor's C entry points (proofs/eva/run.sh): red alarms and
# unjustified orange ones fail it.  Not in make test (minutes; not green yet).
.PHONY: proofs-eva
proofs-eva: | $(DEPS_STAMP)
	@proofs/eva/run.sh
