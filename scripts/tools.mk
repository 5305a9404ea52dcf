# The user-facing targets beyond building: test, run, debug, check, format, coverage, editor
# support, clean and help. Each has its `## NAME  description` line for `make help`.

# ---- tests ------------------------------------------------------------------------------------

.PHONY: test test-run deps runner-test
# `make test` and `make run` first install missing Debian packages (scripts/deps.sh is a no-op
# when everything is there), then build and run in a sub-make.
## deps  install the Debian packages the project needs that are missing (scripts/deps.sh)
deps:
	@scripts/deps.sh

## test  deps, then unit tests (64- and 32-bit) + runner tests + QEMU scenarios + the preload
##   smoke test: one `total: N passed, N failed` line, non-zero exit on failure; JUnit XML in
##   $(BUILD)/junit/{unit,unit32,qemu}.xml
test: deps
	@$(MAKE) --no-print-directory test-run

# What `make test` runs after deps.
test-run: unit-build unit32-build qemu-build preload
	@mkdir -p $(BUILD)/junit
	@$(PYTHON) test/qemu/test_run.py > $(BUILD)/runner.log 2>&1 & runner=$$!; \
	$(PYTHON) scripts/run_unit.py --junit $(BUILD)/junit/unit.xml $(UNIT_BINS) \
		| tee $(BUILD)/unit.log; \
	$(PYTHON) scripts/run_unit.py --name unit32 --junit $(BUILD)/junit/unit32.xml \
		$(UNIT32_BINS) | tee $(BUILD)/unit32.log; \
	$(PYTHON) test/qemu/run.py --build $(BUILD) --junit $(BUILD)/junit/qemu.xml $(QEMU_ARGS) \
		| tee $(BUILD)/qemu.log; \
	$(PYTHON) test/preload/smoke.py $(PRELOAD_RUNNER_ARGS) 2>&1 | tee $(BUILD)/preload.log; \
	wait $$runner || cat $(BUILD)/runner.log; \
	tail -n 1 $(BUILD)/runner.log; \
	$(PYTHON) scripts/sum_results.py $(BUILD)/unit.log $(BUILD)/unit32.log $(BUILD)/runner.log \
		$(BUILD)/qemu.log $(BUILD)/preload.log

## runner-test  the QEMU runner's own tests (test/qemu/test_run.py: a fake QEMU, no kernel)
runner-test:
	@$(PYTHON) test/qemu/test_run.py

# ---- running and debugging --------------------------------------------------------------------

# The machine every boot uses (scripts/qemu_flags.py, which the runner and screenshot.py import);
# read only when a recipe that boots runs.
QEMU_BASE = $(shell $(PYTHON) scripts/qemu_flags.py)
# CPUs of the machine `make run`, run-serial, run-uefi and debug boot (the scenarios set their own).
SMP ?= 2
QEMU_RUN = $(QEMU) $(QEMU_BASE) -smp $(SMP)
GRAPHICAL := $(if $(DISPLAY)$(WAYLAND_DISPLAY),1,)

.PHONY: run run-iso run-serial debug gdb
# A window when a display is available (serial on the terminal), else QEMU's curses display in the
# terminal (serial then goes to $(BUILD)/serial.log).
## run  deps, then boot the ISO in QEMU (a window, or curses in a terminal); KERNEL_CMDLINE='...'
##   sets the kernel command line (for run, run-serial and debug), SMP=N the CPUs (default 2, for
##   run, run-serial, run-uefi and debug); with ARCH=cortex-m4 or
##   cortex-m7, boot the firmware in qemu-system-arm instead, UART0 on the terminal (Ctrl-A X
##   quits) and KERNEL_CMDLINE its semihosting command line
run:
	@scripts/deps.sh $(if $(GRAPHICAL),$(if $(CM_ARCH),,--gui))
	@$(MAKE) --no-print-directory $(if $(CM_ARCH),run-cm,run-iso)

# What `make run` runs after deps.
run-iso: $(KERNEL_ISO)
ifeq ($(GRAPHICAL),1)
	$(QEMU_RUN) -cdrom $(KERNEL_ISO) -serial stdio
else
	@echo "serial output: $(BUILD)/serial.log; quit with Esc then 2 (monitor) and 'quit', or Alt-2"
	$(QEMU_RUN) -cdrom $(KERNEL_ISO) -display curses -serial file:$(BUILD)/serial.log
endif

