// Tests for core/lapic.c's inter-processor interrupts: the exact ICR traffic of INIT, SIPI and
// fixed IPIs (high half first, then low, then the delivery status polled), the poll's bound, the
// x2APIC's one 64-bit write, and an application processor's APIC setup with the MADT's NMI wiring,
// against a register file standing in for the APIC that logs every access.
#include "core/acpi.h"
#include "core/err.h"
#include "core/lapic.h"
#include "platform/host/mock_hw.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#define QEMU_VERSION 0x00050014u // QEMU's APIC: version 0x14, highest LVT entry 5 (thermal)
#define LOG_MAX      64

// The APIC's page as 32-bit registers; the ICR's delivery status reads pending `busy_reads`
// times after each ICR low write; every access logged in order.
struct access {
    char kind; // 'r', 'w', or 'x' (the x2APIC's 64-bit ICR write)
    uint32_t offset;
    uint64_t value;
};

static struct {
    uint32_t reg[0x400 / 4];
    uint32_t busy_reads, busy_left;
    struct access log[LOG_MAX];
    size_t n;
} rf;

static void log_access(char kind, uint32_t offset, uint64_t value)
{
    if (rf.n < LOG_MAX)
        rf.log[rf.n] = (struct access){kind, offset, value};
    rf.n++;
}

static uint32_t rf_read(void *ctx, uint32_t offset)
{
    (void)ctx;
    assert_true(offset % 16 == 0 && offset < 0x400);
    uint32_t v = rf.reg[offset / 4];
    if (offset == LAPIC_ICR_LOW && rf.busy_left > 0) {
        rf.busy_left--;
        v |= LAPIC_ICR_PENDING;
    }
    log_access('r', offset, v);
    return v;
}

static void rf_write(void *ctx, uint32_t offset, uint32_t value)
{
    (void)ctx;
    assert_true(offset % 16 == 0 && offset < 0x400);
    rf.reg[offset / 4] = value;
    if (offset == LAPIC_ICR_LOW)
        rf.busy_left = rf.busy_reads;
    log_access('w', offset, value);
}

static void rf_write_icr(void *ctx, uint64_t value)
{
    (void)ctx;
    log_access('x', 0x830, value);
}

static const struct lapic_io io = {rf_read, rf_write, NULL, NULL};
static const struct lapic_io x2io = {rf_read, rf_write, NULL, rf_write_icr};

static int setup(void **state)
{
    (void)state;
    mock_hw_reset();
    memset(&rf, 0, sizeof(rf));
    rf.reg[LAPIC_VERSION / 4] = QEMU_VERSION;
    return 0;
}

static void assert_log(const struct access *want, size_t n)
{
    assert_int_equal(rf.n, n);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(rf.log[i].kind, want[i].kind);
        assert_int_equal(rf.log[i].offset, want[i].offset);
        assert_int_equal(rf.log[i].value, want[i].value);
    }
}

static void init_writes_high_then_low_then_polls(void **state)
{
    (void)state;
    assert_int_equal(lapic_send_init(&io, 3), 0);
    const struct access want[] = {{'w', LAPIC_ICR_HIGH, 3u << 24},
                                  {'w', LAPIC_ICR_LOW, 0x4500},
                                  {'r', LAPIC_ICR_LOW, 0x4500}};
    assert_log(want, 3);
}

static void startup_names_the_page_number(void **state)
{
    (void)state;
    assert_int_equal(lapic_send_startup(&io, 0xff, 0x8000), 0);
    const struct access want[] = {{'w', LAPIC_ICR_HIGH, 0xffu << 24},
                                  {'w', LAPIC_ICR_LOW, 0x4608},
                                  {'r', LAPIC_ICR_LOW, 0x4608}};
    assert_log(want, 3);
}

static void startup_takes_the_last_page_below_1mib(void **state)
{
    (void)state;
    assert_int_equal(lapic_send_startup(&io, 1, 0xff000), 0);
    assert_int_equal(rf.log[1].value, 0x46ff);
}

