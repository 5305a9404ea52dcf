# test/qemu: every test/qemu/<name>.c is a scenario kernel image, $(BUILD)/qemu/<name>.elf (the
# kernel's objects, the in-kernel test runner of test/qemu/ktest/ and the scenario's KTESTs). Scenarios whose metadata says `boot: iso` also get
# a GRUB ISO with the metadata's `cmdline:` in grub.cfg. test/qemu/run.py boots them.
QEMU_SCENARIO_SRCS := $(wildcard test/qemu/*.c)
QEMU_SCENARIOS := $(basename $(notdir $(QEMU_SCENARIO_SRCS)))
QEMU_IMAGES := $(patsubst %,$(BUILD)/qemu/%.elf,$(QEMU_SCENARIOS))
QEMU_ISO_SCENARIOS := $(basename $(notdir $(shell grep -l '^ \* boot: *iso' $(QEMU_SCENARIO_SRCS) /dev/null)))
QEMU_ISOS := $(patsubst %,$(BUILD)/qemu/%.iso,$(QEMU_ISO_SCENARIOS))

# The in-kernel test runner: linked into scenario images only, never into $(BUILD)/kernel.elf.
KTEST_OBJS := $(call KOBJ,$(wildcard test/qemu/ktest/*.c) $(ARCH_TEST_SRCS))

scenario_cmdline = $(shell sed -n 's/^ \* cmdline: *//p' test/qemu/$(1).c)

$(QEMU_IMAGES): $(BUILD)/qemu/%.elf: $(BUILD)/kernel/test/qemu/%.o $(KERNEL_OBJS) $(KTEST_OBJS) \
		$(LINKER_SCRIPT)
	$(call link-kernel,$@,$(KERNEL_OBJS) $(KTEST_OBJS) $<)

$(QEMU_ISOS): $(BUILD)/qemu/%.iso: $(BUILD)/qemu/%.elf test/qemu/%.c
	$(call make-iso,$@,$<,$(call scenario_cmdline,$*))

.PHONY: qemu-build qemu-test
qemu-build: $(QEMU_IMAGES) $(QEMU_ISOS)
# Boots every scenario; QEMU_ARGS passes options to run.py (e.g. QEMU_ARGS='-k vga -v').
qemu-test: qemu-build
	@$(PYTHON) test/qemu/run.py --build $(BUILD) $(QEMU_ARGS)
