// What the three files of the preloaded malloc share (test/preload/): heap.c holds the design, its
// region and the lock; report.c the counters, the checks at exit and on SIGUSR2, and the reports
// of rejected frees; malloc.c the functions the library exports. Nothing here is exported: the
// library is built with -fvisibility=hidden and only malloc.c's functions are visible.
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/alloc/alloc.h"

// ---- heap.c -------------------------------------------------------------------------------------

// The lock around the design: a spinlock on one atomic word, spinning a little and then yielding
// the CPU. preload_lock waits; preload_trylock takes it only when it is free (async-signal-safe:
// one atomic exchange) and says whether it did. Not recursive: taking it twice in one thread hangs.
void preload_lock(void);
bool preload_trylock(void);
void preload_unlock(void);

// The design's heap, made on the first call: the region reserved (64 GiB of address space,
// PROT_NONE, halved down to 256 MiB while mmap refuses), its first MiB committed and the design
// initialised over it. NULL when no reservation could be made (every allocation then fails).
// Call with the lock held.
struct allocator *preload_heap(void);
// The heap if it has been made, else NULL; never makes it (for the signal handler).
struct allocator *preload_heap_peek(void);

// The design's alloc(size, align), committing more of the region and growing the design when it
// has no room (at least 1 MiB or an eighth of what is committed, and what the request needs),
// up to the commit limit. NULL when the request cannot fit under the limit. Lock held.
void *preload_heap_alloc(size_t size, size_t align);
// The design's free(ptr, size, align): 0, or the design's error code. Lock held.
int preload_heap_free(void *ptr, size_t size, size_t align);
// Whether [p, p + len) lies in the committed part of the region (so it can be read). Lock held.
bool preload_heap_contains(uintptr_t p, size_t len);
// The design's name, as its table line in test/preload/preload.mk gives it.
const char *preload_design_name(void);
// Bytes of the region committed so far, and the reservation's size.
size_t preload_heap_committed(void);
size_t preload_heap_reserved(void);

// Caps the committed bytes (PRELOAD_ALLOC_LIMIT_MIB); at least 1 MiB is committed whatever it is.
void preload_heap_set_limit(size_t bytes);
// The pthread_atfork handlers: the lock is held across fork, so the child's heap is consistent.
void preload_fork_prepare(void);
void preload_fork_parent(void);
void preload_fork_child(void);

// ---- report.c ----------------------------------------------------------------------------------

// Why a pointer handed to free, realloc or malloc_usable_size was refused.
enum preload_reject {
    REJECT_OUTSIDE, // not a 16-aligned pointer into the committed region
    REJECT_HEADER,  // no valid header in front of it: freed already, or never from malloc
    REJECT_DESIGN,  // the header was good but the design's free refused the block
    REJECT_KINDS
};

// What the library counts, under the lock.
struct preload_counts {
    size_t allocations;            // successful allocations since the start
    size_t out_of_memory;          // allocations that failed with ENOMEM
    size_t rejected[REJECT_KINDS]; // refused pointers, by kind
};
extern struct preload_counts preload_counts;

// Counts a refused pointer and, the first time for its kind only, prints on stderr what fn was
// handed and why (rc: the design's error code for REJECT_DESIGN, else 0). Lock held.
void preload_reject(enum preload_reject kind, const char *fn, const void *ptr, int rc);
// Runs a check requested by SIGUSR2 while the lock was busy, if there is one. Lock held.
void preload_run_pending_check(void);
