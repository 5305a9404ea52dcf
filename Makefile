# Top-level build: flags, pattern rules and the user-facing targets. Each folder adds its sources
# through a *.mk fragment included below. All output goes under $(BUILD).
#
#   make                 kernel image and GRUB ISO          make test      both suites
#   make run             boot the ISO in QEMU               make unit      host unit tests
#   make CC=clang ...    the same with clang and ld.lld      make qemu-test QEMU scenarios
#
# `make help` lists every target.

SHELL := /bin/bash
.DEFAULT_GOAL := all
.DELETE_ON_ERROR:
.SUFFIXES:

ifeq ($(origin CC),default)
CC := gcc
endif
CLANG := $(if $(findstring clang,$(shell $(CC) --version 2>/dev/null | head -n 1)),1,)
BUILD ?= build
PYTHON ?= python3
QEMU ?= qemu-system-x86_64
KERNEL_CMDLINE ?=
ifeq ($(CLANG),1)
KLD ?= ld.lld
else
KLD ?= ld
endif

# ---- flags ------------------------------------------------------------------------------------

WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wvla \
	-Wno-unused-parameter
# Kernel: freestanding, no red zone (interrupts push onto the live stack), no SSE/MMX/x87 state
# (we never save it), higher-half code model, no stack protector or PIC.
KCFLAGS := -std=c11 -ffreestanding -O2 -g $(WARN) -I. \
	-mno-red-zone -mgeneral-regs-only -mcmodel=kernel -fno-pic -fno-pie \
	-fno-stack-protector -fno-omit-frame-pointer -fno-asynchronous-unwind-tables \
	-fno-common -MMD -MP
KASFLAGS := -g -I. -D__ASSEMBLY__ -mcmodel=kernel -fno-pic -fno-pie -MMD -MP
KLDFLAGS := -nostdlib -static -z max-page-size=0x1000 --no-warn-rwx-segments
ifeq ($(CLANG),1)
KCFLAGS += --target=x86_64-unknown-none-elf
KASFLAGS += --target=x86_64-unknown-none-elf
KLDFLAGS := $(filter-out --no-warn-rwx-segments,$(KLDFLAGS))
else
# GCC otherwise turns byte loops into calls to memset/memcpy, which is recursion in core/string.c.
KCFLAGS += -fno-tree-loop-distribute-patterns
endif

# Host: the same core/ sources, hosted compiler, sanitizers on everything.
SANITIZE ?= -fsanitize=address,undefined -fno-sanitize-recover=all
HOST_EXTRA ?=
HCFLAGS := -std=c11 -O1 -g $(WARN) -I. -fno-omit-frame-pointer -fno-common $(SANITIZE) -MMD -MP \
	$(HOST_EXTRA)
HLDFLAGS := $(SANITIZE) $(HOST_EXTRA)
ifneq ($(CLANG),1)
HCFLAGS += -fno-tree-loop-distribute-patterns
endif
HLIBS := -lcmocka

# core/string.c defines memset & co. under their C names for the kernel; on the host it is built
# under core_ names so tests can compare it with libc's.
STRING_RENAME := -Dmemset=core_memset -Dmemcpy=core_memcpy -Dmemmove=core_memmove \
	-Dmemcmp=core_memcmp -Dstrlen=core_strlen -Dstrnlen=core_strnlen -Dstrcmp=core_strcmp \
	-Dstrncmp=core_strncmp -fno-builtin

# Rebuild everything when the compiler or the flags change.
FLAGS_STAMP := $(BUILD)/.flags
FLAGS_NOW := $(CC) $(KLD) | $(KCFLAGS) | $(HCFLAGS) | $(KLDFLAGS)
$(FLAGS_STAMP): FORCE
	@mkdir -p $(@D)
	@echo '$(FLAGS_NOW)' | cmp -s - $@ || echo '$(FLAGS_NOW)' > $@
FORCE:

# ---- sources (each fragment appends to these) -------------------------------------------------

CORE_SRCS :=
ARCH_SRCS :=
HOST_SRCS :=
KERNEL_SRCS :=
include core/core.mk
include platform/x86_64/x86_64.mk
include platform/host/host.mk
include kernel/kernel.mk

KOBJ = $(patsubst %,$(BUILD)/kernel/%.o,$(basename $(1)))
HOBJ = $(patsubst %,$(BUILD)/host/%.o,$(basename $(1)))

KERNEL_OBJS := $(call KOBJ,$(ARCH_SRCS) $(CORE_SRCS) $(KERNEL_SRCS))
HOST_CORE_OBJS := $(call HOBJ,$(CORE_SRCS))
HOST_PLATFORM_OBJS := $(call HOBJ,$(HOST_SRCS))
LINKER_SCRIPT := platform/x86_64/linker.ld

# ---- pattern rules ----------------------------------------------------------------------------

$(BUILD)/kernel/%.o: %.c $(FLAGS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(KCFLAGS) -c $< -o $@
$(BUILD)/kernel/%.o: %.S $(FLAGS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(KASFLAGS) -c $< -o $@
$(BUILD)/host/%.o: %.c $(FLAGS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(HCFLAGS) -c $< -o $@
$(BUILD)/host/core/string.o: HCFLAGS += $(STRING_RENAME)

$(BUILD)/host/libcore.a: $(HOST_CORE_OBJS)
	@rm -f $@
	ar rcs $@ $^
$(BUILD)/host/libplatform.a: $(HOST_PLATFORM_OBJS)
	@rm -f $@
	ar rcs $@ $^

include test/unit/unit.mk
include test/qemu/qemu.mk

# ---- the kernel and its ISO -------------------------------------------------------------------

KERNEL_ELF := $(BUILD)/kernel.elf
KERNEL_ISO := $(BUILD)/kernel.iso

# link-kernel(output, objects)
define link-kernel
	@mkdir -p $(@D)
	$(KLD) $(KLDFLAGS) -T $(LINKER_SCRIPT) -Map=$(basename $(1)).map -o $(1) $(2)
endef

$(KERNEL_ELF): $(KERNEL_OBJS) $(LINKER_SCRIPT)
	$(call link-kernel,$@,$(KERNEL_OBJS))

# make-iso(output iso, kernel elf, command line)
define make-iso
	@rm -rf $(1).d && mkdir -p $(1).d/boot/grub
	cp $(2) $(1).d/boot/kernel.elf
	printf 'set timeout=0\nset default=0\nmenuentry "kernel" {\n  multiboot2 /boot/kernel.elf %s\n  boot\n}\n' '$(3)' > $(1).d/boot/grub/grub.cfg
	grub-mkrescue -d /usr/lib/grub/i386-pc --locales= --fonts= --themes= \
		-o $(1) $(1).d 2> $(1).log || { cat $(1).log; exit 1; }
	@rm -rf $(1).d
endef

$(KERNEL_ISO): $(KERNEL_ELF) Makefile
	$(call make-iso,$@,$<,$(KERNEL_CMDLINE))

.PHONY: all kernel iso
all: $(KERNEL_ELF) $(KERNEL_ISO)
kernel: $(KERNEL_ELF)
iso: $(KERNEL_ISO)

include test/fuzz/fuzz.mk
include test/bench/bench.mk
include scripts/tools.mk

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
