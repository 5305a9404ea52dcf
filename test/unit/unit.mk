# test/unit: cmocka programs for core/ (one per module, or several per module split by topic),
# linked with the host build of core/ and the platform/host mocks. Every test/unit/test_*.c becomes
# $(BUILD)/host/test/unit/test_*.
UNIT_SRCS := $(wildcard test/unit/test_*.c)
UNIT_BINS := $(patsubst test/unit/%.c,$(BUILD)/host/test/unit/%,$(UNIT_SRCS))

$(UNIT_BINS): $(BUILD)/host/test/unit/%: $(BUILD)/host/test/unit/%.o $(BUILD)/host/libcore.a \
		$(BUILD)/host/libplatform.a
	$(CC) $(HLDFLAGS) -o $@ $< -Wl,--start-group $(BUILD)/host/libcore.a \
		$(BUILD)/host/libplatform.a -Wl,--end-group $(HLIBS)

.PHONY: unit unit-build
unit-build: $(UNIT_BINS)
# Runs every unit program (in parallel); UNIT_ARGS=-v prints each program's full output.
unit: unit-build
	@$(PYTHON) scripts/run_unit.py $(UNIT_ARGS) $(UNIT_BINS)
