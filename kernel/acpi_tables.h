// The machine's ACPI tables, read once at boot with core/acpi: from the RSDP the loader gave
// (multiboot2 tags 14/15, PVH rsdp_paddr), else from the BIOS areas. What the interrupt routing
// and the other CPUs need afterwards (the MADT's processors, I/O APICs and overrides) stays in
// the copy kept here, so nothing reads the firmware's tables again.
#pragma once

#include "core/acpi.h"
#include "core/bootinfo.h"

// Finds and parses the tables and prints what they hold: one line on the RSDP and the tables, one
// on the MADT, a WARNING for each table that was bad and skipped, and a WARNING saying the kernel
// runs without ACPI when there is no valid RSDP or root table. Call once, after vm_init (the
// tables are reached through the direct map).
void acpi_tables_init(const struct boot_info *bi);

// The parsed tables, or NULL when acpi_tables_init found none (or has not run).
const struct acpi_info *acpi_tables(void);

// The MADT, or NULL when there is no valid one.
const struct acpi_madt *acpi_tables_madt(void);
