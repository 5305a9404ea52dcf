// The C allocation functions, over one core/alloc design (test/preload/heap.c): what the library
// exports to the programs it is preloaded into. Every block carries the 16-byte header of
// test/preload/header.h, from which free, realloc and malloc_usable_size recover the size and
// alignment the design's sized free needs.
//
// Answers, following glibc's where C leaves a choice:
//   * malloc(0) returns a unique pointer that can be freed (a block of 0 usable bytes).
//   * Every failure to allocate returns NULL with errno ENOMEM: nmemb * size overflowing in
//     calloc or reallocarray, a size no layout can hold, no room under the commit limit.
//   * realloc(NULL, n) is malloc(n); realloc(p, 0) frees p and returns NULL; a shrink to at least
//     half of the block keeps the block (and its size, which malloc_usable_size then reports);
//     anything else moves the contents to a new 16-aligned block.
//   * posix_memalign: EINVAL unless the alignment is a power of two and a multiple of
//     sizeof(void *); ENOMEM on no room (*memptr untouched on failure).
//   * aligned_alloc: NULL with EINVAL unless the alignment is a power of two (C17, glibc 2.38).
//   * memalign rounds an alignment that is not a power of two up to the next one, as glibc does
//     (EINVAL above SIZE_MAX / 2 + 1); valloc is memalign(4096, n); pvalloc also rounds n up to
//     a multiple of 4096.
//   * Alignments below 16 are served at 16; malloc_usable_size(p) is the size asked for (at
//     least that many bytes are usable), 0 for NULL.
//   * A pointer the heap refuses (not into the heap, no valid header in front of it, or refused
//     by the design) is reported on stderr the first time for its kind and otherwise ignored:
//     free does nothing, realloc returns NULL with errno EINVAL (the block, if any, untouched),
//     malloc_usable_size returns 0.
#define _GNU_SOURCE
#include "test/preload/header.h"
#include "test/preload/preload.h"

#include <errno.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#define EXPORT    __attribute__((visibility("default")))
#define PAGE      ((size_t)4096)
#define ALIGN_MAX (SIZE_MAX / 2 + 1) // the largest power of two

static void enter(void)
{
    preload_lock();
    preload_run_pending_check();
}

// A block of size bytes aligned to align (a power of two), or NULL with errno ENOMEM.
static void *allocate(size_t size, size_t align)
{
    struct preload_block blk;
    bool fits = preload_layout(size, align, &blk);
    enter();
    void *b = fits ? preload_heap_alloc(blk.block_size, blk.block_align) : NULL;
    if (b == NULL)
        preload_counts.out_of_memory++;
    else
        preload_counts.allocations++;
    preload_unlock();
    if (b == NULL) {
        errno = ENOMEM;
        return NULL;
    }
    void *u = preload_user(b, &blk);
    preload_hdr_write(u, &blk);
    return u;
}

// The block u was handed out as, into *blk; -1 when it is one, else the kind of refusal (not
// yet counted). Lock held.
static int find_block(void *u, struct preload_block *blk)
{
    uintptr_t p = (uintptr_t)u;
    if ((p & (PRELOAD_HDR_BYTES - 1)) != 0 || p < PRELOAD_HDR_BYTES ||
        !preload_heap_contains(p - PRELOAD_HDR_BYTES, PRELOAD_HDR_BYTES))
        return REJECT_OUTSIDE;
    if (!preload_hdr_read(u, blk) || !preload_heap_contains(p - blk->block_align, blk->block_size))
        return REJECT_HEADER;
    return -1;
}

// free(u) for fn ("free", "realloc"). Lock held.
static void release_locked(void *u, const char *fn)
{
    struct preload_block blk;
    int kind = find_block(u, &blk);
    if (kind >= 0) {
        preload_reject((enum preload_reject)kind, fn, u, 0);
        return;
    }
    // Spoil the header first, so a second free of u is caught here whatever the design keeps in
    // a free block; put it back if the design refuses the block.
    preload_hdr_clear(u);
    int rc = preload_heap_free(preload_design_block(u, &blk), blk.block_size, blk.block_align);
    if (rc != 0) {
        preload_hdr_write(u, &blk);
        preload_reject(REJECT_DESIGN, fn, u, rc);
    }
}

