// The firmware heap: a fixed region in SRAM (an array in .bss; no MMU, so nothing to map and no
// growth) served by one of core/alloc's designs, chosen at boot with `alloc=<design>` on the
// semihosting command line among the designs linked into the image: all four in firmware.elf,
// one in firmware-<design>.elf (cortex_m.mk), which is how the sizes are compared. Default tlsf
// when linked (docs/allocators.md says why), else the first design linked. Out of memory
// returns NULL; the heap never panics for it.
//
// Locking: every function but heap_init takes the heap's lock with interrupts masked, so the
// heap may be used from interrupt handlers.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "core/alloc/alloc.h"
#include "kernel/heap_design.h"

// The region's size: the series' heap size, as the kernel's initial heap (kernel/heap.h).
#define HEAP_INITIAL_SIZE (100 * 1024)

// Registers a design (kernel/heap_design.h's struct heap_design, in a linker section): one file
// per design, so an image links the designs it wants and no others.
#define CM_HEAP_DESIGN(name_, start_)                                                              \
    static const struct heap_design heap_design_##name_                                            \
        __attribute__((used, section(".cm_heap_designs"), aligned(8))) = {#name_, start_}

// Starts the design kernel/heap_design.h chooses among the linked ones over the region. An
// `alloc=` naming no linked design is reported with a WARNING line and the default used. Panics
// when no design is linked or the design refuses the region.
void heap_init(const char *cmdline);

// Sized allocation, as core/alloc's interface: heap_alloc returns NULL for size 0, an align that
// is not a power of two, or no room; heap_free returns 0 or core/alloc's error (never panics).
void *heap_alloc(size_t size, size_t align);
int heap_free(void *ptr, size_t size, size_t align);

// The design's name; its statistics; its invariant check (0, or E_FORMAT with the first broken
// invariant in msg, cut to cap - 1 characters), each under the lock.
const char *heap_design(void);
void heap_stats(struct alloc_stats *out);
int heap_check(char *msg, size_t cap);
// The region's start and size; the size is also the limit (the heap does not grow).
uintptr_t heap_start(void);
size_t heap_limit(void);
