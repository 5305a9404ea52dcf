# test/qemu: every test/qemu/<name>.c whose first comment has the `qemu-scenario` marker is a
# scenario kernel image, $(BUILD)/qemu/<name>.elf (the kernel's objects, the in-kernel test runner
# of test/qemu/ktest/ and the scenario's KTESTs); one whose metadata says `boot: iso` also gets a
# GRUB ISO with the metadata's `cmdline:` in grub.cfg. test/qemu/run.py boots them.
#
# Which files are scenarios, and their metadata, come from the runner's own parser: scenario.py
# writes them into the fragment $(BUILD)/qemu/scenarios.mk (QEMU_SCENARIOS, QEMU_ISO_SCENARIOS,
# QEMU_CMDLINE_<name>, and QEMU_FRAGMENT_FILES, the files it read), which make rewrites and
# re-reads when scenario.py or a test/qemu/*.c changes or a file was added or removed.
QEMU_SCENARIO_FILES := $(wildcard test/qemu/*.c)
QEMU_FRAGMENT := $(BUILD)/qemu/scenarios.mk
ifneq ($(filter-out $(NO_SCENARIO_GOALS),$(or $(MAKECMDGOALS),$(.DEFAULT_GOAL))),)
include $(QEMU_FRAGMENT)
endif
QEMU_FILES_CHANGED := $(filter-out $(QEMU_FRAGMENT_FILES),$(QEMU_SCENARIO_FILES)) \
	$(filter-out $(QEMU_SCENARIO_FILES),$(QEMU_FRAGMENT_FILES))

$(QEMU_FRAGMENT): test/qemu/scenario.py $(QEMU_SCENARIO_FILES) \
		$(if $(strip $(QEMU_FILES_CHANGED)),FORCE)
	@mkdir -p $(@D)
	$(PYTHON) test/qemu/scenario.py --make-fragment $@ $(QEMU_SCENARIO_FILES)

QEMU_IMAGES := $(patsubst %,$(BUILD)/qemu/%.elf,$(QEMU_SCENARIOS))
QEMU_ISOS := $(patsubst %,$(BUILD)/qemu/%.iso,$(QEMU_ISO_SCENARIOS))

# The in-kernel test runner: linked into scenario images only, never into $(BUILD)/kernel.elf.
KTEST_OBJS := $(call KERNEL_OBJ,$(wildcard test/qemu/ktest/*.c) $(ARCH_TEST_SRCS))

$(QEMU_IMAGES): $(BUILD)/qemu/%.elf: $(BUILD)/kernel/test/qemu/%.o $(KERNEL_OBJS) $(KTEST_OBJS) \
		$(KERNEL_LINK_EXTRA) $(LINKER_SCRIPT)
	$(call link-kernel,$@,$(KERNEL_OBJS) $(KTEST_OBJS) $< $(KERNEL_LINK_EXTRA))

$(QEMU_ISOS): $(BUILD)/qemu/%.iso: $(BUILD)/qemu/%.elf test/qemu/%.c
	$(call make-iso,$@,$<,$(QEMU_CMDLINE_$*))

.PHONY: qemu-build qemu-test
## qemu-build  only build the scenario images (ELF, and ISO where a scenario boots through GRUB)
qemu-build: $(QEMU_IMAGES) $(QEMU_ISOS)
## qemu-test  boot every QEMU scenario; QEMU_ARGS='-k vga -v' picks scenarios and shows serial
qemu-test: qemu-build
	@$(PYTHON) test/qemu/run.py --build $(BUILD) $(QEMU_ARGS)
