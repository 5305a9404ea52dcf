# Top-level build: flags, pattern rules and the user-facing targets. Each folder adds its sources
# through a *.mk fragment included below. All output goes under $(BUILD).
#
#   make                 kernel image and GRUB ISO          make test      both suites
#   make run             boot the ISO in QEMU               make unit      host unit tests
#   make CC=clang ...    the same with clang and ld.lld      make qemu-test QEMU scenarios
#   make ARCH=cortex-m4  the Cortex-M firmware (platform/cortex_m; also cortex-m7), and with
#                        `run` boots it in qemu-system-arm
#
# `make help` lists every target: it prints the `## NAME  description` line written above each
# user-facing target in this file and the fragments (scripts/make_help.py), and `make check`
# holds the README's table of targets to the same list.

SHELL := /bin/bash
.DEFAULT_GOAL := all
.DELETE_ON_ERROR:
.SUFFIXES:

ifeq ($(origin CC),default)
CC := gcc
endif
CLANG := $(if $(findstring clang,$(shell $(CC) --version 2>/dev/null | head -n 1)),1,)
BUILD ?= build
# What `make` and `make run` build and boot: the x86_64 kernel, or the Cortex-M firmware for one
# of platform/cortex_m's machines. Every other target (test, check, ...) covers both.
ARCH ?= x86_64
PYTHON ?= python3
QEMU ?= qemu-system-x86_64
KERNEL_CMDLINE ?=
ifeq ($(CLANG),1)
KLD ?= ld.lld
else
KLD ?= ld
endif

# ---- flags ------------------------------------------------------------------------------------

WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wvla
# What the kernel is built from (core/, kernel/, platform/, and the scenarios with them) also
# rejects every implicit narrowing or sign change and every unused parameter, in the kernel build
# and in the host build of core/ and platform/host alike. Host test programs (and the benchmarks'
# and fuzzers' own builds) get none of STRICT_WARN, and TEST_WARN turns -Wextra's unused-parameter
# warning off for them: their callbacks (cmocka's `void **state`, say) often ignore a parameter.
STRICT_WARN := -Wconversion -Wsign-conversion -Wunused-parameter
TEST_WARN := -Wno-unused-parameter
# Kernel: freestanding, no red zone (interrupts push onto the live stack), no SSE/MMX/x87 state
# (we never save it), higher-half code model, no stack protector or PIC.
KCFLAGS := -std=c11 -ffreestanding -O2 -g $(WARN) $(STRICT_WARN) -I. \
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
HCFLAGS := -std=c11 -O1 -g $(WARN) $(TEST_WARN) -I. -fno-omit-frame-pointer -fno-common $(SANITIZE) -MMD -MP \
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

FORCE:

# ---- private builds ---------------------------------------------------------------------------
# The kernel, the host tests, the benchmarks and the fuzzers each compile core/ (and what they add)
# into a directory of their own with their own compiler and flags:
#
#   $(eval $(call private-build,NAME,DIR,COMPILER,FLAGS,STRING_FLAGS,STAMPED))
#
# defines the rule DIR/%.o: %.c, compiled by $(COMPILER) $(FLAGS) (COMPILER and FLAGS are names of
# variables, read when a rule runs), with STRING_FLAGS added for DIR/core/string.o; NAME_OBJ, the
# function from sources to their objects in DIR; and NAME_STAMP, DIR/.flags, which every object
# depends on and which is rewritten only when the compiler, the flags or the variables named in
# STAMPED (the link flags, say) change: changing them rebuilds that build and no other.
# (`private` keeps string.o's extra flags from reaching its prerequisites, the stamp among them.)
define private-build
$(1)_STAMP := $(2)/.flags
$(1)_OBJ = $$(patsubst %,$(2)/%.o,$$(basename $$(1)))
$(1)_FLAGS_NOW = $$(foreach v,$(3) $(4) $(6),$$(v)=$$($$(v)))
$(2)/.flags: FORCE
	@mkdir -p $$(@D)
	@echo '$$($(1)_FLAGS_NOW)' | cmp -s - $$@ || echo '$$($(1)_FLAGS_NOW)' > $$@
$(2)/%.o: %.c $(2)/.flags
	@mkdir -p $$(@D)
	$$($(3)) $$($(4)) -c $$< -o $$@
$(if $(5),$(2)/core/string.o: private $(4) += $(5))
endef

# ---- sources (each fragment appends to these) -------------------------------------------------

