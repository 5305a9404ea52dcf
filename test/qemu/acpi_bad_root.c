/*
 * A bad root table fails the whole parse: an early test breaks the checksum of QEMU's RSDT in
 * memory before the kernel reads it; the kernel says what was wrong and runs without ACPI, on the
 * boot CPU alone and the 8259 path.
 *
 * qemu-scenario
 * args: -smp 2
 * expect-serial: ^WARNING: acpi: RSDT: table RSDT at 0x[0-9a-f]+: bad checksum over 0x[0-9a-f]+ bytes \(malformed input\); running without ACPI$
 * expect-serial: ^smp: 1 of 1 CPUs online \(APIC ids 0\)$
 */
#include "core/acpi.h"
#include "core/hw.h"
#include "kernel/acpi_tables.h"
#include "kernel/irq_apic.h"
#include "kernel/smp.h"
#include "test/qemu/ktest/ktest.h"

static struct acpi_info early;

KTEST_EARLY(break_the_rsdt_checksum)
{
    uint64_t rsdp;
    KT_ASSERT_EQ(acpi_find_rsdp(&rsdp), 0);
    KT_ASSERT_EQ(acpi_parse(&early, rsdp), 0);
    KT_ASSERT(!early.xsdt);
    uint8_t *root = hw_phys_to_virt(early.root_phys, ACPI_HEADER_SIZE);
    KT_ASSERT(root != NULL);
    root[9]++;
}

KTEST(the_kernel_runs_without_acpi)
{
    KT_ASSERT(acpi_tables() == NULL);
    KT_ASSERT(acpi_tables_madt() == NULL);
    KT_ASSERT(!irq_apic_info()->active);
    KT_ASSERT_EQ(smp_cpus_online(), 1);
}
