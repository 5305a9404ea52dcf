// The fixed_block design (core/alloc/fixed_block.h) for the firmware heap's registry (heap.h).
#include "core/alloc/fixed_block.h"
#include "platform/cortex_m/heap.h"

static struct fsb_heap heap;

static struct allocator *start(void *region, size_t size)
{
    return fsb_init(&heap, region, size) == 0 ? &heap.base : NULL;
}

CM_HEAP_DESIGN(fixed_block, start);
