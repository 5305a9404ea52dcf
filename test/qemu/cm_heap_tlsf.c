/*
 * The heap cases (cm_heap_cases.h) under the tlsf allocator, on the firmware's 100 KiB heap in
 * SRAM, on both Cortex-M machines.
 *
 * qemu-scenario
 * arch: cortex-m4 cortex-m7
 * cmdline: alloc=tlsf
 * expect-serial: ^heap: tlsf allocator, 100 KiB at 0x2000[0-9a-f]{4}$
 */
#define HEAP_DESIGN          "tlsf"
#define HEAP_LONG_LIVED_FITS 1
#include "test/qemu/cm_heap_cases.h"
