// TSC calibration arithmetic (see tsc.h).
#include "core/tsc.h"
#include "core/panic.h"
#include "core/pit.h"

uint64_t tsc_khz(uint64_t cycles, uint64_t ticks, uint32_t divisor)
{
    if (ticks == 0 || divisor == 0)
        return 0;
    uint64_t clocks = ticks * divisor; // PIT input clocks that passed
    // hz = cycles * PIT_BASE_HZ / clocks, split so that no product overflows.
    uint64_t hz = cycles / clocks * PIT_BASE_HZ + cycles % clocks * PIT_BASE_HZ / clocks;
    return hz / 1000;
}

uint64_t tsc_cycles_to_ns(uint64_t cycles, uint64_t khz)
{
    KASSERT(khz != 0);
    return cycles / khz * 1000000 + cycles % khz * 1000000 / khz;
}
