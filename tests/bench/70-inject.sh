#!/usr/bin/env bash
# Campaign throughput: runs per hour of the QEMU smoke campaign (golden run +
# injections, gdbstub, -icount) and of the Bochs smoke campaign (golden run +
# 3 injections in the three-sandbox system under the VMX monitor, debugger
# driven through a FIFO, --ips 10M), from each campaign's own timing.
# Wall-clock figures on a shared machine are noise-prone: the count of runs is
# what repeats.  A Bochs run is dominated by the ~440 M instructions from
# power-on to the sandboxes' launch (BIOS, GRUB, the monitor's attestation).
set -uo pipefail
out=build/bench/70-inject
rm -rf "$out"; mkdir -p build/bench
python3 fault-injection/tools/inject.py fault-injection/campaigns/smoke-qemu.json --out "$out/qemu" >/dev/null 2>&1 || exit 1
python3 fault-injection/tools/inject.py fault-injection/campaigns/smoke-bochs.json --out "$out/bochs" >/dev/null 2>&1 || exit 1
python3 - "$out/qemu/results.json" "$out/bochs/results.json" >build/bench/70-inject.json <<'PY'
import json, sys
def fig(path):
    r = json.load(open(path))
    return {"runs": r["run"], "runs_per_hour": r["runs_per_hour"], "golden_seconds": r["golden"]["seconds"],
            "campaign_seconds": r["seconds"], "outcomes": [x["outcome"] for x in r["runs"]]}
print(json.dumps({"qemu": fig(sys.argv[1]), "bochs": fig(sys.argv[2])}, indent=1))
PY
cat build/bench/70-inject.json
