# test/bench: host benchmarks of core/ (page-table walker, allocators, ...). Every
# test/bench/bench_<name>.c is a plain C program (no cmocka tests, no sanitizers) built at -O2
# together with its own build of core/ and the platform/host mocks (which need -lcmocka) into
# $(BUILD)/bench/bench_<name>. Each prints a table of its timings.
#
#   make bench                          builds and runs every benchmark, one after another
#   make bench BENCH=paging             runs one (or several: BENCH='paging alloc')
#   make bench BENCH_ARGS='--runs 11'   passes arguments to each program
#   make bench-build                    only builds them
#   make bench-alloc-chart              redraws the allocator chart from the last CSV
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
BENCH_ARGS_alloc := --out $(BUILD)/bench
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

## bench  host benchmarks (test/bench/): page-table walker, allocators; BENCH=paging picks one
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