## run-serial  boot the ISO with the serial console on the terminal, no display (Ctrl-A X quits)
run-serial: deps $(KERNEL_ISO)
	$(QEMU_RUN) -cdrom $(KERNEL_ISO) -display none -serial mon:stdio

.PHONY: run-uefi
## run-uefi  deps, then boot the same ISO under UEFI firmware (OVMF, with a fresh copy of its
##   variables in $(BUILD)/ovmf_vars.fd each run): a window when a display is available, else
##   serial only on the terminal (Ctrl-A X quits)
run-uefi:
	@scripts/deps.sh $(if $(GRAPHICAL),--gui)
	@$(MAKE) --no-print-directory $(KERNEL_ISO)
	$(QEMU_RUN) $$($(PYTHON) scripts/qemu_flags.py --uefi $(BUILD)/ovmf_vars.fd) \
		-cdrom $(KERNEL_ISO) $(if $(GRAPHICAL),-serial stdio,-display none -serial mon:stdio)

# QEMU stops before the first instruction and waits for gdb on localhost:1234; attach from another
# terminal with `make gdb`, i.e.
#   gdb build/kernel.elf -ex 'set architecture i386:x86-64' -ex 'target remote :1234' -ex 'hbreak kmain' -ex continue
## debug  boot (PVH) stopped before the first instruction, waiting for gdb on :1234
debug: deps $(KERNEL_ELF)
	$(QEMU_RUN) -kernel $(KERNEL_ELF) -append $(call shell-quote,$(KERNEL_CMDLINE)) \
		-display none -serial mon:stdio -s -S

## gdb  attach gdb to `make debug` (from another terminal), with symbols, stopped at kmain
gdb: $(KERNEL_ELF)
	gdb $(KERNEL_ELF) -ex 'set architecture i386:x86-64' -ex 'target remote :1234' \
		-ex 'hbreak kmain' -ex continue

# ---- hygiene ----------------------------------------------------------------------------------

SOURCE_FILES = $(shell git ls-files --cached --others --exclude-standard '*.c' '*.h' 2>/dev/null)
KERNEL_HEADERS = $(filter core/% kernel/% platform/x86_64/% test/qemu/ktest/%,$(filter %.h,$(SOURCE_FILES)))
HOST_HEADERS = $(filter platform/host/% test/unit/% test/fuzz/% test/bench/% test/preload/%,$(filter %.h,$(SOURCE_FILES)))
CM_HEADERS = $(filter platform/cortex_m/%,$(filter %.h,$(SOURCE_FILES)))
# The checks that read SOURCE_FILES would pass on an empty list: without git (or outside a
# checkout) they fail instead.
need-sources = @[ -n "$(strip $(SOURCE_FILES))" ] || { echo "$@: git ls-files lists no C sources \
	(not a git checkout, or git not installed)"; exit 1; }
NM ?= nm

CHECKS := check-includes check-conditionals check-headers check-format check-cycles check-ktest \
	check-help
.PHONY: check $(CHECKS) format
## check  every check-* step below; all of them run, even after one fails
# make -k: every check runs even when one fails; -O: each one's output kept together.
check:
	@$(MAKE) --no-print-directory -k -O $(CHECKS) || { echo "check: FAILED"; exit 1; }
	@echo "check: all $(words $(CHECKS)) checks passed"

## check-includes  core/ includes only core/ and the compiler's freestanding headers
check-includes:
	@bad=$$(grep -rnE '^\s*#\s*include\s*[<"]' core --include='*.c' --include='*.h' | \
		grep -vE '#\s*include\s*"core/' | \
		grep -vE '#\s*include\s*<(stdint|stddef|stdbool|stdarg|stdalign|stdnoreturn|limits|float|iso646)\.h>'); \
	if [ -n "$$bad" ]; then echo "core/ includes outside core/ and freestanding headers:"; \
		echo "$$bad"; exit 1; fi; echo "check-includes: ok"

## check-conditionals  core/'s only preprocessor lines are #include, #define and #pragma once:
##   no #if/#ifdef/#ifndef/#elif/#else/#endif (nor #undef, #error...); where core/ runs is
##   decided at link time
check-conditionals:
	@bad=$$(grep -rnE '^\s*#' core --include='*.c' --include='*.h' | \
		grep -vE '^[^:]+:[0-9]+:\s*#\s*(include|define)\b' | \
		grep -vE '^[^:]+:[0-9]+:\s*#\s*pragma\s+once\s*$$'); \
	if [ -n "$$bad" ]; then \
		echo "core/ preprocessor lines other than #include, #define and #pragma once:"; \
		echo "$$bad"; exit 1; fi; echo "check-conditionals: ok"

