/*
 * A BusFault, the Cortex-M way: a read from an address where nothing answers (0x30000000, a
 * hole in both boards' maps) is a precise data bus error; the report gives its address (BFAR)
 * and the stacked frame, and the run ends with the failure status.
 *
 * qemu-scenario
 * arch: cortex-m4 cortex-m7
 * expect: fail
 * expect-serial: ^EXCEPTION: BUS FAULT \(exception 5\)$
 * expect-serial: ^  CFSR 0x8200 \[precise data bus error, BFAR valid\]$
 * expect-serial: ^  BFAR 0x30000000$
 * expect-serial: ^  r0 0x30000000 r1 \S+ r2 \S+ r3 \S+ r12 \S+$
 * expect-serial: ^  lr \S+ pc \S+ xpsr 0x[0-9a-f]+ sp 0x200[0-9a-f]+$
 */
#include "core/hw.h"
#include "test/qemu/ktest/ktest.h"

#define HOLE 0x30000000u // neither board maps anything from 0x24000000 to 0x3fffffff

KTEST(read_from_a_hole)
{
    // The address in r0, as the report's stacked r0 shows.
    __asm__ volatile("mov r0, %0\n\tldr r1, [r0]" ::"r"(HOLE) : "r0", "r1", "memory");
    // A bus error stops the run before this.
    ktest_fail_at(__FILE__, __LINE__, "read from the hole at %#lx: no fault", (unsigned long)HOLE);
}
