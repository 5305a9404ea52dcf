# test/fuzz: libFuzzer targets for the core/ modules that take outside input or a sequence of
# operations. Every test/fuzz/fuzz_<name>.c is built by clang with libFuzzer, AddressSanitizer and
# UBSan, together with core/ and the platform/host mocks (which need -lcmocka), into
# $(BUILD)/fuzz/fuzz_<name>.
#
#   make fuzz                         runs every target for FUZZ_SECONDS (default 30) seconds each
#   make fuzz FUZZ=bootinfo           runs one target
#   make fuzz-build                   only builds them
#   make fuzz-replay FUZZ=bootinfo INPUT=build/fuzz/bootinfo/crash-...   re-runs one input once
#
# Each run starts from the seed corpus test/fuzz/corpus/<name>/, copied into the scratch corpus
# $(BUILD)/fuzz/<name>/corpus/ where the inputs libFuzzer finds accumulate from run to run (the
# repository's corpus is never written). A failing input is saved as
# $(BUILD)/fuzz/<name>/{crash,leak,timeout,oom}-<sha1>, and the run's output as
# $(BUILD)/fuzz/<name>/fuzz.log. FUZZ_ARGS adds libFuzzer flags (e.g. FUZZ_ARGS='-jobs=4').

FUZZ_CC ?= clang
FUZZ_SECONDS ?= 30
FUZZ_ARGS ?=
FUZZ_NAMES := $(patsubst test/fuzz/fuzz_%.c,%,$(wildcard test/fuzz/fuzz_*.c))
FUZZ ?= $(FUZZ_NAMES)

# Objects get libFuzzer's coverage instrumentation (fuzzer-no-link); only the link adds its main.
FUZZ_SANITIZE := address,undefined -fno-sanitize-recover=all
FUZZ_CFLAGS := -std=c11 -O1 -g $(WARN) $(TEST_WARN) -I. -fno-omit-frame-pointer -fno-common -MMD -MP \
	-fsanitize=fuzzer-no-link,$(FUZZ_SANITIZE)
FUZZ_LDFLAGS := -fsanitize=fuzzer,$(FUZZ_SANITIZE)

# The fuzzers' own build of core/ and the mocks (private-build, in the top-level Makefile).
$(eval $(call private-build,FUZZ,$(BUILD)/fuzz/obj,FUZZ_CC,FUZZ_CFLAGS,$(STRING_RENAME), \
	FUZZ_LDFLAGS))
FUZZ_LIB_OBJS := $(call FUZZ_OBJ,$(CORE_SRCS) $(HOST_SRCS))
FUZZ_BINS := $(patsubst %,$(BUILD)/fuzz/fuzz_%,$(FUZZ_NAMES))
# For the replay hint: a non-default BUILD must be repeated on the replay command line.
FUZZ_BUILD_ARG := $(if $(filter-out build,$(BUILD)),BUILD=$(BUILD) )

$(FUZZ_BINS): $(BUILD)/fuzz/fuzz_%: $(BUILD)/fuzz/obj/test/fuzz/fuzz_%.o $(FUZZ_LIB_OBJS)
	$(FUZZ_CC) $(FUZZ_LDFLAGS) -o $@ $^ -lcmocka

.PHONY: fuzz fuzz-build fuzz-replay
## fuzz-build  only build the libFuzzer targets (clang)
fuzz-build: $(FUZZ_BINS)

## fuzz  run every libFuzzer target in test/fuzz/ FUZZ_SECONDS (30) each; FUZZ=bootinfo picks one
fuzz: $(patsubst %,$(BUILD)/fuzz/fuzz_%,$(FUZZ))
	@set -e; for name in $(FUZZ); do \
		dir=$(BUILD)/fuzz/$$name; mkdir -p $$dir/corpus; \
		if [ -d test/fuzz/corpus/$$name ]; then cp -R test/fuzz/corpus/$$name/. $$dir/corpus/; fi; \
		echo "fuzz: $$name for $(FUZZ_SECONDS) s (log $$dir/fuzz.log)"; \
		if $(BUILD)/fuzz/fuzz_$$name -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
				-artifact_prefix=$$dir/ $(FUZZ_ARGS) $$dir/corpus > $$dir/fuzz.log 2>&1; then \
			runs=$$(sed -n 's/^stat::number_of_executed_units: *//p' $$dir/fuzz.log); \
			rate=$$(sed -n 's/^stat::average_exec_per_sec: *//p' $$dir/fuzz.log); \
			cov=$$(grep -o 'cov: [0-9]*' $$dir/fuzz.log | tail -n 1); \
			echo "  $$name: ok, $$runs runs, $$rate exec/s, $$cov, corpus $$(ls $$dir/corpus | wc -l) inputs"; \
		else \
			tail -n 40 $$dir/fuzz.log; \
			input=$$(ls -t $$dir/crash-* $$dir/leak-* $$dir/timeout-* $$dir/oom-* 2>/dev/null | head -n 1); \
			echo "fuzz: $$name FAILED; replay: make fuzz-replay $(FUZZ_BUILD_ARG)FUZZ=$$name INPUT=$$input"; \
			exit 1; \
		fi; \
	done

## fuzz-replay  re-run one saved input once: FUZZ=bootinfo INPUT=build/fuzz/bootinfo/crash-...
fuzz-replay: $(patsubst %,$(BUILD)/fuzz/fuzz_%,$(FUZZ))
	$(if $(filter 1,$(words $(FUZZ))),,$(error fuzz-replay: name one target, e.g. FUZZ=bootinfo))
	$(if $(INPUT),,$(error fuzz-replay: give the input, e.g. INPUT=build/fuzz/bootinfo/crash-...))
	$(BUILD)/fuzz/fuzz_$(FUZZ) $(FUZZ_ARGS) $(INPUT)
