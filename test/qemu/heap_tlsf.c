/*
 * The heap cases (heap_cases.h) under the tlsf allocator, on a 100 KiB heap that does not grow.
 *
 * qemu-scenario
 * cmdline: alloc=tlsf heap_max=100
 * expect-serial: ^heap: tlsf allocator
 */
#define HEAP_DESIGN          "tlsf"
#define HEAP_LONG_LIVED_FITS 1
#include "kernel/heap.h"
#include "test/qemu/heap_cases.h"
