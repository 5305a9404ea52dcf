// The heap behind the preloaded malloc: one core/alloc design, chosen when the library is built,
// over one large reservation of address space that is committed as the design grows, and the
// lock every call takes. Built once per design (test/preload/preload.mk passes the design's
// header, struct and init function).
//
// The region: one mmap of PROT_NONE, MAP_NORESERVE address space (64 GiB), whose front part is
// made readable and writable with mprotect as the design is grown, the way the kernel maps its
// heap's pages as it grows. Address space is free, and PROT_NONE pages are not counted against
// the system's commit limit, so reserving much costs nothing; mprotect commits only what the
// design is told about, so the design's grow path is exercised, the commit limit (below) is a
// simple cap, and a stray access beyond the heap's end faults instead of reading zeros. (One
// read-write MAP_NORESERVE mapping of the whole 64 GiB would work too, with no grow at all, but
// would leave the design's growth untested and would be refused under strict overcommit.)
// Nothing is given back to the system: freed memory stays committed for the design to reuse.
#define _GNU_SOURCE
#include "test/preload/preload.h"

#include <sched.h>
#include <stdatomic.h>
#include <sys/mman.h>

// From test/preload/preload.mk: the design's name ("bump"), its header ("core/alloc/bump.h"), its
// heap's struct tag (bump_heap) and its init function (bump_init).
#include PRELOAD_DESIGN_HEADER

#define RESERVE_MAX        ((size_t)64 << 30)
#define RESERVE_MIN        ((size_t)256 << 20)
#define GROW_MIN           ((size_t)1 << 20) // also the first commit
#define PAGE               ((size_t)4096)
#define SPINS_BEFORE_YIELD 200u
#define GROW_TRIES         4

static struct PRELOAD_DESIGN_HEAP design;
static struct {
    uintptr_t base;
    size_t reserved, committed, limit;
    bool made, failed;
} region = {.limit = SIZE_MAX};

static atomic_int lock_word;

void preload_lock(void)
{
    unsigned spins = 0;
    while (atomic_exchange_explicit(&lock_word, 1, memory_order_acquire) != 0) {
        // Wait reading, not writing, so the waiters do not bounce the line between CPUs; yield
        // after a while, in case the holder was preempted on our CPU.
        while (atomic_load_explicit(&lock_word, memory_order_relaxed) != 0) {
            if (spins < SPINS_BEFORE_YIELD) {
                spins++;
                __builtin_ia32_pause();
            } else {
                sched_yield();
            }
        }
    }
}

bool preload_trylock(void)
{
    return atomic_exchange_explicit(&lock_word, 1, memory_order_acquire) == 0;
}

void preload_unlock(void)
{
    atomic_store_explicit(&lock_word, 0, memory_order_release);
}

void preload_fork_prepare(void)
{
    preload_lock();
}

void preload_fork_parent(void)
{
    preload_unlock();
}

void preload_fork_child(void)
{
    preload_unlock();
}

// The most the region may have committed: the limit, within the reservation.
static size_t commit_cap(void)
{
    return region.limit < region.reserved ? region.limit : region.reserved;
}

// Makes the next `extra` bytes of the region readable and writable; false if mprotect refuses.
static bool commit(size_t extra)
{
    if (mprotect((void *)(region.base + region.committed), extra, PROT_READ | PROT_WRITE) != 0)
        return false;
    region.committed += extra;
    return true;
}

static bool make_heap(void)
{
    for (size_t size = RESERVE_MAX; size >= RESERVE_MIN; size /= 2) {
        void *p = mmap(NULL, size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (p != MAP_FAILED) {
            region.base = (uintptr_t)p;
            region.reserved = size;
            break;
        }
    }
    if (region.reserved == 0 || !commit(GROW_MIN))
        return false;
    PRELOAD_DESIGN_INIT(&design, (void *)region.base, GROW_MIN);
    return true;
}

struct allocator *preload_heap(void)
{
    if (!region.made && !region.failed) {
        region.made = make_heap();
        region.failed = !region.made;
    }
    return region.made ? &design.base : NULL;
}

struct allocator *preload_heap_peek(void)
{
    return region.made ? &design.base : NULL;
}

// Commits enough for a request of size bytes aligned to align to fit after the heap's current
// end, and gives it to the design; false when that would pass the cap.
static bool grow_for(size_t size, size_t align)
{
    size_t cap = commit_cap();
    if (region.committed >= cap || size > cap || align > cap)
        return false;
    // Room for the block wherever its alignment puts it, plus a page for the design's rounding.
    size_t need = size + align + PAGE, extra = region.committed / 8;
    extra = extra > GROW_MIN ? extra : GROW_MIN;
    extra = extra > need ? extra : need;
    extra = (extra + PAGE - 1) & ~(PAGE - 1);
    if (extra > cap - region.committed)
        extra = (cap - region.committed) & ~(PAGE - 1);
    if (extra < need || !commit(extra))
        return false;
    return alloc_grow(&design.base, extra) == 0;
}

void *preload_heap_alloc(size_t size, size_t align)
{
    struct allocator *a = preload_heap();
    if (a == NULL)
        return NULL;
    // One grow is enough for the designs here; a few more cover a design that needs its room in
    // another shape, and the cap bounds them all.
    for (int i = 0; i < GROW_TRIES; i++) {
        void *p = alloc_alloc(a, size, align);
        if (p != NULL || !grow_for(size, align))
            return p;
    }
    return alloc_alloc(a, size, align);
}

int preload_heap_free(void *ptr, size_t size, size_t align)
{
    return alloc_free(&design.base, ptr, size, align);
}

const char *preload_design_name(void)
{
    return PRELOAD_DESIGN_NAME;
}

bool preload_heap_contains(uintptr_t p, size_t len)
{
    return region.made && p >= region.base && p - region.base <= region.committed &&
           len <= region.committed - (p - region.base);
}

size_t preload_heap_committed(void)
{
    return region.committed;
}

size_t preload_heap_reserved(void)
{
    return region.reserved;
}

void preload_heap_set_limit(size_t bytes)
{
    region.limit = bytes < GROW_MIN ? GROW_MIN : bytes;
}
