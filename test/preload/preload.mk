# test/preload: the core/alloc heap designs as the malloc of real programs. Every design in the
# table below becomes an LD_PRELOAD library $(BUILD)/preload/lib<design>.so exporting malloc and
# the rest of the C allocation functions over that design (test/preload/malloc.c, heap.c,
# report.c), built with its own -fPIC build of the core/ files it needs. test/preload/smoke.py
# (part of `make test`) and test/preload/run.py (timings of real programs against glibc's malloc)
# run programs under each library; docs/preload.md describes it all.
#
#   make preload                    builds the libraries and the test program
#   make preload-test               the smoke test: the test program and one small program
#                                   under every library; ends with `preload: N passed, N failed`
#   make preload-run                python, sort, gcc and xz under glibc and every library:
#                                   outputs compared, wall times side by side
#   make preload-run PRELOAD_ARGS='--runs 5 --programs gcc,xz'   passes arguments to run.py
#
# By hand: LD_PRELOAD=$(BUILD)/preload/liblinked_list.so PRELOAD_ALLOC_REPORT=1 ls

# The designs, one a line: name:struct:init. The design's header is core/alloc/<name>.h, its heap
# a `struct <struct>` whose first member is its `struct allocator`, made empty over a region by
# `<init>(heap, region, size)`; its sources are among core/alloc/*.c.
PRELOAD_DESIGNS :=
PRELOAD_DESIGNS += bump:bump_heap:bump_init
PRELOAD_DESIGNS += linked_list:ll_heap:ll_init
PRELOAD_DESIGNS += fixed_block:fsb_heap:fsb_init
PRELOAD_DESIGNS += tlsf:tlsf_heap:tlsf_init

PRELOAD_NAMES := $(foreach d,$(PRELOAD_DESIGNS),$(firstword $(subst :, ,$(d))))
# preload-field(name,n): the n-th field of the design's line.
preload-field = $(word $(2),$(subst :, ,$(filter $(1):%,$(PRELOAD_DESIGNS))))
PRELOAD_LIBS := $(patsubst %,$(BUILD)/preload/lib%.so,$(PRELOAD_NAMES))
PRELOAD_TEST := $(BUILD)/preload/preload_test
PRELOAD_ARGS ?=

# Optimised, position-independent, nothing visible but what malloc.c exports, no sanitizer (it
# would bring its own malloc). The compiler must not treat our malloc and friends as the builtins
# (it could, say, turn a malloc and a memset into a call to calloc inside calloc).
PRELOAD_CFLAGS := -std=c11 -O2 -g $(WARN) $(STRICT_WARN) -I. -fPIC -fvisibility=hidden \
	-fno-common -fno-builtin-malloc -fno-builtin-calloc -fno-builtin-realloc -fno-builtin-free \
	-MMD -MP
ifneq ($(CLANG),1)
PRELOAD_CFLAGS += -fno-tree-loop-distribute-patterns
endif
PRELOAD_LDFLAGS := -shared -Wl,-z,defs -Wl,-z,now

# The libraries' own build of core/ and of the design-independent files (private-build, in the
# top-level Makefile); heap.c is compiled once per design, below.
$(eval $(call private-build,PRELOAD,$(BUILD)/preload/obj,CC,PRELOAD_CFLAGS,$(STRING_RENAME), \
	PRELOAD_LDFLAGS PRELOAD_DESIGNS))
PRELOAD_CORE_SRCS := $(wildcard core/alloc/*.c) core/fmt.c core/string.c core/err.c
PRELOAD_OBJS := $(call PRELOAD_OBJ,$(PRELOAD_CORE_SRCS) test/preload/malloc.c test/preload/report.c)

$(BUILD)/preload/design/%/heap.o: test/preload/heap.c $(PRELOAD_STAMP)
	@mkdir -p $(@D)
	$(CC) $(PRELOAD_CFLAGS) -DPRELOAD_DESIGN_NAME='"$*"' -DPRELOAD_DESIGN_HEADER='"core/alloc/$*.h"' \
		-DPRELOAD_DESIGN_HEAP=$(call preload-field,$*,2) \
		-DPRELOAD_DESIGN_INIT=$(call preload-field,$*,3) -c $< -o $@

$(PRELOAD_LIBS): $(BUILD)/preload/lib%.so: $(BUILD)/preload/design/%/heap.o $(PRELOAD_OBJS)
	$(CC) $(PRELOAD_LDFLAGS) -Wl,-soname,lib$*.so -o $@ $^

# The test program is an ordinary program against glibc's headers; smoke.py preloads each library
# into it. No sanitizer here either, and no builtin allocation functions: the compiler may
# otherwise drop an allocation whose result is only compared with NULL (clang does), and with
# it the answer under test.
$(PRELOAD_TEST): test/preload/preload_test.c test/preload/header.h test/preload/preload.mk
	@mkdir -p $(@D)
	$(CC) -std=c11 -O1 -g $(WARN) $(TEST_WARN) -I. -fno-builtin -pthread -o $@ $<

PRELOAD_RUNNER_ARGS = --build $(BUILD) --designs '$(PRELOAD_NAMES)'

.PHONY: preload preload-test preload-run
## preload  build the LD_PRELOAD malloc libraries $(BUILD)/preload/lib<design>.so (one per
##   core/alloc design) and their test program
preload: $(PRELOAD_LIBS) $(PRELOAD_TEST)

## preload-test  smoke test of the preload libraries: the test program and a small program under
##   each, check() clean at exit (part of make test)
preload-test: preload
	@$(PYTHON) test/preload/smoke.py $(PRELOAD_RUNNER_ARGS)

## preload-run  python, sort, gcc -O2 and xz under glibc's malloc and each preload library: outputs
##   compared, median wall times side by side; PRELOAD_ARGS='--runs 5' passes arguments
preload-run: preload
	@$(PYTHON) test/preload/run.py $(PRELOAD_RUNNER_ARGS) $(PRELOAD_ARGS)
