// Shared by test/unit/test_acpi*.c: "physical memory" from 0 (the BIOS areas included) and
// writers that build an RSDP, a root table, a MADT entry by entry, and QEMU's real layouts for
// -machine pc and q35, each checksum made right unless a test breaks it on purpose.
#pragma once

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/acpi.h"
#include "core/err.h"
#include "platform/host/mock_hw.h"

#define ARENA_SIZE 0x200000u   // 0 .. 2 MiB: the BDA, EBDA, BIOS ROM and room for tables above
#define FAR_AWAY   0x20000000u // outside the arena
#define RSDP_AT    0xF5A30u    // where SeaBIOS puts it
#define ROOT_AT    0x100000u
#define MADT_AT    0x101000u
#define TABLE_AT   0x102000u // further tables, 0x1000 apart

static uint8_t *arena;
static struct acpi_info info;

static inline int setup(void **state)
{
    mock_hw_reset();
    arena = mock_phys_arena(0, ARENA_SIZE);
    memset(&info, 0xA5, sizeof(info)); // the parser must clear what it does not set
    return 0;
}

static inline int teardown(void **state)
{
    mock_hw_reset();
    arena = NULL;
    return 0;
}

static inline uint8_t *at(uint64_t phys)
{
    assert_true(phys < ARENA_SIZE);
    return arena + phys;
}

static inline void put16(uint64_t phys, uint16_t v)
{
    memcpy(at(phys), &v, 2);
}

static inline void put32(uint64_t phys, uint32_t v)
{
    memcpy(at(phys), &v, 4);
}

static inline void put64(uint64_t phys, uint64_t v)
{
    memcpy(at(phys), &v, 8);
}

static inline uint8_t checksum_of(uint64_t phys, size_t n)
{
    uint8_t s = 0;
    for (size_t i = 0; i < n; i++)
        s = (uint8_t)(s + at(phys)[i]);
    return s;
}

// Sets the byte at phys + where so that the n bytes from phys sum to 0.
static inline void fix_sum(uint64_t phys, size_t n, size_t where)
{
    at(phys)[where] = 0;
    at(phys)[where] = (uint8_t)(0 - checksum_of(phys, n));
}

// An RSDP: revision 0 (20 bytes, RSDT only) or revision >= 2 (36 bytes, both addresses).
static inline void put_rsdp(uint64_t phys, uint8_t revision, uint32_t rsdt, uint64_t xsdt)
{
    memcpy(at(phys), "RSD PTR ", 8);
    memcpy(at(phys + 9), "BOCHS ", 6);
    at(phys)[15] = revision;
    put32(phys + 16, rsdt);
    if (revision >= 2) {
        put32(phys + 20, 36);
        put64(phys + 24, xsdt);
        fix_sum(phys, 20, 8);
        fix_sum(phys, 36, 32);
    } else {
        fix_sum(phys, 20, 8);
    }
}

// A table header at phys for a table of len bytes whose body the caller has written; sets the
// checksum last.
static inline void put_header(uint64_t phys, const char *sig, uint32_t len)
{
    memcpy(at(phys), sig, 4);
    put32(phys + 4, len);
    at(phys)[8] = 1;
    memcpy(at(phys + 10), "BOCHS BXPC    ", 14);
    fix_sum(phys, len, 9);
}

// An empty-bodied table (FACP, HPET, ... as far as this parser cares), with `body` zero bytes.
static inline void put_table(uint64_t phys, const char *sig, uint32_t body)
{
    memset(at(phys + 36), 0, body);
    put_header(phys, sig, 36 + body);
}

// A root table listing n addresses: 4-byte entries for the RSDT, 8-byte for the XSDT.
static inline void put_root(uint64_t phys, bool xsdt, const uint64_t *tables, size_t n)
{
    uint32_t w = xsdt ? 8 : 4;
    for (size_t i = 0; i < n; i++) {
        if (xsdt)
            put64(phys + 36 + i * w, tables[i]);
        else
            put32(phys + 36 + (uint32_t)i * w, (uint32_t)tables[i]);
    }
    put_header(phys, xsdt ? "XSDT" : "RSDT", (uint32_t)(36 + n * w));
}

// ---- a MADT built entry by entry ------------------------------------------------------------

static uint8_t madt[0x1000];
static uint32_t madt_len;

static inline void madt_begin(uint32_t lapic, uint32_t flags)
{
    memset(madt, 0, sizeof(madt));
    memcpy(madt + 36, &lapic, 4);
    memcpy(madt + 40, &flags, 4);
    madt_len = 44;
}

static inline void madt_raw(const uint8_t *e, size_t n)
{
    assert_true(madt_len + n <= sizeof(madt));
    memcpy(madt + madt_len, e, n);
    madt_len += (uint32_t)n;
}

#define U16(v) (uint8_t)(v), (uint8_t)((v) >> 8)
#define U32(v) U16((v)&0xFFFFu), U16((uint32_t)(v) >> 16)

