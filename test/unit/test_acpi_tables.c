// core/acpi: the root table (RSDT/XSDT) and the tables it lists: every length, checksum and
// reachability failure of the root fails the parse; of a listed table it is a problem, the table
// skipped and the others still found.
#include "test/unit/acpi_test.h"

static void put_listing(bool xsdt, const uint64_t *t, size_t n)
{
    put_root(ROOT_AT, xsdt, t, n);
    if (xsdt)
        put_rsdp(RSDP_AT, 2, 0, ROOT_AT);
    else
        put_rsdp(RSDP_AT, 0, ROOT_AT, 0);
}

static void lists_tables_in_order(void **state)
{
    put_table(TABLE_AT, "FACP", 80);
    put_table(TABLE_AT + 0x1000, "HPET", 20);
    uint64_t t[] = {TABLE_AT, TABLE_AT + 0x1000};
    put_listing(false, t, 2);
    assert_int_equal(acpi_parse(&info, RSDP_AT), 0);
    assert_int_equal(info.table_count, 2);
    assert_string_equal(info.tables[0].sig, "FACP");
    assert_int_equal(info.tables[0].phys, TABLE_AT);
    assert_int_equal(info.tables[0].length, 116);
    assert_string_equal(info.tables[1].sig, "HPET");
    assert_int_equal(info.problem_count, 0);
    assert_false(info.madt.present);
}

static void xsdt_entries_are_64_bit(void **state)
{
    put_table(TABLE_AT, "FACP", 0);
    uint64_t t[] = {TABLE_AT, FAR_AWAY * 0x100ull};
    put_listing(true, t, 2);
    assert_one_problem(E_RANGE, FAR_AWAY * 0x100ull, "header is not reachable");
    assert_int_equal(info.table_count, 1);
    assert_int_equal(info.tables[0].phys, TABLE_AT);
}

static void root_address_0(void **state)
{
    put_rsdp(RSDP_AT, 0, 0, 0);
    assert_parse_fails(E_FORMAT, "gives RSDT address 0");
}

static void root_header_unreachable(void **state)
{
    put_rsdp(RSDP_AT, 0, FAR_AWAY, 0);
    assert_parse_fails(E_RANGE, "RSDT: table at 0x20000000: its header is not reachable");
}

static void root_length_below_36(void **state)
{
    put_listing(false, NULL, 0);
    put32(ROOT_AT + 4, 35);
    fix_sum(ROOT_AT, 35, 9);
    assert_parse_fails(E_FORMAT, "has length 0x23");
}

static void root_length_above_max(void **state)
{
    put_listing(false, NULL, 0);
    put32(ROOT_AT + 4, ACPI_TABLE_MAX_SIZE + 1);
    assert_parse_fails(E_FORMAT, "outside 36..0x100000");
}

static void root_length_unreachable(void **state)
{
    uint64_t root = ARENA_SIZE - 0x100;
    put_root(root, false, NULL, 0);
    put32(root + 4, 0x104); // 4 bytes past the end of memory
    put_rsdp(RSDP_AT, 0, (uint32_t)root, 0);
    assert_parse_fails(E_RANGE, "its 0x104 bytes are not reachable");
}

static void root_length_reaching_memory_end_is_fine(void **state)
{
    uint64_t root = ARENA_SIZE - 40;
    put_root(root, false, (uint64_t[]){TABLE_AT}, 1);
    put_table(TABLE_AT, "SSDT", 0);
    put_rsdp(RSDP_AT, 0, (uint32_t)root, 0);
    assert_int_equal(acpi_parse(&info, RSDP_AT), 0);
    assert_int_equal(info.table_count, 1);
}

static void root_bad_checksum(void **state)
{
    put_listing(false, NULL, 0);
    at(ROOT_AT)[9]++;
    assert_parse_fails(E_FORMAT, "RSDT: table RSDT at 0x100000: bad checksum");
}

static void root_bad_signature(void **state)
{
    put_listing(false, NULL, 0);
    put_header(ROOT_AT, "XSDT", 36); // an XSDT where the RSDP points to an RSDT
    assert_parse_fails(E_FORMAT, "the RSDT at 0x100000 has signature XSDT");
}

