// core/acpi: the MADT — QEMU's real layouts for -machine pc and q35, every entry type, the entry
// length rules, each capacity at and past its limit, and acpi_isa_irq's routing through overrides.
#include "test/unit/acpi_test.h"

static void parse_ok(void)
{
    int rc = acpi_parse(&info, RSDP_AT);
    if (rc != 0)
        fail_msg("acpi_parse returned %d (%s)", rc, info.error);
    if (info.problem_count != 0)
        fail_msg("problem: %s", info.problems[0].msg);
    assert_true(info.madt.present);
}

static void assert_route(uint8_t irq, uint32_t gsi, bool low, bool level)
{
    uint32_t g = 0xdead;
    bool l = !low, lv = !level;
    assert_int_equal(acpi_isa_irq(&info.madt, irq, &g, &l, &lv), 0);
    assert_int_equal(g, gsi);
    assert_int_equal(l, low);
    assert_int_equal(lv, level);
}

// -machine pc (i440fx, SeaBIOS): RSDP revision 0, RSDT: FACP, APIC, HPET, WAET.
static void qemu_pc(void **state)
{
    put_table(TABLE_AT, "FACP", 80);
    madt_qemu(1);
    madt_put(MADT_AT);
    put_table(TABLE_AT + 0x1000, "HPET", 20);
    put_table(TABLE_AT + 0x2000, "WAET", 4);
    put_root(ROOT_AT, false, (uint64_t[]){TABLE_AT, MADT_AT, TABLE_AT + 0x1000, TABLE_AT + 0x2000},
             4);
    put_rsdp(RSDP_AT, 0, ROOT_AT, 0);
    parse_ok();
    assert_int_equal(info.table_count, 4);
    assert_string_equal(info.tables[1].sig, "APIC");
    const struct acpi_madt *m = &info.madt;
    assert_int_equal(m->phys, MADT_AT);
    assert_int_equal(m->lapic_addr, 0xFEE00000u);
    assert_int_equal(m->flags, ACPI_MADT_PCAT_COMPAT);
    assert_int_equal(m->cpu_count, 1);
    assert_int_equal(m->cpus[0].apic_id, 0);
    assert_int_equal(m->cpus[0].flags, ACPI_CPU_ENABLED);
    assert_false(m->cpus[0].x2apic);
    assert_int_equal(m->ioapic_count, 1);
    assert_int_equal(m->ioapics[0].addr, 0xFEC00000u);
    assert_int_equal(m->ioapics[0].gsi_base, 0);
    assert_int_equal(m->override_count, 5);
    assert_int_equal(m->nmi_count, 1);
    assert_int_equal(m->nmis[0].kind, ACPI_NMI_LAPIC);
    assert_int_equal(m->nmis[0].uid, ACPI_UID_ALL);
    assert_int_equal(m->nmis[0].lint, 1);
    assert_route(0, 2, false, false); // the PIT
    assert_route(1, 1, false, false); // the keyboard: no override
    assert_route(9, 9, false, true);  // ACPI SCI: level, active high
    assert_route(15, 15, false, false);
}

// -machine q35 -smp 4 (SeaBIOS): the same MADT with four CPUs, RSDT: FACP, APIC, HPET, MCFG, WAET.
static void qemu_q35_smp4(void **state)
{
    put_table(TABLE_AT, "FACP", 208);
    madt_qemu(4);
    madt_put(MADT_AT);
    put_table(TABLE_AT + 0x1000, "HPET", 20);
    put_table(TABLE_AT + 0x2000, "MCFG", 24);
    put_table(TABLE_AT + 0x3000, "WAET", 4);
    put_root(
        ROOT_AT, false,
        (uint64_t[]){TABLE_AT, MADT_AT, TABLE_AT + 0x1000, TABLE_AT + 0x2000, TABLE_AT + 0x3000},
        5);
    put_rsdp(RSDP_AT, 0, ROOT_AT, 0);
    parse_ok();
    assert_int_equal(info.table_count, 5);
    assert_string_equal(info.tables[3].sig, "MCFG");
    assert_int_equal(info.madt.cpu_count, 4);
    for (uint32_t i = 0; i < 4; i++) {
        assert_int_equal(info.madt.cpus[i].apic_id, i);
        assert_int_equal(info.madt.cpus[i].uid, i);
    }
    assert_route(0, 2, false, false);
}

