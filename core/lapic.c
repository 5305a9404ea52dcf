// Local APIC: the firmware's state and virtual wire mode (see lapic.h).
#include "core/lapic.h"
#include "core/err.h"
#include "core/panic.h"

#include <stddef.h>

#define VERSION_MAX_LVT(v) (((v) >> 16) & 0xffu) // the highest LVT entry's index
#define MAX_LVT_PERF       4u                    // entries that exist from this index on
#define MAX_LVT_THERMAL    5u
#define MAX_LVT_CMCI       6u
#define FIRST_VECTOR       32u // 0-31 are the CPU's exceptions

// ---- Timer and EOI -------------------------------------------------------------------------------

#define DIVIDE_CODES    8u
#define MILLI           1000u
#define TIMER_FLAGS     (LAPIC_TIMER_PERIODIC | LAPIC_LVT_MASKED)
#define TIMER_COUNT_MAX 0xffffffffu

// The divide configuration register's value for divide by 2^n, n = 0-7 (bits 0, 1 and 3).
static const uint8_t divide_codes[DIVIDE_CODES] = {0xb, 0x0, 0x1, 0x2, 0x3, 0x8, 0x9, 0xa};

void lapic_eoi(const struct lapic_io *io)
{
    KASSERT(io != NULL);
    io->write(io->ctx, LAPIC_EOI, 0);
}

int lapic_timer_divide(const struct lapic_io *io, uint32_t divisor)
{
    for (uint32_t n = 0; n < DIVIDE_CODES; n++) {
        if (divisor == 1u << n) {
            io->write(io->ctx, LAPIC_TIMER_DIVIDE, divide_codes[n]);
            return 0;
        }
    }
    return E_INVAL;
}

int lapic_timer_start(const struct lapic_io *io, uint8_t vector, uint32_t flags, uint32_t initial)
{
    if (vector < FIRST_VECTOR || initial == 0 || (flags & ~TIMER_FLAGS) != 0)
        return E_INVAL;
    io->write(io->ctx, LAPIC_LVT_TIMER, flags | vector); // bits 17-18: the mode; bit 16: the mask
    io->write(io->ctx, LAPIC_TIMER_INITIAL, initial);    // the count-down starts here
    return 0;
}

void lapic_timer_stop(const struct lapic_io *io)
{
    io->write(io->ctx, LAPIC_TIMER_INITIAL, 0);
    io->write(io->ctx, LAPIC_LVT_TIMER, LAPIC_LVT_MASKED);
}

uint32_t lapic_timer_current(const struct lapic_io *io)
{
    return io->read(io->ctx, LAPIC_TIMER_CURRENT);
}

int lapic_timer_hz(uint64_t counts, uint64_t ref_elapsed, uint64_t ref_hz, uint64_t *hz)
{
    if (counts == 0 || ref_elapsed == 0 || ref_hz == 0)
        return E_INVAL;
    if (ref_elapsed > UINT64_MAX / ref_hz)
        return E_RANGE; // the remainder's product below could overflow
    // counts * ref_hz / ref_elapsed = q * ref_hz + r * ref_hz / ref_elapsed, r < ref_elapsed.
    uint64_t q = counts / ref_elapsed, r = counts % ref_elapsed;
    if (q > UINT64_MAX / ref_hz)
        return E_RANGE;
    uint64_t whole = q * ref_hz, part = r * ref_hz / ref_elapsed;
    if (part > UINT64_MAX - whole)
        return E_RANGE;
    *hz = whole + part;
    return 0;
}

