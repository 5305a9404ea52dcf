// Faults the Cortex-M way: HardFault, MemManage, BusFault and UsageFault (and any exception the
// firmware does not expect) land in cm_exception, which prints core/cm_fault's report (the
// stacked frame, CFSR and HFSR decoded, MMFAR/BFAR when valid) from the handler stack and ends
// the emulation with the failure status. The counterpart of the kernel's trap reports.
#pragma once

#include <stdint.h>

#define SCB_CCR            0xE000ED14u // Configuration and Control Register
#define SCB_SHPR3          0xE000ED20u // priorities of PendSV (23:16) and SysTick (31:24)
#define SCB_CCR_DIV_0_TRP  (1u << 4)   // integer division by zero is a UsageFault
#define SCB_SHCSR_MEMFAULT (1u << 16)  // MemManage, BusFault and UsageFault have handlers of
#define SCB_SHCSR_BUSFAULT (1u << 17)  // their own (otherwise they escalate to HardFault)
#define SCB_SHCSR_USGFAULT (1u << 18)
// SysTick's priority: below the faults' 0, so a fault in the SysTick handler is reported as its
// own kind, not escalated to a HardFault.
#define CM_SYSTICK_PRIORITY 0x80u

// Enables the three configurable fault handlers, traps division by zero, and lowers SysTick's
// priority below the faults'. Call once at boot, before interrupts.
void cm_faults_init(void);

// The C half of every exception entry but reset and SysTick (start.S): frame is the eight words
// the CPU stacked (r0-r3, r12, lr, pc, xPSR), exc_return the value it put in lr. Prints the
// report and ends the emulation with CM_EXIT_FAIL; never returns.
_Noreturn void cm_exception(const uint32_t *frame, uint32_t exc_return);
