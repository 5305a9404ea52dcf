/*
 * `irq=pic` keeps the 8259 path on a machine whose MADT lists an I/O APIC: the local APIC in
 * virtual wire mode (LINT0 ExtINT), the PIT ticking on IRQ 0 through the PICs with EOIs to them,
 * the keyboard reaching the shell through IRQ 1, and the I/O APIC path's state untouched.
 *
 * qemu-scenario
 * cmdline: irq=pic
 * expect-serial: ^irq: 8259 path \(irq=pic on the command line\): PIT on IRQ 0 at 99\.998 Hz, divisor 11932$
 */
#include "core/hw.h"
#include "core/lapic.h"
#include "core/pic.h"
#include "core/pit.h"
#include "kernel/irq.h"
#include "kernel/irq_apic.h"
#include "kernel/shell.h"
#include "kernel/tasks.h"
#include "platform/x86_64/apic.h"
#include "platform/x86_64/cpu.h"
#include "test/qemu/ktest/ktest.h"
#include "test/qemu/waits.h"

KTEST(the_io_apic_path_is_not_taken)
{
    KT_ASSERT(!irq_apic_info()->active);
    KT_ASSERT(irq_apic_lapic() == NULL);
    uint64_t entry;
    KT_ASSERT_EQ(irq_apic_entry(IRQ_KEYBOARD, &entry), E_NOENT);
}

KTEST(local_apic_is_in_virtual_wire_mode)
{
    struct lapic_state s;
    lapic_read_state(apic_io(), &s);
    KT_ASSERT(lapic_is_virtual_wire(&s));
}

// IRQ 0 (timer), 1 (keyboard), 2 (cascade) and 4 (COM1) open at the master, the slave closed.
KTEST(pics_have_the_kernels_lines_open)
{
    KT_ASSERT_EQ(pic_get_mask(), 0xffe8);
}

KTEST(pit_ticks_through_the_pic)
{
    KT_ASSERT(wait_ticks_halting(20) >= 20);
}

KTEST(keyboard_reaches_the_shell_through_the_pic)
{
    KT_ASSERT(tasks_run_until(wait_example_done, NULL, 200));
    uint64_t lines = shell_lines();
    KT_ASSERT(ktest_host_type("typed via pic\n"));
    KT_ASSERT(tasks_run_until(wait_shell_line_ran, &lines, 300));
    KT_ASSERT_STR_EQ(shell_history(0), "typed via pic");
}
