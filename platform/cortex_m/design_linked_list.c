// The linked_list design (core/alloc/linked_list.h) for the firmware heap's registry (heap.h).
#include "core/alloc/linked_list.h"
#include "platform/cortex_m/heap.h"

static struct ll_heap heap;

static struct allocator *start(void *region, size_t size)
{
    return ll_init(&heap, region, size) == 0 ? &heap.base : NULL;
}

CM_HEAP_DESIGN(linked_list, start);
