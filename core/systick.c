// ARMv7-M SysTick: reload for a rate, tick counter, ticks-to-milliseconds.
#include "core/systick.h"
#include "core/err.h"
#include "core/hw.h"
#include "core/panic.h"

static uint32_t cur_reload; // 0 until the first successful init
static uint32_t cur_clock_hz;
// ticks_to_ms's constants: a tick is per_tick / clock_hz ms, per_tick = (reload + 1) * 1000 =
// whole * clock_hz + part with part < clock_hz.
static uint64_t per_tick, whole, part;
static uint64_t ticks; // under hw_irq_save: the handler adds, anyone reads

int systick_init(uint32_t clock_hz, uint32_t hz)
{
    if (hz == 0)
        return E_INVAL;
    // Nearest integer, in 64 bits: clock_hz + hz / 2 may pass 2^32.
    uint64_t period = ((uint64_t)clock_hz + hz / 2) / hz;
    if (period < SYSTICK_RELOAD_MIN + 1 || period > (uint64_t)SYSTICK_RELOAD_MAX + 1)
        return E_INVAL;
    uint32_t reload = (uint32_t)(period - 1);
    hw_mmio_write32(SYSTICK_CSR, 0);      // CSR: stopped, no exception, while it is set up
    hw_mmio_write32(SYSTICK_RVR, reload); // RVR: count reload..0, then reload again
    hw_mmio_write32(SYSTICK_CVR, 0);      // CVR: any write clears the count and COUNTFLAG
    cur_reload = reload;
    cur_clock_hz = clock_hz;
    per_tick = period * 1000u; // at most 2^24 * 1000, below 2^34
    whole = per_tick / clock_hz;
    part = per_tick % clock_hz;
    ticks = 0; // the counter is stopped: no handler runs
    // CSR: count on the processor clock, pend SysTick at each wrap, run.
    hw_mmio_write32(SYSTICK_CSR, SYSTICK_CSR_ENABLE | SYSTICK_CSR_TICKINT | SYSTICK_CSR_CLKSOURCE);
    return 0;
}

uint32_t systick_reload(void)
{
    return cur_reload;
}

void systick_tick(void)
{
    unsigned long flags = hw_irq_save();
    ticks++;
    hw_irq_restore(flags);
}

uint64_t systick_ticks(void)
{
    unsigned long flags = hw_irq_save();
    uint64_t n = ticks;
    hw_irq_restore(flags);
    return n;
}

uint64_t systick_ticks_to_ms(uint64_t n)
{
    KASSERT(cur_reload != 0);
    // n * per_tick / clock with n = q * clock + r and per_tick = whole * clock + part:
    // n * per_tick / clock = q * per_tick + r * whole + r * part / clock, where only the last
    // term has a remainder, and r * part < clock^2 <= 2^64 cannot overflow. The other two are at
    // most the result, so they wrap only when it does not fit in 64 bits.
    uint64_t q = n / cur_clock_hz, r = n % cur_clock_hz;
    return q * per_tick + r * whole + r * part / cur_clock_hz;
}

void systick_stop(void)
{
    hw_mmio_write32(SYSTICK_CSR, 0); // CSR: counter and exception off
}
