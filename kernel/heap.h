// The kernel heap: a region in the kernel half, mapped from the frame allocator on demand, served
// by one of core/alloc's designs chosen at boot with `alloc=bump|linked_list|fixed_block|tlsf` on the
// command line (default tlsf: docs/allocators.md says why). It starts at HEAP_INITIAL_SIZE (the heap size of the series'
// "Heap Allocation" post) and grows when a request does not fit, by at least HEAP_GROW_MIN at a
// time, up to `heap_max=<KiB>` (default HEAP_DEFAULT_MAX). Out of memory returns NULL; the heap
// never panics for it.
//
// Tracing: with `heap_trace=1` on the command line every heap_alloc (kmalloc's among them),
// heap_free and growth leaves, in order, as one line of a heap trace (docs/heap-trace.md) through
// QEMU's isa-debugcon at I/O port 0xea; `make heap-trace` records one. Off (the default), it
// costs each call one branch.
//
// Locking: heap_alloc and heap_free (and so kmalloc and kfree), heap_stats and heap_check take the
// heap's IRQ-saving spinlock (growth maps pages through vm.h while holding it: lock order heap,
// then vm), so the heap may be used from interrupt handlers.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "core/alloc/alloc.h"

#define HEAP_START        0xffffa00000000000ull // PML4 slot 320: clear of the direct map
#define HEAP_INITIAL_SIZE (100 * 1024)
#define HEAP_GROW_MIN     (64 * 1024)
#define HEAP_DEFAULT_MAX  (64ull << 20)

// Maps the initial region and sets up the chosen design. Needs vm_init. An unknown `alloc=` value
// or a bad `heap_max=` is reported and the default used. Panics when not even the initial region
// can be mapped.
void heap_init(const char *cmdline);

// Sized allocation, as core/alloc's interface: size and align must be given again to heap_free.
// heap_alloc returns NULL for size 0, an align that is not a power of two, or no memory.
// heap_free returns 0 or core/alloc's error for a bad call (never panics).
void *heap_alloc(size_t size, size_t align);
int heap_free(void *ptr, size_t size, size_t align);

// Unsized convenience for code that does not keep the size: 16-byte aligned blocks with a 16-byte
// header in front. kfree(NULL) does nothing; kfree of a pointer kmalloc did not return is
// reported with a WARNING line where the design's free detects it (core/alloc/alloc.h).
void *kmalloc(size_t size);
void kfree(void *ptr);

// The design's name ("bump", "linked_list", "fixed_block", "tlsf").
const char *heap_design(void);
// The design's statistics (core/alloc's alloc_stats), taken under the lock.
void heap_stats(struct alloc_stats *out);
// Runs the design's invariant checker under the lock: 0 when the heap is sound, else E_FORMAT with
// the first broken invariant in msg (cut to cap - 1 characters; msg may be NULL with cap 0).
int heap_check(char *msg, size_t cap);
// The bytes mapped, and the limit.
size_t heap_mapped(void);
size_t heap_limit(void);
