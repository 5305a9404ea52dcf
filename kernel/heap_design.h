// The heap's designs and the choice among them, on both machines (the firmware builds
// kernel/heap_design.c too). A design is one of core/alloc's allocators with the function that
// starts it over a region; `alloc=<design>` on the command line picks one of the designs an image
// has, tlsf by default (docs/allocators.md says why). The kernel's heap (kernel/heap.c) has all
// four, in a table over one shared state; the firmware's (platform/cortex_m/heap.c) has those
// linked into the image, a file each, so that an image can link one alone.
#pragma once

#include <stddef.h>

#include "core/alloc/alloc.h"

#define HEAP_DESIGN_DEFAULT "tlsf"

// A design: its name (the allocator's, as `alloc=` names it) and the function that starts it over
// a region, returning its allocator, or NULL when the design refuses the region.
struct heap_design {
    const char *name;
    struct allocator *(*start)(void *region, size_t size);
};

// The design `alloc=` on cmdline names among designs[0..n), else the default: tlsf when it is
// among them, designs[0] when not. A value that names none of them is reported with a WARNING
// line listing them, and the default used. Panics when n is 0.
const struct heap_design *heap_design_choose(const char *cmdline, const struct heap_design *designs,
                                             size_t n);