int lapic_timer_count(uint64_t timer_hz, uint32_t rate_mhz, uint32_t *count)
{
    if (timer_hz == 0 || rate_mhz == 0)
        return E_INVAL;
    // timer_hz * 1000 / rate_mhz = q * 1000 + r * 1000 / rate_mhz, r < rate_mhz < 2^32.
    uint64_t q = timer_hz / rate_mhz, r = timer_hz % rate_mhz;
    if (q > TIMER_COUNT_MAX / MILLI)
        return E_RANGE;
    uint64_t n = q * MILLI + (r * MILLI + rate_mhz / 2) / rate_mhz;
    if (n == 0 || n > TIMER_COUNT_MAX)
        return E_RANGE;
    *count = (uint32_t)n;
    return 0;
}
// ---- end of timer and EOI -----------------------------------------------------------------------

void lapic_read_state(const struct lapic_io *io, struct lapic_state *out)
{
    KASSERT(io != NULL && out != NULL);
    out->version = io->read(io->ctx, LAPIC_VERSION);
    out->tpr = io->read(io->ctx, LAPIC_TPR);
    out->svr = io->read(io->ctx, LAPIC_SVR);
    out->lvt_timer = io->read(io->ctx, LAPIC_LVT_TIMER);
    out->lvt_lint0 = io->read(io->ctx, LAPIC_LVT_LINT0);
    out->lvt_lint1 = io->read(io->ctx, LAPIC_LVT_LINT1);
    out->lvt_error = io->read(io->ctx, LAPIC_LVT_ERROR);
}

// An LVT entry that delivers in `mode`, unmasked.
static bool delivers(uint32_t lvt, uint32_t mode)
{
    return (lvt & LAPIC_LVT_MASKED) == 0 && (lvt & LAPIC_LVT_MODE_MASK) == mode;
}

bool lapic_is_virtual_wire(const struct lapic_state *s)
{
    KASSERT(s != NULL);
    return (s->svr & LAPIC_SVR_ENABLE) != 0 && (s->tpr & 0xffu) == 0 &&
           delivers(s->lvt_lint0, LAPIC_MODE_EXTINT) && delivers(s->lvt_lint1, LAPIC_MODE_NMI) &&
           (s->lvt_timer & LAPIC_LVT_MASKED) != 0 && (s->lvt_error & LAPIC_LVT_MASKED) != 0;
}

// Masks the timer and error entries, and the performance, thermal and CMCI entries when the
// version register's highest LVT index `max_lvt` says they exist.
static void mask_local_sources(const struct lapic_io *io, uint32_t max_lvt)
{
    io->write(io->ctx, LAPIC_LVT_TIMER, LAPIC_LVT_MASKED);
    io->write(io->ctx, LAPIC_LVT_ERROR, LAPIC_LVT_MASKED);
    if (max_lvt >= MAX_LVT_PERF)
        io->write(io->ctx, LAPIC_LVT_PERF, LAPIC_LVT_MASKED);
    if (max_lvt >= MAX_LVT_THERMAL)
        io->write(io->ctx, LAPIC_LVT_THERMAL, LAPIC_LVT_MASKED);
    if (max_lvt >= MAX_LVT_CMCI)
        io->write(io->ctx, LAPIC_LVT_CMCI, LAPIC_LVT_MASKED);
}

void lapic_virtual_wire(const struct lapic_io *io, uint8_t spurious_vector)
{
    KASSERT(io != NULL);
    KASSERT(spurious_vector >= FIRST_VECTOR);
    uint32_t max_lvt = VERSION_MAX_LVT(io->read(io->ctx, LAPIC_VERSION));
    io->write(io->ctx, LAPIC_TPR, 0);                                  // accept every priority
    io->write(io->ctx, LAPIC_SVR, LAPIC_SVR_ENABLE | spurious_vector); // enable: LVTs writable
    mask_local_sources(io, max_lvt);
    // Mask bit clear, edge (bit 15 = 0), active high (bit 13 = 0); ExtINT and NMI take no vector.
    io->write(io->ctx, LAPIC_LVT_LINT0, LAPIC_MODE_EXTINT);
    io->write(io->ctx, LAPIC_LVT_LINT1, LAPIC_MODE_NMI);
}

// ---- inter-processor interrupts ----

