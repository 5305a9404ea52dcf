// ACPI tables: finds and validates the RSDP, the RSDT or XSDT it points to, the tables they list,
// and reads the MADT (the interrupt controllers: local APICs, I/O APICs, ISA interrupt overrides,
// NMI wiring) into one `struct acpi_info` the kernel can use after the tables are gone.
//
// As core/bootinfo does, the parser treats the tables as untrusted input: every byte is reached
// through hw_phys_to_virt() after its range has been checked, and nothing is followed that failed
// a check. A bad RSDP or root table (RSDT/XSDT) fails the parse with a negative core/err.h code and
// a message in out->error. A bad table the root lists (checksum, length, unreachable) is not fatal:
// it is recorded in out->problems, skipped and never read further, and the other tables are still
// found; a MADT whose entries are malformed or exceed a capacity below is such a bad table too
// (madt.present stays false and the problem says why).
//
// Layouts and rules follow the ACPI specification (6.5): "Root System Description Pointer",
// "System Description Table Header", "Multiple APIC Description Table". Multi-byte fields are
// little-endian.
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

// Capacities. More processor entries (usable ones: enabled or online-capable), I/O APICs,
// interrupt source overrides or NMI entries than these make the MADT bad (E_TOOBIG): nothing is
// silently dropped. A root table listing more than ACPI_TABLES_MAX tables fails the parse.
#define ACPI_CPUS_MAX      64
#define ACPI_IOAPICS_MAX   8
#define ACPI_OVERRIDES_MAX 16
#define ACPI_NMIS_MAX      16
#define ACPI_TABLES_MAX    64
// Problems kept in full; later ones are only counted (problems_dropped).
#define ACPI_PROBLEMS_MAX 8
#define ACPI_MSG_MAX      160
// The largest table length accepted (a DSDT is tens to hundreds of KiB): beyond it the length
// field is corrupt, not the table large.
#define ACPI_TABLE_MAX_SIZE 0x100000u

#define ACPI_RSDP_V1_SIZE 20 // bytes the ACPI 1.0 checksum covers
#define ACPI_RSDP_V2_SIZE 36 // the smallest length a revision >= 2 RSDP may give
#define ACPI_HEADER_SIZE  36 // the System Description Table Header
#define ACPI_MADT_FIXED   44 // header, local APIC address, flags

// The BIOS areas acpi_find_rsdp scans: the first KiB of the EBDA, whose real-mode segment is the
// u16 at ACPI_EBDA_PTR, then the BIOS ROM area.
#define ACPI_EBDA_PTR     0x40Eu
#define ACPI_EBDA_SCAN    0x400u
#define ACPI_BIOS_ROM     0xE0000u
#define ACPI_BIOS_ROM_END 0x100000u // exclusive
#define ACPI_RSDP_ALIGN   16u

// MADT flags: PCAT_COMPAT, the system also has a pair of 8259s (to be masked before the I/O APIC
// takes over).
#define ACPI_MADT_PCAT_COMPAT 0x1u

// Local APIC / x2APIC flags (MADT types 0 and 9).
#define ACPI_CPU_ENABLED        0x1u
#define ACPI_CPU_ONLINE_CAPABLE 0x2u

// MPS INTI flags of overrides and NMI entries: polarity in bits 0-1, trigger mode in bits 2-3;
// 0 conforms to the bus (ISA: active high, edge), 1 high/edge, 3 low/level, 2 reserved.
#define ACPI_INTI_POLARITY_MASK 0x3u
#define ACPI_INTI_TRIGGER_MASK  0xCu
#define ACPI_INTI_ACTIVE_HIGH   0x1u
#define ACPI_INTI_ACTIVE_LOW    0x3u
#define ACPI_INTI_EDGE          0x4u
#define ACPI_INTI_LEVEL         0xCu

#define ACPI_UID_ALL 0xFFFFFFFFu // an NMI entry's processor UID meaning every processor

// One table the root lists that passed its checks: signature (NUL-terminated), where and how long.
struct acpi_table {
    char sig[5];
    uint64_t phys;
    uint32_t length;
};

// A processor: from a local APIC entry (type 0, x2apic false, 8-bit ids widened) or a local x2APIC
// entry (type 9). Entries neither enabled nor online-capable are unusable and not listed.
struct acpi_cpu {
    uint32_t apic_id;
    uint32_t uid;   // the ACPI processor UID
    uint32_t flags; // ACPI_CPU_*
    bool x2apic;
};

struct acpi_ioapic {
    uint8_t id;
    uint32_t addr;     // physical address of its registers
    uint32_t gsi_base; // the first global system interrupt it handles
};

// An interrupt source override (type 2): ISA IRQ `irq` arrives at `gsi` with `flags` (MPS INTI).
struct acpi_override {
    uint8_t bus; // 0: ISA, the only value the specification defines
    uint8_t irq;
    uint32_t gsi;
    uint16_t flags;
};

enum acpi_nmi_kind {
    ACPI_NMI_SOURCE = 3,  // a GSI wired as NMI: gsi, flags
    ACPI_NMI_LAPIC = 4,   // a local APIC LINT pin wired as NMI: uid, flags, lint
    ACPI_NMI_X2APIC = 10, // the same for x2APIC processor UIDs
};

