/*
 * The heap cases (heap_cases.h) under the fixed_block allocator, on a 100 KiB heap that does not grow.
 *
 * qemu-scenario
 * cmdline: alloc=fixed_block heap_max=100
 * expect-serial: ^heap: fixed_block allocator
 */
#define HEAP_DESIGN          "fixed_block"
#define HEAP_LONG_LIVED_FITS 1
#include "kernel/heap.h"
#include "test/qemu/heap_cases.h"
