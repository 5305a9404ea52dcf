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
# ktest.c is the runner; x86_64.c and cortex_m.c its machine halves (ktest_machine.h).
KTEST_OBJS := $(call KERNEL_OBJ,test/qemu/ktest/ktest.c test/qemu/ktest/x86_64.c $(ARCH_TEST_SRCS))

$(QEMU_IMAGES): $(BUILD)/qemu/%.elf: $(BUILD)/kernel/test/qemu/%.o $(KERNEL_OBJS) $(KTEST_OBJS) \
		$(KERNEL_LINK_EXTRA) $(LINKER_SCRIPT)
	$(call link-kernel,$@,$(KERNEL_OBJS) $(KTEST_OBJS) $< $(KERNEL_LINK_EXTRA))

$(QEMU_ISOS): $(BUILD)/qemu/%.iso: $(BUILD)/qemu/%.elf test/qemu/%.c
	$(call make-iso,$@,$<,$(QEMU_CMDLINE_$*),$(QEMU_BIOS_VIDEO_$*))

# The Cortex-M scenarios (`arch: cortex-m4 cortex-m7`): $(BUILD)/<machine>/qemu/<name>.elf, the
# firmware's objects (every heap design), the runner with its Cortex-M half, and the scenario.
define cm-scenarios
QEMU_CM_IMAGES_$(1) := $$(patsubst %,$$(BUILD)/$(1)/qemu/%.elf,$$(QEMU_SCENARIOS_$(1)))
CM_KTEST_OBJS_$(1) := $$(call CM_$(1)_OBJ,test/qemu/ktest/ktest.c test/qemu/ktest/cortex_m.c \
	$$(CM_TEST_SRCS))
$$(QEMU_CM_IMAGES_$(1)): $$(BUILD)/$(1)/qemu/%.elf: $$(BUILD)/$(1)/test/qemu/%.o $$(CM_OBJS_$(1)) \
		$$(CM_DESIGN_OBJS_$(1)) $$(CM_KTEST_OBJS_$(1)) $$(CM_LDSCRIPTS)
	$$(call cm-link,$(1),$$@,$$(CM_OBJS_$(1)) $$(CM_DESIGN_OBJS_$(1)) $$(CM_KTEST_OBJS_$(1)) $$<)
endef
$(foreach m,$(CM_MACHINES),$(eval $(call cm-scenarios,$(m))))
QEMU_CM_IMAGES := $(foreach m,$(CM_MACHINES),$(QEMU_CM_IMAGES_$(m)))

.PHONY: qemu-build qemu-test
## qemu-build  only build the scenario images (ELF, and ISO where a scenario boots through GRUB;
##   the Cortex-M ones for each machine their metadata names)
qemu-build: $(QEMU_IMAGES) $(QEMU_ISOS) $(QEMU_CM_IMAGES)
## qemu-test  boot every QEMU scenario; QEMU_ARGS='-k vga -v' picks scenarios and shows serial
qemu-test: qemu-build
	@$(PYTHON) test/qemu/run.py --build $(BUILD) $(QEMU_ARGS)
