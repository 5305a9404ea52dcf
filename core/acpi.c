// ACPI table parser (the rules and errors are listed in core/acpi.h).
//
// RSDP (ACPI 6.5, 5.2.5.3): "RSD PTR " at 0, checksum 8, OEM id 9..14, revision 15, RSDT address
// (u32) 16; from revision 2: length (u32) 20, XSDT address (u64) 24, extended checksum 32.
// Table header (5.2.6): signature 0..3, length (u32) 4, revision 8, checksum 9, then OEM fields up
// to byte 36. A table's bytes, its header included, sum to 0 (mod 256).
#include "core/acpi.h"
#include "core/err.h"
#include "core/fmt.h"
#include "core/hw.h"
#include "core/le.h"
#include "core/panic.h"
#include "core/string.h"

#include <stdarg.h>

#define RSDP_CHECKSUM_V1 20
#define RSDP_REVISION    15
#define RSDP_RSDT        16
#define RSDP_LENGTH      20
#define RSDP_XSDT        24

#define MADT_LAPIC          0
#define MADT_IOAPIC         1
#define MADT_OVERRIDE       2
#define MADT_NMI_SOURCE     3
#define MADT_LAPIC_NMI      4
#define MADT_LAPIC_OVERRIDE 5
#define MADT_X2APIC         9
#define MADT_X2APIC_NMI     10

static uint8_t sum(const uint8_t *p, size_t n)
{
    uint8_t s = 0;
    for (size_t i = 0; i < n; i++)
        s = (uint8_t)(s + p[i]);
    return s;
}

