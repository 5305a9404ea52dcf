# test/bench: host benchmarks of core/ (page-table walker, framebuffer console, allocators, ...).
# Every test/bench/bench_<name>.c is a plain C program (no cmocka tests, no sanitizers) built at -O2
# together with its own build of core/ and the platform/host mocks (which need -lcmocka) into
# $(BUILD)/bench/bench_<name>. Each prints a table of its timings.
#
#   make bench                          builds and runs every benchmark, one after another
#   make bench BENCH=paging             runs one (or several: BENCH='paging alloc')
#   make bench BENCH_ARGS='--runs 11'   passes arguments to each program
#   make bench-build                    only builds them
#   make bench-alloc-chart              redraws the allocator chart from the last CSV
#   make bench BENCH=alloc TRACE=f      replays only the heap trace file(s) f on every allocator
#   make heap-trace SCENARIO=heap_irq   records a kernel's heap trace (see below)
#
# bench_alloc replays its generated traces and the kernel heap traces kept in test/bench/traces/
# (docs/heap-trace.md); TRACE='a.trace b.trace' replays those files instead of both.
#
# bench_alloc also writes $(BUILD)/bench/alloc.csv; after it runs, `make bench` draws
# $(BUILD)/bench/alloc.svg and .png from that with test/bench/plot_alloc.gp when gnuplot is there.
# It draws the heap of every arena design at each trace's peak and end itself, one SVG sheet per
# trace, $(BUILD)/bench/heap/<trace>.svg (test/bench/alloc_picture.h), and writes
# $(BUILD)/bench/span_over_time.csv, which test/bench/plot_span.gp draws into
# $(BUILD)/bench/span_over_time.svg (the live span over the live bytes through each trace).

