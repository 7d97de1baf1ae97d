# Bochs, 3 cores, monitor + sandbox kernels (config/tests/channels-xsandbox.xml):
# channels across sandboxes on EPT-shared pages.
#   - the Quest SDK example: beta writes X = 10, alpha reads and prints it;
#   - 10,000 FIFO messages beta -> alpha, sequence numbers checked by alpha;
#   - beta's console goes through its console channel and alpha prints each
#     line on COM2 prefixed "[beta]";
#   - gamma asks for an undeclared key: refused (SHMCOMM_ERR_KEY, the monitor
#     says TRIAD_E_NOENT); then gamma, a reader of "guarded", writes into
#     beta's page: an EPT-violation record naming gamma and the address, gamma
#     halted, beta still writing and beating.
. tests/system/lib.sh
boot channels bochs "$BUILD/iso/cfg-channels-xsandbox.iso" --cores 3 --memory 256 --serial-ports 4 --timeout 240
d=$RUNS/channels
mon=$d/com1.log io=$d/com2.log g=$d/com4.log
# absent DESCRIPTION FILE REGEX: no console line of FILE matches REGEX.
absent() {
  if console "$2" | grep -qE -- "$3"; then not_ok "$1 (a line matches /$3/ in $2)"; else ok "$1"; fi
}
# A line may follow the shell prompt that the kernel printed before it.
P='(^|triad> )'
check "run ends with the monitor's exit status 0" test "$status" -eq 0
expect_line "system.bin with 4 channels validated" "$mon" 'system.bin: channels-xsandbox, 3 sandboxes, 4 channels, 3 cores: valid'
expect_line "alpha found its 3 channels in the boot tag, clock from the monitor" "$io" '^chan: 3 channels at 80000000, clock [0-9]+ kHz \(monitor\)'

# The SDK example.
expect_line "beta sent X = 10 (through its console channel)" "$io" '^\[beta\] .*chan: sdk sent X = 10 on channel 1 \(4 bytes\)'
expect_line "alpha received X = 10 from beta" "$io" "$P"'chan: sdk received X = 10 on channel 1 \(seq 1, '

# 10,000 FIFO messages in order.
expect_line "beta sent 10,000 FIFO messages" "$io" '^\[beta\] chan: fifo sent 10000 messages on channel 2'
expect_line "alpha received all 10,000 in order, none torn" "$io" \
  "$P"'chan: fifo received 10000 of 10000 messages on channel 2: 0 out of order, 0 torn, 0 errors, last seq 10000,'

# Console channel.
expect_line "beta's banner printed by alpha with beta's name" "$io" "$P"'\[beta\] Triad sandbox kernel'
expect_line "beta's command line says its console is the channel" "$io" '^\[beta\] kernel: command line .*triad.console=channel'
absent "beta's lines never appear unprefixed on alpha's port" "$io" '^kernel: alive'

# Undeclared key.
expect_line "gamma: create of undeclared key 99 refused with SHMCOMM_ERR_KEY, monitor TRIAD_E_NOENT" "$g" \
  "$P"'chan: create of undeclared key 99: -1 \(key not in the system description\), monitor answered -5'
expect_line "gamma: connect to undeclared key 99 refused" "$g" "$P"'chan: connect to undeclared key 99: -1 '

# Protection fault: reader writing the writer's page.
addr=$(console "$g" | grep -oE 'rogue writing to [0-9a-f]+' | awk '{print $4}')
line=$(console "$mon" | grep -E 'FAULT .* name=gamma kind=ept-violation ' | head -1)
check "one EPT-violation record naming gamma" test "$(console "$mon" | grep -cE 'FAULT .* name=gamma kind=ept-violation ')" -eq 1
check "the record names the address gamma wrote (${addr:-none}) in the channel window" grep -qE "gpa=0x0*${addr:-none} " <<<"$line"
check "the record is a write (qualification bit 1) with a RIP in gamma's kernel" grep -qE 'rip=0x00000000001[0-9a-f]{5} qual=0x[0-9a-f]*[2367abef]' <<<"$line"
expect_line "gamma halted" "$mon" 'core 2: sandbox 2 halted'
absent "gamma's store never completed" "$g" 'protection broken'
absent "no fault recorded for alpha or beta" "$mon" 'FAULT .* name=(alpha|beta) '
seen=$(console "$g" | grep -oE 'rogue read [0-9]+' | awk '{print $3}')
last=$(console "$io" | grep -oE '^\[beta\] chan: guard wrote [0-9]+' | tail -1 | awk '{print $5}')
check "beta carried on writing after gamma's fault (gamma saw ${seen:-?}, beta reached ${last:-?})" \
  test "${last:-0}" -ge $(( ${seen:-999999} + 500 ))
beats=$(console "$io" | grep -c '^\[beta\] kernel: alive')
check "beta's heartbeat continues ($beats beats)" test "$beats" -ge 10
finish