static void startup_refuses_a_misaligned_or_high_page(void **state)
{
    (void)state;
    expect_assert_failure(lapic_send_startup(&io, 1, 0x8001));
    expect_assert_failure(lapic_send_startup(&io, 1, 0x8800));
    expect_assert_failure(lapic_send_startup(&io, 1, 0x100000));
    expect_assert_failure(lapic_send_startup(&io, 1, 0x200000));
    assert_int_equal(rf.n, 0);
}

static void fixed_sends_the_vector_asserted(void **state)
{
    (void)state;
    assert_int_equal(lapic_send_fixed(&io, 2, 0xf0), 0);
    const struct access want[] = {{'w', LAPIC_ICR_HIGH, 2u << 24},
                                  {'w', LAPIC_ICR_LOW, 0x40f0},
                                  {'r', LAPIC_ICR_LOW, 0x40f0}};
    assert_log(want, 3);
}

static void fixed_takes_vector_32_and_refuses_31(void **state)
{
    (void)state;
    assert_int_equal(lapic_send_fixed(&io, 0, 32), 0);
    assert_int_equal(rf.log[1].value, 0x4020);
    expect_assert_failure(lapic_send_fixed(&io, 0, 31));
}

static void send_polls_until_the_status_is_idle(void **state)
{
    (void)state;
    rf.busy_reads = 5;
    assert_int_equal(lapic_send_fixed(&io, 1, 0x40), 0);
    assert_int_equal(rf.n, 2 + 6); // two writes, five reads pending, one idle
    assert_int_equal(rf.log[6].value & LAPIC_ICR_PENDING, LAPIC_ICR_PENDING);
    assert_int_equal(rf.log[7].value & LAPIC_ICR_PENDING, 0);
}

static void send_succeeds_on_the_last_allowed_poll(void **state)
{
    (void)state;
    rf.busy_reads = LAPIC_ICR_POLLS - 1;
    assert_int_equal(lapic_send_init(&io, 1), 0);
    assert_int_equal(rf.n, 2 + LAPIC_ICR_POLLS);
}

static void send_gives_up_after_the_bound(void **state)
{
    (void)state;
    rf.busy_reads = LAPIC_ICR_POLLS;
    assert_int_equal(lapic_send_init(&io, 1), E_IO);
    assert_int_equal(rf.n, 2 + LAPIC_ICR_POLLS);
}

static void xapic_refuses_a_destination_above_255(void **state)
{
    (void)state;
    assert_int_equal(lapic_send_fixed(&io, 0x100, 0x40), E_RANGE);
    assert_int_equal(rf.n, 0);
    assert_int_equal(lapic_send_fixed(&io, 0xff, 0x40), 0);
}

static void x2apic_writes_one_64_bit_icr(void **state)
{
    (void)state;
    assert_int_equal(lapic_send_fixed(&x2io, 0x1234, 0x41), 0);
    const struct access want[] = {{'x', 0x830, 0x0000123400004041ull}};
    assert_log(want, 1);
}

static void read_id_takes_the_top_byte_of_an_xapic(void **state)
{
    (void)state;
    rf.reg[LAPIC_ID / 4] = 0x07ffffffu;
    assert_int_equal(lapic_read_id(&io), 7);
    assert_int_equal(lapic_read_id(&x2io), 0x07ffffffu);
}

// QEMU's MADT wiring: LINT1 of every processor is NMI, conforming (active high, edge).
static struct acpi_madt madt_with(uint8_t kind, uint32_t uid, uint8_t lint, uint16_t flags)
{
    struct acpi_madt m = {.present = true, .nmi_count = 1};
    m.nmis[0] = (struct acpi_nmi){.kind = kind, .lint = lint, .flags = flags, .uid = uid};
    return m;
}

