// The x86_64 kernel's part of panic() (kernel/panic.h): the report white on red on the screen,
// then the CPU halted for good.
#include "kernel/console.h"
#include "kernel/panic.h"
#include "platform/x86_64/cpu.h"

void panic_machine_mark(void)
{
    console_set_color(VGA_WHITE, VGA_RED);
}

_Noreturn void panic_machine_stop(void)
{
    cpu_stop();
}
