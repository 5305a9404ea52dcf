// The I/O APIC's registers through IOREGSEL/IOWIN (see ioapic.h).
#include "core/ioapic.h"
#include "core/panic.h"

#include <stddef.h>

#define ID_SHIFT         24
#define ID_MASK          0xfu
#define VER_MAX_REDIR(v) (((v) >> 16) & 0xffu)

static uint32_t reg_read(const struct ioapic *a, uint32_t reg)
{
    a->io.write(a->io.ctx, IOAPIC_REGSEL, reg);
    return a->io.read(a->io.ctx, IOAPIC_WIN);
}

static void reg_write(const struct ioapic *a, uint32_t reg, uint32_t value)
{
    a->io.write(a->io.ctx, IOAPIC_REGSEL, reg);
    a->io.write(a->io.ctx, IOAPIC_WIN, value);
}

static uint32_t low_reg(unsigned pin)
{
    return IOAPIC_REG_REDIR + 2 * pin;
}

void ioapic_init(struct ioapic *out, const struct ioapic_io *io)
{
    KASSERT(out != NULL && io != NULL);
    out->io = *io;
    out->id = (uint8_t)((reg_read(out, IOAPIC_REG_ID) >> ID_SHIFT) & ID_MASK);
    uint32_t ver = reg_read(out, IOAPIC_REG_VER);
    out->version = (uint8_t)ver;
    out->pins = VER_MAX_REDIR(ver) + 1;
    if (out->pins > IOAPIC_PINS_MAX)
        out->pins = IOAPIC_PINS_MAX;
}

void ioapic_mask_all(const struct ioapic *a)
{
    for (unsigned pin = 0; pin < a->pins; pin++)
        reg_write(a, low_reg(pin), IOAPIC_MASKED);
}

int ioapic_route(const struct ioapic *a, unsigned pin, uint8_t vector, uint8_t dest,
                 bool active_low, bool level)
{
    if (pin >= a->pins)
        return E_RANGE;
    if (vector < IOAPIC_FIRST_VECTOR)
        return E_INVAL;
    // Fixed delivery (bits 8-10 = 0) and physical destination mode (bit 11 = 0).
    uint32_t low = IOAPIC_MASKED | vector;
    if (active_low)
        low |= IOAPIC_ACTIVE_LOW;
    if (level)
        low |= IOAPIC_LEVEL;
    reg_write(a, low_reg(pin), low); // masked first: the old destination never sees the new vector
    reg_write(a, low_reg(pin) + 1, (uint32_t)dest << (IOAPIC_DEST_SHIFT - 32));
    return 0;
}

static int set_mask(const struct ioapic *a, unsigned pin, bool masked)
{
    if (pin >= a->pins)
        return E_RANGE;
    uint32_t low = reg_read(a, low_reg(pin));
    low = masked ? low | IOAPIC_MASKED : low & ~IOAPIC_MASKED;
    reg_write(a, low_reg(pin), low);
    return 0;
}

int ioapic_mask(const struct ioapic *a, unsigned pin)
{
    return set_mask(a, pin, true);
}

int ioapic_unmask(const struct ioapic *a, unsigned pin)
{
    return set_mask(a, pin, false);
}

int ioapic_read_entry(const struct ioapic *a, unsigned pin, uint64_t *entry)
{
    if (pin >= a->pins)
        return E_RANGE;
    uint32_t low = reg_read(a, low_reg(pin));
    *entry = (uint64_t)reg_read(a, low_reg(pin) + 1) << 32 | low;
    return 0;
}
