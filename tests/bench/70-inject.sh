#!/usr/bin/env bash
# Campaign throughput: runs per hour of the QEMU smoke campaign (golden run +
# injections, gdbstub), from the campaign's own timing.  Wall-clock figures
# on a shared machine are noise-prone: the count of runs is what repeats.
# The Bochs figure is not measured yet (its injector does not work yet).
set -uo pipefail
out=build/bench/70-inject
rm -rf "$out"; mkdir -p build/bench
python3 fault-injection/tools/inject.py fault-injection/campaigns/smoke-qemu.json --out "$out" >/dev/null 2>&1 || exit 1
python3 - "$out/results.json" >build/bench/70-inject.json <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print(json.dumps({"qemu": {"runs": r["run"], "runs_per_hour": r["runs_per_hour"],
                           "golden_seconds": r["golden"]["seconds"], "campaign_seconds": r["seconds"]},
                  "bochs": None}, indent=1))
PY
cat build/bench/70-inject.json
