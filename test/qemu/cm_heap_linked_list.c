/*
 * The heap cases (cm_heap_cases.h) under the linked_list allocator, on the firmware's 100 KiB heap in
 * SRAM, on both Cortex-M machines.
 *
 * qemu-scenario
 * arch: cortex-m4 cortex-m7
 * cmdline: alloc=linked_list
 * expect-serial: ^heap: linked_list allocator, 100 KiB at 0x2000[0-9a-f]{4}$
 */
#define HEAP_DESIGN          "linked_list"
#define HEAP_LONG_LIVED_FITS 1
#include "test/qemu/cm_heap_cases.h"