static void ap_setup_enables_then_masks_then_wires_nmi(void **state)
{
    (void)state;
    struct acpi_madt m = madt_with(ACPI_NMI_LAPIC, ACPI_UID_ALL, 1, 0);
    lapic_setup_ap(&io, 0xff, &m, 2);
    const struct access want[] = {
        {'r', LAPIC_VERSION, QEMU_VERSION},
        {'w', LAPIC_TPR, 0},
        {'w', LAPIC_SVR, 0x1ff},
        {'w', LAPIC_LVT_TIMER, LAPIC_LVT_MASKED},
        {'w', LAPIC_LVT_ERROR, LAPIC_LVT_MASKED},
        {'w', LAPIC_LVT_PERF, LAPIC_LVT_MASKED},
        {'w', LAPIC_LVT_THERMAL, LAPIC_LVT_MASKED},
        {'w', LAPIC_LVT_LINT0, LAPIC_LVT_MASKED},
        {'w', LAPIC_LVT_LINT1, LAPIC_MODE_NMI},
    };
    assert_log(want, sizeof(want) / sizeof(want[0]));
}

static void ap_setup_masks_cmci_when_listed(void **state)
{
    (void)state;
    rf.reg[LAPIC_VERSION / 4] = 0x00060014u;
    lapic_setup_ap(&io, 0x40, NULL, 0);
    assert_int_equal(rf.reg[LAPIC_LVT_CMCI / 4], LAPIC_LVT_MASKED);
    assert_int_equal(rf.reg[LAPIC_SVR / 4], 0x140);
}

static void ap_setup_without_madt_masks_both_pins(void **state)
{
    (void)state;
    rf.reg[LAPIC_LVT_LINT0 / 4] = 0x700;
    rf.reg[LAPIC_LVT_LINT1 / 4] = 0x400;
    lapic_setup_ap(&io, 0xff, NULL, 0);
    assert_int_equal(rf.reg[LAPIC_LVT_LINT0 / 4], LAPIC_LVT_MASKED);
    assert_int_equal(rf.reg[LAPIC_LVT_LINT1 / 4], LAPIC_LVT_MASKED);
    assert_int_equal(rf.reg[LAPIC_TPR / 4], 0);
}

static void ap_setup_follows_its_own_uid_only(void **state)
{
    (void)state;
    struct acpi_madt m = madt_with(ACPI_NMI_LAPIC, 3, 0, 0);
    lapic_setup_ap(&io, 0xff, &m, 2);
    assert_int_equal(rf.reg[LAPIC_LVT_LINT0 / 4], LAPIC_LVT_MASKED);
    lapic_setup_ap(&io, 0xff, &m, 3);
    assert_int_equal(rf.reg[LAPIC_LVT_LINT0 / 4], LAPIC_MODE_NMI);
    assert_int_equal(rf.reg[LAPIC_LVT_LINT1 / 4], LAPIC_LVT_MASKED);
}

static void ap_setup_takes_x2apic_entries_and_active_low(void **state)
{
    (void)state;
    struct acpi_madt m = madt_with(ACPI_NMI_X2APIC, 9, 1, ACPI_INTI_ACTIVE_LOW | ACPI_INTI_LEVEL);
    lapic_setup_ap(&io, 0xff, &m, 9);
    assert_int_equal(rf.reg[LAPIC_LVT_LINT1 / 4], LAPIC_MODE_NMI | (1u << 13)); // never level
}

static void ap_setup_treats_active_high_as_high(void **state)
{
    (void)state;
    struct acpi_madt m = madt_with(ACPI_NMI_LAPIC, 1, 1, ACPI_INTI_ACTIVE_HIGH);
    lapic_setup_ap(&io, 0xff, &m, 1);
    assert_int_equal(rf.reg[LAPIC_LVT_LINT1 / 4], LAPIC_MODE_NMI);
}

static void ap_setup_ignores_nmi_sources(void **state)
{
    (void)state;
    struct acpi_madt m = madt_with(ACPI_NMI_SOURCE, ACPI_UID_ALL, 1, 0);
    lapic_setup_ap(&io, 0xff, &m, 0);
    assert_int_equal(rf.reg[LAPIC_LVT_LINT1 / 4], LAPIC_LVT_MASKED);
}

static void ap_setup_reads_every_nmi_entry(void **state)
{
    (void)state;
    struct acpi_madt m = madt_with(ACPI_NMI_LAPIC, 5, 0, 0);
    m.nmis[1] = (struct acpi_nmi){.kind = ACPI_NMI_LAPIC, .lint = 1, .uid = 4};
    m.nmi_count = 2;
    lapic_setup_ap(&io, 0xff, &m, 4);
    assert_int_equal(rf.reg[LAPIC_LVT_LINT0 / 4], LAPIC_LVT_MASKED);
    assert_int_equal(rf.reg[LAPIC_LVT_LINT1 / 4], LAPIC_MODE_NMI);
}

