/*
 * The heap cases (heap_cases.h) under the bump allocator, on a 100 KiB heap that does not grow.
 *
 * qemu-scenario
 * cmdline: alloc=bump heap_max=100
 * expect-serial: ^heap: bump allocator
 */
#define HEAP_DESIGN          "bump"
#define HEAP_LONG_LIVED_FITS 0
#include "kernel/heap.h"
#include "test/qemu/heap_cases.h"
