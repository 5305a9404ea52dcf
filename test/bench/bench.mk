# test/bench: host benchmarks of core/ (page-table walker, allocators, ...). Every
# test/bench/bench_<name>.c is a plain C program (no cmocka tests, no sanitizers) built at -O2
# together with its own build of core/ and the platform/host mocks (which need -lcmocka) into
# $(BUILD)/bench/bench_<name>. Each prints a table of its timings.
#
#   make bench                          builds and runs every benchmark, one after another
#   make bench BENCH=paging             runs one (or several: BENCH='paging alloc')
#   make bench BENCH_ARGS='--runs 11'   passes arguments to each program
#   make bench-build                    only builds them

BENCH_ARGS ?=
BENCH_NAMES := $(patsubst test/bench/bench_%.c,%,$(wildcard test/bench/bench_*.c))
BENCH ?= $(BENCH_NAMES)

# Optimised like the kernel, asserts compiled out, no sanitizer or coverage instrumentation.
BENCH_CFLAGS := -std=c11 -O2 -g $(WARN) -I. -DNDEBUG -fno-common -MMD -MP
ifneq ($(CLANG),1)
BENCH_CFLAGS += -fno-tree-loop-distribute-patterns
endif

BENCH_OBJ = $(patsubst %,$(BUILD)/bench/obj/%.o,$(basename $(1)))
BENCH_LIB_OBJS := $(call BENCH_OBJ,$(CORE_SRCS) $(HOST_SRCS))
BENCH_BINS := $(patsubst %,$(BUILD)/bench/bench_%,$(BENCH_NAMES))

# Rebuild the benchmark objects when the compiler or the flags change.
BENCH_STAMP := $(BUILD)/bench/.flags
BENCH_FLAGS_NOW := $(CC) | $(BENCH_CFLAGS)
$(BENCH_STAMP): FORCE
	@mkdir -p $(@D)
	@echo '$(BENCH_FLAGS_NOW)' | cmp -s - $@ || echo '$(BENCH_FLAGS_NOW)' > $@

$(BUILD)/bench/obj/%.o: %.c $(BENCH_STAMP)
	@mkdir -p $(@D)
	$(CC) $(BENCH_CFLAGS) -c $< -o $@
$(BUILD)/bench/obj/core/string.o: BENCH_CFLAGS += $(STRING_RENAME)

$(BENCH_BINS): $(BUILD)/bench/bench_%: $(BUILD)/bench/obj/test/bench/bench_%.o $(BENCH_LIB_OBJS)
	$(CC) -o $@ $^ -lcmocka

.PHONY: bench bench-build
bench-build: $(BENCH_BINS)

bench: $(patsubst %,$(BUILD)/bench/bench_%,$(BENCH))
	@set -e; for name in $(BENCH); do \
		echo "== bench_$$name $(BENCH_ARGS)"; \
		$(BUILD)/bench/bench_$$name $(BENCH_ARGS); \
	done
