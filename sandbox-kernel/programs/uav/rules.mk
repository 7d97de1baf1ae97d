# The in-sandbox closed loop of config/uav-tmr.xml (issue 8): fc_replica (the
# flight controller as a TMR replica), io_voter (sensor distribution, vote,
# status console) and sim_plant (the quadrotor plant).  They share the
# channel core (chan_lib), tmr/, and sources from flightctl/ and tools/sim/,
# built here with the user flags (and the flight controller's FP flags) into
# $(PROG_DIR)/uav-objs/ so no other pattern rule can pick them up.
UAV_PROGRAMS := fc_replica io_voter sim_plant
UAV_OBJ      := $(PROG_DIR)/uav-objs
UAV_FPFLAGS  := -ffp-contract=off -fno-math-errno
UAV_CFLAGS   := $(UAV_FPFLAGS) -Itmr -Isandbox-kernel/programs/flightctl -Itools/sim \
                -Isandbox-kernel/programs/uav

UAV_FC_OBJS  := $(patsubst sandbox-kernel/programs/flightctl/%.c,$(UAV_OBJ)/%.o,$(wildcard sandbox-kernel/programs/flightctl/*.c))
UAV_TMR_OBJS := $(UAV_OBJ)/voter.o $(UAV_OBJ)/replica_set.o $(UAV_OBJ)/digest.o
UAV_SIM_OBJS := $(UAV_OBJ)/quad_model.o $(UAV_OBJ)/sensors.o $(UAV_OBJ)/prng.o $(UAV_OBJ)/outcome.o

$(UAV_FC_OBJS): $(UAV_OBJ)/%.o: sandbox-kernel/programs/flightctl/%.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	@echo "CC    $< (user, uav)"
	@$(CC) $(USER_CFLAGS) $(UAV_CFLAGS) -c -o $@ $<
$(UAV_TMR_OBJS): $(UAV_OBJ)/%.o: tmr/%.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	@echo "CC    $< (user, uav)"
	@$(CC) $(USER_CFLAGS) $(UAV_CFLAGS) -c -o $@ $<
$(UAV_SIM_OBJS) $(UAV_OBJ)/mission.o: $(UAV_OBJ)/%.o: tools/sim/%.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	@echo "CC    $< (user, uav)"
	@$(CC) $(USER_CFLAGS) $(UAV_CFLAGS) -c -o $@ $<

# The programs' own sources: the generic rule, with the include paths added.
# (Not build/config/uav-tmr.h for the keys: sysgen measures the kernel image
# that carries these programs, so the header comes after them.)
$(foreach p,$(UAV_PROGRAMS),$(eval $(PROG_DIR)/$(p)/%.uo: USER_CFLAGS += $(UAV_CFLAGS)))
# Header dependencies of the programs' objects (the compiler writes .d files
# beside them; a recipe-less pattern rule cannot add prerequisites, so a
# changed uav_flight.h left a stale io_voter and sim_plant behind).
-include $(wildcard $(addsuffix /*.d,$(addprefix $(PROG_DIR)/,$(UAV_PROGRAMS))))

PROG_EXTRA_fc_replica := $(CHAN_USER_OBJS) $(UAV_FC_OBJS) $(UAV_OBJ)/digest.o
PROG_EXTRA_io_voter   := $(CHAN_USER_OBJS) $(UAV_TMR_OBJS) $(UAV_OBJ)/mission.o $(NEWLIB_LIB)/libm.a
PROG_EXTRA_sim_plant  := $(CHAN_USER_OBJS) $(UAV_SIM_OBJS) $(UAV_FC_OBJS) $(UAV_OBJ)/digest.o $(UAV_OBJ)/mission.o $(NEWLIB_LIB)/libm.a
KERNEL_PROGRAMS += $(UAV_PROGRAMS)

# The flying system: config/uav-tmr.xml measured against (and booted with) the
# kernel that carries these programs, and a monitor that ends the run late.
# build/iso/uav-flight.iso flies fault-free; uav-flight-fault.iso is the same
# system with a bit flipped in fc-b's controller state at period
# UAV_FAULT_PERIOD (fc-d replaces it) and fc-c hung from UAV_HANG_PERIOD on
# (no standby left: a and d fly on as a degraded 2-of-2 pair); a hung replica
# cannot obey the voter's restart request, so io has the monitor restart it
# 25 periods later.  410: c is back (about 250 periods later since session
# 8's replica-only image in 4 MiB: the restart costs 2.3 virtual s in Bochs,
# 2.1 of them the image's SHA-256) and through its probation before the
# report.
UAV_FAULT_PERIOD := 300
UAV_HANG_PERIOD  := 410
# The fault flight is paced at 100 Hz of virtual time (a restart takes about
# 5 virtual s in Bochs, mostly the image's SHA-256: unpaced, the loop would
# fly thousands of periods meanwhile), hovers until UAV_FAULT_LAND s and reports at
# period UAV_FAULT_REPORT, after fc-b's and fc-c's restarts and rejoins (fc-c
# rejoined in period 683 of session 8's 4 MiB runs; test 81's bound allows 715).
UAV_FAULT_LAND   := 80
UAV_FAULT_REPORT := 900
# Timeliness inside one control period: io waits at most 10 virtual ms (the
# 100 Hz period) for a replica in this flight; the hung fc-c is late in the
# period of its hang.  (The default stays 50 ms for the unpaced hover of test
# 80, the fault-injection campaigns and make run, whose QEMU without -icount
# runs on host time: not yet shown free of false lates at 10 ms.)
UAV_FAULT_DEADLINE := 10
# The restart policy's refusals in the same boot (issue 8, monitor/tmr_restart.h):
# at its kernel's start fc-a (a member of the group, not its voter) asks the
# monitor to restart fc-c (sandbox 3), and sim (in no group) asks for fc-b
# (sandbox 2): both refused with TRIAD_E_PERM, nothing restarted.
UAV_FAULT_FCA_TEST := triad.test=restart-request triad.test_addr=3
UAV_FAULT_SIM_TEST := triad.test=restart-request triad.test_addr=2
# The replicas boot the replica-only image (UAV_REPLICA_KERNEL below) in
# UAV_REPLICA_MEM of RAM, config/uav-tmr.xml's default since session 9 (the
# fault flight checks that it kept them): a restart scrubs the whole region
# (5.8 M Bochs instructions for 32 MiB, 0.72 M for 4 MiB); the kernel with
# fc_replica leaves 218 of 4 MiB's 1,024 pages free at its start (test 81
# checks at least 150).
UAV_REPLICA_MEM    := 4M
# K, the restarted replica's probation, given to io_voter (--rejoin, session
# 8): the replica set's default 10, stated where the flight is described;
# a second io_voter with --rejoin 0 (triad.shell: one triad.run list a
# kernel) is refused before it opens a channel.
UAV_FAULT_REJOIN   := 10
UAV_MONITOR_ARGS := triad.settle-ms=300 triad.window-ms=100 triad.end-ms=120000
UAV_CFG          := $(BUILD)/config/uav-flight
$(UAV_CFG)/uav-fault.xml: config/uav-tmr.xml sandbox-kernel/programs/uav/rules.mk
	@mkdir -p $(@D)
	@sed -e 's/triad.run=fc_replica+b+--rate+100"/triad.run=fc_replica+b+--rate+100+--flip+$(UAV_FAULT_PERIOD)"/' \
	     -e 's/triad.run=fc_replica+c+--rate+100"/triad.run=fc_replica+c+--rate+100+--hang+$(UAV_HANG_PERIOD)"/' \
	     -e 's|triad.run=io_voter+--rate+100+--alt+1+--report+500"/>|triad.run=io_voter+--alt+1+--land+$(UAV_FAULT_LAND)+--pace+1+--deadline-ms+$(UAV_FAULT_DEADLINE)+--report+$(UAV_FAULT_REPORT)+--rejoin+$(UAV_FAULT_REJOIN)"/><program name="rejoin-refused" args="triad.shell=io_voter+--rejoin+0"/>|' \
	     -e 's|triad.run=sim_plant+--rate+100+--alt+1"/>|triad.run=sim_plant+--rate+100+--alt+1+--land+$(UAV_FAULT_LAND)"/><program name="policy-test" args="$(UAV_FAULT_SIM_TEST)"/>|' \
	     -e 's|triad.run=fc_replica+a+--rate+100"/>|triad.run=fc_replica+a+--rate+100"/><program name="policy-test" args="$(UAV_FAULT_FCA_TEST)"/>|' $< >$@
	@test "$$(grep -c '<kernel module="replica-kernel"/>' $@)" -eq 4 && test "$$(grep -c 'memory="$(UAV_REPLICA_MEM)"' $@)" -eq 4
	@grep -q -- '--report+$(UAV_FAULT_REPORT)+--rejoin+$(UAV_FAULT_REJOIN)"' $@ && grep -q -- 'args="triad.shell=io_voter+--rejoin+0"' $@
	@grep -q -- '--flip+$(UAV_FAULT_PERIOD)' $@ && grep -q -- '--hang+$(UAV_HANG_PERIOD)' $@ && \
	 grep -q -- 'io_voter.*--deadline-ms+$(UAV_FAULT_DEADLINE)+--report+$(UAV_FAULT_REPORT)' $@ && grep -q -- 'sim_plant.*--land+$(UAV_FAULT_LAND)' $@ && \
	 grep -q -- 'args="$(UAV_FAULT_FCA_TEST)"' $@ && grep -q -- 'args="$(UAV_FAULT_SIM_TEST)"' $@
# io_voter reads typed commands only in the shell's foreground (io_console.h):
# the derived configs below start it with triad.shell= instead of triad.run=.
# make run (build/triad.iso): the same system flying the square mission:
# take-off to UAV_RUN_ALT m, the UAV_RUN_SQUARE m square, landing; at period
# UAV_RUN_CORRUPT the voter tells fc-b to flip a bit of its state (the demo
# fault: the user watches it outvoted, replaced by fc-d, restarted, rejoining).
UAV_RUN_ALT      := 10
UAV_RUN_SQUARE   := 3
UAV_RUN_CORRUPT  := 1600
UAV_RUN_REPORT   := 5500
$(UAV_CFG)/uav-run.xml: config/uav-tmr.xml sandbox-kernel/programs/uav/rules.mk
	@mkdir -p $(@D)
	@sed -e 's/triad.run=io_voter+--rate+100+--alt+1+--report+500"/triad.shell=io_voter+--alt+$(UAV_RUN_ALT)+--square+$(UAV_RUN_SQUARE)+--pace+1+--corrupt+b:$(UAV_RUN_CORRUPT)+--report+$(UAV_RUN_REPORT)"/' \
	     -e 's/triad.run=sim_plant+--rate+100+--alt+1"/triad.run=sim_plant+--rate+100+--alt+$(UAV_RUN_ALT)+--square+$(UAV_RUN_SQUARE)"/' $< >$@
	@grep -q -- '--corrupt+b:$(UAV_RUN_CORRUPT)' $@ && grep -q -- 'sim_plant.*--square+$(UAV_RUN_SQUARE)' $@
# The square flown inside the sandboxes by test 80-qemu-svm-uav-square (QEMU/SVM
# under -icount): take-off to UAV_SQ_ALT m, the UAV_SQ_SIDE m square, landing,
# the report at the mission's end (mission_square: 39 s at 2 m).  io_voter in
# the shell's foreground (triad.shell): the test types its commands on COM2.
# Deadline 1000 ms: under -icount the six cores share one instruction clock,
# so the core that hashes and scrubs a restarting sandbox takes virtual time
# from the others and healthy replicas answered 50+ ms late (seen in period
# 1609 of a make run flight under -icount: c, then a and d late, no majority); the
# timeliness deadline is tested in Bochs by test 81.
UAV_SQ_ALT    := 2
UAV_SQ_SIDE   := 3
UAV_SQ_REPORT := 3900
# System safe mode after the flight (test 80, docs/recovery.md): fc-a's
# kernel writes into the monitor at its 9th 5 s heartbeat (45 s of virtual
# time: after the report of period 3900), and fc-a's description turns that
# EPT violation into safe_mode: the voter's switch to the safe command is
# seen in the same boot, after the flight's own checks.  Test 80 gives the
# run its NIC: telemetry stops after sending four critical STATUSTEXTs
# (--until-severity 2:4: the monitor's SYSTEM SAFE MODE decision and the
# voter's system-safe-mode event, in either order, then, after the
# operator's safe-exit typed on io_voter's console, the monitor's 'safe mode
# left' decision and the voter's safe-mode-left event), and the ground
# station on the host decodes them; the run ends when the revived fc-a has
# rejoined (full TMR again).
UAV_SQ_BEAT_MS    := 5000
UAV_SQ_LATE_BEAT  := 9
# A replica restarted by the monitor for its own fault (issue 8, io_voter's
# restarted-by-monitor path): fc-c's kernel writes into the monitor at its
# 4th 5 s heartbeat (20 s of virtual time: the square's third leg, after
# fc-b's typed corruption and rejoin), its description's default restarts it
# cold; io's own restart request 25 periods later is refused (in-recovery)
# and the fresh program rejoins on probation.  triad.test_once: the
# restarted kernel does not fault again.
UAV_SQ_C_LATE_BEAT := 4
# fc-c alone keeps the UAV programs kernel in 32 MiB here (the other
# replicas boot the default replica image): the checks of that path need
# io's restart request, 25 periods after io found fc-c late, to find the
# monitor still restarting fc-c (refused in-recovery) and the fresh
# program to start after it.  io waits up to its 1000 ms deadline before it
# calls fc-c late, so the restart must outlast about 1.25 virtual s: the UAV
# kernel's (639,177 bytes hashed, about 3 virtual s under -icount 5 with six
# vCPUs on one instruction clock, test 82's io) does; the replica image's
# (292 KB: 1.36 virtual s for fc-c in test 82) would end near that bound.
# io_voter's --members (the sandbox ids it may have the monitor restart;
# ':' also separates them, since ',' separates a command line's programs):
# the I/O sandbox also starts io_voter three times with a bad value, each
# refused with its reason and the usage before any channel is opened
# (test 80); the flying voter keeps the default ids 1:2:3:4.
UAV_SQ_BAD_MEMBERS := io_voter+--members+1:2:3,io_voter+--members+1:2:3:x,io_voter+--members+1:2:3:256
$(UAV_CFG)/uav-square.xml: config/uav-tmr.xml sandbox-kernel/programs/uav/rules.mk
	@mkdir -p $(@D)
	@sed -e 's/triad.run=io_voter+--rate+100+--alt+1+--report+500"/triad.shell=io_voter+--alt+$(UAV_SQ_ALT)+--square+$(UAV_SQ_SIDE)+--pace+1+--deadline-ms+1000+--report+$(UAV_SQ_REPORT)"\/><program name="members-refused" args="triad.run=$(UAV_SQ_BAD_MEMBERS)"/' \
	     -e 's/triad.run=sim_plant+--rate+100+--alt+1"/triad.run=sim_plant+--rate+100+--alt+$(UAV_SQ_ALT)+--square+$(UAV_SQ_SIDE)"/' \
	     -e 's/triad.run=fc_replica+a+--rate+100"/triad.run=fc_replica+a+--rate+100 triad.heartbeat=$(UAV_SQ_BEAT_MS) triad.test_late_beat=$(UAV_SQ_LATE_BEAT)"/' \
	     -e 's/triad.run=fc_replica+c+--rate+100"/triad.run=fc_replica+c+--rate+100 triad.heartbeat=$(UAV_SQ_BEAT_MS) triad.test_late_beat=$(UAV_SQ_C_LATE_BEAT) triad.test_once=1"/' \
	     -e 's/triad.ground=telemetry+10"/triad.ground=telemetry+--until-severity+2:4+10"/' \
	     -e '/<sandbox name="fc-a"/,/<\/sandbox>/s|<on fault="deadline_miss" action="failover"/>|&<on fault="ept_violation" action="safe_mode"/>|' \
	     -e 's|<sandbox name="fc-c" cores="3" memory="$(UAV_REPLICA_MEM)"|<sandbox name="fc-c" cores="3" memory="32M"|' \
	     -e '/<sandbox name="fc-c"/,/<\/sandbox>/s|<kernel module="replica-kernel"/>|<kernel module="sandbox-kernel"/>|' $< >$@
	@grep -q -- 'triad.shell=io_voter.*--report+$(UAV_SQ_REPORT)' $@ && grep -q -- 'sim_plant.*--square+$(UAV_SQ_SIDE)' $@
	@grep -q -- 'triad.test_late_beat=$(UAV_SQ_LATE_BEAT)' $@ && test "$$(grep -c 'action="safe_mode"' $@)" -eq 1
	@grep -q -- 'triad.ground=telemetry+--until-severity+2:4+10"' $@
	@grep -q -- 'args="triad.run=$(UAV_SQ_BAD_MEMBERS)"' $@
	@grep -q -- 'fc_replica+c+--rate+100 triad.heartbeat=$(UAV_SQ_BEAT_MS) triad.test_late_beat=$(UAV_SQ_C_LATE_BEAT) triad.test_once=1"' $@
	@test "$$(grep -c '<kernel module="replica-kernel"/>' $@)" -eq 3 && grep -q '<sandbox name="fc-c" cores="3" memory="32M"' $@
# The replicas' own image (session 8, issue 9): the same kernel objects with
# fc_replica alone in its program archive, stripped.  The monitor hashes every
# loaded byte of a replica's pristine image before each restart (70 Bochs
# instructions a byte) and copies it back, so the replicas no longer carry
# io_voter, sim_plant and telemetry: fewer bytes to check and reload.  The
# module is named replica-kernel (tools/iso/mkiso.sh's EXTRA_MODULES); a
# config's fc-a..fc-d boot it with <kernel module="replica-kernel"/>.
UAV_REPLICA_KDIR   := $(BUILD)/sandbox-kernel/replica
UAV_REPLICA_KERNEL := $(UAV_REPLICA_KDIR)/stripped/replica-kernel.elf
$(eval $(call program_kernel,$(UAV_REPLICA_KDIR),replica-kernel.elf,fc_replica,fc_replica only))
# The default table (build/config/uav-tmr.bin, copied to build/system.bin:
# tools/sysgen/rules.mk) and config/uav-failover.xml's (host tests) record
# the replica image's golden digest too, and
# an ISO that carries build/system.bin as its table loads that image as a
# module (SYSTEM_BIN_MODULES: the monitor/tboot/standalone ISOs, cfg-uav-tmr.iso).
UAV_TMR_TABLE := $(addprefix $(BUILD)/config/uav-tmr.,bin h txt) $(addprefix $(BUILD)/config/uav-failover.,bin h txt)
$(UAV_TMR_TABLE): SYSGEN_IMAGES = --image replica-kernel=$(UAV_REPLICA_KERNEL)
$(UAV_TMR_TABLE): $(UAV_REPLICA_KERNEL)
SYSTEM_BIN_MODULES := $(UAV_REPLICA_KERNEL)
$(UAV_CFG)/uav-square.bin: $(UAV_CFG)/uav-square.xml
$(UAV_CFG)/uav-run.bin: $(UAV_CFG)/uav-run.xml
$(UAV_CFG)/uav-tmr.bin: config/uav-tmr.xml
$(UAV_CFG)/uav-fault.bin: $(UAV_CFG)/uav-fault.xml
# The test ISOs boot, as sandbox-kernel (io, sim), the stripped kernel that
# carries only the three UAV programs (fault-injection/rules.mk builds it for
# its campaigns): the monitor hashes each sandbox's image at boot and again
# before a restart, and in Bochs hashing the 2.5 MB kernel with every program
# was most of the boot and of a restart (172 M of 215 M ticks).  make run's
# io and sim keep the kernel with every program; everywhere the replicas
# boot replica-kernel.
# $$: this file is included before SYSGEN, KERNEL_ELF_PROGS and FI_KDIR are defined.
UAV_TEST_KERNEL = $(FI_KDIR)/stripped/sandbox-kernel.elf
# Every flight of config/uav-tmr.xml boots two images: sandbox-kernel for io
# and sim (and fc-c of uav-square) and the replicas' replica-kernel, a
# further GRUB module (tools/iso/mkiso.sh EXTRA_MODULES); sysgen records the
# golden digest of each (UAV_SYSGEN_IMAGES: sandbox-kernel is the UAV
# programs kernel, make run's table names the kernel with every program).
UAV_SYSGEN_IMAGES = --image sandbox-kernel=$(UAV_TEST_KERNEL) --image replica-kernel=$(UAV_REPLICA_KERNEL)
$(UAV_CFG)/uav-tmr.bin $(UAV_CFG)/uav-square.bin $(UAV_CFG)/uav-fault.bin: config/system.xsd $$(SYSGEN) $$(UAV_TEST_KERNEL) $(UAV_REPLICA_KERNEL)
	@mkdir -p $(@D)
	@echo "SYSGEN $(filter %.xml,$^) (UAV programs kernel, replica kernel)"
	@$(SYSGEN) --schema config/system.xsd --bin $@ $(UAV_SYSGEN_IMAGES) $(filter %.xml,$^)
$(UAV_CFG)/uav-run.bin: config/system.xsd $$(SYSGEN) $$(KERNEL_ELF_PROGS) $(UAV_REPLICA_KERNEL)
	@mkdir -p $(@D)
	@echo "SYSGEN $(filter %.xml,$^) (with programs, replica kernel)"
	@$(SYSGEN) --schema config/system.xsd --bin $@ --image sandbox-kernel=$(KERNEL_ELF_PROGS) \
	  --image replica-kernel=$(UAV_REPLICA_KERNEL) $(filter %.xml,$^)
$(BUILD)/iso/uav-flight.iso: $(UAV_CFG)/uav-tmr.bin
$(BUILD)/iso/uav-flight-fault.iso: $(UAV_CFG)/uav-fault.bin
$(BUILD)/iso/uav-square.iso: $(UAV_CFG)/uav-square.bin
$(BUILD)/iso/uav-flight.iso $(BUILD)/iso/uav-flight-fault.iso $(BUILD)/iso/uav-square.iso: $$(UAV_TEST_KERNEL) $(UAV_REPLICA_KERNEL) tools/iso/mkiso.sh tools/iso/grub.cfg.in $$(ISO_BOOT) | $(DEPS_STAMP)
	@SYSTEM_BIN=$(filter $(UAV_CFG)/%.bin,$^) MONITOR_ARGS="$(UAV_MONITOR_ARGS)" EXTRA_MODULES="$(UAV_REPLICA_KERNEL)" \
	  tools/iso/mkiso.sh monitor $@ $(filter-out $(KERNEL_ELF),$(ISO_BOOT)) $(UAV_TEST_KERNEL)
.PHONY: uav-flight-isos
uav-flight-isos: $(BUILD)/iso/uav-flight.iso $(BUILD)/iso/uav-flight-fault.iso $(BUILD)/iso/uav-square.iso
SYSTEM_TEST_DEPS += $(BUILD)/iso/uav-flight.iso $(BUILD)/iso/uav-flight-fault.iso $(BUILD)/iso/uav-square.iso

# I/O sandbox failover (issue 9), flown by test 82-qemu-svm-uav-failover
# (QEMU/SVM -icount 5, 7 cores): config/uav-failover.xml (io2 votes in
# shadow) hovering at 1 m, paced at 100 Hz, with two kernel faults at
# heartbeats of 2 s: fc-c's at its 3rd (6 s; its description's failover has
# no voter-standby behind it: refused, restarted cold as before, rejoins),
# io's at its 8th (16 s: the voter role fails over to io2, io restarts cold
# and joins again in shadow).  triad.test_once: the restarted kernels do not
# fault again.  Then (session 7) the role's authority and the hung voter:
# fc-b hangs at UAV_FO_B_HANG, and io2, the voter now, has it restarted
# while io in shadow asks too (--shadow-ask 1) and is refused; io2 hangs
# at UAV_FO_IO2_HANG without faulting (--hang-at), io in shadow sees no
# sensor frame for 10 periods and asks for its failover (--peer 0|6), io2
# restarts cold and joins in shadow.  Bad input at boot: fc-a asks for the
# restart of io (the voter; fc-a is not its standby) and sim for io2's (not
# the voter): refused.  Report at UAV_FO_REPORT, after io2 is
# back.  The rate is io_voter's default (100 Hz): program args are 95
# characters at most.
UAV_FO_BEAT_MS   := 2000
UAV_FO_IO_BEAT   := 8
UAV_FO_C_BEAT    := 3
UAV_FO_B_HANG    := 2250
UAV_FO_IO2_HANG  := 2400
UAV_FO_REPORT    := 3100
UAV_FO_VOTER     := io_voter+--alt+1+--pace+1+--deadline-ms+1000+--report+$(UAV_FO_REPORT)
$(UAV_CFG)/uav-failover-run.xml: config/uav-failover.xml sandbox-kernel/programs/uav/rules.mk
	@mkdir -p $(@D)
	@sed -e '/<sandbox name="io"/,/<\/sandbox>/s|triad.run=io_voter+--rate+100+--alt+1+--report+500"/>|triad.run=$(UAV_FO_VOTER)+--peer+6+--shadow-ask+1"/><program name="fault-test" args="triad.heartbeat=$(UAV_FO_BEAT_MS) triad.test_late_beat=$(UAV_FO_IO_BEAT) triad.test_once=1"/>|' \
	     -e '/<sandbox name="io2"/,/<\/sandbox>/s|triad.run=io_voter+--rate+100+--alt+1+--report+500"|triad.run=$(UAV_FO_VOTER)+--peer+0+--hang-at+$(UAV_FO_IO2_HANG)"|' \
	     -e 's/triad.run=fc_replica+c+--rate+100"/triad.run=fc_replica+c+--rate+100 triad.heartbeat=$(UAV_FO_BEAT_MS) triad.test_late_beat=$(UAV_FO_C_BEAT) triad.test_once=1"/' \
	     -e 's/triad.run=fc_replica+b+--rate+100"/triad.run=fc_replica+b+--rate+100+--hang+$(UAV_FO_B_HANG)"/' \
	     -e 's/triad.run=fc_replica+a+--rate+100"/triad.run=fc_replica+a+--rate+100 triad.test=restart-request triad.test_addr=0"/' \
	     -e 's/triad.run=sim_plant+--rate+100+--alt+1"/triad.run=sim_plant+--rate+100+--alt+1 triad.test=restart-request triad.test_addr=6"/' \
	     -e '/<sandbox name="fc-c"/,/<\/sandbox>/s|<on fault="deadline_miss" action="failover"/>|&<on fault="ept_violation" action="failover"/>|' $< >$@
	@test "$$(grep -c -- 'triad.run=$(UAV_FO_VOTER)' $@)" -eq 2 && grep -q -- 'triad.test_late_beat=$(UAV_FO_IO_BEAT) triad.test_once=1' $@
	@grep -q -- 'fc_replica+c+--rate+100 triad.heartbeat=$(UAV_FO_BEAT_MS) triad.test_late_beat=$(UAV_FO_C_BEAT)' $@
	@test "$$(grep -c 'triad.test=restart-request' $@)" -eq 2
	@grep -q -- '--peer+6+--shadow-ask+1' $@ && grep -q -- '--peer+0+--hang-at+$(UAV_FO_IO2_HANG)' $@ && grep -q -- 'fc_replica+b+--rate+100+--hang+$(UAV_FO_B_HANG)' $@
	@test "$$(grep -c 'fault="ept_violation" action="failover"' $@)" -eq 3
$(UAV_CFG)/uav-failover-run.bin: $(UAV_CFG)/uav-failover-run.xml config/system.xsd $$(SYSGEN) $$(UAV_TEST_KERNEL) $(UAV_REPLICA_KERNEL)
	@mkdir -p $(@D)
	@echo "SYSGEN $(filter %.xml,$^) (UAV programs kernel, replica kernel)"
	@$(SYSGEN) --schema config/system.xsd --bin $@ $(UAV_SYSGEN_IMAGES) $(filter %.xml,$^)
$(BUILD)/iso/uav-failover.iso: $(UAV_CFG)/uav-failover-run.bin $$(UAV_TEST_KERNEL) $(UAV_REPLICA_KERNEL) tools/iso/mkiso.sh tools/iso/grub.cfg.in $$(ISO_BOOT) | $(DEPS_STAMP)
	@SYSTEM_BIN=$(filter $(UAV_CFG)/%.bin,$^) MONITOR_ARGS="$(UAV_MONITOR_ARGS)" EXTRA_MODULES="$(UAV_REPLICA_KERNEL)" \
	  tools/iso/mkiso.sh monitor $@ $(filter-out $(KERNEL_ELF),$(ISO_BOOT)) $(UAV_TEST_KERNEL)
SYSTEM_TEST_DEPS += $(BUILD)/iso/uav-failover.iso
