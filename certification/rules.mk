# certification/: `make coverage` and `make certification` (issue 13).
# The evidence package goes to build/certification/; coverage builds go to
# build/coverage/{gcc,mcdc} (never build/tests).  docs/certification.md.
CERT_OUT := $(BUILD)/certification
CERTGEN  := /usr/bin/python3 certification/tools/certgen.py

.PHONY: coverage certification cert-trace cert-check cert-analysis cert-proofs cert-print-unit-tests

# The generator's own tests (a fixture project; every kind of bad input).
UNIT_TESTS += tests/unit/certification/test_certgen.sh

cert-print-unit-tests:
	@echo $(UNIT_TESTS)

coverage: $(DEPS_STAMP)
	@mkdir -p $(CERT_OUT)/status
	@ok=1; certification/tools/coverage.sh $(CERT_OUT)/coverage || ok=0; \
	 $(CERTGEN) coverage --out $(CERT_OUT)/coverage || ok=0; \
	 if [ $$ok -eq 1 ]; then \
	   echo pass >$(CERT_OUT)/status/coverage; echo pass >$(CERT_OUT)/status/mcdc; \
	 else echo fail >$(CERT_OUT)/status/coverage; echo fail >$(CERT_OUT)/status/mcdc; exit 1; fi

cert-analysis: $(DEPS_STAMP)
	@certification/tools/analysis.sh $(CERT_OUT)

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
	@$(MAKE) --no-print-directory -k -j2 $(addprefix proofs-wp-,$(shell awk '!/^#/ && NF {print $$1}' proofs/wp/gated.list)) proofs-spin \
	   >$(CERT_OUT)/proofs.log 2>&1; s=$$?; \
	 python3 proofs/wp/summary.py $(BUILD)/proofs >/dev/null; \
	 if [ $$s -ne 0 ]; then echo "certification: gated proofs failed (see $(CERT_OUT)/proofs.log)"; exit 1; fi

# Everything, from a clean tree: unit-test results (make check-unit when the
# TAP file is missing), trace, coverage, MISRA and clang-tidy, the gated
# proofs, then the package (HTML, PDF through pandoc and weasyprint, tarball).
# Each step runs even if an earlier one failed, so the package says what
# failed; the target fails if any did.
certification: $(DEPS_STAMP)
	@rm -rf $(CERT_OUT); mkdir -p $(CERT_OUT)/status $(CERT_OUT)/tests $(CERT_OUT)/proofs
	@fail=0; \
	 if [ ! -s $(TEST_RESULTS)/unit.tap ]; then $(MAKE) --no-print-directory check-unit || fail=1; fi; \
	 $(MAKE) --no-print-directory coverage || fail=1; \
	 $(MAKE) --no-print-directory cert-analysis || fail=1; \
	 $(MAKE) --no-print-directory cert-proofs || fail=1; \
	 cp $(TEST_RESULTS)/*.tap $(CERT_OUT)/tests/ 2>/dev/null; \
	 grep -q '^not ok' $(TEST_RESULTS)/unit.tap && { echo "certification: unit tests failed (see $(TEST_RESULTS)/unit.tap)"; fail=1; }; \
	 find $(BUILD)/proofs -name '*.csv' -exec cp {} $(CERT_OUT)/proofs/ \; 2>/dev/null; \
	 $(CERTGEN) package --out $(CERT_OUT) || fail=1; \
	 cd $(BUILD) && tar -czf certification.tar.gz certification && cd $(TOP); \
	 if [ $$fail -ne 0 ]; then echo "certification: FAILED (see $(CERT_OUT)/index.html)"; exit 1; fi; \
	 echo "certification: package in $(CERT_OUT)/index.html and $(BUILD)/certification.tar.gz"
