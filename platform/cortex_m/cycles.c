// The cycle counter (see cycles.h).
#include "platform/cortex_m/cycles.h"
#include "core/hw.h"
#include "core/systick.h"

#include <stdbool.h>

static bool use_dwt;

bool cm_cycles_init(void)
{
    hw_mmio_write32(DEMCR, hw_mmio_read32(DEMCR) | DEMCR_TRCENA);
    hw_mmio_write32(DWT_CTRL, hw_mmio_read32(DWT_CTRL) | DWT_CYCCNTENA);
    uint32_t before = hw_mmio_read32(DWT_CYCCNT);
    for (volatile int i = 0; i < 1000; i++) {
    }
    use_dwt = hw_mmio_read32(DWT_CYCCNT) != before;
    return use_dwt;
}

// SysTick's count: whole periods from the tick count, plus how far the current-value register
// has counted down in this one. Read again when a tick arrived in between (the count changed) or
// is due and not yet taken (PENDSTSET: the register has already reloaded).
static uint64_t systick_cycles(void)
{
    uint64_t period = (uint64_t)systick_reload() + 1;
    for (;;) {
        uint64_t ticks = systick_ticks();
        uint32_t current = hw_mmio_read32(SYSTICK_CVR);
        bool pending = (hw_mmio_read32(SCB_ICSR) & ICSR_PENDSTSET) != 0;
        if (!pending && systick_ticks() == ticks)
            return ticks * period + (period - 1 - current);
    }
}

uint32_t cm_cycles(void)
{
    return use_dwt ? hw_mmio_read32(DWT_CYCCNT) : (uint32_t)systick_cycles();
}

const char *cm_cycles_source(void)
{
    return use_dwt ? "DWT CYCCNT" : "SysTick";
}
