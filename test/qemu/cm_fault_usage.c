/*
 * A UsageFault, the Cortex-M way: an undefined instruction (`udf`). The report decodes CFSR's
 * usage bits and gives the stacked frame, whose pc is the instruction's address; the run ends
 * with the failure status.
 *
 * qemu-scenario
 * arch: cortex-m4 cortex-m7
 * expect: fail
 * expect-serial: ^EXCEPTION: USAGE FAULT \(exception 6\)$
 * expect-serial: ^  CFSR 0x10000 \[undefined instruction\]$
 * expect-serial: ^  lr \S+ pc \S+ xpsr 0x[0-9a-f]+ sp 0x200[0-9a-f]+$
 * expect-serial: ^undefined instruction at 0x[0-9a-f]+$
 */
#include "platform/cortex_m/console.h"
#include "test/qemu/ktest/ktest.h"

extern const uint16_t cm_udf_at[];

KTEST(undefined_instruction)
{
    // The serial lines then show the pc the report must give.
    kprintf("\nundefined instruction at %#lx\n", (unsigned long)(uintptr_t)cm_udf_at);
    __asm__ volatile(".global cm_udf_at\ncm_udf_at:\n\tudf #0" ::: "memory");
}
