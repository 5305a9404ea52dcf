# The user-facing targets beyond building: test, run, debug, check, format, coverage, editor
# support, clean and help.

# ---- tests ------------------------------------------------------------------------------------

.PHONY: test test-run deps runner-test
# `make test` and `make run` first install missing Debian packages (scripts/deps.sh is a no-op
# when everything is there), then build and run in a sub-make.
deps:
	@scripts/deps.sh

test: deps
	@$(MAKE) --no-print-directory test-run

test-run: unit-build qemu-build
	@mkdir -p $(BUILD)
	@$(PYTHON) test/qemu/test_run.py > $(BUILD)/runner.log 2>&1 & runner=$$!; \
	$(PYTHON) scripts/run_unit.py $(UNIT_BINS) | tee $(BUILD)/unit.log; \
	$(PYTHON) test/qemu/run.py --build $(BUILD) $(QEMU_ARGS) | tee $(BUILD)/qemu.log; \
	wait $$runner || cat $(BUILD)/runner.log; \
	tail -n 1 $(BUILD)/runner.log; \
	$(PYTHON) scripts/sum_results.py $(BUILD)/unit.log $(BUILD)/runner.log $(BUILD)/qemu.log

# The QEMU runner's own tests (a fake QEMU, no kernel needed).
runner-test:
	@$(PYTHON) test/qemu/test_run.py

# ---- running and debugging --------------------------------------------------------------------

QEMU_COMMON := -accel tcg -m 128M -no-reboot
GRAPHICAL := $(if $(DISPLAY)$(WAYLAND_DISPLAY),1,)

.PHONY: run run-iso run-serial debug gdb
# A window when a display is available (serial on the terminal), else QEMU's curses display in the
# terminal (serial then goes to $(BUILD)/serial.log).
run:
	@scripts/deps.sh $(if $(GRAPHICAL),--gui)
	@$(MAKE) --no-print-directory run-iso

run-iso: $(KERNEL_ISO)
ifeq ($(GRAPHICAL),1)
	$(QEMU) $(QEMU_COMMON) -cdrom $(KERNEL_ISO) -serial stdio
else
	@echo "serial output: $(BUILD)/serial.log; quit with Esc then 2 (monitor) and 'quit', or Alt-2"
	$(QEMU) $(QEMU_COMMON) -cdrom $(KERNEL_ISO) -display curses -serial file:$(BUILD)/serial.log
endif

# Serial on the terminal, no display (Ctrl-A X quits).
run-serial: deps $(KERNEL_ISO)
	$(QEMU) $(QEMU_COMMON) -cdrom $(KERNEL_ISO) -display none -serial mon:stdio

# QEMU stops before the first instruction and waits for gdb on localhost:1234; attach from another
# terminal with `make gdb`, i.e.
#   gdb build/kernel.elf -ex 'set architecture i386:x86-64' -ex 'target remote :1234' -ex 'hbreak kmain' -ex continue
debug: deps $(KERNEL_ELF)
	$(QEMU) $(QEMU_COMMON) -kernel $(KERNEL_ELF) -append '$(KERNEL_CMDLINE)' -display none \
		-serial mon:stdio -s -S

gdb: $(KERNEL_ELF)
	gdb $(KERNEL_ELF) -ex 'set architecture i386:x86-64' -ex 'target remote :1234' \
		-ex 'hbreak kmain' -ex continue

# ---- hygiene ----------------------------------------------------------------------------------

SOURCE_FILES = $(shell git ls-files --cached --others --exclude-standard '*.c' '*.h' 2>/dev/null)
KERNEL_HEADERS = $(filter core/% kernel/% platform/x86_64/%,$(filter %.h,$(SOURCE_FILES)))
HOST_HEADERS = $(filter platform/host/% test/unit/% test/fuzz/% test/bench/%,$(filter %.h,$(SOURCE_FILES)))

.PHONY: check check-includes check-headers check-format format
# core/ may include only core/ and the compiler's freestanding headers; every header compiles on
# its own (test/qemu/heap_cases.h is a template its scenarios parameterise, so not on its own);
# formatting is as .clang-format says.
check: check-includes check-headers check-format