CORE_SRCS :=
ARCH_SRCS :=
HOST_SRCS :=
KERNEL_SRCS :=
include core/core.mk
include platform/x86_64/x86_64.mk
include platform/host/host.mk
include kernel/kernel.mk
include platform/cortex_m/cortex_m.mk
ifeq ($(filter $(ARCH),x86_64 $(CM_MACHINES)),)
$(error ARCH=$(ARCH) is not a machine of this build: x86_64 $(CM_MACHINES))
endif
# The Cortex-M machine `make` and `make run` are for, or nothing for x86_64.
CM_ARCH := $(filter $(ARCH),$(CM_MACHINES))

# The kernel's build: core/string.c keeps its C names (the compiler emits calls to them).
# KERNEL_COVERAGE=1 (set by `make coverage`) instruments what the kernel is made of (core/,
# kernel/, platform/x86_64/ C files, not the scenarios or the test runner) with gcc's freestanding
# gcov support and links kernel/coverage/ and libgcov's __gcov_info_to_gcda into every image.
KERNEL_COVERAGE ?=
KCOV_FLAGS := --coverage -fprofile-info-section -fprofile-update=atomic
$(eval $(call private-build,KERNEL,$(BUILD)/kernel,CC,KCFLAGS,,KASFLAGS KLD KLDFLAGS KERNEL_COVERAGE))
$(BUILD)/kernel/%.o: %.S $(KERNEL_STAMP)
	@mkdir -p $(@D)
	$(CC) $(KASFLAGS) -c $< -o $@
# The host unit tests' build (test/unit/unit.mk links its programs).
$(eval $(call private-build,HOST,$(BUILD)/host,CC,HCFLAGS,$(STRING_RENAME),HLDFLAGS HLIBS STRICT_WARN))
# The same build for a 32-bit machine (i386: gcc-multilib and the i386 cmocka), where long, size_t
# and pointers are 32 bits as on the Cortex-M: `make unit32` runs the unit tests on it.
H32CFLAGS := $(HCFLAGS) -m32
H32LDFLAGS := $(HLDFLAGS) -m32
$(eval $(call private-build,HOST32,$(BUILD)/host32,CC,H32CFLAGS,$(STRING_RENAME),H32LDFLAGS HLIBS STRICT_WARN))

KERNEL_OBJS := $(call KERNEL_OBJ,$(ARCH_SRCS) $(CORE_SRCS) $(KERNEL_SRCS))
# What every image links besides its objects: nothing, or the coverage dump and libgcov.
KERNEL_LINK_EXTRA :=
ifeq ($(KERNEL_COVERAGE),1)
ifeq ($(CLANG),1)
$(error kernel coverage needs gcc (its -fprofile-info-section and libgcov); run `make coverage` without CC=clang)
endif
$(filter %.o,$(call KERNEL_OBJ,$(filter %.c,$(ARCH_SRCS) $(CORE_SRCS) $(KERNEL_SRCS)))): \
	private KCFLAGS += $(KCOV_FLAGS)
