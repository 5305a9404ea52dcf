# platform/cortex_m: the firmware for QEMU's Arm MPS2 boards, the same core/ on a second machine
# (docs/cortex-m.md). Two machines, each built into $(BUILD)/<machine>/ with its own CPU flags:
#
#   cortex-m4   mps2-an386 (Cortex-M4, single-precision FPU)
#   cortex-m7   mps2-an500 (Cortex-M7, double-precision FPU)
#
# $(BUILD)/<machine>/firmware.elf links every heap design (chosen at boot with alloc=...);
# $(BUILD)/<machine>/firmware-<design>.elf links that one alone (`make firmware-size` compares
# them). arm-none-eabi-gcc and its ld by default; with CC=clang, clang --target=thumbv7em-none-eabihf
# and ld.lld. Both link arm-none-eabi-gcc's libgcc for the machine's multilib, for the 64-bit
# divisions core/fmt and core/systick make (__aeabi_uldivmod); nothing else of a C library.
CM_MACHINES := cortex-m4 cortex-m7
CM_BOARD_cortex-m4 := mps2-an386
CM_BOARD_cortex-m7 := mps2-an500
CM_CPU_cortex-m4 := -mcpu=cortex-m4 -mfpu=fpv4-sp-d16 -mfloat-abi=hard
CM_CPU_cortex-m7 := -mcpu=cortex-m7 -mfpu=fpv5-d16 -mfloat-abi=hard
CM_DESIGNS := bump linked_list fixed_block tlsf
QEMU_ARM ?= qemu-system-arm
CM_GCC ?= arm-none-eabi-gcc
ifeq ($(CLANG),1)
CM_CC ?= $(CC)
CM_LD ?= ld.lld
CM_TARGET := --target=thumbv7em-none-eabihf
else
CM_CC ?= $(CM_GCC)
CM_LD ?= arm-none-eabi-ld
CM_TARGET := -mthumb
endif

# As the kernel's flags, for Thumb-2: freestanding, no stack protector, no unwind tables; one
# section per function and object so the link drops what the image does not use (the sizes of
# `make firmware-size` are then what each design costs).
CM_CFLAGS := -std=c11 -ffreestanding -O2 -g $(WARN) $(STRICT_WARN) -I. $(CM_TARGET) \
	-fno-pic -fno-stack-protector -fno-common -fno-asynchronous-unwind-tables -fno-unwind-tables \
	-ffunction-sections -fdata-sections -MMD -MP
ifeq ($(CLANG),1)
# core/task's 64-bit atomics are not lock-free on ARMv7-M (no LDREXD): clang warns of every one.
# atomic.c implements them with interrupts masked, which is atomic on this single core.
CM_CFLAGS += -Wno-atomic-alignment
else
CM_CFLAGS += -fno-tree-loop-distribute-patterns
endif
CM_ASFLAGS := $(CM_TARGET) -g -I. -D__ASSEMBLY__ -MMD -MP
CM_LDFLAGS := -nostdlib -static --gc-sections -L platform/cortex_m
CM_LDSCRIPTS := platform/cortex_m/sections.ld $(patsubst %,platform/cortex_m/%.ld,mps2-an386 mps2-an500)

