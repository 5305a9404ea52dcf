// Local APIC: the firmware's state and virtual wire mode (see lapic.h).
#include "core/lapic.h"
#include "core/panic.h"

#include <stddef.h>

#define VERSION_MAX_LVT(v) (((v) >> 16) & 0xffu) // the highest LVT entry's index
#define MAX_LVT_PERF       4u                    // entries that exist from this index on
#define MAX_LVT_THERMAL    5u
#define MAX_LVT_CMCI       6u
#define FIRST_VECTOR       32u // 0-31 are the CPU's exceptions

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

void lapic_virtual_wire(const struct lapic_io *io, uint8_t spurious_vector)
{
    KASSERT(io != NULL);
    KASSERT(spurious_vector >= FIRST_VECTOR);
    uint32_t max_lvt = VERSION_MAX_LVT(io->read(io->ctx, LAPIC_VERSION));
    io->write(io->ctx, LAPIC_TPR, 0);                                  // accept every priority
    io->write(io->ctx, LAPIC_SVR, LAPIC_SVR_ENABLE | spurious_vector); // enable: LVTs writable
    io->write(io->ctx, LAPIC_LVT_TIMER, LAPIC_LVT_MASKED);
    io->write(io->ctx, LAPIC_LVT_ERROR, LAPIC_LVT_MASKED);
    if (max_lvt >= MAX_LVT_PERF)
        io->write(io->ctx, LAPIC_LVT_PERF, LAPIC_LVT_MASKED);
    if (max_lvt >= MAX_LVT_THERMAL)
        io->write(io->ctx, LAPIC_LVT_THERMAL, LAPIC_LVT_MASKED);
    if (max_lvt >= MAX_LVT_CMCI)
        io->write(io->ctx, LAPIC_LVT_CMCI, LAPIC_LVT_MASKED);
    // Mask bit clear, edge (bit 15 = 0), active high (bit 13 = 0); ExtINT and NMI take no vector.
    io->write(io->ctx, LAPIC_LVT_LINT0, LAPIC_MODE_EXTINT);
    io->write(io->ctx, LAPIC_LVT_LINT1, LAPIC_MODE_NMI);
}