// The same under UEFI (OVMF): RSDP revision 2 with an XSDT.
static void qemu_q35_uefi_xsdt(void **state)
{
    madt_qemu(2);
    madt_put(MADT_AT);
    put_table(TABLE_AT, "FACP", 208);
    put_root(ROOT_AT, true, (uint64_t[]){TABLE_AT, MADT_AT}, 2);
    put_rsdp(RSDP_AT, 2, 0, ROOT_AT);
    parse_ok();
    assert_true(info.xsdt);
    assert_int_equal(info.madt.cpu_count, 2);
}

static void every_entry_type(void **state)
{
    madt_begin(0xFEE00000u, 0);
    madt_lapic(7, 3, ACPI_CPU_ONLINE_CAPABLE);
    madt_x2apic(0x1234, ACPI_CPU_ENABLED, 0x55);
    madt_ioapic(2, 0xFEC01000u, 24);
    madt_override(1, 17, ACPI_INTI_ACTIVE_LOW | ACPI_INTI_LEVEL);
    madt_nmi_source(ACPI_INTI_ACTIVE_HIGH | ACPI_INTI_EDGE, 23);
    madt_lapic_nmi(9, ACPI_INTI_ACTIVE_LOW, 0);
    madt_x2apic_nmi(ACPI_INTI_LEVEL, 0x55, 1);
    madt_lapic_addr(0x1FEE00000ull);
    madt_raw((const uint8_t[]){0x7F, 3, 9}, 3); // an unknown type: skipped by its length
    put_madt_only();
    parse_ok();
    const struct acpi_madt *m = &info.madt;
    assert_int_equal(m->lapic_addr, 0x1FEE00000ull);
    assert_int_equal(m->flags, 0);
    assert_int_equal(m->cpu_count, 2);
    assert_int_equal(m->cpus[0].uid, 7);
    assert_int_equal(m->cpus[0].apic_id, 3);
    assert_int_equal(m->cpus[0].flags, ACPI_CPU_ONLINE_CAPABLE);
    assert_int_equal(m->cpus[1].apic_id, 0x1234);
    assert_int_equal(m->cpus[1].uid, 0x55);
    assert_int_equal(m->cpus[1].flags, ACPI_CPU_ENABLED);
    assert_true(m->cpus[1].x2apic);
    assert_int_equal(m->ioapics[0].id, 2);
    assert_int_equal(m->ioapics[0].addr, 0xFEC01000u);
    assert_int_equal(m->ioapics[0].gsi_base, 24);
    assert_int_equal(m->overrides[0].bus, 0);
    assert_int_equal(m->overrides[0].irq, 1);
    assert_int_equal(m->overrides[0].gsi, 17);
    assert_int_equal(m->overrides[0].flags, 0xF);
    assert_int_equal(m->nmi_count, 3);
    assert_int_equal(m->nmis[0].kind, ACPI_NMI_SOURCE);
    assert_int_equal(m->nmis[0].gsi, 23);
    assert_int_equal(m->nmis[0].flags, 5);
    assert_int_equal(m->nmis[1].kind, ACPI_NMI_LAPIC);
    assert_int_equal(m->nmis[1].uid, 9);
    assert_int_equal(m->nmis[1].flags, 3);
    assert_int_equal(m->nmis[1].lint, 0);
    assert_int_equal(m->nmis[2].kind, ACPI_NMI_X2APIC);
    assert_int_equal(m->nmis[2].uid, 0x55);
    assert_int_equal(m->nmis[2].flags, 0xC);
    assert_int_equal(m->nmis[2].lint, 1);
    assert_route(1, 17, true, true);
}

static void longer_entries_are_read_by_their_known_part(void **state)
{
    madt_begin(0xFEE00000u, 0);
    madt_raw((const uint8_t[]){0, 10, 1, 2, U32(1), 0xEE, 0xEE}, 10);
    put_madt_only();
    parse_ok();
    assert_int_equal(info.madt.cpu_count, 1);
    assert_int_equal(info.madt.cpus[0].apic_id, 2);
}

static void unusable_cpus_are_counted_not_listed(void **state)
{
    madt_begin(0xFEE00000u, 0);
    madt_lapic(0, 0, ACPI_CPU_ENABLED);
    madt_lapic(1, 1, 0);
    madt_x2apic(2, 0, 2);
    put_madt_only();
    parse_ok();
    assert_int_equal(info.madt.cpu_count, 1);
    assert_int_equal(info.madt.cpus_unusable, 2);
}

static void empty_madt(void **state)
{
    madt_begin(0xFEE00000u, 1);
    put_madt_only();
    parse_ok();
    assert_int_equal(info.madt.cpu_count + info.madt.ioapic_count, 0);
    assert_route(4, 4, false, false);
}