check-includes:
	@bad=$$(grep -rnE '^\s*#\s*include\s*[<"]' core --include='*.c' --include='*.h' | \
		grep -vE '#\s*include\s*"core/' | \
		grep -vE '#\s*include\s*<(stdint|stddef|stdbool|stdarg|stdalign|stdnoreturn|limits|float|iso646)\.h>'); \
	if [ -n "$$bad" ]; then echo "core/ includes outside core/ and freestanding headers:"; \
		echo "$$bad"; exit 1; fi; echo "check-includes: ok"

check-headers: $(FLAGS_STAMP)
	@fail=0; for h in $(KERNEL_HEADERS); do \
		echo "#include \"$$h\"" | $(CC) $(filter-out -MMD -MP,$(KCFLAGS)) -fsyntax-only -x c - \
			|| { echo "  $$h does not compile on its own (kernel flags)"; fail=1; }; done; \
	for h in $(HOST_HEADERS); do \
		echo "#include \"$$h\"" | $(CC) $(filter-out -MMD -MP,$(HCFLAGS)) -fsyntax-only -x c - \
			|| { echo "  $$h does not compile on its own (host flags)"; fail=1; }; done; \
	[ $$fail = 0 ] && echo "check-headers: ok ($(words $(KERNEL_HEADERS) $(HOST_HEADERS)) headers)"

check-format:
	@clang-format --dry-run --Werror $(SOURCE_FILES) && echo "check-format: ok"

format:
	clang-format -i $(SOURCE_FILES)

# ---- coverage ---------------------------------------------------------------------------------

.PHONY: coverage
# The unit tests rebuilt with --coverage (no sanitizers, -O0) under $(BUILD)/cov, then gcovr: a
# per-file text summary of core/ (its total last) and HTML in $(BUILD)/coverage/.
coverage: deps
	@$(MAKE) --no-print-directory BUILD=$(BUILD)/cov SANITIZE= HOST_EXTRA='--coverage -fprofile-update=atomic -O0' unit-build
	@find $(BUILD)/cov -name '*.gcda' -delete
	@$(PYTHON) scripts/run_unit.py $(patsubst $(BUILD)/%,$(BUILD)/cov/%,$(UNIT_BINS)) > $(BUILD)/cov/unit.log || { cat $(BUILD)/cov/unit.log; exit 1; }
	@mkdir -p $(BUILD)/coverage
	@gcovr --root . --filter 'core/' --object-directory $(BUILD)/cov/host \
		--html-details $(BUILD)/coverage/index.html --txt - --sort-percentage
	@echo "HTML report: $(BUILD)/coverage/index.html"

# ---- editors, cleaning, help ------------------------------------------------------------------

.PHONY: compile_commands.json clean help screenshot
# A PNG of the screen of `make run` after boot, through QMP screendump.
screenshot: $(KERNEL_ISO)
	$(PYTHON) scripts/screenshot.py $(BUILD)/screenshot.png -- $(QEMU_COMMON) -cdrom $(KERNEL_ISO)

# compile_commands.json for clangd and other editors: every kernel and host compile, via bear.
compile_commands.json:
	@command -v bear >/dev/null || scripts/deps.sh --with bear
	bear --output $@ -- $(MAKE) --no-print-directory -B $(KERNEL_OBJS) $(UNIT_BINS) $(QEMU_IMAGES)

clean:
	rm -rf $(BUILD)

help:
	@echo "make              build $(KERNEL_ELF) and $(KERNEL_ISO)"
	@echo "make run          boot the ISO in QEMU (window, or curses in a terminal)"
	@echo "make run-serial   boot the ISO with serial on the terminal, no display"
	@echo "make debug        boot and wait for gdb on :1234; then 'make gdb' in another terminal"
	@echo "make test         unit tests + QEMU scenarios, one combined result line"
	@echo "make unit         host unit tests (cmocka, ASan+UBSan); UNIT_ARGS=-v for all output"
	@echo "make qemu-test    QEMU scenarios; QEMU_ARGS='-k NAME -v' to select and show serial"
	@echo "make coverage     unit tests with gcov; text summary + $(BUILD)/coverage/index.html"
	@echo "make check        include rule, self-contained headers, clang-format"
	@echo "make format       apply clang-format"
	@echo "make compile_commands.json   compilation database for editors"
	@echo "make screenshot   $(BUILD)/screenshot.png of the booted kernel's screen (QMP)"
	@echo "make clean        remove $(BUILD)"
	@echo "CC=clang          build with clang and ld.lld (use BUILD=build/clang to keep both)"
