/*
 * Cooperative tasks on Cortex-M: the cases both machines run (tasks_cases.h: the example task,
 * sleepers waking in deadline order on the SysTick timer queue, the heartbeat, also when the timer
 * queue is full, halting in `wfi` when idle), then `wfi` waking for an interrupt pending under
 * PRIMASK (no lost wake-up) and the cost of a poll round trip in cycles.
 *
 * qemu-scenario
 * arch: cortex-m4 cortex-m7
 * timeout: 20
 * expect-serial: async number: 42$
 * expect-serial: ^heartbeat \d+$
 * expect-serial: ^cycles: DWT CYCCNT does not count here; SysTick's counter instead$
 * expect-serial: ^task poll round trip: \d+ cycles \(SysTick, 10000 rounds\)$
 */
#include "core/hw.h"
#include "core/systick.h"
#include "platform/cortex_m/console.h"
#include "platform/cortex_m/cycles.h"
#include "platform/cortex_m/tasks.h"
#include "test/qemu/ktest/ktest.h"
#include "test/qemu/tasks_cases.h"

// ---- idle --------------------------------------------------------------------------------------

// What the idle hook's check-then-sleep rests on: with PRIMASK set, an interrupt that becomes
// pending is not taken, and `wfi` still wakes for it. (Pending SysTick by hand here; it counts one
// tick early. Were wfi to sleep on, no later tick could end the sleep: they would all find the
// exception pending already, and the scenario would time out.)
KTEST(wfi_wakes_for_an_interrupt_pending_under_primask)
{
    __asm__ volatile("cpsid i" ::: "memory");
    uint64_t before = systick_ticks();
    hw_mmio_write32(SCB_ICSR, ICSR_PENDSTSET);
    __asm__ volatile("dsb\n\twfi" ::: "memory");
    bool still_pending = (hw_mmio_read32(SCB_ICSR) & ICSR_PENDSTSET) != 0;
    uint64_t masked = systick_ticks();
    __asm__ volatile("cpsie i\n\tisb" ::: "memory"); // the handler runs here
    KT_ASSERT(still_pending);
    KT_ASSERT_EQ(masked, before);
    KT_ASSERT(systick_ticks() > before);
}

// ---- cost --------------------------------------------------------------------------------------

// The self-waking task of tasks_cases.h, timed in cycles: from the DWT where it counts; QEMU does
// not model it (cycles.h), so here from SysTick.
KTEST(task_poll_round_trip_cost)
{
    enum { ROUNDS = 10000 };
    if (!cm_cycles_init())
        kprintf("\ncycles: DWT CYCCNT does not count here; SysTick's counter instead\n");
    rounds_left = ROUNDS;
    KT_ASSERT_EQ(tasks_spawn(&self_waking), 0);
    uint32_t start = cm_cycles();
    KT_ASSERT(tasks_run_until(rounds_done, NULL, 1000));
    uint32_t cycles = cm_cycles() - start;
    KT_ASSERT(cycles > 0);
    kprintf("task poll round trip: %lu cycles (%s, %d rounds)\n", (unsigned long)(cycles / ROUNDS),
            cm_cycles_source(), ROUNDS);
}
