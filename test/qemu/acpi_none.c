/*
 * A machine without ACPI tables (-no-acpi): the kernel finds no RSDP from the loader or in the BIOS
 * areas, says so, and runs on the boot CPU alone, with its interrupts, timer and threads as usual.
 *
 * qemu-scenario
 * args: -no-acpi -smp 2
 * expect-serial: ^WARNING: acpi: no RSDP from the loader or in the BIOS areas; running without ACPI$
 * expect-serial: ^smp: 1 of 1 CPUs online \(APIC ids 0\)$
 */
#include "core/pit.h"
#include "kernel/acpi_tables.h"
#include "kernel/kernel.h"
#include "kernel/smp.h"
#include "kernel/thread.h"
#include "platform/x86_64/cpu.h"
#include "test/qemu/ktest/ktest.h"

KTEST(no_tables_no_madt_one_cpu)
{
    KT_ASSERT_EQ(kernel_boot_info()->rsdp_phys, 0);
    KT_ASSERT(acpi_tables() == NULL);
    KT_ASSERT(acpi_tables_madt() == NULL);
    KT_ASSERT_EQ(smp_cpus_online(), 1);
    KT_ASSERT_EQ(smp_cpus_listed(), 1);
}

KTEST(the_timer_ticks_and_threads_sleep)
{
    uint64_t start = pit_ticks();
    thread_sleep_ticks(5);
    KT_ASSERT(pit_ticks() >= start + 5);
}
