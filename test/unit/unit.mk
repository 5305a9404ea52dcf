# test/unit: cmocka programs for core/ (one per module, or several per module split by topic),
# linked with the host build of core/ and the platform/host mocks. Every test/unit/test_*.c becomes
# $(BUILD)/host/test/unit/test_*.
UNIT_SRCS := $(wildcard test/unit/test_*.c)
UNIT_BINS := $(patsubst test/unit/%.c,$(BUILD)/host/test/unit/%,$(UNIT_SRCS))

# The programs link against one shared library holding the host build of core/ and the
# platform/host mocks, so that a change to one core/ file relinks that library and no program: a
# program records only the library's name (found through its run path) and resolves the symbols
# when it starts, hence the order-only prerequisite. The library's objects are built
# position-independent; they and the programs are rebuilt when this file changes.
UNIT_LIB := $(BUILD)/host/libcore.so
UNIT_LIB_OBJS := $(HOST_CORE_OBJS) $(HOST_PLATFORM_OBJS)
$(UNIT_LIB_OBJS): private HCFLAGS += -fPIC
$(UNIT_LIB_OBJS): test/unit/unit.mk

$(UNIT_LIB): $(UNIT_LIB_OBJS)
	$(CC) $(HLDFLAGS) -shared -Wl,-soname,libcore.so -o $@ $^ $(HLIBS)

$(UNIT_BINS): $(BUILD)/host/test/unit/%: $(BUILD)/host/test/unit/%.o test/unit/unit.mk | $(UNIT_LIB)
	$(CC) $(HLDFLAGS) -o $@ $< $(UNIT_LIB) -Wl,-rpath,'$$ORIGIN/../..' $(HLIBS)

.PHONY: unit unit-build unit-long
unit-build: $(UNIT_BINS)
# Runs every unit program (in parallel); UNIT_ARGS=-v prints each program's full output. The big
# sweeps run on a small slice here (the fast tier of test/unit/sweep.h).
unit: unit-build
	@$(PYTHON) scripts/run_unit.py $(UNIT_ARGS) $(UNIT_BINS)

# The same programs with every sweep at full size, each random run's seed printed under its
# program; UNIT_SEED=N replaces the fixed seeds (to replay one, or to try new ones).
unit-long: unit-build
	@UNIT_LONG=1 $(PYTHON) scripts/run_unit.py --seeds $(UNIT_ARGS) $(UNIT_BINS)

# The same programs built for i386 (-m32) into $(BUILD)/host32, where long, size_t and pointers
# are 32 bits wide as on the Cortex-M, so word-size assumptions in core/ and the tests fail here.
UNIT32_BINS := $(patsubst test/unit/%.c,$(BUILD)/host32/test/unit/%,$(UNIT_SRCS))
UNIT32_LIB := $(BUILD)/host32/libcore.so
UNIT32_LIB_OBJS := $(HOST32_CORE_OBJS) $(HOST32_PLATFORM_OBJS)
$(UNIT32_LIB_OBJS): private H32CFLAGS += -fPIC
$(UNIT32_LIB_OBJS): test/unit/unit.mk

$(UNIT32_LIB): $(UNIT32_LIB_OBJS)
	$(CC) $(H32LDFLAGS) -shared -Wl,-soname,libcore.so -o $@ $^ $(HLIBS)

$(UNIT32_BINS): $(BUILD)/host32/test/unit/%: $(BUILD)/host32/test/unit/%.o test/unit/unit.mk \
		| $(UNIT32_LIB)
	$(CC) $(H32LDFLAGS) -o $@ $< $(UNIT32_LIB) -Wl,-rpath,'$$ORIGIN/../..' $(HLIBS)

.PHONY: unit32 unit32-build
unit32-build: $(UNIT32_BINS)
unit32: unit32-build
	@$(PYTHON) scripts/run_unit.py --name unit32 $(UNIT_ARGS) $(UNIT32_BINS)