static void root_signature_differs_in_its_last_byte(void **state)
{
    put_listing(false, NULL, 0);
    put_header(ROOT_AT, "RSDX", 36);
    assert_parse_fails(E_FORMAT, "has signature RSDX");
}

static void xsdt_bad_signature(void **state)
{
    put_listing(true, NULL, 0);
    put_header(ROOT_AT, "RSDT", 36);
    assert_parse_fails(E_FORMAT, "the XSDT at 0x100000 has signature RSDT");
}

static void rsdt_partial_entry(void **state)
{
    put_listing(false, NULL, 0);
    put_header(ROOT_AT, "RSDT", 39);
    assert_parse_fails(E_FORMAT, "not whole 4-byte entries");
}

static void xsdt_partial_entry(void **state)
{
    put_listing(true, NULL, 0);
    put_header(ROOT_AT, "XSDT", 36 + 12);
    assert_parse_fails(E_FORMAT, "not whole 8-byte entries");
}

static void root_at_capacity(void **state)
{
    uint64_t t[ACPI_TABLES_MAX];
    for (size_t i = 0; i < ACPI_TABLES_MAX; i++)
        t[i] = TABLE_AT + i * 0x40;
    for (size_t i = 0; i < ACPI_TABLES_MAX; i++)
        put_table(t[i], "SSDT", 0);
    put_listing(false, t, ACPI_TABLES_MAX);
    assert_int_equal(acpi_parse(&info, RSDP_AT), 0);
    assert_int_equal(info.table_count, ACPI_TABLES_MAX);
    assert_int_equal(info.tables[ACPI_TABLES_MAX - 1].phys, t[ACPI_TABLES_MAX - 1]);
}

static void root_over_capacity(void **state)
{
    uint64_t t[ACPI_TABLES_MAX + 1];
    for (size_t i = 0; i <= ACPI_TABLES_MAX; i++)
        t[i] = TABLE_AT;
    put_table(TABLE_AT, "SSDT", 0);
    put_listing(false, t, ACPI_TABLES_MAX + 1);
    assert_parse_fails(E_TOOBIG, "lists 65 tables; at most 64");
}

// ---- tables the root lists: each bad one a problem, the rest still found ---------------------

static void listed_with(uint64_t bad)
{
    put_table(TABLE_AT, "FACP", 0);
    put_table(TABLE_AT + 0x2000, "WAET", 4);
    put_listing(false, (uint64_t[]){TABLE_AT, bad, TABLE_AT + 0x2000}, 3);
}

static void assert_others_found(void)
{
    assert_int_equal(info.table_count, 2);
    assert_string_equal(info.tables[0].sig, "FACP");
    assert_string_equal(info.tables[1].sig, "WAET");
}

static void table_address_0(void **state)
{
    listed_with(0);
    assert_one_problem(E_FORMAT, 0, "RSDT entry 1 is address 0");
    assert_others_found();
}

static void xsdt_table_address_0(void **state)
{
    put_table(TABLE_AT, "FACP", 0);
    put_listing(true, (uint64_t[]){0, TABLE_AT}, 2);
    assert_one_problem(E_FORMAT, 0, "XSDT entry 0 is address 0");
    assert_int_equal(info.table_count, 1);
}

static void table_header_unreachable(void **state)
{
    listed_with(FAR_AWAY);
    assert_one_problem(E_RANGE, FAR_AWAY, "header is not reachable");
    assert_others_found();
}

static void table_header_partly_unreachable(void **state)
{
    listed_with(ARENA_SIZE - 35);
    assert_one_problem(E_RANGE, ARENA_SIZE - 35, "header is not reachable");
    assert_others_found();
}

static void table_length_below_36(void **state)
{
    put_table(TABLE_AT + 0x1000, "HPET", 0);
    put32(TABLE_AT + 0x1000 + 4, 35);
    listed_with(TABLE_AT + 0x1000);
    assert_one_problem(E_FORMAT, TABLE_AT + 0x1000, "table HPET at 0x103000 has length 0x23");
    assert_others_found();
}

