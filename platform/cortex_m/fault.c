// Fault reports (see fault.h).
#include "platform/cortex_m/fault.h"
#include "core/cm_fault.h"
#include "core/hw.h"
#include "kernel/stage.h"
#include "platform/cortex_m/console.h"
#include "platform/cortex_m/mpu.h"
#include "platform/cortex_m/semihosting.h"

#include <stdbool.h>

#define FRAME_BYTES    32u   // r0-r3, r12, lr, pc, xPSR
#define EXC_RETURN_FP0 0x10u // EXC_RETURN bit 4 clear: the frame also holds s0-s15 and FPSCR

extern uint8_t __cm_ram_start[], __cm_ram_end[];

void cm_faults_init(void)
{
    hw_mmio_write32(CM_SCB_SHCSR, hw_mmio_read32(CM_SCB_SHCSR) | SCB_SHCSR_MEMFAULT |
                                      SCB_SHCSR_BUSFAULT | SCB_SHCSR_USGFAULT);
    hw_mmio_write32(SCB_CCR, hw_mmio_read32(SCB_CCR) | SCB_CCR_DIV_0_TRP);
    uint32_t shpr3 = hw_mmio_read32(SCB_SHPR3) & 0x00ffffffu;
    hw_mmio_write32(SCB_SHPR3, shpr3 | CM_SYSTICK_PRIORITY << 24);
}

// Whether the frame can be read: the CPU wrote it (no stacking error), and it lies in RAM
// outside the guard, whose reading would fault again inside this handler.
static bool frame_readable(const uint32_t *frame, uint32_t cfsr)
{
    uintptr_t at = (uintptr_t)frame;
    if (cfsr & (CM_CFSR_MSTKERR | CM_CFSR_STKERR))
        return false;
    if (at < (uintptr_t)__cm_ram_start || at > (uintptr_t)__cm_ram_end - FRAME_BYTES)
        return false;
    return !mpu_in_guard(at, FRAME_BYTES);
}

static uint32_t current_exception(void)
{
    uint32_t ipsr;
    __asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
    return ipsr & 0x1ffu; // the exception number
}

_Noreturn void cm_exception(const uint32_t *frame, uint32_t exc_return)
{
    static const uint32_t unknown[FRAME_BYTES / 4]; // the registers of a frame never stacked
    static char report[768];
    (void)hw_irq_save();
    struct cm_fault_info f = {0};
    cm_fault_read_status(&f);
    bool readable = frame_readable(frame, f.cfsr);
    cm_fault_from_frame(&f, current_exception(), readable ? frame : unknown, exc_return);
    if (!readable) // the stack pointer before the frame: as far above the frame as for `unknown`
        f.sp = (uint32_t)(uintptr_t)frame + (f.sp - (uint32_t)(uintptr_t)unknown);
    (void)cm_fault_format(&f, report, sizeof(report));
    // The interrupted code may hold the console lock; it never runs again.
    console_break_lock();
    console_start_line();
    kprintf("%s", report);
    if (!readable)
        kprintf("  frame at %#lx not stacked: r0-r3, r12, lr, pc and xpsr unknown\n",
                (unsigned long)(uintptr_t)frame);
    bool mm_in_guard = (f.cfsr & CM_CFSR_MMARVALID) && mpu_in_guard(f.mmfar, 1);
    if (mm_in_guard || mpu_in_guard((uintptr_t)frame, FRAME_BYTES))
        kprintf("stack overflow: the thread stack ran into its MPU guard at %#lx-%#lx\n",
                (unsigned long)mpu_guard_start(), (unsigned long)mpu_guard_end() - 1);
    stage_reached(STAGE_EXIT);
    semihosting_exit(CM_EXIT_FAIL);
}