#define LVT_ACTIVE_LOW (1u << 13)
#define ICR_DEST_SHIFT 24 // xAPIC ICR high: the destination's bits

int lapic_send_ipi(const struct lapic_io *io, uint32_t dest, uint32_t low)
{
    KASSERT(io != NULL);
    if (io->write_icr != NULL) {
        io->write_icr(io->ctx, (uint64_t)dest << 32 | low); // x2APIC: one write, no status
        return 0;
    }
    if (dest > LAPIC_XAPIC_MAXID)
        return E_RANGE;
    io->write(io->ctx, LAPIC_ICR_HIGH, dest << ICR_DEST_SHIFT);
    io->write(io->ctx, LAPIC_ICR_LOW, low); // this write sends
    for (uint32_t i = 0; i < LAPIC_ICR_POLLS; i++) {
        if ((io->read(io->ctx, LAPIC_ICR_LOW) & LAPIC_ICR_PENDING) == 0)
            return 0;
    }
    return E_IO;
}

int lapic_send_init(const struct lapic_io *io, uint32_t dest)
{
    return lapic_send_ipi(io, dest, LAPIC_ICR_INIT | LAPIC_ICR_ASSERT);
}

int lapic_send_startup(const struct lapic_io *io, uint32_t dest, uint64_t page)
{
    KASSERT((page & 0xfffu) == 0 && page < LAPIC_SIPI_LIMIT);
    return lapic_send_ipi(io, dest, LAPIC_ICR_STARTUP | LAPIC_ICR_ASSERT | (uint32_t)(page >> 12));
}

int lapic_send_fixed(const struct lapic_io *io, uint32_t dest, uint8_t vector)
{
    KASSERT(vector >= FIRST_VECTOR);
    return lapic_send_ipi(io, dest, LAPIC_ICR_FIXED | LAPIC_ICR_ASSERT | vector);
}

uint32_t lapic_read_id(const struct lapic_io *io)
{
    KASSERT(io != NULL);
    uint32_t id = io->read(io->ctx, LAPIC_ID);
    return io->write_icr != NULL ? id : id >> ICR_DEST_SHIFT;
}

// The LVT entry for local pin `lint` of processor `uid`: NMI when the MADT wires it so, else
// masked. A later matching entry overrides an earlier one.
static uint32_t lint_entry(const struct acpi_madt *madt, uint32_t uid, uint8_t lint)
{
    uint32_t lvt = LAPIC_LVT_MASKED;
    for (size_t i = 0; madt != NULL && i < madt->nmi_count; i++) {
        const struct acpi_nmi *n = &madt->nmis[i];
        bool local = n->kind == ACPI_NMI_LAPIC || n->kind == ACPI_NMI_X2APIC;
        if (!local || n->lint != lint || (n->uid != uid && n->uid != ACPI_UID_ALL))
            continue;
        bool low = (n->flags & ACPI_INTI_POLARITY_MASK) == ACPI_INTI_ACTIVE_LOW;
        lvt = LAPIC_MODE_NMI | (low ? LVT_ACTIVE_LOW : 0);
    }
    return lvt;
}

void lapic_setup_ap(const struct lapic_io *io, uint8_t spurious_vector,
                    const struct acpi_madt *madt, uint32_t uid)
{
    KASSERT(io != NULL);
    KASSERT(spurious_vector >= FIRST_VECTOR);
    uint32_t max_lvt = VERSION_MAX_LVT(io->read(io->ctx, LAPIC_VERSION));
    io->write(io->ctx, LAPIC_TPR, 0);
    io->write(io->ctx, LAPIC_SVR, LAPIC_SVR_ENABLE | spurious_vector); // first: LVTs writable
    mask_local_sources(io, max_lvt);
    io->write(io->ctx, LAPIC_LVT_LINT0, lint_entry(madt, uid, 0));
    io->write(io->ctx, LAPIC_LVT_LINT1, lint_entry(madt, uid, 1));
}
