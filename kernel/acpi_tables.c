// The machine's ACPI tables (see acpi_tables.h).
#include "kernel/acpi_tables.h"
#include "core/err.h"
#include "kernel/console.h"

static struct acpi_info info; // large: kept out of the boot stack
static bool parsed;

static void print_madt(const struct acpi_madt *m)
{
    kprintf("madt: %zu CPU%s (APIC ids", m->cpu_count, m->cpu_count == 1 ? "" : "s");
    for (size_t i = 0; i < m->cpu_count; i++)
        kprintf(" %u", m->cpus[i].apic_id);
    kprintf("), local APIC at %#llx, %zu I/O APIC%s", (unsigned long long)m->lapic_addr,
            m->ioapic_count, m->ioapic_count == 1 ? "" : "s");
    for (size_t i = 0; i < m->ioapic_count; i++)
        kprintf(" (id %u at %#x, GSI %u+)", m->ioapics[i].id, m->ioapics[i].addr,
                m->ioapics[i].gsi_base);
    kprintf(", overrides");
    if (m->override_count == 0)
        kprintf(" none");
    for (size_t i = 0; i < m->override_count; i++)
        kprintf(" IRQ%u->GSI%u", m->overrides[i].irq, m->overrides[i].gsi);
    kprintf("%s\n", (m->flags & ACPI_MADT_PCAT_COMPAT) != 0 ? ", 8259 pair present" : "");
}

void acpi_tables_init(const struct boot_info *bi)
{
    uint64_t rsdp = bi->rsdp_phys;
    const char *from = "the loader";
    if (rsdp == 0) {
        from = "the BIOS areas";
        if (acpi_find_rsdp(&rsdp) != 0) {
            kprintf("WARNING: acpi: no RSDP from the loader or in the BIOS areas; running "
                    "without ACPI\n");
            return;
        }
    }
    int err = acpi_parse(&info, rsdp);
    if (err != 0) {
        kprintf("WARNING: %s (%s); running without ACPI\n", info.error, err_str(err));
        return;
    }
    parsed = true;
    kprintf("acpi: RSDP revision %u at %#llx (from %s), OEM \"%s\", %s at %#llx:", info.revision,
            (unsigned long long)info.rsdp_phys, from, info.oem_id, info.xsdt ? "XSDT" : "RSDT",
            (unsigned long long)info.root_phys);
    for (size_t i = 0; i < info.table_count; i++)
        kprintf(" %s", info.tables[i].sig);
    kprintf("\n");
    for (size_t i = 0; i < info.problem_count; i++)
        kprintf("WARNING: %s; skipped\n", info.problems[i].msg); // "acpi: table SIG at ADDR: why"
    if (info.problems_dropped > 0)
        kprintf("WARNING: acpi: %zu more tables skipped\n", info.problems_dropped);
    if (info.madt.present)
        print_madt(&info.madt);
    else
        kprintf("madt: none; one CPU, interrupts through the 8259 pair\n");
}

const struct acpi_info *acpi_tables(void)
{
    return parsed ? &info : NULL;
}

const struct acpi_madt *acpi_tables_madt(void)
{
    return parsed && info.madt.present ? &info.madt : NULL;
}
