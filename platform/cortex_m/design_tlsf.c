// The tlsf design (core/alloc/tlsf.h) for the firmware heap's registry (heap.h).
#include "core/alloc/tlsf.h"
#include "platform/cortex_m/heap.h"

static struct tlsf_heap heap;

static struct allocator *start(void *region, size_t size)
{
    return tlsf_init(&heap, region, size) == 0 ? &heap.base : NULL;
}

CM_HEAP_DESIGN(tlsf, start);