KERNEL_LINK_EXTRA := $(call KERNEL_OBJ,$(wildcard kernel/coverage/*.c)) \
	$(shell $(CC) -print-file-name=libgcov.a)
endif
HOST_CORE_OBJS := $(call HOST_OBJ,$(CORE_SRCS))
HOST_PLATFORM_OBJS := $(call HOST_OBJ,$(HOST_SRCS))
$(HOST_CORE_OBJS) $(HOST_PLATFORM_OBJS): private HCFLAGS += $(STRICT_WARN)
HOST32_CORE_OBJS := $(call HOST32_OBJ,$(CORE_SRCS))
HOST32_PLATFORM_OBJS := $(call HOST32_OBJ,$(HOST_SRCS))
$(HOST32_CORE_OBJS) $(HOST32_PLATFORM_OBJS): private H32CFLAGS += $(STRICT_WARN)
LINKER_SCRIPT := platform/x86_64/linker.ld

# ---- the kernel and its ISO -------------------------------------------------------------------

KERNEL_ELF := $(BUILD)/kernel.elf
KERNEL_ISO := $(BUILD)/kernel.iso

# link-kernel(output, objects)
define link-kernel
	@mkdir -p $(@D)
	$(KLD) $(KLDFLAGS) -T $(LINKER_SCRIPT) -Map=$(basename $(1)).map -o $(1) $(2)
endef

$(KERNEL_ELF): $(KERNEL_OBJS) $(KERNEL_LINK_EXTRA) $(LINKER_SCRIPT)
	$(call link-kernel,$@,$(KERNEL_OBJS) $(KERNEL_LINK_EXTRA))

# shell-quote(text): text as one single-quoted shell word.
shell-quote = '$(subst ','\'',$(1))'

# The GRUB platforms the ISO boots on: BIOS (i386-pc) and UEFI (x86_64-efi). grub-mkrescue takes
# every platform installed under /usr/lib/grub when no -d is given and makes a hybrid image (an El
# Torito BIOS image and an EFI system partition); each is checked for first, so a missing package
# is an error rather than an ISO that boots on one firmware only.
GRUB_PLATFORMS := i386-pc x86_64-efi
# What the kernel's screen is on BIOS: `text` (VGA text mode, as the kernel draws today) or
# `framebuffer` (what the multiboot2 header asks for, a 1024x768x32 graphics mode). UEFI has no
# text mode, so there the header's request always stands (docs/uefi.md).
BIOS_VIDEO ?= text

# grub-cfg(bios video): the ISO's grub.cfg as a printf format, the command line its %s. all_video gives GRUB the drivers to set
# the header's mode (efi_gop on UEFI, vbe on BIOS). The multiboot2 command sets gfxpayload from the
# header's framebuffer tag, so the BIOS override must come after it.
grub-cfg = set timeout=0\nset default=0\ninsmod all_video\nmenuentry "kernel" {\n  multiboot2 /boot/kernel.elf %s\n$(if $(filter framebuffer,$(1)),,  if [ "$$grub_platform" = pc ]; then set gfxpayload=text; fi\n)  boot\n}\n

# make-iso(output iso, kernel elf, command line, bios video)
define make-iso
	@for p in $(GRUB_PLATFORMS); do [ -d /usr/lib/grub/$$p ] || { \
		echo "make-iso: /usr/lib/grub/$$p missing: run scripts/deps.sh"; exit 1; }; done
	@case '$(4)' in text|framebuffer) ;; *) \
		echo "make-iso: BIOS video '$(4)' is neither text nor framebuffer"; exit 1;; esac
	@rm -rf $(1).d && mkdir -p $(1).d/boot/grub
	cp $(2) $(1).d/boot/kernel.elf
	printf '$(call grub-cfg,$(4))' $(call shell-quote,$(3)) > $(1).d/boot/grub/grub.cfg
	grub-mkrescue --locales= --fonts= --themes= \
		-o $(1) $(1).d 2> $(1).log || { cat $(1).log; exit 1; }
	@rm -rf $(1).d
endef

# Rewritten only when the ISO's command line or BIOS video changes, so the ISO is remade then.
ISO_STAMP := $(BUILD)/iso.flags
ISO_FLAGS_NOW = KERNEL_CMDLINE=$(KERNEL_CMDLINE) BIOS_VIDEO=$(BIOS_VIDEO)
$(ISO_STAMP): FORCE
	@mkdir -p $(@D)
	@echo $(call shell-quote,$(ISO_FLAGS_NOW)) | cmp -s - $@ || \
		echo $(call shell-quote,$(ISO_FLAGS_NOW)) > $@

$(KERNEL_ISO): $(KERNEL_ELF) Makefile $(ISO_STAMP)
	$(call make-iso,$@,$<,$(KERNEL_CMDLINE),$(BIOS_VIDEO))

.PHONY: all kernel iso
## all  (plain `make`) build $(BUILD)/kernel.elf and the GRUB ISO $(BUILD)/kernel.iso; with
##   ARCH=cortex-m4 or cortex-m7, $(BUILD)/<machine>/firmware.elf instead
all: $(if $(CM_ARCH),$(BUILD)/$(CM_ARCH)/firmware.elf,$(KERNEL_ELF) $(KERNEL_ISO))
## kernel  only $(BUILD)/kernel.elf
kernel: $(KERNEL_ELF)
## iso  only $(BUILD)/kernel.iso
iso: $(KERNEL_ISO)

# ---- tests, tools ----------------------------------------------------------------------------

# Targets of test/unit/unit.mk:
## unit  host unit tests (cmocka, ASan+UBSan); UNIT_ARGS=-v shows every program's output
## unit-long  the seeded long tier of heavy random sweeps, run by CI
## unit-build  only build the unit-test programs
## unit32  the unit tests built as 32-bit (i386, -m32) programs into $(BUILD)/host32 and run
##   (ASan+UBSan): word-size assumptions in core/ fail on the host; part of `make test`
## unit32-build  only build the 32-bit unit-test programs
include test/unit/unit.mk

# Goals that need no scenario list: for them test/qemu/qemu.mk does not generate it.
NO_SCENARIO_GOALS := clean help format check check-% deps runner-test
include test/qemu/qemu.mk

include test/fuzz/fuzz.mk
include test/bench/bench.mk
include test/preload/preload.mk
include scripts/tools.mk
include scripts/mutate.mk

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