// ---- a bad MADT: a problem, madt.present false, the other tables still found ------------------

static void bad_madt(int code, const char *needle)
{
    madt_put(MADT_AT);
    put_table(TABLE_AT, "FACP", 0);
    put_root(ROOT_AT, false, (uint64_t[]){MADT_AT, TABLE_AT}, 2);
    put_rsdp(RSDP_AT, 0, ROOT_AT, 0);
    assert_one_problem(code, MADT_AT, needle);
    assert_false(info.madt.present);
    assert_int_equal(info.madt.cpu_count, 0);
    assert_int_equal(info.madt.lapic_addr, 0);
    assert_int_equal(info.table_count, 1);
    assert_string_equal(info.tables[0].sig, "FACP");
}

static void madt_shorter_than_44(void **state)
{
    madt_begin(0, 0);
    madt_len = 43;
    bad_madt(E_FORMAT, "length 43 is below its 44-byte fixed part");
}

static void entry_length_0(void **state)
{
    madt_begin(0, 0);
    madt_raw((const uint8_t[]){0x7F, 0}, 2);
    bad_madt(E_FORMAT, "entry at offset 0x2c runs past");
}

static void entry_length_1(void **state)
{
    madt_begin(0, 0);
    madt_raw((const uint8_t[]){0x7F, 1, 2},
             3); // read on by 1 byte, "type 1, length 2" would follow
    bad_madt(E_FORMAT, "entry at offset 0x2c runs past the table's 47 bytes or has length below 2");
}

static void entry_header_cut_by_table_end(void **state)
{
    madt_begin(0, 0);
    madt_lapic(0, 0, 1);
    madt_raw((const uint8_t[]){0}, 1); // one byte left: no room for a length
    bad_madt(E_FORMAT, "entry at offset 0x34 runs past");
}

static void entry_runs_past_table(void **state)
{
    madt_begin(0, 0);
    madt_lapic(0, 0, 1);
    madt_len -= 1;
    bad_madt(E_FORMAT, "entry at offset 0x2c runs past the table's 51 bytes");
}

static void entry_header_cut_at_memory_end(void **state)
{
    // The MADT ends where memory does, one byte of an entry left: its length byte is not read.
    madt_begin(0, 0);
    madt_raw((const uint8_t[]){0x7F}, 1);
    uint64_t at_end = ARENA_SIZE - madt_len;
    madt_put(at_end);
    put_root(ROOT_AT, false, (uint64_t[]){at_end}, 1);
    put_rsdp(RSDP_AT, 0, ROOT_AT, 0);
    assert_one_problem(E_FORMAT, at_end, "entry at offset 0x2c runs past the table's 45 bytes");
}

static void only_apic_is_the_madt(void **state)
{
    put_table(TABLE_AT, "AEST", 0); // sorts before "APIC"
    put_table(TABLE_AT + 0x1000, "APIX", 0);
    put_root(ROOT_AT, false, (uint64_t[]){TABLE_AT, TABLE_AT + 0x1000}, 2);
    put_rsdp(RSDP_AT, 0, ROOT_AT, 0);
    assert_int_equal(acpi_parse(&info, RSDP_AT), 0);
    assert_int_equal(info.problem_count, 0);
    assert_int_equal(info.table_count, 2);
    assert_false(info.madt.present);
}

static void entry_ends_at_table_end(void **state)
{
    madt_begin(0, 0);
    madt_raw((const uint8_t[]){0x7F, 2}, 2);
    put_madt_only();
    parse_ok();
}