# What the firmware is made of: the core/ modules it uses (not the x86 drivers), the kernel/ files
# both machines build (CM_KERNEL_SRCS: the boot-stage hooks the QEMU test runner attaches to, the
# tasks, panic() and the heap's choice of design; this directory has the machine's part of each),
# and this directory but for the per-machine board files, the per-design heap files and jump.S,
# which only scenario images link.
CM_CORE_SRCS := core/fmt.c core/string.c core/cmdline.c core/err.c core/ring.c \
	$(wildcard core/alloc/*.c core/task/*.c core/cmsdk_uart.c core/systick.c core/cm_fault.c)
CM_KERNEL_SRCS := kernel/stage.c kernel/tasks.c kernel/panic.c kernel/heap_design.c
CM_TEST_SRCS := platform/cortex_m/jump.S
CM_DESIGN_SRCS := $(patsubst %,platform/cortex_m/design_%.c,$(CM_DESIGNS))
CM_SRCS := $(filter-out $(CM_TEST_SRCS) $(CM_DESIGN_SRCS) platform/cortex_m/board_%.c, \
	$(wildcard platform/cortex_m/*.c platform/cortex_m/*.S platform/cortex_m/standin/*.c)) \
	$(CM_KERNEL_SRCS) $(CM_CORE_SRCS)
CM_BOARD_SRC_cortex-m4 := platform/cortex_m/board_an386.c
CM_BOARD_SRC_cortex-m7 := platform/cortex_m/board_an500.c

# One private build per machine ($(BUILD)/cortex-m4/..., $(BUILD)/cortex-m7/...).
$(foreach m,$(CM_MACHINES),$(eval CM_CFLAGS_$(m) = $$(CM_CFLAGS) $$(CM_CPU_$(m))))
$(foreach m,$(CM_MACHINES),$(eval $(call private-build,CM_$(m),$(BUILD)/$(m),CM_CC,CM_CFLAGS_$(m),,CM_ASFLAGS CM_LD CM_LDFLAGS)))

# cm-link(machine, output, objects): links an image for the machine's board.
define cm-link
	@mkdir -p $(dir $(2))
	$(CM_LD) $(CM_LDFLAGS) -T platform/cortex_m/$(CM_BOARD_$(1)).ld -Map=$(basename $(2)).map \
		-o $(2) $(3) $(shell $(CM_GCC) -mthumb $(CM_CPU_$(1)) -print-libgcc-file-name)
endef

# cm-machine(machine): the machine's objects (CM_OBJS_<machine>, every image's), its firmware
# images and its assembler rule.
define cm-machine
CM_OBJS_$(1) := $$(call CM_$(1)_OBJ,$$(CM_SRCS) $$(CM_BOARD_SRC_$(1)))
CM_DESIGN_OBJS_$(1) := $$(call CM_$(1)_OBJ,$$(CM_DESIGN_SRCS))
$$(BUILD)/$(1)/%.o: %.S $$(CM_$(1)_STAMP)
	@mkdir -p $$(@D)
	$$(CM_CC) $$(CM_ASFLAGS) $$(CM_CPU_$(1)) -c $$< -o $$@
$$(BUILD)/$(1)/firmware.elf: $$(CM_OBJS_$(1)) $$(CM_DESIGN_OBJS_$(1)) $$(CM_LDSCRIPTS)
	$$(call cm-link,$(1),$$@,$$(CM_OBJS_$(1)) $$(CM_DESIGN_OBJS_$(1)))
$$(BUILD)/$(1)/firmware-%.elf: $$(CM_OBJS_$(1)) $$(BUILD)/$(1)/platform/cortex_m/design_%.o \
		$$(CM_LDSCRIPTS)
	$$(call cm-link,$(1),$$@,$$(CM_OBJS_$(1)) $$(BUILD)/$(1)/platform/cortex_m/design_$$*.o)
endef
$(foreach m,$(CM_MACHINES),$(eval $(call cm-machine,$(m))))

CM_FIRMWARES := $(patsubst %,$(BUILD)/%/firmware.elf,$(CM_MACHINES))
CM_SIZE_IMAGES := $(foreach m,$(CM_MACHINES),$(patsubst %,$(BUILD)/$(m)/firmware-%.elf,$(CM_DESIGNS)))

# The firmware on the terminal: `make run ARCH=cortex-m4` runs this after deps.
.PHONY: run-cm firmware-size
run-cm: $(BUILD)/$(ARCH)/firmware.elf
	$(QEMU_ARM) $(shell $(PYTHON) scripts/qemu_flags.py --cortex-m $(ARCH) \
		$(call shell-quote,$(KERNEL_CMDLINE))) -nographic -kernel $<

## firmware-size  text, data and bss of the Cortex-M firmware per machine, with every heap design
##   and with each alone (arm-none-eabi-size)
firmware-size: $(CM_FIRMWARES) $(CM_SIZE_IMAGES)
	@arm-none-eabi-size $^