## check-headers  every header compiles on its own (kernel, Cortex-M firmware or host flags, by
##   directory)
check-headers:
	$(need-sources)
	@fail=0; for h in $(KERNEL_HEADERS); do \
		echo "#include \"$$h\"" | $(CC) $(filter-out -MMD -MP,$(KCFLAGS)) -fsyntax-only -x c - \
			|| { echo "  $$h does not compile on its own (kernel flags)"; fail=1; }; done; \
	for h in $(CM_HEADERS); do \
		echo "#include \"$$h\"" | $(CM_CC) $(filter-out -MMD -MP,$(CM_CFLAGS_cortex-m4)) \
			-fsyntax-only -x c - \
			|| { echo "  $$h does not compile on its own (firmware flags)"; fail=1; }; done; \
	for h in $(HOST_HEADERS); do \
		echo "#include \"$$h\"" | $(CC) $(filter-out -MMD -MP,$(HCFLAGS)) -fsyntax-only -x c - \
			|| { echo "  $$h does not compile on its own (host flags)"; fail=1; }; done; \
	[ $$fail = 0 ] && echo "check-headers: ok ($(words $(KERNEL_HEADERS) $(CM_HEADERS) $(HOST_HEADERS)) headers)"

## check-format  clang-format --dry-run --Werror on every C source and header
check-format:
	$(need-sources)
	@clang-format --dry-run --Werror $(SOURCE_FILES) && echo "check-format: ok"

## check-cycles  no include cycle among kernel/ modules (kernel/x.c and kernel/x.h are one
##   module), after the checker's self-test (scripts/check_include_cycles.py)
check-cycles:
	@$(PYTHON) scripts/check_include_cycles.py --self-test
	@$(PYTHON) scripts/check_include_cycles.py kernel

## check-ktest  the production image $(BUILD)/kernel.elf holds no symbol containing "ktest"
##   (the in-kernel test runner belongs in the scenario images only)
check-ktest: $(KERNEL_ELF)
	@syms=$$($(NM) $<) || exit 1; \
	echo "$$syms" | grep -qw kmain || { echo "check-ktest: $(NM) lists no kmain in $<"; exit 1; }; \
	bad=$$(echo "$$syms" | grep -i ktest); \
	if [ -n "$$bad" ]; then echo "$< holds test code (symbols containing ktest):"; \
		echo "$$bad"; exit 1; fi; echo "check-ktest: ok"

## check-help  make help and the README's table of make targets name the same targets
check-help:
	@$(PYTHON) scripts/make_help.py --readme README.md $(HELP_MAKEFILES)

## format  apply clang-format to every C source and header
format:
	$(need-sources)
	clang-format -i $(SOURCE_FILES)

# ---- coverage ---------------------------------------------------------------------------------