static void ap_setup_skips_another_uid_below_its_own(void **state)
{
    (void)state;
    struct acpi_madt m = madt_with(ACPI_NMI_LAPIC, 1, 1, 0);
    lapic_setup_ap(&io, 0xff, &m, 2);
    assert_int_equal(rf.reg[LAPIC_LVT_LINT1 / 4], LAPIC_LVT_MASKED);
}

static void ap_setup_takes_only_local_nmi_kinds(void **state)
{
    (void)state;
    const uint8_t others[] = {0, 1, 2, 5, 9, 11, 0xff};
    for (size_t i = 0; i < sizeof(others); i++) {
        struct acpi_madt m = madt_with(others[i], ACPI_UID_ALL, 1, 0);
        lapic_setup_ap(&io, 0xff, &m, 0);
        assert_int_equal(rf.reg[LAPIC_LVT_LINT1 / 4], LAPIC_LVT_MASKED);
    }
}

static void ap_setup_reads_no_entry_past_the_count(void **state)
{
    (void)state;
    struct acpi_madt m = madt_with(ACPI_NMI_LAPIC, 0, 0, 0);
    m.nmi_count = 0;
    lapic_setup_ap(&io, 0xff, &m, 0);
    assert_int_equal(rf.reg[LAPIC_LVT_LINT0 / 4], LAPIC_LVT_MASKED);
}

static void ap_setup_takes_vector_32(void **state)
{
    (void)state;
    lapic_setup_ap(&io, 32, NULL, 0);
    assert_int_equal(rf.reg[LAPIC_SVR / 4], 0x120);
}

static void null_io_is_a_caller_bug(void **state)
{
    (void)state;
    expect_assert_failure(lapic_send_ipi(NULL, 0, 0x4500));
    expect_assert_failure(lapic_send_init(NULL, 0));
    expect_assert_failure(lapic_send_startup(NULL, 0, 0x8000));
    expect_assert_failure(lapic_send_fixed(NULL, 0, 0x40));
    expect_assert_failure(lapic_eoi(NULL));
    expect_assert_failure(lapic_read_id(NULL));
    expect_assert_failure(lapic_setup_ap(NULL, 0xff, NULL, 0));
}

static void ap_setup_refuses_an_exception_vector(void **state)
{
    (void)state;
    expect_assert_failure(lapic_setup_ap(&io, 31, NULL, 0));
    assert_int_equal(rf.n, 0);
}

#define T(name) cmocka_unit_test_setup(name, setup)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(init_writes_high_then_low_then_polls),
        T(startup_names_the_page_number),
        T(startup_takes_the_last_page_below_1mib),
        T(startup_refuses_a_misaligned_or_high_page),
        T(fixed_sends_the_vector_asserted),
        T(fixed_takes_vector_32_and_refuses_31),
        T(send_polls_until_the_status_is_idle),
        T(send_succeeds_on_the_last_allowed_poll),
        T(send_gives_up_after_the_bound),
        T(xapic_refuses_a_destination_above_255),
        T(x2apic_writes_one_64_bit_icr),
        T(read_id_takes_the_top_byte_of_an_xapic),
        T(ap_setup_enables_then_masks_then_wires_nmi),
        T(ap_setup_masks_cmci_when_listed),
        T(ap_setup_without_madt_masks_both_pins),
        T(ap_setup_follows_its_own_uid_only),
        T(ap_setup_takes_x2apic_entries_and_active_low),
        T(ap_setup_treats_active_high_as_high),
        T(ap_setup_ignores_nmi_sources),
        T(ap_setup_reads_every_nmi_entry),
        T(ap_setup_skips_another_uid_below_its_own),
        T(ap_setup_takes_only_local_nmi_kinds),
        T(ap_setup_reads_no_entry_past_the_count),
        T(ap_setup_takes_vector_32),
        T(null_io_is_a_caller_bug),
        T(ap_setup_refuses_an_exception_vector),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