static inline void madt_lapic(uint8_t uid, uint8_t id, uint32_t flags)
{
    madt_raw((const uint8_t[]){0, 8, uid, id, U32(flags)}, 8);
}

static inline void madt_ioapic(uint8_t id, uint32_t addr, uint32_t gsi)
{
    madt_raw((const uint8_t[]){1, 12, id, 0, U32(addr), U32(gsi)}, 12);
}

static inline void madt_override(uint8_t irq, uint32_t gsi, uint16_t flags)
{
    madt_raw((const uint8_t[]){2, 10, 0, irq, U32(gsi), U16(flags)}, 10);
}

static inline void madt_nmi_source(uint16_t flags, uint32_t gsi)
{
    madt_raw((const uint8_t[]){3, 8, U16(flags), U32(gsi)}, 8);
}

static inline void madt_lapic_nmi(uint8_t uid, uint16_t flags, uint8_t lint)
{
    madt_raw((const uint8_t[]){4, 6, uid, U16(flags), lint}, 6);
}

static inline void madt_lapic_addr(uint64_t addr)
{
    madt_raw((const uint8_t[]){5, 12, 0, 0, U32(addr & 0xFFFFFFFFu), U32(addr >> 32)}, 12);
}

static inline void madt_x2apic(uint32_t id, uint32_t flags, uint32_t uid)
{
    madt_raw((const uint8_t[]){9, 16, 0, 0, U32(id), U32(flags), U32(uid)}, 16);
}

static inline void madt_x2apic_nmi(uint16_t flags, uint32_t uid, uint8_t lint)
{
    madt_raw((const uint8_t[]){10, 12, U16(flags), U32(uid), lint, 0, 0, 0}, 12);
}

// Writes the MADT built so far as table "APIC" at phys.
static inline void madt_put(uint64_t phys)
{
    memcpy(at(phys), madt, madt_len);
    put_header(phys, "APIC", madt_len);
}

// An RSDP (revision 0) at RSDP_AT, an RSDT at ROOT_AT listing only the MADT built so far at
// MADT_AT.
static inline void put_madt_only(void)
{
    madt_put(MADT_AT);
    uint64_t t[] = {MADT_AT};
    put_root(ROOT_AT, false, t, 1);
    put_rsdp(RSDP_AT, 0, ROOT_AT, 0);
}

// QEMU's MADT (hw/i386/acpi-common.c, the same for pc and q35): local APIC at 0xFEE00000,
// PCAT_COMPAT, one enabled local APIC per CPU (uid = APIC id = index), the I/O APIC (id 0 for pc;
// q35 too) at 0xFEC00000 from GSI 0, IRQ 0 -> GSI 2, IRQs 5, 9, 10 and 11 level-triggered active
// high, and LINT1 as NMI on every processor.
static inline void madt_qemu(uint8_t cpus)
{
    madt_begin(0xFEE00000u, ACPI_MADT_PCAT_COMPAT);
    for (uint8_t i = 0; i < cpus; i++)
        madt_lapic(i, i, ACPI_CPU_ENABLED);
    madt_ioapic(0, 0xFEC00000u, 0);
    madt_override(0, 2, 0);
    const uint8_t level[] = {5, 9, 10, 11};
    for (size_t i = 0; i < sizeof(level); i++)
        madt_override(level[i], level[i], ACPI_INTI_LEVEL | ACPI_INTI_ACTIVE_HIGH);
    madt_lapic_nmi(0xFF, 0, 1);
}

// Asserts that acpi_parse failed with code, the message holding `needle`, out cleared.
static inline void assert_parse_fails(int code, const char *needle)
{
    int rc = acpi_parse(&info, RSDP_AT);
    if (rc != code || strstr(info.error, needle) == NULL)
        fail_msg("acpi_parse returned %d (%s), wanted %d with \"%s\"", rc, info.error, code,
                 needle);
    assert_int_equal(info.rsdp_phys, RSDP_AT);
    assert_int_equal(info.table_count, 0);
    assert_int_equal(info.root_phys, 0);
    assert_false(info.madt.present);
    assert_int_equal(info.problem_count, 0);
}

// Asserts that acpi_parse succeeded with exactly one problem: code, phys and `needle`.
static inline void assert_one_problem(int code, uint64_t phys, const char *needle)
{
    int rc = acpi_parse(&info, RSDP_AT);
    if (rc != 0)
        fail_msg("acpi_parse returned %d (%s)", rc, info.error);
    assert_string_equal(info.error, "");
    assert_int_equal(info.problem_count, 1);
    if (info.problems[0].code != code || strstr(info.problems[0].msg, needle) == NULL)
        fail_msg("problem %d (%s), wanted %d with \"%s\"", info.problems[0].code,
                 info.problems[0].msg, code, needle);
    assert_int_equal(info.problems[0].phys, phys);
}
