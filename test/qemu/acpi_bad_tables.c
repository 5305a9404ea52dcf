/*
 * Bad ACPI tables are reported and skipped, never followed. Before the kernel reads them, an early
 * test breaks the checksums of QEMU's HPET table and of its MADT in memory. The kernel reports both
 * as skipped, finds no MADT, and so runs on the 8259 path on the boot CPU alone (of the two QEMU
 * has), with its timer and threads as usual.
 *
 * qemu-scenario
 * args: -smp 2
 * expect-serial: ^WARNING: acpi: table HPET at 0x[0-9a-f]+: bad checksum over 0x[0-9a-f]+ bytes; skipped$
 * expect-serial: ^WARNING: acpi: table APIC at 0x[0-9a-f]+: bad checksum over 0x[0-9a-f]+ bytes; skipped$
 * expect-serial: ^madt: none; one CPU, interrupts through the 8259 pair$
 * expect-serial: ^smp: 1 of 1 CPUs online \(APIC ids 0\)$
 */
#include "core/acpi.h"
#include "core/hw.h"
#include "core/pit.h"
#include "core/string.h"
#include "kernel/acpi_tables.h"
#include "kernel/irq_apic.h"
#include "kernel/kernel.h"
#include "kernel/smp.h"
#include "kernel/thread.h"
#include "test/qemu/ktest/ktest.h"

static struct acpi_info early; // the tables as they were, read before the kernel reads them

// Adds one to a table's checksum byte (offset 9 of its header): its bytes no longer sum to 0.
static bool break_checksum(const char *sig)
{
    for (size_t i = 0; i < early.table_count; i++) {
        if (strcmp(early.tables[i].sig, sig) != 0)
            continue;
        uint8_t *t = hw_phys_to_virt(early.tables[i].phys, ACPI_HEADER_SIZE);
        if (t == NULL)
            return false;
        t[9]++;
        return true;
    }
    return false;
}

KTEST_EARLY(break_the_hpet_and_madt_checksums)
{
    uint64_t rsdp;
    KT_ASSERT_EQ(acpi_find_rsdp(&rsdp), 0);
    KT_ASSERT_EQ(acpi_parse(&early, rsdp), 0);
    KT_ASSERT(early.madt.present);
    KT_ASSERT(break_checksum("HPET"));
    KT_ASSERT(break_checksum("APIC"));
}

KTEST(both_tables_are_reported_and_skipped)
{
    const struct acpi_info *info = acpi_tables();
    KT_ASSERT(info != NULL);
    KT_ASSERT_EQ(info->problem_count, 2);
    KT_ASSERT_EQ(info->table_count, early.table_count - 2);
    for (size_t i = 0; i < info->table_count; i++) {
        KT_ASSERT(strcmp(info->tables[i].sig, "HPET") != 0);
        KT_ASSERT(strcmp(info->tables[i].sig, "APIC") != 0);
    }
    KT_ASSERT(acpi_tables_madt() == NULL);
}

KTEST(without_a_madt_one_cpu_on_the_8259_path)
{
    KT_ASSERT(!irq_apic_info()->active);
    KT_ASSERT_EQ(smp_cpus_online(), 1);
    uint64_t start = pit_ticks();
    thread_sleep_ticks(5);
    KT_ASSERT(pit_ticks() >= start + 5);
}
