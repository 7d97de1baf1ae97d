# sandbox-kernel/net/: lwIP 2.1.3 (Debian's source, fetched by `make deps` into
# build/third_party/lwip, never committed) built for the sandbox kernel with
# the port in sandbox-kernel/net/port, linked into the kernel image.
# Included from sandbox-kernel/rules.mk right after KERNEL_OBJS is defined.
LWIP_SRC   := $(BUILD)/third_party/lwip/src
LWIP_FILES := core/init.c core/def.c core/inet_chksum.c core/ip.c core/mem.c core/memp.c \
  core/netif.c core/pbuf.c core/stats.c core/sys.c core/tcp.c core/tcp_in.c core/tcp_out.c \
  core/timeouts.c core/udp.c core/ipv4/dhcp.c core/ipv4/etharp.c core/ipv4/icmp.c \
  core/ipv4/ip4.c core/ipv4/ip4_addr.c core/ipv4/ip4_frag.c \
  api/api_lib.c api/api_msg.c api/err.c api/netbuf.c api/tcpip.c netif/ethernet.c
LWIP_OBJS  := $(patsubst %.c,$(BUILD)/lwip/%.o,$(LWIP_FILES))
LWIP_INCLUDES := -Isandbox-kernel -Isandbox-kernel/net/port -Isandbox-kernel/net/port/libc -I$(LWIP_SRC)/include

# lwIP is third-party code: built with the kernel's flags, minus the warnings
# its own sources trip (unused parameters in disabled features).
$(BUILD)/lwip/%.o: $(LWIP_SRC)/%.c sandbox-kernel/net/port/lwipopts.h | $(DEPS_STAMP)
	@mkdir -p $(@D)
	@echo "CC    lwip/$*.c"
	@$(CC) $(KERNEL_CFLAGS) -Wno-unused-parameter -Wno-address $(LWIP_INCLUDES) -c -o $@ $<

# The kernel's files that include lwIP headers.
$(BUILD)/sandbox-kernel/net/%.c.o: KERNEL_CFLAGS += $(LWIP_INCLUDES)

KERNEL_OBJS += $(LWIP_OBJS)
-include $(LWIP_OBJS:.o=.d)

$(eval $(call host_test,net/test_net_config,tests/unit/net/test_net_config.c sandbox-kernel/net/net_config.c,-Isandbox-kernel $(SANITIZE)))

# Test ISOs: the kernel alone on QEMU's user network (tests/system/5x-qemu-net-*.sh).
# Literal paths: this file is read before sandbox-kernel/rules.mk names them.
NET_ARCHIVE := $(BUILD)/sandbox-kernel/programs.par
NET_ISOS    := $(BUILD)/iso/kernel-net-echo.iso
$(BUILD)/iso/kernel-net-echo.iso: $(KERNEL_ELF) $(NET_ARCHIVE) sandbox-kernel/iso/mkiso.sh sandbox-kernel/net/rules.mk | $(DEPS_STAMP)
	@sandbox-kernel/iso/mkiso.sh $@ $(KERNEL_ELF) "triad.net=dhcp triad.shell=nowait+tcp_echo+7+1,udp_echo+7,wait,halt" $(NET_ARCHIVE) programs
SYSTEM_TEST_DEPS += $(NET_ISOS)

$(eval $(call host_test,net/test_mavlink,tests/unit/net/test_mavlink.c tools/mavlink/mavlink.c tools/mavlink/mavlink_msgs.c,-Itools $(SANITIZE)))
$(eval $(call host_test,net/test_mavlink_stream,tests/unit/net/test_mavlink_stream.c tools/mavlink/mavlink.c tools/mavlink/mavlink_msgs.c tools/mavlink/mavlink_stream.c,-Itools $(SANITIZE)))

NET_ISOS += $(BUILD)/iso/kernel-net-telemetry.iso
$(BUILD)/iso/kernel-net-telemetry.iso: $(KERNEL_ELF) $(NET_ARCHIVE) sandbox-kernel/iso/mkiso.sh sandbox-kernel/net/rules.mk | $(DEPS_STAMP)
	@sandbox-kernel/iso/mkiso.sh $@ $(KERNEL_ELF) "triad.net=dhcp triad.shell=telemetry+10+6,halt" $(NET_ARCHIVE) programs
SYSTEM_TEST_DEPS += $(BUILD)/iso/kernel-net-telemetry.iso

# The simulator link (tests/system/52-qemu-net-simlink.sh): telemetry in the
# background (10 Hz) forwards hil_fc's fault and recovery events as STATUSTEXT
# and stops after hil_fc's "end of flight" event; net_event_check overflows
# the event queue (40 events, room for 32); hil_fc flies tools/simlink's
# plant for 6 s of simulated time, with a bit flipped in replica b's state at
# period 300.
NET_ISOS += $(BUILD)/iso/kernel-net-simlink.iso
$(BUILD)/iso/kernel-net-simlink.iso: $(KERNEL_ELF) $(NET_ARCHIVE) sandbox-kernel/iso/mkiso.sh sandbox-kernel/net/rules.mk | $(DEPS_STAMP)
	@sandbox-kernel/iso/mkiso.sh $@ $(KERNEL_ELF) "triad.net=dhcp triad.shell=nowait+telemetry+--until-event+end+10+0,net_event_check+40,hil_fc+--seconds+6+--flip+300,wait,halt" $(NET_ARCHIVE) programs
