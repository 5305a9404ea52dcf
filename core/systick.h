// The ARMv7-M SysTick timer over the door: a periodic tick and its count. (Stand-in until the
// cm-core branch lands.)
#pragma once

#include <stdint.h>

#define SYSTICK_BASE 0xE000E010u
#define SYSTICK_CSR  (SYSTICK_BASE + 0x0u)
#define SYSTICK_RVR  (SYSTICK_BASE + 0x4u)
#define SYSTICK_CVR  (SYSTICK_BASE + 0x8u)

// reload = round(clock_hz / hz) - 1 in 1..0xFFFFFF, else E_INVAL; starts the timer.
int systick_init(uint32_t clock_hz, uint32_t hz);
uint32_t systick_reload(void);
void systick_tick(void);
uint64_t systick_ticks(void);
uint64_t systick_ticks_to_ms(uint64_t ticks);
void systick_stop(void);
