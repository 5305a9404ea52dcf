// Channel 0 of the 8253/8254 programmable interval timer (ports 0x40 and 0x43), which drives
// IRQ 0: programmed as a rate generator at a chosen rate, plus the tick counter its handler
// advances and the conversion of ticks to milliseconds at the rate actually programmed.
#pragma once

#include <stdint.h>

#include "core/err.h"

#define PIT_BASE_HZ    1193182u // the PIT's input clock (14.31818 MHz / 12), rounded
#define PIT_DEFAULT_HZ 100
// The divisors channel 0 can take in mode 2: 65536 is written as 0; a count of 1 is illegal in
// mode 2 (8254 datasheet).
#define PIT_MIN_DIVISOR 2u
#define PIT_MAX_DIVISOR 65536u
// The integer rates pit_init accepts: the nearest divisor of 18 Hz would be 66288, too big (the
// slowest rate, divisor 65536, is 18.2065 Hz: program it with pit_init_divisor); above 795454 Hz
// the nearest divisor is 1.
#define PIT_MIN_HZ 19u
#define PIT_MAX_HZ 795454u

// Programs channel 0 for about `hz` interrupts a second: the divisor is the integer nearest to
// PIT_BASE_HZ / hz (halves round up), so the real rate is PIT_BASE_HZ / divisor (see
// pit_frequency_mhz; 100 Hz gives divisor 11932, 99.998 Hz). Then as pit_init_divisor. Returns:
//   0        success.
//   E_INVAL  hz is 0, or the divisor falls outside PIT_MIN_DIVISOR..PIT_MAX_DIVISOR, i.e. hz is
//            outside PIT_MIN_HZ..PIT_MAX_HZ; no port is touched and nothing changes.
int pit_init(uint32_t hz);

// Programs channel 0 with `divisor` directly: command 0x34 to port 0x43 (channel 0, low then
// high byte, mode 2 rate generator, binary), then the divisor's low and high byte to port 0x40
// (65536 as 0). Mode 2 rather than mode 3 (square wave): it gives one IRQ every `divisor` input
// clocks for any divisor, odd ones included, and it is the mode the PC's rate generators use.
// Resets the tick counter to 0. Returns:
//   0        success.
//   E_INVAL  divisor outside PIT_MIN_DIVISOR..PIT_MAX_DIVISOR; no port is touched, nothing
//            changes.
// Caller: IRQ 0 masked or interrupts disabled (the two data writes must stay together, and the
// tick counter is reset under the handler's feet otherwise).
int pit_init_divisor(uint32_t divisor);

// The divisor last programmed, 0 before the first successful pit_init/pit_init_divisor.
uint32_t pit_divisor(void);

// The real interrupt rate in millihertz, PIT_BASE_HZ * 1000 / divisor rounded down (99998 for
// divisor 11932), 0 before the first successful init.
uint32_t pit_frequency_mhz(void);

// Channel 0's current count: the counter latch command (0x00) to port 0x43, then the latched
// count's low and high byte from port 0x40. In mode 2 it counts down from the divisor to 1 and
// then reloads, one step per PIT_BASE_HZ clock; with divisor 65536 the reload value reads as 0.
// pit_clocks_between gives the clocks elapsed between two reads. Caller: after a successful init,
// with nothing else reaching the PIT's ports meanwhile (interrupts off on one CPU).
uint16_t pit_read_count(void);

// The PIT clocks elapsed from a read of `earlier` to a later one of `later` (pit_read_count), the
// two less than one period apart, with the counter reloading at `divisor`: earlier - later when
// the count went straight down, else earlier + divisor - later (it passed the reload; divisor
// 65536's reload value reads as 0, which the same formula handles). A divisor outside
// PIT_MIN_DIVISOR..PIT_MAX_DIVISOR is a caller bug (KASSERT).
uint32_t pit_clocks_between(uint16_t earlier, uint16_t later, uint32_t divisor);

// Counts one tick; called from the IRQ 0 handler. An atomic increment, so pit_ticks may be read
// anywhere, even on another CPU.
void pit_tick(void);

// Ticks counted since the last successful init.
uint64_t pit_ticks(void);

// Milliseconds that `ticks` ticks take at the programmed rate: ticks * divisor * 1000 /
// PIT_BASE_HZ, rounded down, computed without any intermediate overflow. Exact whenever the
// result fits in 64 bits, i.e. for any tick count up to 584 million years of uptime (at the
// fastest rate the 64-bit tick counter itself lasts 980 000 years). Panics if no init has
// succeeded (there is no rate yet).
uint64_t pit_ticks_to_ms(uint64_t ticks);