SYSTEM_TEST_DEPS += $(BUILD)/iso/kernel-net-simlink.iso

# The network programs include sources from tools/mavlink and headers from
# here: their dependency files (written by -MMD) make a codec change rebuild
# them (the generic program rule does not read them).
-include $(wildcard $(foreach p,telemetry hil_fc udp_echo tcp_echo net_event_check,$(BUILD)/sandbox-kernel/programs/$(p)/*.d))

# The ground link of the default system under the monitor (QEMU/SVM,
# tests/system/51-qemu-net-telemetry.sh): config/uav-tmr.xml flying a short
# hover with the demo fault early (the voter corrupts fc-b at period 150:
# outvoted, failed, fc-d promoted, fc-b restarted and rejoining) and its
# report at period 750; the voter's deadline 1 s of virtual time, as in the
# TMR square test (single-threaded TCG runs one core at a time: while the
# monitor hashes fc-b's image for its restart, another replica looked late
# to a 50 ms deadline and was failed too); the simulator's sandbox (no device)
# probes hypercall 11's refusals at boot (triad.decisions=probe: PERM, and
# FAULT with a bad-hypercall record the ground link then reports); the UAV test kernel (with telemetry).  Recipes use
# names the uav rules define later: recipes expand when they run.
NET_UAV_XML := $(BUILD)/config/uav-flight/uav-ground.xml
$(NET_UAV_XML): config/uav-tmr.xml sandbox-kernel/net/rules.mk
	@mkdir -p $(@D)
	@sed -e 's/triad.run=io_voter+--rate+100+--alt+1+--report+500"/triad.run=io_voter+--rate+100+--alt+1+--pace+1+--deadline-ms+1000+--corrupt+b:150+--report+750"/' \
	  -e 's/args="triad.run=sim_plant+--rate+100+--alt+1"/args="triad.run=sim_plant+--rate+100+--alt+1 triad.decisions=probe"/' $< >$@
	@grep -q -- 'io_voter.*--deadline-ms+1000+--corrupt+b:150+--report+750' $@ && grep -q 'triad.ground=telemetry' $@ && \
	  grep -q 'sim_plant.* triad.decisions=probe' $@
$(NET_UAV_XML:.xml=.bin): $(NET_UAV_XML) config/system.xsd $$(SYSGEN) $$(UAV_TEST_KERNEL) $$(UAV_REPLICA_KERNEL)
	@echo "SYSGEN $< (UAV programs kernel, replica kernel)"
	@$(SYSGEN) --schema config/system.xsd --bin $@ $(UAV_SYSGEN_IMAGES) $<
$(BUILD)/iso/uav-ground.iso: $(NET_UAV_XML:.xml=.bin) $$(UAV_TEST_KERNEL) $$(UAV_REPLICA_KERNEL) tools/iso/mkiso.sh tools/iso/grub.cfg.in $$(ISO_BOOT) | $(DEPS_STAMP)
	@SYSTEM_BIN=$(NET_UAV_XML:.xml=.bin) MONITOR_ARGS="$(UAV_MONITOR_ARGS)" EXTRA_MODULES="$(UAV_REPLICA_KERNEL)" \
	  tools/iso/mkiso.sh monitor $@ $(filter-out $(KERNEL_ELF),$(ISO_BOOT)) $(UAV_TEST_KERNEL)
SYSTEM_TEST_DEPS += $(BUILD)/iso/uav-ground.iso
# The same flight for bench 60's SVM section: telemetry stops after 5 s and
# reports the VM exits its core took meanwhile (the I/O sandbox's core, with
# the voter, the consoles and the driver busy on it).
$(BUILD)/config/uav-flight/uav-ground-exits.xml: $(NET_UAV_XML)
	@sed -e 's/triad.ground=telemetry+10"/triad.ground=telemetry+10+5"/' $< >$@
	@grep -q 'triad.ground=telemetry+10+5"' $@
$(BUILD)/config/uav-flight/uav-ground-exits.bin: $(BUILD)/config/uav-flight/uav-ground-exits.xml config/system.xsd $$(SYSGEN) $$(UAV_TEST_KERNEL) $$(UAV_REPLICA_KERNEL)
	@echo "SYSGEN $< (UAV programs kernel, replica kernel)"
	@$(SYSGEN) --schema config/system.xsd --bin $@ $(UAV_SYSGEN_IMAGES) $<
$(BUILD)/iso/uav-ground-exits.iso: $(BUILD)/config/uav-flight/uav-ground-exits.bin $$(UAV_TEST_KERNEL) $$(UAV_REPLICA_KERNEL) tools/iso/mkiso.sh tools/iso/grub.cfg.in $$(ISO_BOOT) | $(DEPS_STAMP)
	@SYSTEM_BIN=$< MONITOR_ARGS="$(UAV_MONITOR_ARGS)" EXTRA_MODULES="$(UAV_REPLICA_KERNEL)" \
	  tools/iso/mkiso.sh monitor $@ $(filter-out $(KERNEL_ELF),$(ISO_BOOT)) $(UAV_TEST_KERNEL)
