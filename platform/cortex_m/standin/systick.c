// Stand-in for core/systick.c until the cm-core branch lands.
#include "core/systick.h"
#include "core/err.h"
#include "core/hw.h"
#include "core/panic.h"

static uint32_t reload, rate;
static uint64_t ticks;

int systick_init(uint32_t clock_hz, uint32_t hz)
{
    if (hz == 0)
        return E_INVAL;
    uint32_t r = (clock_hz + hz / 2) / hz;
    if (r < 2 || r - 1 > 0xFFFFFFu)
        return E_INVAL;
    hw_mmio_write32(SYSTICK_CSR, 0);
    hw_mmio_write32(SYSTICK_RVR, r - 1);
    hw_mmio_write32(SYSTICK_CVR, 0);
    reload = r - 1;
    rate = hz;
    __atomic_store_n(&ticks, 0, __ATOMIC_RELAXED);
    hw_mmio_write32(SYSTICK_CSR, 7u);
    return 0;
}

uint32_t systick_reload(void)
{
    return reload;
}

void systick_tick(void)
{
    __atomic_fetch_add(&ticks, 1, __ATOMIC_RELAXED);
}

uint64_t systick_ticks(void)
{
    return __atomic_load_n(&ticks, __ATOMIC_RELAXED);
}

uint64_t systick_ticks_to_ms(uint64_t t)
{
    KASSERT(rate != 0);
    return t / rate * 1000 + t % rate * 1000 / rate;
}

void systick_stop(void)
{
    hw_mmio_write32(SYSTICK_CSR, 0);
}
