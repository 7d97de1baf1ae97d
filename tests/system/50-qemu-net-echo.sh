# QEMU TCG with -icount: the e1000 driver, lwIP and the socket system calls
# end to end.  A UDP echo service in the kernel answers the host through
# QEMU's user network (hostfwd on a free loopback port); then the host floods
# it, sends oversized (fragmented) datagrams, and the service still answers;
# then the NIC is re-initialised (e1000_reset, the recovery entry point) and
# the service answers again.  tcp_echo (listen/accept) echoes a TCP
# connection from the host byte for byte.
# REQ: NET-LINK-001
. tests/system/lib.sh
make -s --no-print-directory "$PWD/$BUILD/iso/kernel-net-echo.iso" >/dev/null
port=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
tport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
client=$RUNS/net-echo-client.log
mkdir -p "$RUNS"
python3 tests/system/net_echo_client.py "$port" "$tport" >"$client" 2>&1 &
client_pid=$!
boot net-echo qemu "$BUILD/iso/kernel-net-echo.iso" --icount 5 --timeout 120 --net "hostfwd=udp:127.0.0.1:$port-:7,hostfwd=tcp:127.0.0.1:$tport-:7"
wait "$client_pid"
client_status=$?
sed 's/^/# client: /' "$client"
log=$RUNS/net-echo/com1.log
check "the run ends with the boot script's halt (status 0)" test "$status" -eq 0
expect_line "the e1000 is found on PCI with its MMIO BAR, IRQ line and MAC" "$log" '^net: e1000 at pci 00:03\.0 mmio [0-9a-f]+ irq [0-9]+, mac 52:54:00:12:34:56, link up$'
expect_line "DHCP from QEMU's user network gives 10.0.2.15" "$log" '^net: address 10\.0\.2\.15/24 gateway 10\.0\.2\.2 \(dhcp\)$'
check "the host client got every echo back, byte for byte (exit 0)" test "$client_status" -eq 0
expect_line "echoes in order with their contents" "$client" '^echo 5/5 ok$'
expect_line "a flood of 400 datagrams is survived" "$client" '^flood: sent 400, [0-9]+ echoed$'
expect_line "the service answers after the flood and the oversized datagrams" "$client" '^after flood: echo ok$'
expect_line "the NIC re-initialised on request" "$log" '^net: e1000 re-initialised \(reset 1\)$'
expect_line "the service answers after the NIC reset" "$client" '^after reset: echo ok$'
expect_line "the guest counts what it dropped (oversized fragments) and the reset" "$log" '^udp_echo: nic rx [0-9]+ tx [0-9]+ errors 0 overruns [0-9]+ no-buffer [0-9]+ irqs [1-9][0-9]* resets [1-9][0-9]*; lwip drops ip [1-9][0-9]* '
expect_line "TCP: the host's connection echoed byte for byte" "$client" '^tcp: 3 messages, 3600 bytes echoed ok$'
expect_line "tcp_echo accepted the connection, echoed it, saw it closed" "$log" '^tcp_echo: connection 1: 3600 bytes echoed, ended with 0$'
expect_line "listen with a zero backlog is refused (EINVAL)" "$log" '^tcp_echo: listening on TCP 7 \(backlog 0 -> -22\)$'
expect_line "the echo program ends normally" "$log" "^shell: 'udp_echo' \(pid 2\) exited with status 0$"
expect_line "the TCP echo program ends normally" "$log" "^shell: pid 1 exited with status 0$"
finish
