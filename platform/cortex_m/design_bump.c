// The bump design (core/alloc/bump.h) for the firmware heap's registry (heap.h).
#include "core/alloc/bump.h"
#include "platform/cortex_m/heap.h"

static struct bump_heap heap;

static struct allocator *start(void *region, size_t size)
{
    return bump_init(&heap, region, size) == 0 ? &heap.base : NULL;
}

CM_HEAP_DESIGN(bump, start);