static void table_length_above_max(void **state)
{
    put_table(TABLE_AT + 0x1000, "DSDT", 0);
    put32(TABLE_AT + 0x1000 + 4, ACPI_TABLE_MAX_SIZE + 1);
    listed_with(TABLE_AT + 0x1000);
    assert_one_problem(E_FORMAT, TABLE_AT + 0x1000, "outside 36..0x100000");
    assert_others_found();
}

static void table_length_max_is_accepted(void **state)
{
    // A table of exactly ACPI_TABLE_MAX_SIZE bytes, all reachable.
    uint64_t big = 0x1000; // up to 0x101000, the root and RSDP above it
    memset(at(big), 0, ACPI_TABLE_MAX_SIZE);
    put_header(big, "DSDT", ACPI_TABLE_MAX_SIZE);
    put_root(ARENA_SIZE - 40, false, (uint64_t[]){big}, 1);
    put_rsdp(ARENA_SIZE - 0x100, 0, ARENA_SIZE - 40, 0);
    assert_int_equal(acpi_parse(&info, ARENA_SIZE - 0x100), 0);
    assert_int_equal(info.problem_count, 0);
    assert_int_equal(info.tables[0].length, ACPI_TABLE_MAX_SIZE);
}

static void table_length_unreachable(void **state)
{
    uint64_t t = ARENA_SIZE - 0x100;
    put_table(t, "SSDT", 0);
    put32(t + 4, 0x101);
    listed_with(t);
    assert_one_problem(E_RANGE, t, "its 0x101 bytes are not reachable");
    assert_others_found();
}

static void table_bad_checksum(void **state)
{
    put_table(TABLE_AT + 0x1000, "HPET", 20);
    at(TABLE_AT + 0x1000 + 40)[0] ^= 1;
    listed_with(TABLE_AT + 0x1000);
    assert_one_problem(E_FORMAT, TABLE_AT + 0x1000, "table HPET at 0x103000: bad checksum");
    assert_others_found();
}

static void problems_past_capacity_are_counted(void **state)
{
    uint64_t t[ACPI_PROBLEMS_MAX + 3];
    for (size_t i = 0; i < ACPI_PROBLEMS_MAX + 3; i++)
        t[i] = FAR_AWAY + i;
    put_listing(true, t, ACPI_PROBLEMS_MAX + 3);
    assert_int_equal(acpi_parse(&info, RSDP_AT), 0);
    assert_int_equal(info.problem_count, ACPI_PROBLEMS_MAX);
    assert_int_equal(info.problems_dropped, 3);
    assert_int_equal(info.problems[ACPI_PROBLEMS_MAX - 1].phys, FAR_AWAY + ACPI_PROBLEMS_MAX - 1);
    assert_int_equal(info.table_count, 0);
}

static void problems_at_capacity(void **state)
{
    uint64_t t[ACPI_PROBLEMS_MAX];
    for (size_t i = 0; i < ACPI_PROBLEMS_MAX; i++)
        t[i] = FAR_AWAY + i;
    put_listing(true, t, ACPI_PROBLEMS_MAX);
    assert_int_equal(acpi_parse(&info, RSDP_AT), 0);
    assert_int_equal(info.problem_count, ACPI_PROBLEMS_MAX);
    assert_int_equal(info.problems_dropped, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
        T(lists_tables_in_order),
        T(xsdt_entries_are_64_bit),
        T(root_address_0),
        T(root_header_unreachable),
        T(root_length_below_36),
        T(root_length_above_max),
        T(root_length_unreachable),
        T(root_length_reaching_memory_end_is_fine),
        T(root_bad_checksum),
        T(root_bad_signature),
        T(root_signature_differs_in_its_last_byte),
        T(xsdt_bad_signature),
        T(rsdt_partial_entry),
        T(xsdt_partial_entry),
        T(root_at_capacity),
        T(root_over_capacity),
        T(table_address_0),
        T(xsdt_table_address_0),
        T(table_header_unreachable),
        T(table_header_partly_unreachable),
        T(table_length_below_36),
        T(table_length_above_max),
        T(table_length_max_is_accepted),
        T(table_length_unreachable),
        T(table_bad_checksum),
        T(problems_past_capacity_are_counted),
        T(problems_at_capacity),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