EXPORT void *malloc(size_t size)
{
    return allocate(size, PRELOAD_HDR_BYTES);
}

EXPORT void free(void *ptr)
{
    if (ptr == NULL)
        return;
    enter();
    release_locked(ptr, "free");
    preload_unlock();
}

EXPORT void *calloc(size_t nmemb, size_t size)
{
    size_t total;
    if (__builtin_mul_overflow(nmemb, size, &total)) {
        errno = ENOMEM;
        return NULL;
    }
    void *p = allocate(total, PRELOAD_HDR_BYTES);
    if (p != NULL)
        memset(p, 0, total);
    return p;
}

EXPORT void *realloc(void *ptr, size_t size)
{
    if (ptr == NULL)
        return allocate(size, PRELOAD_HDR_BYTES);
    if (size == 0) {
        free(ptr);
        return NULL;
    }
    struct preload_block blk;
    enter();
    int kind = find_block(ptr, &blk);
    if (kind >= 0)
        preload_reject((enum preload_reject)kind, "realloc", ptr, 0);
    preload_unlock();
    if (kind >= 0) {
        errno = EINVAL;
        return NULL;
    }
    if (size <= blk.size && size >= blk.size / 2)
        return ptr;
    void *q = allocate(size, PRELOAD_HDR_BYTES);
    if (q == NULL)
        return NULL; // errno ENOMEM; ptr is untouched
    memcpy(q, ptr, size < blk.size ? size : blk.size);
    enter();
    release_locked(ptr, "realloc");
    preload_unlock();
    return q;
}

EXPORT void *reallocarray(void *ptr, size_t nmemb, size_t size)
{
    size_t total;
    if (__builtin_mul_overflow(nmemb, size, &total)) {
        errno = ENOMEM;
        return NULL;
    }
    return realloc(ptr, total);
}

EXPORT int posix_memalign(void **memptr, size_t alignment, size_t size)
{
    if (alignment == 0 || (alignment & (alignment - 1)) != 0 || alignment % sizeof(void *) != 0)
        return EINVAL;
    int saved_errno = errno;
    void *p = allocate(size, alignment);
    errno = saved_errno; // posix_memalign answers through its result, not errno
    if (p == NULL)
        return ENOMEM;
    *memptr = p;
    return 0;
}

EXPORT void *aligned_alloc(size_t alignment, size_t size)
{
    if (alignment == 0 || (alignment & (alignment - 1)) != 0) {
        errno = EINVAL;
        return NULL;
    }
    return allocate(size, alignment);
}

EXPORT void *memalign(size_t alignment, size_t size)
{
    if (alignment > ALIGN_MAX) {
        errno = EINVAL;
        return NULL;
    }
    size_t a = 1;
    while (a < alignment)
        a <<= 1;
    return allocate(size, a);
}

EXPORT void *valloc(size_t size)
{
    return allocate(size, PAGE);
}

EXPORT void *pvalloc(size_t size)
{
    if (size > SIZE_MAX - (PAGE - 1)) {
        errno = ENOMEM;
        return NULL;
    }
    return allocate((size + PAGE - 1) & ~(PAGE - 1), PAGE);
}

EXPORT size_t malloc_usable_size(void *ptr)
{
    if (ptr == NULL)
        return 0;
    struct preload_block blk;
    enter();
    int kind = find_block(ptr, &blk);
    if (kind >= 0)
        preload_reject((enum preload_reject)kind, "malloc_usable_size", ptr, 0);
    preload_unlock();
    return kind >= 0 ? 0 : blk.size;
}
