// The firmware's part of the tasks (kernel/tasks.h; kernel/tasks.c is the rest): SysTick's ticks
// and its handler, `wfi` when idle, and a heartbeat that blinks LED 0 and prints a line.
#include "platform/cortex_m/tasks.h"
#include "core/hw.h"
#include "core/systick.h"
#include "platform/cortex_m/board.h"
#include "platform/cortex_m/console.h"

const uint32_t tasks_heartbeat_period = 100; // 1 s at 100 Hz

void cm_systick_handler(void)
{
    systick_tick();
    tasks_tick(systick_ticks());
}

uint64_t tasks_ticks(void)
{
    return systick_ticks();
}

// The Cortex-M form of `sti; hlt`. PRIMASK is set: an interrupt that arrived after the idle
// hook's check was not taken but stays pending, and WFI wakes on a pending interrupt whose
// priority would let it preempt were PRIMASK clear (ARMv7-M, "Wait For Interrupt"): so the sleep
// ends at once instead of missing the wake-up. Clearing PRIMASK then takes the interrupt, whose
// handler wakes the task.
void tasks_machine_halt(void)
{
    __asm__ volatile("dsb\n\twfi\n\tcpsie i" ::: "memory");
}

void tasks_machine_beat(uint64_t n)
{
    hw_mmio_write32(CM_FPGAIO_LED, (uint32_t)(n & 1u)); // FPGAIO LED register: bit 0 is LED 0
    kprintf("heartbeat %lu\n", (unsigned long)n);
}
