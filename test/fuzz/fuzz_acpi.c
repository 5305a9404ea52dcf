// libFuzzer target for core/acpi. The input becomes "physical memory" at FUZZ_BASE (exactly its
// size, so AddressSanitizer sees any read past it), with an RSDP expected at its start; root and
// listed tables point back into the input (addresses FUZZ_BASE + offset, as the seed generator
// writes them). FUZZ_BASE is the start of the BIOS ROM area, so acpi_find_rsdp scans the input
// too. Every result must satisfy core/acpi.h's contract.
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/acpi.h"
#include "core/err.h"
#include "platform/host/mock_hw.h"
#include "test/fuzz/fuzz_check.h"

#define FUZZ_BASE 0xE0000u

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t *input;
static size_t input_size;

// Whether [phys, phys + len) lies inside the input.
static bool inside(uint64_t phys, uint64_t len)
{
    return phys >= FUZZ_BASE && len <= input_size && phys - FUZZ_BASE <= input_size - len;
}

static bool terminated(const char *s, size_t cap)
{
    return memchr(s, '\0', cap) != NULL;
}

static void check_madt(const struct acpi_info *in)
{
    const struct acpi_madt *m = &in->madt;
    if (!m->present) {
        CHECK(m->cpu_count + m->ioapic_count + m->override_count + m->nmi_count == 0 &&
                  m->lapic_addr == 0 && m->phys == 0,
              "an absent MADT left fields set");
        return;
    }
    bool listed = false;
    for (size_t i = 0; i < in->table_count; i++)
        listed |= in->tables[i].phys == m->phys && strcmp(in->tables[i].sig, "APIC") == 0;
    CHECK(listed, "the MADT at %#llx is not among the tables", (unsigned long long)m->phys);
    CHECK(m->cpu_count <= ACPI_CPUS_MAX && m->ioapic_count <= ACPI_IOAPICS_MAX &&
              m->override_count <= ACPI_OVERRIDES_MAX && m->nmi_count <= ACPI_NMIS_MAX,
          "a count over its capacity");
    for (size_t i = 0; i < m->cpu_count; i++)
        CHECK(m->cpus[i].flags & (ACPI_CPU_ENABLED | ACPI_CPU_ONLINE_CAPABLE),
              "unusable cpu %zu listed", i);
    for (size_t i = 0; i < m->override_count; i++) {
        CHECK((m->overrides[i].flags & 3) != 2 && (m->overrides[i].flags & 0xC) != 8,
              "override %zu has reserved flags", i);
        for (size_t j = 0; j < i; j++)
            CHECK(m->overrides[i].irq != m->overrides[j].irq, "IRQ overridden twice");
    }
    for (uint8_t irq = 0; irq < 16; irq++) {
        uint32_t gsi = 0, want = irq;
        bool low, level;
        CHECK(acpi_isa_irq(m, irq, &gsi, &low, &level) == 0, "irq %u not routed", irq);
        for (size_t i = 0; i < m->override_count; i++)
            if (m->overrides[i].irq == irq)
                want = m->overrides[i].gsi;
        CHECK(gsi == want, "irq %u routed to %u, not %u", irq, gsi, want);
    }
    uint32_t gsi;
    bool b;
    CHECK(acpi_isa_irq(m, 16, &gsi, &b, &b) == E_INVAL, "irq 16 accepted");
}

static void check_success(const struct acpi_info *in)
{
    CHECK(in->error[0] == '\0', "success with an error: %s", in->error);
    CHECK(in->root_phys != 0 && inside(in->root_phys, ACPI_HEADER_SIZE), "root outside");
    CHECK(in->table_count <= ACPI_TABLES_MAX, "too many tables");
    for (size_t i = 0; i < in->table_count; i++) {
        const struct acpi_table *t = &in->tables[i];
        CHECK(t->length >= ACPI_HEADER_SIZE && t->length <= ACPI_TABLE_MAX_SIZE, "table length");
        CHECK(inside(t->phys, t->length), "table %zu outside the input", i);
        const uint8_t *p = input + (t->phys - FUZZ_BASE);
        uint8_t s = 0;
        for (uint32_t k = 0; k < t->length; k++)
            s = (uint8_t)(s + p[k]);
        CHECK(s == 0 && memcmp(p, t->sig, 4) == 0 && t->sig[4] == '\0', "table %zu not as read", i);
    }
    CHECK(in->problem_count <= ACPI_PROBLEMS_MAX, "too many problems");
    CHECK(in->problems_dropped == 0 || in->problem_count == ACPI_PROBLEMS_MAX, "dropped early");
    for (size_t i = 0; i < in->problem_count; i++)
        CHECK(in->problems[i].code < 0 && in->problems[i].code >= E_HUGE &&
                  terminated(in->problems[i].msg, ACPI_MSG_MAX) && in->problems[i].msg[0] != '\0',
              "problem %zu", i);
    check_madt(in);
}

static void check_failure(const struct acpi_info *in, int rc)
{
    CHECK(rc < 0 && rc >= E_HUGE, "rc %d", rc);
    CHECK(in->error[0] != '\0', "failure without a message");
    CHECK(in->root_phys == 0 && in->table_count == 0 && in->problem_count == 0 &&
              !in->madt.present && in->madt.cpu_count == 0 && in->revision == 0,
          "a failed parse left fields set");
}

static void check_scan(void)
{
    uint64_t phys = 0;
    int rc = acpi_find_rsdp(&phys);
    // The EBDA pointer at 0x40E is not reachable, so only the ROM area counts: the first valid slot.
    uint64_t first = 0;
    for (uint64_t a = FUZZ_BASE; a < FUZZ_BASE + input_size && first == 0; a += ACPI_RSDP_ALIGN)
        if (acpi_check_rsdp(a, NULL, 0) == 0)
            first = a;
    if (first == 0)
        CHECK(rc == E_NOENT, "found %#llx where no slot is valid", (unsigned long long)phys);
    else
        CHECK(rc == 0 && phys == first && inside(phys, ACPI_RSDP_V1_SIZE),
              "scan found %#llx, not %#llx", (unsigned long long)phys, (unsigned long long)first);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    input = data;
    input_size = size;
    if (size == 0)
        mock_hw_reset(); // no memory at all
    else
        memcpy(mock_phys_arena(FUZZ_BASE, size), data, size);

    static struct acpi_info in;
    memset(&in, 0x5A, sizeof(in));
    int rc = acpi_parse(&in, FUZZ_BASE);
    CHECK(in.rsdp_phys == FUZZ_BASE && terminated(in.error, sizeof(in.error)) &&
              terminated(in.oem_id, sizeof(in.oem_id)),
          "strings or address");
    if (rc == 0)
        check_success(&in);
    else
        check_failure(&in, rc);
    // A bad RSDP is the parse's failure, with the same code.
    int rsdp = acpi_check_rsdp(FUZZ_BASE, NULL, 0);
    CHECK(rsdp == 0 || rc == rsdp, "a bad RSDP (%d) gave %d", rsdp, rc);
    check_scan();
    return 0;
}
