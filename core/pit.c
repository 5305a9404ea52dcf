// 8253/8254 PIT channel 0: mode 2 rate generator, tick counter, ticks-to-milliseconds.
#include "core/pit.h"
#include "core/err.h"
#include "core/hw.h"
#include "core/panic.h"

// I/O ports (8254 datasheet; OSDev "Programmable Interval Timer").
#define PIT_CH0  0x40 // channel 0 counter: the reload value, written low byte then high byte
#define PIT_MODE 0x43 // mode/command register (write only)

// Command byte: bits 7-6 = 00: channel 0; bits 5-4 = 11: access low byte then high byte;
// bits 3-1 = 010: mode 2, rate generator; bit 0 = 0: 16-bit binary counting.
#define PIT_CMD_CH0_LOHI_MODE2 0x34
// Command byte 0x00: channel 0, bits 5-4 = 00: counter latch (the count is held for reading).
#define PIT_CMD_CH0_LATCH 0x00

static uint32_t cur_divisor;
static uint64_t ticks; // atomic: the IRQ 0 handler adds, anyone reads

int pit_init(uint32_t hz)
{
    if (hz == 0)
        return E_INVAL;
    // Nearest integer; hz / 2 <= 2^31 - 1, so the sum cannot overflow.
    return pit_init_divisor((PIT_BASE_HZ + hz / 2) / hz);
}

int pit_init_divisor(uint32_t divisor)
{
    if (divisor < PIT_MIN_DIVISOR || divisor > PIT_MAX_DIVISOR)
        return E_INVAL;
    uint16_t reload = (uint16_t)divisor;        // 65536 becomes 0, which the counter takes as 65536
    hw_outb(PIT_MODE, PIT_CMD_CH0_LOHI_MODE2);  // command: channel 0, lo/hi byte, mode 2, binary
    hw_outb(PIT_CH0, (uint8_t)(reload & 0xff)); // channel 0 reload value, low byte
    hw_outb(PIT_CH0, (uint8_t)(reload >> 8));   // high byte: the counter starts with it
    cur_divisor = divisor;
    __atomic_store_n(&ticks, 0, __ATOMIC_RELAXED);
    return 0;
}

uint32_t pit_divisor(void)
{
    return cur_divisor;
}

uint32_t pit_frequency_mhz(void)
{
    if (cur_divisor == 0)
        return 0;
    // PIT_BASE_HZ * 1000 = 1 193 182 000 < 2^32.
    return PIT_BASE_HZ * 1000u / cur_divisor;
}

uint16_t pit_read_count(void)
{
    hw_outb(PIT_MODE, PIT_CMD_CH0_LATCH); // latch channel 0's count
    uint8_t lo = hw_inb(PIT_CH0);         // the latched count, low byte
    uint8_t hi = hw_inb(PIT_CH0);         // then high byte: the latch is released
    return (uint16_t)(hi << 8 | lo);
}

uint32_t pit_clocks_between(uint16_t earlier, uint16_t later, uint32_t divisor)
{
    KASSERT(divisor >= PIT_MIN_DIVISOR && divisor <= PIT_MAX_DIVISOR);
    return earlier >= later ? (uint32_t)(earlier - later) : earlier + divisor - later;
}

void pit_tick(void)
{
    __atomic_fetch_add(&ticks, 1, __ATOMIC_RELAXED);
}

uint64_t pit_ticks(void)
{
    return __atomic_load_n(&ticks, __ATOMIC_RELAXED);
}

uint64_t pit_ticks_to_ms(uint64_t n)
{
    KASSERT(cur_divisor != 0);
    // n * divisor * 1000 / BASE with n = q * BASE + r: q * divisor * 1000 is exact (BASE divides
    // it out), and r * divisor * 1000 < 1193182 * 65536 * 1000 < 2^47 cannot overflow. Only
    // q * divisor * 1000 can wrap, and only when the result itself is 2^64 ms or more.
    uint64_t q = n / PIT_BASE_HZ, r = n % PIT_BASE_HZ;
    uint64_t per_tick = (uint64_t)cur_divisor * 1000u; // at most 65 536 000
    return q * per_tick + r * per_tick / PIT_BASE_HZ;
}
