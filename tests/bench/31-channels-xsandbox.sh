# Cross-sandbox channels in Bochs (config/tests/channels-bench.xml), after the
# Quest-V message-passing experiment: tx streams 64-byte messages on a FIFO
# channel to rx, whose receiver runs on a Main VCPU above (high: T = 10 ms)
# or below (low: T = 40 ms) a CPU-bound competitor VCPU (C = 10 ms, T = 20 ms).
# Phase 1: as fast as the FIFO takes them (throughput); phase 2: one message
# per millisecond (one-way latency, for the messages written after that
# phase's receiver was up; those already waiting when it started are
# counted as "backlog" and left out).  Times are virtual (the TSC every sandbox
# shares, 50 MHz at Bochs' ips); VM exits are read from the monitor by
# hypercall at the first and the last message of each run, less the reads
# themselves, and printed by reason (sandbox-kernel/chan/chan_exits.c):
# every reason counts, the monitor's preemption timer included.
set -euo pipefail
out=$1
runs=build/runs/bench/channels-xsandbox
make --no-print-directory -s "$PWD/build/iso/cfg-channels-bench.iso" >/dev/null
tools/run-emu --emu bochs --iso build/iso/cfg-channels-bench.iso --cores 2 --memory 256 --serial-ports 3 \
  --out $runs --timeout 300 --quiet
rx=$(tr -d '\r' <$runs/com2.log | grep -oE 'chan-bench: recv prio=[a-z]+ n=.*')
tx=$(tr -d '\r' <$runs/com3.log | grep -oE 'chan-bench: send n=.*')
rxwhy=$(tr -d '\r' <$runs/com2.log | grep -oE 'chan-bench: recv prio=[a-z]+ exits by reason: .*' | sed 's/.*by reason: //')
txwhy=$(tr -d '\r' <$runs/com3.log | grep -oE 'chan-bench: send exits by reason: .*' | sed 's/.*by reason: //')
[ "$(wc -l <<<"$rx")" -eq 4 ] && [ "$(wc -l <<<"$tx")" -eq 2 ] || { echo "31-channels-xsandbox: missing result lines" >&2; echo "$rx$tx" >&2; exit 1; }
field() { grep -oE "(^| )$1=[^ ]+" <<<"$2" | head -1 | cut -d= -f2; }
printf '%-10s %-5s %6s %8s %14s %12s %12s %12s  %s\n' phase prio msgs backlog "msgs/vsec" "lat-min ns" "lat-avg ns" "lat-max ns" "VM exits (by reason)"
json=""
i=0
while read -r line; do
  i=$((i + 1))
  phase=$([ $i -le 2 ] && echo stream || echo paced-1ms)
  n=$(field n "$line"); ns=$(field ns "$line")
  rate=$(( ns > 0 ? n * 1000000000 / ns : 0 ))
  why=$(sed -n "${i}p" <<<"$rxwhy")
  printf '%-10s %-5s %6s %8s %14s %12s %12s %12s  %s\n' "$phase" "$(field prio "$line")" "$n" "$(field backlog "$line")" "$rate" \
    "$(field lat-min "$line")" "$(field lat-avg "$line")" "$(field lat-max "$line")" "${why:-?}"
  json+="${json:+,}{\"phase\": \"$phase\", \"prio\": \"$(field prio "$line")\", \"messages\": $n, \"bytes\": $(field bytes "$line"), \"virtual_ns\": $ns, \"messages_per_virtual_s\": $rate, \"latency_ns\": {\"min\": $(field lat-min "$line"), \"avg\": $(field lat-avg "$line"), \"max\": $(field lat-max "$line")}, \"backlog_at_start\": $(field backlog "$line"), \"out_of_order\": $(field out-of-order "$line"), \"vm_exits\": $(field exits "$line"), \"vm_exits_by_reason\": \"${why:-unknown}\"}"
done <<<"$rx"
sexits=$(field exits "$(head -1 <<<"$tx")"),$(field exits "$(tail -1 <<<"$tx")")
echo "sender exits during its runs (stream, paced): $(head -1 <<<"$txwhy"); $(tail -1 <<<"$txwhy")"
all_zero=true
for e in $(grep -oE 'exits=-?[0-9]+' <<<"$rx$tx" | cut -d= -f2); do [ "$e" -eq 0 ] || all_zero=false; done
echo "zero VM exits during every run: $($all_zero && echo PASS || echo MISS)"
cat >"$out/channels-xsandbox.json" <<JSON
{"clock": "TSC shared by all sandboxes (Bochs virtual time)", "message_bytes": 64, "fifo_depth": 64,
 "receiver": [$json],
 "sender_vm_exits": [$sexits],
 "sender_vm_exits_by_reason": ["$(head -1 <<<"$txwhy")", "$(tail -1 <<<"$txwhy")"],
 "zero_vm_exits": $all_zero}
JSON
echo "wrote $out/channels-xsandbox.json"
