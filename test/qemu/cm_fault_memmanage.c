/*
 * A MemManage fault, the Cortex-M way: a write into an MPU region that allows reading only. The
 * test programs MPU region 1 over the last 32 bytes of SRAM (past everything the firmware uses)
 * as read-only and writes one word of it: a data access violation with the address in MMFAR.
 *
 * qemu-scenario
 * arch: cortex-m4 cortex-m7
 * expect: fail
 * expect-serial: ^read 0x203fffe4: \d+ \(reading is allowed\)$
 * expect-serial: ^EXCEPTION: MEMMANAGE FAULT \(exception 4\)$
 * expect-serial: ^  CFSR 0x82 \[data access violation, MMFAR valid\]$
 * expect-serial: ^  MMFAR 0x203fffe4$
 */
#include "core/hw.h"
#include "platform/cortex_m/console.h"
#include "platform/cortex_m/mpu.h"
#include "test/qemu/ktest/ktest.h"

#define READ_ONLY 0x203fffe0u // the last 32 bytes of ZBT SSRAM2&3
#define AP_RO     (6u << 24)  // RASR.AP = 110: read-only, privileged or not

KTEST(write_to_a_read_only_region)
{
    hw_mmio_write32(MPU_RNR, 1);
    hw_mmio_write32(MPU_RBAR, READ_ONLY);
    hw_mmio_write32(MPU_RASR, MPU_RASR_XN | AP_RO | 4u << 1 | MPU_RASR_ENABLE); // 2^5 bytes
    __asm__ volatile("dsb\n\tisb" ::: "memory");
    volatile uint32_t *word = (volatile uint32_t *)(READ_ONLY + 4);
    kprintf("\nread %#lx: %lu (reading is allowed)\n", (unsigned long)(uintptr_t)word,
            (unsigned long)*word);
    *word = 1;
    // The write stops the run before this.
    ktest_fail_at(__FILE__, __LINE__, "wrote a read-only region: no fault");
}
