# Bochs 2.7 (VMX + EPT): the NIC under the monitor.  config/tests/kernel-net.xml
# gives the I/O sandbox Bochs' 82540EM in PCI slot 2 (00:03.0); Bochs' BIOS
# puts its BAR0 at 0xC0000000, the monitor moves it to the described
# 0xFEBC0000 (QEMU's address: one description for both emulators) and maps
# it only into the sandbox's EPT; the configuration ports 0xCF8-0xCFF are
# not granted: the monitor filters every configuration cycle, so the sandbox
# sees its own function and nothing else (the host bridge 00:00.0, present
# but owned by no sandbox, reads as no device: ffff:ffff).  The
# sandbox sits at host-physical 32 MiB and its driver adds that to every DMA
# address (no IOMMU).  The NIC's legacy line (GSI 11) is routed by the
# monitor through the I/O APIC to the sandbox's core at vector 0x3b (the
# boot word triad.irq-vector tells the kernel); the driver handles it on its
# I/O VCPU and acks its own LAPIC: interrupt-driven, and still no VM exit.
# Telemetry goes through Bochs' slirp to tools/gcs on the host's UDP 14550
# for 4 s of kernel time; the kernel reads this core's VM-exit counters from
# the monitor before and after: on core 0 the only exits allowed are the
# monitor's own preemption timer (its test clock); zero on a core without it
# is measured by tests/bench/60-net.sh.
# The DMA offset is the monitor's word (triad.dma-offset, added for a
# sandbox that owns a device), not the description's: kernel-net.xml says only
# base="32M".
# REQ: NET-LINK-001, NET-DMA-001, NET-PCI-001, NET-IRQ-001
. tests/system/lib.sh
. tests/system/gcs_lib.sh
make -s --no-print-directory "$PWD/$BUILD/iso/cfg-kernel-net.iso" "$PWD/$BUILD/tools/gcs" >/dev/null
name=bochs-net-monitor
out=$RUNS/$name-gcs
gcs_start "$out" "Triad telemetry stopping" 280
boot $name bochs "$BUILD/iso/cfg-kernel-net.iso" --cores 1 --serial-ports 2 --net "" --nic-slot 2 --timeout 280
gcs_wait
mon=$RUNS/$name/com1.log
log=$RUNS/$name/com2.log
check "the run ends with the boot script's halt (status 0)" test "$status" -eq 0
expect_line "the monitor validated the table and launched the I/O sandbox" "$mon" '^\[monitor\] core 0: launching sandbox 0 \(io\)'
check "the description carries no DMA offset (only the sandbox's base)" bash -c "! grep -q 'dma-offset=' config/tests/kernel-net.xml"
expect_line "the monitor told the sandbox its host-physical base as the DMA offset" "$log" \
  "^kernel: command line 'triad.sandbox=0 triad.name=io triad.console=0x2f8 triad.cores=1 triad.dma-offset=0x2000000 "
expect_line "the monitor moved the NIC's BAR from where Bochs' BIOS put it to the described base" "$mon" \
  '^\[monitor\] pci: nic0 00:03\.0 BARs placed at the described bases$'
expect_line "PCI filter: a function the sandbox does not own (the host bridge 00:00.0) reads as no device" "$log" \
  '^pci: probe 00:00\.0 id ffff:ffff$'
expect_line "the monitor routed the NIC's line (GSI 11) to the owner's core 0 at vector 0x3b" "$mon" \
  '^\[monitor\] irq: nic0 gsi 11 -> core 0 vector 0x3b \(ioapic, level, owner\)$'
expect_line "the monitor told the sandbox the vector" "$log" "^kernel: command line '.* triad\.irq-vector=0x3b "
expect_line "the sandbox found its NIC at the described PCI function and BAR, interrupt-driven at the routed vector, DMA offset applied" "$log" \
  '^net: e1000 at pci 00:03\.0 mmio febc0000 irq 11 vector 0x3b \(ioapic\) dma \+2000000, mac 52:54:00:12:34:56, link up$'
expect_line "the driver thread was woken by the NIC's interrupt (I/O APIC -> LAPIC, no 8259)" "$log" \
  '^e1000: first interrupt on vector 0x3b \(routed by the monitor'"'"'s I/O APIC entry\)$'
irqs=$(console "$log" | sed -nE 's/.*nic rx ([0-9]+) tx [0-9]+ irqs ([0-9]+),.*/\2/p')
rx=$(console "$log" | sed -nE 's/.*nic rx ([0-9]+) tx [0-9]+ irqs ([0-9]+),.*/\1/p')
echo "# NIC interrupts ${irqs:-?} for ${rx:-?} frames received"
check "interrupt mode: the driver counted interrupts (${irqs:-?}), at most one per frame received (${rx:-?})" \
  test -n "$irqs" -a "${irqs:-0}" -ge 1 -a "${irqs:-0}" -le "${rx:-0}"
expect_line "DHCP through Bochs' slirp gives 10.0.2.15" "$log" '^net: address 10\.0\.2\.15/24 gateway 10\.0\.2\.2 \(dhcp\)$'
expect_line "telemetry sent every message" "$log" '^telemetry: sent [1-9][0-9]* messages, 0 send errors'
check "gcs on the host received the run (exit 0)" test "$gcs_status" -eq 0
sent=$(console "$log" | sed -nE 's/^telemetry: sent ([0-9]+) messages.*/\1/p')
got=$(sed -nE 's/^gcs: [0-9]+ datagrams, ([0-9]+) frames.*/\1/p' "$out/gcs.log")
echo "# telemetry sent ${sent:-?}, gcs decoded ${got:-?}"
check "every message sent reached the host and decoded" test -n "$sent" -a "${sent:-x}" = "${got:-y}"
expect_line "gcs refused nothing" "$out/gcs.log" 'refused: 0 bad crc, 0 truncated, 0 unknown id, 0 bad length, 0 incompatible'
console "$log" | grep -E '^net: VM exits' | sed 's/^/# /'
expect_line "no VM exit caused by the network run (only the monitor's own preemption timer on core 0)" "$log" \
  '^net: VM exits on this core since the mark: [0-9]+ \((none|preemption-timer [0-9]+)\)$'
check "monitor: no fault record (the driver's MMIO and configuration-port accesses stay inside the sandbox's grant)" bash -c "! console $mon | grep -q 'FAULT'"
finish
