# Toolchain settings, in one place, for every image and every host tool.
#
# Target images (monitor, sandbox kernel) are freestanding x86-64 ELF files
# linked at fixed physical addresses below 4 GiB, so the small code model with
# -fno-pic is enough.  The red zone is off because interrupts and VM exits
# arrive on the current stack.  The monitor additionally uses general-purpose
# registers only: no SSE, no x87, so it never saves FPU state and holds no
# floating point anywhere (a rule of the architecture guide).

CC       ?= gcc
HOST_CC  ?= gcc
LD       := ld
OBJCOPY  := objcopy

GCC_INCLUDE := $(shell $(CC) -print-file-name=include)

TARGET_CFLAGS := -std=c11 -O2 -g -Wall -Wextra -Werror \
  -ffreestanding -fno-builtin -nostdinc -isystem $(GCC_INCLUDE) \
  -fno-pic -fno-pie -fno-stack-protector -fno-asynchronous-unwind-tables \
  -fno-omit-frame-pointer -mno-red-zone -mcmodel=small -MMD -MP
TARGET_ASFLAGS := -g -Wall -Werror -ffreestanding -fno-pic -fno-pie -MMD -MP
TARGET_LDFLAGS := -nostdlib -static -no-pie -z max-page-size=0x1000 --no-dynamic-linker

# The monitor: no floating point, no vector registers.
MONITOR_CFLAGS := $(TARGET_CFLAGS) -mgeneral-regs-only -mno-mmx -mno-sse -mno-sse2 -mno-80387
# The sandbox kernel runs integer-only in ring 0 too; user programs get SSE.
KERNEL_CFLAGS  := $(TARGET_CFLAGS) -mgeneral-regs-only

# Host tools and host unit tests.
HOST_CFLAGS := -std=c11 -O1 -g -Wall -Wextra -Werror -D_DEFAULT_SOURCE -MMD -MP
HOST_LDLIBS :=