static void say(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void say(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fmt_vsnprintf(buf, size, fmt, ap);
    va_end(ap);
}

int acpi_check_rsdp(uint64_t phys, char *err, size_t err_size)
{
    const uint8_t *p = hw_phys_to_virt(phys, RSDP_CHECKSUM_V1);
    if (p == NULL) {
        say(err, err_size, "acpi: RSDP at %#llx is not reachable", (unsigned long long)phys);
        return E_RANGE;
    }
    if (memcmp(p, "RSD PTR ", 8) != 0) {
        say(err, err_size, "acpi: no RSDP signature at %#llx", (unsigned long long)phys);
        return E_FORMAT;
    }
    if (sum(p, RSDP_CHECKSUM_V1) != 0) {
        say(err, err_size, "acpi: RSDP at %#llx: bad checksum over its first 20 bytes",
            (unsigned long long)phys);
        return E_FORMAT;
    }
    if (p[RSDP_REVISION] < 2)
        return 0;
    // The length field lies past the 20 bytes checked so far.
    p = hw_phys_to_virt(phys, ACPI_RSDP_V2_SIZE);
    if (p == NULL) {
        say(err, err_size, "acpi: RSDP at %#llx (revision %u) is not reachable",
            (unsigned long long)phys, 2u);
        return E_RANGE;
    }
    uint32_t len = le_load32(p + RSDP_LENGTH);
    if (len < ACPI_RSDP_V2_SIZE) {
        say(err, err_size, "acpi: RSDP at %#llx has length %u, below %u", (unsigned long long)phys,
            len, ACPI_RSDP_V2_SIZE);
        return E_FORMAT;
    }
    p = hw_phys_to_virt(phys, len);
    if (p == NULL) {
        say(err, err_size, "acpi: RSDP at %#llx: its %u bytes are not reachable",
            (unsigned long long)phys, len);
        return E_RANGE;
    }
    if (sum(p, len) != 0) {
        say(err, err_size, "acpi: RSDP at %#llx: bad extended checksum over %u bytes",
            (unsigned long long)phys, len);
        return E_FORMAT;
    }
    return 0;
}

// The first valid RSDP in [base, end) on 16-byte boundaries, or 0 when none.
static uint64_t scan(uint64_t base, uint64_t end)
{
    for (uint64_t a = base; a < end; a += ACPI_RSDP_ALIGN)
        if (acpi_check_rsdp(a, NULL, 0) == 0)
            return a;
    return 0;
}

int acpi_find_rsdp(uint64_t *phys)
{
    KASSERT(phys != NULL);
    uint64_t found = 0;
    const uint8_t *ptr = hw_phys_to_virt(ACPI_EBDA_PTR, 2);
    if (ptr != NULL && le_load16(ptr) != 0) {
        uint64_t ebda = (uint64_t)le_load16(ptr) << 4;
        found = scan(ebda, ebda + ACPI_EBDA_SCAN);
    }
    if (found == 0)
        found = scan(ACPI_BIOS_ROM, ACPI_BIOS_ROM_END);
    if (found == 0)
        return E_NOENT;
    *phys = found;
    return 0;
}

static int fail(struct acpi_info *out, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(struct acpi_info *out, int code, const char *fmt, ...)
{
    uint64_t rsdp = out->rsdp_phys;
    memset(out, 0, sizeof(*out));
    out->rsdp_phys = rsdp;
    va_list ap;
    va_start(ap, fmt);
    fmt_vsnprintf(out->error, sizeof(out->error), fmt, ap);
    va_end(ap);
    return code;
}

static int problem(struct acpi_info *out, int code, uint64_t phys, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int problem(struct acpi_info *out, int code, uint64_t phys, const char *fmt, ...)
{
    if (out->problem_count == ACPI_PROBLEMS_MAX) {
        out->problems_dropped++;
        return code;
    }
    struct acpi_problem *pr = &out->problems[out->problem_count++];
    pr->code = code;
    pr->phys = phys;
    va_list ap;
    va_start(ap, fmt);
    fmt_vsnprintf(pr->msg, sizeof(pr->msg), fmt, ap);
    va_end(ap);
    return code;
}

// A table's header and whole length, checked: *p set to its first byte and *len to its length.
// Returns 0, or the code of the first check that failed with msg saying which.
static int check_table(uint64_t phys, const uint8_t **p, uint32_t *len, char *msg, size_t size)
{
    const uint8_t *h = hw_phys_to_virt(phys, ACPI_HEADER_SIZE);
    if (h == NULL) {
        say(msg, size, "table at %#llx: its header is not reachable", (unsigned long long)phys);
        return E_RANGE;
    }
    uint32_t n = le_load32(h + 4);
    if (n < ACPI_HEADER_SIZE || n > ACPI_TABLE_MAX_SIZE) {
        say(msg, size, "table %.4s at %#llx has length %#x, outside %u..%#x", (const char *)h,
            (unsigned long long)phys, n, ACPI_HEADER_SIZE, ACPI_TABLE_MAX_SIZE);
        return E_FORMAT;
    }
    h = hw_phys_to_virt(phys, n);
    if (h == NULL) {
        say(msg, size, "table at %#llx: its %#x bytes are not reachable", (unsigned long long)phys,
            n);
        return E_RANGE;
    }
    if (sum(h, n) != 0) {
        say(msg, size, "table %.4s at %#llx: bad checksum over %#x bytes", (const char *)h,
            (unsigned long long)phys, n);
        return E_FORMAT;
    }
    *p = h;
    *len = n;
    return 0;
}

// The smallest length of each MADT entry type read here; 0 for types skipped.
static uint8_t entry_min(uint8_t type)
{
    switch (type) {
    case MADT_LAPIC: return 8;
    case MADT_IOAPIC: return 12;
    case MADT_OVERRIDE: return 10;
    case MADT_NMI_SOURCE: return 8;
    case MADT_LAPIC_NMI: return 6;
    case MADT_LAPIC_OVERRIDE: return 12;
    case MADT_X2APIC: return 16;
    case MADT_X2APIC_NMI: return 12;
    default: return 0;
    }
}

struct madt_ctx {
    struct acpi_madt *m;
    char *msg;
    size_t size;
    uint32_t off; // the entry's offset in the MADT, for messages
    bool lapic_override;
};

static int full(struct madt_ctx *c, const char *what, size_t max)
{
    say(c->msg, c->size, "MADT: entry at offset %#x: more than %u %s", c->off, (unsigned)max, what);
    return E_TOOBIG;
}

static int add_cpu(struct madt_ctx *c, uint32_t apic_id, uint32_t uid, uint32_t flags, bool x2)
{
    struct acpi_madt *m = c->m;
    if ((flags & (ACPI_CPU_ENABLED | ACPI_CPU_ONLINE_CAPABLE)) == 0) {
        m->cpus_unusable++;
        return 0;
    }
    if (m->cpu_count == ACPI_CPUS_MAX)
        return full(c, "processors", ACPI_CPUS_MAX);
    m->cpus[m->cpu_count++] = (struct acpi_cpu){apic_id, uid, flags, x2};
    return 0;
}

static int add_override(struct madt_ctx *c, const uint8_t *e)
{
    struct acpi_madt *m = c->m;
    uint16_t flags = le_load16(e + 8);
    if ((flags & ACPI_INTI_POLARITY_MASK) == 2 || (flags & ACPI_INTI_TRIGGER_MASK) == 8) {
        say(c->msg, c->size, "MADT: override at offset %#x has reserved flags %#x", c->off, flags);
        return E_FORMAT;
    }
    for (size_t i = 0; i < m->override_count; i++)
        if (m->overrides[i].irq == e[3]) {
            say(c->msg, c->size, "MADT: override at offset %#x repeats IRQ %u", c->off, e[3]);
            return E_FORMAT;
        }
    if (m->override_count == ACPI_OVERRIDES_MAX)
        return full(c, "interrupt source overrides", ACPI_OVERRIDES_MAX);
    m->overrides[m->override_count++] = (struct acpi_override){e[2], e[3], le_load32(e + 4), flags};
    return 0;
}

static int add_nmi(struct madt_ctx *c, struct acpi_nmi nmi)
{
    struct acpi_madt *m = c->m;
    if (m->nmi_count == ACPI_NMIS_MAX)
        return full(c, "NMI entries", ACPI_NMIS_MAX);
    m->nmis[m->nmi_count++] = nmi;
    return 0;
}

static int madt_entry(struct madt_ctx *c, const uint8_t *e)
{
    struct acpi_madt *m = c->m;
    switch (e[0]) {
    case MADT_LAPIC: return add_cpu(c, e[3], e[2], le_load32(e + 4), false);
    case MADT_X2APIC:
        return add_cpu(c, le_load32(e + 4), le_load32(e + 12), le_load32(e + 8), true);
    case MADT_IOAPIC:
        if (m->ioapic_count == ACPI_IOAPICS_MAX)
            return full(c, "I/O APICs", ACPI_IOAPICS_MAX);
        m->ioapics[m->ioapic_count++] =
            (struct acpi_ioapic){e[2], le_load32(e + 4), le_load32(e + 8)};
        return 0;
    case MADT_OVERRIDE: return add_override(c, e);
    case MADT_NMI_SOURCE:
        return add_nmi(c, (struct acpi_nmi){.kind = ACPI_NMI_SOURCE,
                                            .flags = le_load16(e + 2),
                                            .gsi = le_load32(e + 4)});
    case MADT_LAPIC_NMI:
        return add_nmi(c, (struct acpi_nmi){.kind = ACPI_NMI_LAPIC,
                                            .lint = e[5],
                                            .flags = le_load16(e + 3),
                                            .uid = e[2] == 0xFF ? ACPI_UID_ALL : e[2]});
    case MADT_X2APIC_NMI:
        return add_nmi(c, (struct acpi_nmi){.kind = ACPI_NMI_X2APIC,
                                            .lint = e[8],
                                            .flags = le_load16(e + 2),
                                            .uid = le_load32(e + 4)});
    default: // MADT_LAPIC_OVERRIDE: the only other type entry_min lets through
        if (c->lapic_override) {
            say(c->msg, c->size, "MADT: a second local APIC address override at offset %#x",
                c->off);
            return E_FORMAT;
        }
        c->lapic_override = true;
        m->lapic_addr = le_load64(e + 4);
        return 0;
    }
}

// Reads the checked MADT of len bytes at p into *m, which the caller has zeroed. Returns 0, or a
// negative code with msg saying what was wrong.
static int parse_madt(struct acpi_madt *m, const uint8_t *p, uint32_t len, char *msg, size_t size)
{
    if (len < ACPI_MADT_FIXED) {
        say(msg, size, "MADT: length %u is below its %u-byte fixed part", len, ACPI_MADT_FIXED);
        return E_FORMAT;
    }
    m->lapic_addr = le_load32(p + 36);
    m->flags = le_load32(p + 40);
    struct madt_ctx c = {m, msg, size, 0, false};
    for (uint32_t off = ACPI_MADT_FIXED; off < len;) {
        c.off = off;
        if (len - off < 2 || p[off + 1] < 2 || p[off + 1] > len - off) {
            say(msg, size,
                "MADT: entry at offset %#x runs past the table's %u bytes or has "
                "length below 2",
                off, len);
            return E_FORMAT;
        }
        const uint8_t *e = p + off;
        off += e[1];
        uint8_t need = entry_min(e[0]);
        if (need == 0)
            continue; // a type not read here: skipped by its length
        if (e[1] < need) {
            say(msg, size, "MADT: entry type %u at offset %#x has length %u, below %u", e[0], c.off,
                e[1], need);
            return E_FORMAT;
        }
        int rc = madt_entry(&c, e);
        if (rc != 0)
            return rc;
    }
    m->present = true;
    return 0;
}

static void add_table(struct acpi_info *out, uint32_t index, uint64_t phys)
{
    char msg[ACPI_MSG_MAX];
    const uint8_t *p;
    uint32_t len;
    if (phys == 0) {
        problem(out, E_FORMAT, phys, "acpi: %s entry %u is address 0", out->xsdt ? "XSDT" : "RSDT",
                index);
        return;
    }
    int rc = check_table(phys, &p, &len, msg, sizeof(msg));
    if (rc != 0) {
        problem(out, rc, phys, "acpi: %s", msg);
        return;
    }
    if (memcmp(p, "APIC", 4) == 0) {
        if (out->madt.present) {
            problem(out, E_FORMAT, phys, "acpi: a second MADT at %#llx ignored",
                    (unsigned long long)phys);
            return;
        }
        rc = parse_madt(&out->madt, p, len, msg, sizeof(msg));
        if (rc != 0) {
            memset(&out->madt, 0, sizeof(out->madt));
            problem(out, rc, phys, "acpi: at %#llx: %s", (unsigned long long)phys, msg);
            return;
        }
        out->madt.phys = phys;
    }
    struct acpi_table *t = &out->tables[out->table_count++];
    memcpy(t->sig, p, 4); // sig[4] is already the NUL: acpi_parse zeroed out
    t->phys = phys;
    t->length = len;
}

int acpi_parse(struct acpi_info *out, uint64_t rsdp_phys)
{
    KASSERT(out != NULL);
    memset(out, 0, sizeof(*out));
    out->rsdp_phys = rsdp_phys;
    char msg[ACPI_MSG_MAX];
    int rc = acpi_check_rsdp(rsdp_phys, msg, sizeof(msg));
    if (rc != 0)
        return fail(out, rc, "%s", msg);
    const uint8_t *r = hw_phys_to_virt(rsdp_phys, ACPI_RSDP_V1_SIZE);
    out->revision = r[RSDP_REVISION];
    uint64_t root = le_load32(r + RSDP_RSDT);
    if (out->revision >= 2 && le_load64(r + RSDP_XSDT) != 0) {
        root = le_load64(r + RSDP_XSDT);
        out->xsdt = true;
    }
    memcpy(out->oem_id, r + 9, 6);
    const char *name = out->xsdt ? "XSDT" : "RSDT";
    if (root == 0)
        return fail(out, E_FORMAT, "acpi: the RSDP at %#llx gives %s address 0",
                    (unsigned long long)rsdp_phys, name);
    out->root_phys = root;
    const uint8_t *p;
    uint32_t len;
    rc = check_table(root, &p, &len, msg, sizeof(msg));
    if (rc != 0)
        return fail(out, rc, "acpi: %s: %s", name, msg);
    if (memcmp(p, name, 4) != 0)
        return fail(out, E_FORMAT, "acpi: the %s at %#llx has signature %.4s", name,
                    (unsigned long long)root, (const char *)p);
    uint32_t width = out->xsdt ? 8 : 4;
    uint32_t count = (len - ACPI_HEADER_SIZE) / width;
    if ((len - ACPI_HEADER_SIZE) % width != 0)
        return fail(out, E_FORMAT, "acpi: the %s at %#llx has length %u: not whole %u-byte entries",
                    name, (unsigned long long)root, len, width);
    if (count > ACPI_TABLES_MAX)
        return fail(out, E_TOOBIG, "acpi: the %s at %#llx lists %u tables; at most %u fit", name,
                    (unsigned long long)root, count, ACPI_TABLES_MAX);
    for (uint32_t i = 0; i < count; i++) {
        const uint8_t *e = p + ACPI_HEADER_SIZE + i * width;
        add_table(out, i, out->xsdt ? le_load64(e) : le_load32(e));
    }
    return 0;
}

int acpi_isa_irq(const struct acpi_madt *madt, uint8_t irq, uint32_t *gsi, bool *active_low,
                 bool *level)
{
    KASSERT(madt != NULL && gsi != NULL && active_low != NULL && level != NULL);
    if (irq > 15)
        return E_INVAL;
    uint16_t flags = 0;
    *gsi = irq;
    for (size_t i = 0; i < madt->override_count; i++)
        if (madt->overrides[i].irq == irq) {
            *gsi = madt->overrides[i].gsi;
            flags = madt->overrides[i].flags;
        }
    // 0 (conforms to ISA) and 1 are active high and edge; parse_madt refused the reserved 2.
    *active_low = (flags & ACPI_INTI_POLARITY_MASK) == ACPI_INTI_ACTIVE_LOW;
    *level = (flags & ACPI_INTI_TRIGGER_MASK) == ACPI_INTI_LEVEL;
    return 0;
}
