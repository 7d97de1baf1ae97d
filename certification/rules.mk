# certification/: `make coverage` and `make certification` (issue 13).
# The evidence package goes to build/certification/; coverage builds go to
# build/coverage/{gcc,mcdc} (never build/tests).  docs/certification.md.
CERT_OUT := $(BUILD)/certification
CERTGEN  := /usr/bin/python3 certification/tools/certgen.py

.PHONY: coverage certification cert-trace cert-check cert-analysis cert-proofs cert-package \
        misra-baseline coverage-floors cert-print-unit-tests

# The generator's own tests (a fixture project; every kind of bad input).
UNIT_TESTS += tests/unit/certification/test_certgen.sh

cert-print-unit-tests:
	@echo $(UNIT_TESTS)

# Coverage (gcc/gcovr, clang-19 MC/DC) of the host tests, with the stamp of
# the sources it was made from; the floors are judged by certgen.py coverage
# here and again by cert-package.
coverage: $(DEPS_STAMP)
	@mkdir -p $(CERT_OUT)/status
	@ok=1; certification/tools/coverage.sh $(CERT_OUT)/coverage || ok=0; \
	 $(CERTGEN) coverage --out $(CERT_OUT)/coverage || ok=0; \
	 if [ $$ok -eq 1 ]; then \
	   echo pass >$(CERT_OUT)/status/coverage; echo pass >$(CERT_OUT)/status/mcdc; \
	 else echo fail >$(CERT_OUT)/status/coverage; echo fail >$(CERT_OUT)/status/mcdc; exit 1; fi

# cppcheck MISRA and clang-tidy, with their stamp.
cert-analysis: $(DEPS_STAMP)
	@certification/tools/analysis.sh $(CERT_OUT)

# The reviewed ways to accept what the checks refuse (docs/certification.md):
# re-record the MISRA sites (new rows say 'TODO: justify' and fail until a
# justification is written), re-record the coverage floors (a lowered floor
# says 'lowered: TODO' and fails until the reason is written).  Review the diff.
misra-baseline: $(DEPS_STAMP)
	@certification/tools/analysis.sh $(CERT_OUT) >/dev/null 2>&1; \
	 test -s $(CERT_OUT)/analysis/misra.txt || { echo "misra-baseline: cppcheck produced nothing"; exit 1; }
	@$(CERTGEN) misra --results $(CERT_OUT)/analysis/misra.txt --out $(CERT_OUT)/analysis/misra.json --write-baseline

coverage-floors:
	@$(CERTGEN) coverage --out $(CERT_OUT)/coverage --record-floors

cert-trace:
	@$(CERTGEN) trace --out $(CERT_OUT)/trace

# The fast checking core, run by make test (tests/system/95-certification.sh):
# trace and its failure checks, LOBSTER, JUnit XML, configuration index.
cert-check:
	@$(CERTGEN) check --out $(CERT_OUT)

# The proof modules that prove today (proofs/wp/gated.list) and the spin
# models, then build/proofs/report.json for the package; the whole of
# `make proofs` (issue 12) is not green yet and is not run here.
cert-proofs: $(DEPS_STAMP)
	@mkdir -p $(CERT_OUT)
	@$(MAKE) --no-print-directory -k -j2 $(addprefix proofs-wp-,$(shell awk '!/^#/ && NF {print $$1}' proofs/wp/gated.list)) proofs-spin \
	   >$(CERT_OUT)/proofs.log 2>&1; s=$$?; \
	 python3 proofs/wp/summary.py $(BUILD)/proofs >/dev/null; \
	 if [ $$s -ne 0 ]; then echo "certification: gated proofs failed (see $(CERT_OUT)/proofs.log)"; exit 1; fi

# The package from what earlier steps left in build/ (make test: the unit and
# system results, test 90's proofs, test 71's campaign, tests 06-08's coverage and
# analyses): nothing is made cold; a missing or stale input fails, named.
# CERT_OPTIONAL: inputs that may be absent (make certification: no emulator runs).
cert-package:
	@mkdir -p $(CERT_OUT)/tests $(CERT_OUT)/proofs
	@rm -f $(CERT_OUT)/tests/*.tap $(CERT_OUT)/proofs/*.csv
	@cp $(TEST_RESULTS)/*.tap $(CERT_OUT)/tests/ 2>/dev/null; \
	 for m in $$(awk '!/^#/ && NF {print $$1}' proofs/wp/modules.list); do \
	   [ -f $(BUILD)/proofs/$$m.csv ] && cp $(BUILD)/proofs/$$m.csv $(CERT_OUT)/proofs/; done; \
	 fail=0; $(CERTGEN) package --out $(CERT_OUT) $(if $(CERT_OPTIONAL),--optional $(CERT_OPTIONAL)) || fail=1; \
	 tar -C $(BUILD) -czf $(BUILD)/certification.tar.gz certification || fail=1; \
	 if [ $$fail -ne 0 ]; then echo "certification: FAILED (see $(CERT_OUT)/index.html and the errors above)"; exit 1; fi; \
	 echo "certification: package in $(CERT_OUT)/index.html and $(BUILD)/certification.tar.gz"

# Everything cold, from a clean tree (a release): unit-test results (make
# check-unit when the TAP file is missing), coverage, MISRA and clang-tidy, the
# gated proofs, then the package.  System tests and campaigns are make test's
# (emulators): their results are used when present and fresh, else reported
# as not run.  Each step runs even if an earlier one failed, so the package
# says what failed; the target fails if any did.
certification: $(DEPS_STAMP)
	@rm -rf $(CERT_OUT); mkdir -p $(CERT_OUT)/status
	@fail=0; \
	 if [ ! -s $(TEST_RESULTS)/unit.tap ]; then $(MAKE) --no-print-directory check-unit || fail=1; fi; \
	 $(MAKE) --no-print-directory coverage || fail=1; \
	 $(MAKE) --no-print-directory cert-analysis || fail=1; \
	 $(MAKE) --no-print-directory cert-proofs || fail=1; \
	 $(MAKE) --no-print-directory cert-package CERT_OPTIONAL=system-tests,campaigns || fail=1; \
	 [ $$fail -eq 0 ] || { echo "certification: FAILED (see $(CERT_OUT)/index.html)"; exit 1; }
