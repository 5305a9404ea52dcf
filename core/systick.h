// The ARMv7-M SysTick timer (ARMv7-M Architecture Reference Manual, B3.3): a 24-bit down-counter
// on the processor clock that raises the SysTick exception each time it wraps, programmed for a
// chosen rate; plus the tick counter its handler advances and the conversion of ticks to
// milliseconds at the rate actually programmed. The Cortex-M counterpart of core/pit.h.
#pragma once

#include <stdint.h>

#include "core/err.h"

// The registers, in the System Control Space.
#define SYSTICK_BASE  0xE000E010u
#define SYSTICK_CSR   (SYSTICK_BASE + 0x0u) // control and status (SYST_CSR)
#define SYSTICK_RVR   (SYSTICK_BASE + 0x4u) // reload value (SYST_RVR), bits 23:0
#define SYSTICK_CVR   (SYSTICK_BASE + 0x8u) // current value (SYST_CVR); any write clears it
#define SYSTICK_CALIB (SYSTICK_BASE + 0xCu) // calibration (SYST_CALIB), read only

// SYST_CSR bits.
#define SYSTICK_CSR_ENABLE    (1u << 0)  // the counter runs
#define SYSTICK_CSR_TICKINT   (1u << 1)  // reaching 0 pends the SysTick exception
#define SYSTICK_CSR_CLKSOURCE (1u << 2)  // 1: the processor clock; 0: the external reference
#define SYSTICK_CSR_COUNTFLAG (1u << 16) // counted to 0 since last read (read only)

// The reloads the counter takes: a reload of N gives one wrap every N + 1 clocks; 0 would stop
// it, and RVR holds 24 bits.
#define SYSTICK_RELOAD_MIN 1u
#define SYSTICK_RELOAD_MAX 0xFFFFFFu

// Programs SysTick for about `hz` exceptions a second from a processor clock of clock_hz: the
// reload is the integer nearest to clock_hz / hz (halves round up) minus 1, so the real rate is
// clock_hz / (reload + 1) (25 MHz at 1000 Hz gives reload 24999, exactly 1 kHz). It writes CSR 0
// (stopped), RVR the reload, CVR 0 (clears the count and COUNTFLAG), then CSR = ENABLE | TICKINT |
// CLKSOURCE (processor clock), and resets the tick counter to 0. Returns:
//   0        success.
//   E_INVAL  hz is 0, or the reload falls outside SYSTICK_RELOAD_MIN..SYSTICK_RELOAD_MAX (clock_hz
//            / hz rounds to below 2 or above 2^24); no register is touched and nothing changes.
// Caller: the SysTick exception masked, or from the boot path before it can fire (the tick
// counter is reset under the handler's feet otherwise).
int systick_init(uint32_t clock_hz, uint32_t hz);

// The reload last programmed, 0 before the first successful systick_init.
uint32_t systick_reload(void);

// Counts one tick; called from the SysTick handler. ARMv7-M has no 64-bit atomic instructions, so
// the counter is advanced, and read by systick_ticks, with interrupts disabled (hw_irq_save):
// atomic against the handler on the one CPU a Cortex-M has.
void systick_tick(void);

// Ticks counted since the last successful init.
uint64_t systick_ticks(void);

// Milliseconds that `ticks` ticks take at the programmed rate: ticks * (reload + 1) * 1000 /
// clock_hz, rounded down, computed in 64-bit arithmetic without any intermediate overflow (no
// 128-bit type, which 32-bit targets lack). Exact whenever the result fits in 64 bits. Panics if
// no init has succeeded (there is no rate yet).
uint64_t systick_ticks_to_ms(uint64_t ticks);

// Stops the counter and its exception: CSR 0. The reload, the rate and the tick count stay as
// they were (systick_ticks and systick_ticks_to_ms still answer); systick_init starts it again.
void systick_stop(void);
