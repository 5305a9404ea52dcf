// A cycle counter for measurements: the DWT's CYCCNT where it counts, else one made of SysTick's
// ticks and its current-value register. QEMU's TCG does not model the DWT (DEMCR, DWT_CTRL and
// CYCCNT read 0 and ignore writes), so under QEMU the SysTick count is the one used: SysTick's
// counter decrements once per processor clock (CLKSOURCE = 1), which QEMU derives from its
// virtual clock at the board's 25 MHz, so it measures emulated time in cycles, not instructions.
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define DEMCR          0xE000EDFCu // Debug Exception and Monitor Control Register
#define DEMCR_TRCENA   (1u << 24)  // enables the DWT and ITM
#define DWT_CTRL       0xE0001000u
#define DWT_CYCCNTENA  (1u << 0)
#define DWT_CYCCNT     0xE0001004u
#define SCB_ICSR       0xE000ED04u
#define ICSR_PENDSTSET (1u << 26) // SysTick's exception is pending

// Enables CYCCNT and checks that it counts across a short busy loop: returns true when the DWT
// is the source from now on, false when SysTick is (also its answer when SysTick is not running:
// then cm_cycles counts nothing).
bool cm_cycles_init(void);

// Cycles since some fixed point, from the source cm_cycles_init chose, modulo 2^32 (CYCCNT has 32
// bits): the difference of two readings, in uint32_t, is the time between them if under 2^32
// cycles (172 s at 25 MHz). The SysTick count needs SysTick running and interrupts enabled (a
// tick due but not yet taken is noticed through ICSR.PENDSTSET, and waited for).
uint32_t cm_cycles(void);

// "DWT CYCCNT" or "SysTick".
const char *cm_cycles_source(void);
