/*
 * The heap cases (heap_cases.h) under the linked_list allocator, on a 100 KiB heap that does not grow.
 *
 * qemu-scenario
 * cmdline: alloc=linked_list heap_max=100
 * expect-serial: ^heap: linked_list allocator
 */
#define HEAP_DESIGN          "linked_list"
#define HEAP_LONG_LIVED_FITS 1
#include "kernel/heap.h"
#include "test/qemu/heap_cases.h"
