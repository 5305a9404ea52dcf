/*
 * Through GRUB, the RSDP comes as a copy in a multiboot2 tag (14 on QEMU's ACPI 1.0 tables): the
 * kernel parses the copy inside the boot information block, on a pc machine with two CPUs.
 *
 * qemu-scenario
 * boot: iso
 * args: -smp 2
 * expect-serial: ^acpi: RSDP revision 0 at 0x[0-9a-f]+ \(from the loader\), OEM "BOCHS ", RSDT at 0x[0-9a-f]+: FACP APIC HPET WAET$
 * expect-serial: ^madt: 2 CPUs \(APIC ids 0 1\)
 */
#include "core/acpi.h"
#include "kernel/acpi_tables.h"
#include "kernel/kernel.h"
#include "test/qemu/ktest/ktest.h"

KTEST(rsdp_is_the_copy_in_the_boot_information)
{
    const struct boot_info *bi = kernel_boot_info();
    KT_ASSERT(bi->rsdp_phys > bi->info_phys);
    KT_ASSERT(bi->rsdp_phys < bi->info_phys + bi->info_size);
    const struct acpi_info *info = acpi_tables();
    KT_ASSERT(info != NULL);
    KT_ASSERT_EQ(info->rsdp_phys, bi->rsdp_phys);
    KT_ASSERT(!info->xsdt);
}

KTEST(madt_lists_two_cpus)
{
    const struct acpi_madt *m = acpi_tables_madt();
    KT_ASSERT(m != NULL);
    KT_ASSERT_EQ(m->cpu_count, 2);
    KT_ASSERT_EQ(m->ioapic_count, 1);
}