struct acpi_nmi {
    uint8_t kind;   // enum acpi_nmi_kind
    uint8_t lint;   // LINT0 or LINT1 (local kinds)
    uint16_t flags; // MPS INTI
    uint32_t uid;   // local kinds: processor UID, ACPI_UID_ALL for every one (0xFF of type 4 too)
    uint32_t gsi;   // ACPI_NMI_SOURCE
};

struct acpi_madt {
    bool present; // a valid MADT was found and read whole
    uint64_t phys;
    uint64_t lapic_addr; // the local APIC's physical address (type 5 overrides the 32-bit field)
    uint32_t flags;      // ACPI_MADT_*
    size_t cpu_count, ioapic_count, override_count, nmi_count;
    size_t cpus_unusable; // processor entries neither enabled nor online-capable (not listed)
    struct acpi_cpu cpus[ACPI_CPUS_MAX];
    struct acpi_ioapic ioapics[ACPI_IOAPICS_MAX];
    struct acpi_override overrides[ACPI_OVERRIDES_MAX];
    struct acpi_nmi nmis[ACPI_NMIS_MAX];
};

// A table the root lists that was skipped: its code (E_RANGE unreachable, E_FORMAT bad length,
// checksum or contents, E_TOOBIG over a capacity), where, and a message saying what was wrong.
struct acpi_problem {
    int code;
    uint64_t phys;
    char msg[ACPI_MSG_MAX];
};

struct acpi_info {
    uint64_t rsdp_phys;
    uint8_t revision; // the RSDP's: 0 for ACPI 1.0, 2 and above for later versions
    char oem_id[7];   // NUL-terminated
    uint64_t root_phys;
    bool xsdt; // the root is the XSDT (64-bit entries), not the RSDT
    size_t table_count;
    struct acpi_table tables[ACPI_TABLES_MAX]; // in the root's order, bad ones left out
    struct acpi_madt madt;
    size_t problem_count, problems_dropped;
    struct acpi_problem problems[ACPI_PROBLEMS_MAX];
    char error[ACPI_MSG_MAX]; // "" on success; on failure what was wrong and where
};

// Checks the RSDP at phys: the signature "RSD PTR ", the checksum over its first 20 bytes and, for
// revision >= 2, a length of at least 36 bytes, all reachable, and the extended checksum over
// them. Returns 0, or E_RANGE (not reachable), E_FORMAT (signature, checksum or length). Writes
// a message into err (err_size bytes, may be 0) on failure.
int acpi_check_rsdp(uint64_t phys, char *err, size_t err_size);

// Scans the BIOS areas for a valid RSDP (acpi_check_rsdp) on 16-byte boundaries: the first KiB of
// the EBDA (when the segment word at 0x40E is reachable and nonzero), then 0xE0000-0xFFFFF.
// Slots that are not reachable or hold an invalid RSDP are passed over. Returns 0 with *phys set,
// or E_NOENT when none is found. phys must not be NULL (KASSERT).
int acpi_find_rsdp(uint64_t *phys);

// Parses the tables from the RSDP at rsdp_phys (from the boot info, or acpi_find_rsdp). The XSDT
// is used when the RSDP's revision is >= 2 and it gives a nonzero XSDT address, else the RSDT.
// Returns 0 on success (problems may still be listed); on failure a negative code, out holding
// only rsdp_phys and error:
//   E_RANGE   the RSDP, the root's header or its length are not reachable;
//   E_FORMAT  a bad RSDP (acpi_check_rsdp); a root address of 0; a root whose signature is not
//             "RSDT"/"XSDT", whose length is below 36 or above ACPI_TABLE_MAX_SIZE, whose entries
//             do not fill it exactly, or whose checksum is bad;
//   E_TOOBIG  the root lists more than ACPI_TABLES_MAX tables.
// Each listed table is checked: an address of 0, a header or length not reachable, a length below
// 36 or above ACPI_TABLE_MAX_SIZE, or a bad checksum makes it a problem. The first valid "APIC"
// table is read into madt; a bad MADT (rules below) and any later valid "APIC" table are problems.
// MADT rules: length >= 44; each entry's length >= 2 and inside the table, and at least the size
// of its type (0: 8, 1: 12, 2: 10, 3: 8, 4: 6, 5: 12, 9: 16, 10: 12; longer ones are read by
// their known part); at most one type 5; an override with a reserved polarity or trigger (2),
// or a second override of the same source IRQ, is E_FORMAT; capacities as above (E_TOOBIG).
// Other entry types are skipped by their length. out must not be NULL (KASSERT).
int acpi_parse(struct acpi_info *out, uint64_t rsdp_phys);

// Where ISA IRQ `irq` (0-15) arrives: through its interrupt source override when the MADT has one,
// else at the GSI of the same number, active high and edge-triggered (ISA's defaults). Flags that
// conform to the bus are resolved to ISA's. Returns 0 with *gsi, *active_low and *level set, or
// E_INVAL for an irq above 15. madt and the outputs must not be NULL (KASSERT).
int acpi_isa_irq(const struct acpi_madt *madt, uint8_t irq, uint32_t *gsi, bool *active_low,
                 bool *level);