BENCH_ARGS ?=
BENCH_NAMES := $(patsubst test/bench/bench_%.c,%,$(wildcard test/bench/bench_*.c))
BENCH ?= $(BENCH_NAMES)
# Arguments one program gets before BENCH_ARGS, and libraries it links with beyond -lcmocka.
BENCH_TRACE_FILES := $(sort $(wildcard test/bench/traces/*.trace))
TRACE ?=
BENCH_ARGS_alloc = --out $(BUILD)/bench \
	$(if $(TRACE),--no-synthetic $(addprefix --trace ,$(TRACE)),$(addprefix --trace ,$(BENCH_TRACE_FILES)))
$(BUILD)/bench/bench_alloc: BENCH_LDLIBS := -ldl

# Optimised like the kernel, no sanitizer or coverage instrumentation. core's KASSERT checks stay
# in, as they do in the kernel (nothing compiles them out), so the timings include them.
BENCH_CFLAGS := -std=c11 -O2 -g $(WARN) $(TEST_WARN) -I. -fno-common -MMD -MP
ifneq ($(CLANG),1)
BENCH_CFLAGS += -fno-tree-loop-distribute-patterns
endif

# The benchmarks' own build of core/ and the mocks (private-build, in the top-level Makefile).
$(eval $(call private-build,BENCH,$(BUILD)/bench/obj,CC,BENCH_CFLAGS,$(STRING_RENAME),))
BENCH_LIB_OBJS := $(call BENCH_OBJ,$(CORE_SRCS) $(HOST_SRCS))
BENCH_BINS := $(patsubst %,$(BUILD)/bench/bench_%,$(BENCH_NAMES))

$(BENCH_BINS): $(BUILD)/bench/bench_%: $(BUILD)/bench/obj/test/bench/bench_%.o $(BENCH_LIB_OBJS)
	$(CC) -o $@ $^ -lcmocka $(BENCH_LDLIBS)

.PHONY: bench bench-build bench-alloc-chart
## bench-build  only build the benchmarks
bench-build: $(BENCH_BINS)

## bench  host benchmarks (test/bench/): page-table walker, framebuffer console, allocators;
##   BENCH=paging picks one
bench: $(patsubst %,$(BUILD)/bench/bench_%,$(BENCH))
	@set -e; $(foreach name,$(BENCH), \
		echo "== bench_$(name) $(BENCH_ARGS)"; \
		$(BUILD)/bench/bench_$(name) $(BENCH_ARGS_$(name)) $(BENCH_ARGS);)
ifneq ($(filter alloc,$(BENCH)),)
	@$(MAKE) --no-print-directory bench-alloc-chart
endif

## bench-alloc-chart  redraw $(BUILD)/bench/alloc.svg, .png and span_over_time.svg from the last CSVs
bench-alloc-chart:
	@if command -v gnuplot >/dev/null; then \
		gnuplot -e "csv='$(BUILD)/bench/alloc.csv'; out='$(BUILD)/bench/alloc'" \
			test/bench/plot_alloc.gp && \
		echo "chart: $(BUILD)/bench/alloc.svg $(BUILD)/bench/alloc.png" && \
		gnuplot -e "csv='$(BUILD)/bench/span_over_time.csv'; out='$(BUILD)/bench/span_over_time'" \
			test/bench/plot_span.gp && \
		echo "chart: $(BUILD)/bench/span_over_time.svg"; \
	else echo "chart: gnuplot not installed (scripts/deps.sh installs it)"; fi

# ---- heap traces (docs/heap-trace.md) -----------------------------------------------------------
# `make heap-trace` boots a QEMU scenario (SCENARIO=name, several allowed) or the kernel itself
# (KERNEL=1) with heap_trace=1 and writes what its heap did to $(BUILD)/bench/traces/<name>.trace
# (the kernel's is kernel.trace). A scenario runs under test/qemu/run.py with its timeout times
# HEAP_TRACE_TIMEOUT_FACTOR (every byte of the trace is a trip out to QEMU), and the run's verdict
# is the target's; the kernel never stops on its own, so it is stopped after HEAP_TRACE_SECONDS.
# HEAP_TRACE_MAX=N ends each trace after N records (heap_trace_max=N): a long run in part.
HEAP_TRACE_DIR := $(BUILD)/bench/traces
HEAP_TRACE_MAX ?=
HEAP_TRACE_SECONDS ?= 5
HEAP_TRACE_TIMEOUT_FACTOR ?= 10
SCENARIO ?=
KERNEL ?=
HEAP_TRACE_WORDS = heap_trace=1$(if $(HEAP_TRACE_MAX), heap_trace_max=$(HEAP_TRACE_MAX))

.PHONY: heap-trace bench-traces
## heap-trace  record a heap trace into $(BUILD)/bench/traces/<name>.trace: SCENARIO=heap_irq boots
##   that QEMU scenario, KERNEL=1 the kernel for HEAP_TRACE_SECONDS (5); HEAP_TRACE_MAX=N stops
##   each after N records
heap-trace: $(patsubst %,$(BUILD)/qemu/%.elf,$(SCENARIO)) $(if $(filter 1,$(KERNEL)),$(KERNEL_ELF))
	@[ -n "$(SCENARIO)" ] || [ "$(KERNEL)" = 1 ] || \
		{ echo "heap-trace: say SCENARIO=<test/qemu scenario> or KERNEL=1"; exit 2; }
	@mkdir -p $(HEAP_TRACE_DIR)
ifneq ($(SCENARIO),)
	$(PYTHON) test/qemu/run.py --build $(BUILD) --heap-trace-dir $(HEAP_TRACE_DIR) \
		$(if $(HEAP_TRACE_MAX),--heap-trace-max $(HEAP_TRACE_MAX)) \
		--timeout-factor $(HEAP_TRACE_TIMEOUT_FACTOR) $(patsubst %,test/qemu/%.c,$(SCENARIO))
endif
ifeq ($(KERNEL),1)
	@rm -f $(HEAP_TRACE_DIR)/kernel.trace
	timeout $(HEAP_TRACE_SECONDS) $(QEMU) $(QEMU_BASE) -display none \
		-serial file:$(HEAP_TRACE_DIR)/kernel.serial -kernel $(KERNEL_ELF) \
		-append '$(HEAP_TRACE_WORDS)' \
		$(shell $(PYTHON) scripts/qemu_flags.py --heap-trace $(HEAP_TRACE_DIR)/kernel.trace); \
		[ $$? = 124 ] || { echo "heap-trace: QEMU stopped before the $(HEAP_TRACE_SECONDS) s"; exit 1; }
	@[ "$$(head -n 1 $(HEAP_TRACE_DIR)/kernel.trace)" = "heaptrace 1" ] || \
		{ echo "heap-trace: $(HEAP_TRACE_DIR)/kernel.trace has no 'heaptrace 1' header"; exit 1; }
	@echo "heap trace: $(HEAP_TRACE_DIR)/kernel.trace (records: $$(grep -cE '^(alloc|free|grow) ' $(HEAP_TRACE_DIR)/kernel.trace); serial: $(HEAP_TRACE_DIR)/kernel.serial)"
endif

# The kernel traces kept in test/bench/traces/, as file=scenario:records (an empty number of
# records: the whole run). heap_irq and heap_linked_list are cut: traced whole they run to tens of
# MB (heap_linked_list's many_boxes alone is 200k operations), and heap_irq, whose timer interrupt
# does 150 traced operations per 1 ms tick, starves its main side into a timeout.
BENCH_TRACES := heap_irq=heap_irq:5000 heap_cases=heap_linked_list:2000 heap_growth=heap_growth: \
	out_of_frames=heap_out_of_frames:
bench-trace-file = $(word 1,$(subst =, ,$(1)))
bench-trace-scenario = $(word 1,$(subst :, ,$(word 2,$(subst =, ,$(1)))))
bench-trace-max = $(word 2,$(subst :, ,$(word 2,$(subst =, ,$(1)))))
## bench-traces  re-record the kernel traces kept in test/bench/traces/ (make heap-trace for each)
bench-traces:
	@set -e; $(foreach t,$(BENCH_TRACES), \
		$(MAKE) --no-print-directory heap-trace SCENARIO=$(call bench-trace-scenario,$(t)) \
			HEAP_TRACE_MAX=$(call bench-trace-max,$(t)); \
		cp $(HEAP_TRACE_DIR)/$(call bench-trace-scenario,$(t)).trace \
			test/bench/traces/$(call bench-trace-file,$(t)).trace;)
	@wc -lc test/bench/traces/*.trace

.PHONY: bench-smp
## bench-smp  the kernel's boot time with 1, 2, 4 and 8 CPUs against 1 in the same run, the other
##   CPUs' start-up and the IPI round trip (test/bench/smp_boot.py; SMP_BENCH_ARGS='--rounds 5')
SMP_BENCH_ARGS ?=
bench-smp: $(BUILD)/kernel.elf
	$(PYTHON) test/bench/smp_boot.py --kernel $(BUILD)/kernel.elf $(SMP_BENCH_ARGS)
