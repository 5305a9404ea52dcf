/*
 * The kernel reads QEMU's ACPI tables through the RSDP its PVH loader gives: the MADT of a q35
 * machine with four CPUs, one I/O APIC and the ISA overrides (the PIT's IRQ 0 at GSI 2).
 *
 * qemu-scenario
 * args: -machine q35 -smp 4
 * expect-serial: ^acpi: RSDP revision \d+ at 0x[0-9a-f]+ \(from the loader\), OEM "BOCHS ", RSDT at 0x[0-9a-f]+: FACP APIC HPET MCFG WAET$
 * expect-serial: ^madt: 4 CPUs \(APIC ids 0 1 2 3\), local APIC at 0xfee00000, 1 I/O APIC \(id 0 at 0xfec00000, GSI 0\+\), overrides IRQ0->GSI2 
 */
#include "core/acpi.h"
#include "kernel/acpi_tables.h"
#include "kernel/kernel.h"
#include "test/qemu/ktest/ktest.h"

KTEST(rsdp_comes_from_the_loader)
{
    const struct acpi_info *info = acpi_tables();
    KT_ASSERT(info != NULL);
    KT_ASSERT_EQ(info->rsdp_phys, kernel_boot_info()->rsdp_phys);
    KT_ASSERT_EQ(info->problem_count, 0);
}

KTEST(madt_lists_four_cpus_and_one_ioapic)
{
    const struct acpi_madt *m = acpi_tables_madt();
    KT_ASSERT(m != NULL);
    KT_ASSERT_EQ(m->cpu_count, 4);
    for (size_t i = 0; i < m->cpu_count; i++) {
        KT_ASSERT_EQ(m->cpus[i].apic_id, i);
        KT_ASSERT(m->cpus[i].flags & ACPI_CPU_ENABLED);
    }
    KT_ASSERT_EQ(m->ioapic_count, 1);
    KT_ASSERT_EQ(m->ioapics[0].addr, 0xfec00000u);
    KT_ASSERT_EQ(m->ioapics[0].gsi_base, 0);
    KT_ASSERT_EQ(m->lapic_addr, 0xfee00000u);
}

KTEST(pit_irq_is_overridden_to_gsi_2)
{
    uint32_t gsi;
    bool low, level;
    KT_ASSERT_EQ(acpi_isa_irq(acpi_tables_madt(), 0, &gsi, &low, &level), 0);
    KT_ASSERT_EQ(gsi, 2);
    KT_ASSERT_EQ(acpi_isa_irq(acpi_tables_madt(), 1, &gsi, &low, &level), 0);
    KT_ASSERT_EQ(gsi, 1);
    KT_ASSERT(!low && !level);
}
