// The MPU guard under the thread stack (see mpu.h).
#include "platform/cortex_m/mpu.h"
#include "core/err.h"
#include "core/hw.h"
#include "core/panic.h"

extern uint8_t __cm_guard_start[], __cm_guard_end[];

uintptr_t mpu_guard_start(void)
{
    return (uintptr_t)__cm_guard_start;
}

uintptr_t mpu_guard_end(void)
{
    return (uintptr_t)__cm_guard_end;
}

bool mpu_in_guard(uintptr_t addr, uint32_t len)
{
    return addr < mpu_guard_end() && addr + len > mpu_guard_start();
}

int mpu_guard_init(void)
{
    if (((hw_mmio_read32(MPU_TYPE) >> 8) & 0xffu) == 0)
        return E_NOENT;
    uintptr_t start = mpu_guard_start();
    uint32_t size = (uint32_t)(mpu_guard_end() - start);
    if (size < 32 || (size & (size - 1)) != 0 || (start & (size - 1)) != 0)
        panic("mpu_guard_init: guard %#lx+%#lx is not a power of two >= 32 aligned to its size",
              (unsigned long)start, (unsigned long)size);
    // RASR.SIZE: the region holds 2^(SIZE + 1) bytes.
    uint32_t size_field = (uint32_t)__builtin_ctz(size) - 1;
    hw_mmio_write32(MPU_RNR, MPU_GUARD_REGION);
    hw_mmio_write32(MPU_RBAR, (uint32_t)start); // base address; VALID = 0: RNR picks the region
    // XN; AP = 000: no access, privileged or not; TEX/S/C/B = 0 (strongly ordered, never used);
    // all eight subregions enabled (SRD = 0).
    hw_mmio_write32(MPU_RASR, MPU_RASR_XN | size_field << 1 | MPU_RASR_ENABLE);
    hw_mmio_write32(MPU_CTRL, MPU_CTRL_PRIVDEFENA | MPU_CTRL_ENABLE);
    // The new map applies to the accesses after these barriers (ARMv7-M, "MPU").
    __asm__ volatile("dsb\n\tisb" ::: "memory");
    return 0;
}