.PHONY: coverage
# Host: the unit tests rebuilt with --coverage (no sanitizers, -O0) under $(BUILD)/cov/host.
# Kernel: every scenario image rebuilt with gcc's freestanding gcov (KERNEL_COVERAGE=1) under
# $(BUILD)/cov/kernel and $(BUILD)/cov/qemu, booted by run.py, which decodes each image's stream
# into $(BUILD)/cov/qemu-runs/<scenario>/ (a bad stream fails the scenario); the runs are added
# up into the kernel's object directory (scripts/kcov.py merge). Then gcovr reads each build
# (host.json, kernel.json), scripts/coverage_table.py prints one table (host, kernel, merged;
# lines and branches; per file and per directory) and fails below COVERAGE_MIN, and the HTML of
# both together goes to $(BUILD)/coverage/, of each alone to $(BUILD)/coverage/{host,kernel}/.
# QEMU_ARGS='-k heap' narrows the scenarios (and skips the minimums).
# Just under what this tree measures (core/ 99.8, kernel/ 96.6-96.9, platform/x86_64/ 95.2;
# kernel/ moves by a few lines from run to run with timing): CI fails when coverage falls.
COVERAGE_MIN ?= core/=99 kernel/=95 platform/x86_64/=94
COV := $(BUILD)/cov
## coverage  deps, then host unit tests and every QEMU scenario with gcov: one table of core/,
##   kernel/ and platform/x86_64/ (host, kernel, merged; lines and branches), HTML in
##   $(BUILD)/coverage/; QEMU_ARGS='-k heap' narrows the scenarios; needs gcc
coverage: deps
	$(if $(CLANG),$(error kernel coverage needs gcc (its -fprofile-info-section and libgcov); \
		run `make coverage` without CC=clang))
	@$(MAKE) --no-print-directory BUILD=$(COV) SANITIZE= \
		HOST_EXTRA='--coverage -fprofile-update=atomic -O0' unit-build
	@$(MAKE) --no-print-directory BUILD=$(COV) KERNEL_COVERAGE=1 qemu-build
	@find $(COV) -name '*.gcda' -delete
	@rm -rf $(COV)/qemu-runs $(COV)/qemu-merged
	@$(PYTHON) scripts/run_unit.py $(patsubst $(BUILD)/%,$(COV)/%,$(UNIT_BINS)) \
		> $(COV)/unit.log || { cat $(COV)/unit.log; exit 1; }
	@$(PYTHON) test/qemu/run.py --build $(COV) --coverage-dir $(COV)/qemu-runs $(QEMU_ARGS) \
		> $(COV)/qemu.log || { cat $(COV)/qemu.log; exit 1; }
	@tail -n 2 $(COV)/unit.log | head -n 1; tail -n 2 $(COV)/qemu.log | head -n 1
	@$(PYTHON) scripts/kcov.py merge $(COV)/qemu-merged \
		$$(find $(COV)/qemu-runs -mindepth 1 -maxdepth 1 -type d)
	@cp -R $(COV)/qemu-merged/. $(COV)/kernel/
	@mkdir -p $(BUILD)/coverage
	@gcovr --root . --filter 'core/' --object-directory $(COV)/host --json $(COV)/host.json \
		$(COV)/host
	@gcovr --root . --filter 'core/' --filter 'kernel/' --filter 'platform/x86_64/' \
		--object-directory $(COV)/kernel --json $(COV)/kernel.json $(COV)/kernel
	@mkdir -p $(BUILD)/coverage/host $(BUILD)/coverage/kernel
	@gcovr --root . --add-tracefile $(COV)/host.json --add-tracefile $(COV)/kernel.json \
		--html-details $(BUILD)/coverage/index.html
	@gcovr --root . --add-tracefile $(COV)/host.json \
		--html-details $(BUILD)/coverage/host/index.html
	@gcovr --root . --add-tracefile $(COV)/kernel.json \
		--html-details $(BUILD)/coverage/kernel/index.html
	@$(PYTHON) scripts/coverage_table.py $(COV)/host.json $(COV)/kernel.json \
		$(if $(QEMU_ARGS),,$(addprefix --min ,$(COVERAGE_MIN)))
	@echo "HTML: $(BUILD)/coverage/index.html (merged), host/index.html, kernel/index.html"

# ---- editors, cleaning, help ------------------------------------------------------------------

.PHONY: compile_commands.json clean help screenshot
## screenshot  $(BUILD)/screenshot.png of the booted kernel's screen (QMP screendump)
screenshot: $(KERNEL_ISO)
	$(PYTHON) scripts/screenshot.py --qemu $(QEMU) $(BUILD)/screenshot.png -- -cdrom $(KERNEL_ISO)

## compile_commands.json  compilation database for clangd and other editors (via bear)
compile_commands.json:
	@command -v bear >/dev/null || scripts/deps.sh --with bear
	bear --output $@ -- $(MAKE) --no-print-directory -B $(KERNEL_OBJS) $(UNIT_BINS) $(QEMU_IMAGES)

## clean  remove $(BUILD)/
clean:
	rm -rf $(BUILD)

## CC=clang  build with clang and ld.lld (add BUILD=build/clang to keep both builds)
## ARCH=cortex-m4  `make` and `make run` for the Cortex-M firmware on mps2-an386 (ARCH=cortex-m7:
##   mps2-an500) instead of the x86_64 kernel; every other target covers both machines already
# The makefiles `## ` lines are read from: this project's, not the generated ones or the .d files.
HELP_MAKEFILES = $(filter Makefile %.mk,$(filter-out $(BUILD)/%,$(MAKEFILE_LIST)))
## help  this list
help:
	@$(PYTHON) scripts/make_help.py --build $(BUILD) $(HELP_MAKEFILES)
