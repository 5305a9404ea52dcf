// The x86_64 kernel's part of the tasks (kernel/tasks.h): the PIT's ticks, `sti; hlt`, and a
// heartbeat that blinks in the screen's top-right corner.
#include "core/pit.h"
#include "kernel/console.h"
#include "kernel/tasks.h"
#include "kernel/thread.h"
#include "platform/x86_64/cpu.h"

const uint32_t tasks_heartbeat_period = 50; // 0.5 s at 100 Hz

uint64_t tasks_ticks(void)
{
    return pit_ticks();
}

// The executor runs as a thread: while another thread is ready it yields to it instead of
// halting. Otherwise `sti; hlt`: `sti` takes effect after the next instruction, so no interrupt
// comes between it and `hlt` (and one that makes a thread ready ends the halt; the executor then
// comes back here and yields).
void tasks_machine_halt(void)
{
    if (thread_others_ready()) {
        cpu_enable_irq();
        thread_yield();
        return;
    }
    cpu_enable_irq_and_halt();
}

void tasks_machine_beat(uint64_t n)
{
    console_set_corner(n & 1 ? '*' : ' ');
}