// An entry one byte shorter than its type's size.
#define SHORT_ENTRY(name, type, min, less)                                                         \
    static void name(void **state)                                                                 \
    {                                                                                              \
        madt_begin(0, 0);                                                                          \
        uint8_t e[16] = {type, less};                                                              \
        madt_raw(e, less);                                                                         \
        bad_madt(E_FORMAT,                                                                         \
                 "entry type " #type " at offset 0x2c has length " #less ", below " #min);         \
    }
SHORT_ENTRY(short_lapic, 0, 8, 7)
SHORT_ENTRY(short_ioapic, 1, 12, 11)
SHORT_ENTRY(short_override, 2, 10, 9)
SHORT_ENTRY(short_nmi_source, 3, 8, 7)
SHORT_ENTRY(short_lapic_nmi, 4, 6, 5)
SHORT_ENTRY(short_lapic_override, 5, 12, 11)
SHORT_ENTRY(short_x2apic, 9, 16, 15)
SHORT_ENTRY(short_x2apic_nmi, 10, 12, 11)

static void second_lapic_address_override(void **state)
{
    madt_begin(0, 0);
    madt_lapic_addr(1);
    madt_lapic_addr(2);
    bad_madt(E_FORMAT, "a second local APIC address override at offset 0x38");
}

static void override_reserved_polarity(void **state)
{
    madt_begin(0, 0);
    madt_override(0, 2, 2);
    bad_madt(E_FORMAT, "reserved flags 0x2");
}

static void override_reserved_trigger(void **state)
{
    madt_begin(0, 0);
    madt_override(0, 2, 8);
    bad_madt(E_FORMAT, "reserved flags 0x8");
}

static void override_repeated_irq(void **state)
{
    madt_begin(0, 0);
    madt_override(9, 9, 0);
    madt_override(1, 1, 0);
    madt_override(9, 3, 0);
    bad_madt(E_FORMAT, "repeats IRQ 9");
}

static void overrides_in_any_order(void **state)
{
    madt_begin(0, 0);
    madt_override(9, 20, 0);
    madt_override(0, 2, 0);
    madt_override(4, 21, 0);
    put_madt_only();
    parse_ok();
    assert_int_equal(info.madt.override_count, 3);
    assert_route(0, 2, false, false);
    assert_route(4, 21, false, false);
    assert_route(9, 20, false, false);
}

static void second_madt_is_ignored(void **state)
{
    madt_qemu(1);
    madt_put(MADT_AT);
    madt_begin(0x12345000u, 0);
    madt_put(TABLE_AT);
    put_root(ROOT_AT, false, (uint64_t[]){MADT_AT, TABLE_AT}, 2);
    put_rsdp(RSDP_AT, 0, ROOT_AT, 0);
    assert_one_problem(E_FORMAT, TABLE_AT, "a second MADT");
    assert_int_equal(info.madt.lapic_addr, 0xFEE00000u);
    assert_int_equal(info.table_count, 1);
}

static void bad_madt_then_good_one(void **state)
{
    madt_begin(0, 0);
    madt_lapic_addr(1);
    madt_lapic_addr(2);
    madt_put(MADT_AT);
    madt_qemu(1);
    madt_put(TABLE_AT);
    put_root(ROOT_AT, false, (uint64_t[]){MADT_AT, TABLE_AT}, 2);
    put_rsdp(RSDP_AT, 0, ROOT_AT, 0);
    assert_one_problem(E_FORMAT, MADT_AT, "second local APIC");
    assert_true(info.madt.present);
    assert_int_equal(info.madt.phys, TABLE_AT);
}

// ---- capacities ------------------------------------------------------------------------------

static void cpus_at_capacity(void **state)
{
    madt_begin(0, 0);
    for (uint32_t i = 0; i < ACPI_CPUS_MAX; i++)
        madt_x2apic(i, ACPI_CPU_ENABLED, i);
    madt_lapic(0, 0, 0); // unusable: not counted against the capacity
    put_madt_only();
    parse_ok();
    assert_int_equal(info.madt.cpu_count, ACPI_CPUS_MAX);
    assert_int_equal(info.madt.cpus[ACPI_CPUS_MAX - 1].apic_id, ACPI_CPUS_MAX - 1);
}

static void cpus_over_capacity(void **state)
{
    madt_begin(0, 0);
    for (uint32_t i = 0; i <= ACPI_CPUS_MAX; i++)
        madt_lapic((uint8_t)i, (uint8_t)i, ACPI_CPU_ENABLED);
    bad_madt(E_TOOBIG, "more than 64 processors");
}

static void ioapics_at_capacity(void **state)
{
    madt_begin(0, 0);
    for (uint8_t i = 0; i < ACPI_IOAPICS_MAX; i++)
        madt_ioapic(i, 0xFEC00000u + i * 0x1000u, i * 24u);
    put_madt_only();
    parse_ok();
    assert_int_equal(info.madt.ioapic_count, ACPI_IOAPICS_MAX);
    assert_int_equal(info.madt.ioapics[ACPI_IOAPICS_MAX - 1].gsi_base, 24 * (ACPI_IOAPICS_MAX - 1));
}

static void ioapics_over_capacity(void **state)
{
    madt_begin(0, 0);
    for (uint8_t i = 0; i <= ACPI_IOAPICS_MAX; i++)
        madt_ioapic(i, 0xFEC00000u, 0);
    bad_madt(E_TOOBIG, "more than 8 I/O APICs");
}

static void overrides_at_capacity(void **state)
{
    madt_begin(0, 0);
    for (uint8_t i = 0; i < ACPI_OVERRIDES_MAX; i++)
        madt_override(i, 16u + i, 0);
    put_madt_only();
    parse_ok();
    assert_int_equal(info.madt.override_count, ACPI_OVERRIDES_MAX);
    assert_route(15, 31, false, false);
}

static void overrides_over_capacity(void **state)
{
    madt_begin(0, 0);
    for (uint8_t i = 0; i <= ACPI_OVERRIDES_MAX; i++)
        madt_override(i, i, 0);
    bad_madt(E_TOOBIG, "more than 16 interrupt source overrides");
}

static void nmis_at_capacity(void **state)
{
    madt_begin(0, 0);
    for (uint8_t i = 0; i < ACPI_NMIS_MAX; i++)
        madt_lapic_nmi(i, 0, 1);
    put_madt_only();
    parse_ok();
    assert_int_equal(info.madt.nmi_count, ACPI_NMIS_MAX);
}

static void nmis_over_capacity(void **state)
{
    madt_begin(0, 0);
    for (uint8_t i = 0; i < ACPI_NMIS_MAX; i++)
        madt_nmi_source(0, i);
    madt_x2apic_nmi(0, ACPI_UID_ALL, 1);
    bad_madt(E_TOOBIG, "more than 16 NMI entries");
}

// ---- acpi_isa_irq ------------------------------------------------------------------------------

static void isa_irq_above_15(void **state)
{
    struct acpi_madt m = {0};
    uint32_t gsi = 99;
    bool low = false, level = false;
    assert_int_equal(acpi_isa_irq(&m, 16, &gsi, &low, &level), E_INVAL);
    assert_int_equal(gsi, 99);
    assert_int_equal(acpi_isa_irq(&m, 15, &gsi, &low, &level), 0);
    assert_int_equal(gsi, 15);
}

static void isa_irq_explicit_high_edge(void **state)
{
    madt_begin(0, 0);
    madt_override(3, 30, ACPI_INTI_ACTIVE_HIGH | ACPI_INTI_EDGE);
    madt_override(4, 31, ACPI_INTI_ACTIVE_LOW);
    madt_override(5, 32, ACPI_INTI_LEVEL);
    put_madt_only();
    parse_ok();
    assert_route(3, 30, false, false);
    assert_route(4, 31, true, false);
    assert_route(5, 32, false, true);
}

static void isa_irq_null_arguments(void **state)
{
    struct acpi_madt m = {0};
    uint32_t gsi;
    bool b;
    expect_assert_failure(acpi_isa_irq(NULL, 0, &gsi, &b, &b));
    expect_assert_failure(acpi_isa_irq(&m, 0, NULL, &b, &b));
    expect_assert_failure(acpi_isa_irq(&m, 0, &gsi, NULL, &b));
    expect_assert_failure(acpi_isa_irq(&m, 0, &gsi, &b, NULL));
    expect_assert_failure(acpi_parse(NULL, 0));
    expect_assert_failure(acpi_find_rsdp(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
        T(qemu_pc),
        T(qemu_q35_smp4),
        T(qemu_q35_uefi_xsdt),
        T(every_entry_type),
        T(longer_entries_are_read_by_their_known_part),
        T(unusable_cpus_are_counted_not_listed),
        T(empty_madt),
        T(madt_shorter_than_44),
        T(entry_length_0),
        T(entry_length_1),
        T(entry_header_cut_by_table_end),
        T(entry_runs_past_table),
        T(entry_header_cut_at_memory_end),
        T(only_apic_is_the_madt),
        T(entry_ends_at_table_end),
        T(short_lapic),
        T(short_ioapic),
        T(short_override),
        T(short_nmi_source),
        T(short_lapic_nmi),
        T(short_lapic_override),
        T(short_x2apic),
        T(short_x2apic_nmi),
        T(second_lapic_address_override),
        T(override_reserved_polarity),
        T(override_reserved_trigger),
        T(override_repeated_irq),
        T(overrides_in_any_order),
        T(second_madt_is_ignored),
        T(bad_madt_then_good_one),
        T(cpus_at_capacity),
        T(cpus_over_capacity),
        T(ioapics_at_capacity),
        T(ioapics_over_capacity),
        T(overrides_at_capacity),
        T(overrides_over_capacity),
        T(nmis_at_capacity),
        T(nmis_over_capacity),
        T(isa_irq_above_15),
        T(isa_irq_explicit_high_edge),
        T(isa_irq_null_arguments),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
