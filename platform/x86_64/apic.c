// The boot CPU's local APIC: found through CPUID and IA32_APIC_BASE, set to virtual wire mode
// (see apic.h).
#include "platform/x86_64/apic.h"
#include "core/hw.h"
#include "platform/x86_64/cpu.h"

#include <stddef.h>

#define CPUID_APIC        (1u << 9) // CPUID.01H:EDX: the CPU has a local APIC
#define MSR_APIC_BASE     0x1b
#define APIC_BASE_X2APIC  (1ull << 10)          // x2APIC mode (registers in MSRs)
#define APIC_BASE_ENABLE  (1ull << 11)          // global enable
#define APIC_BASE_ADDRESS 0x000ffffffffff000ull // bits 12-51: the xAPIC page's physical address
#define APIC_PAGE         0x400                 // the registers' span in the page
#define MSR_X2APIC_FIRST  0x800 // x2APIC register at xAPIC offset o is MSR 0x800 + o / 16
#define MSR_X2APIC_ICR    0x830 // the x2APIC's 64-bit interrupt command register

static uint32_t xapic_read(void *ctx, uint32_t offset)
{
    return hw_mmio_read32((uintptr_t)ctx + offset);
}

static void xapic_write(void *ctx, uint32_t offset, uint32_t value)
{
    hw_mmio_write32((uintptr_t)ctx + offset, value);
}

// GCOVR_EXCL_START: QEMU 7.2's TCG has no x2APIC, so no scenario can run these.
static uint32_t x2apic_read(void *ctx, uint32_t offset)
{
    (void)ctx;
    return (uint32_t)cpu_rdmsr(MSR_X2APIC_FIRST + offset / 16);
}

static void x2apic_write(void *ctx, uint32_t offset, uint32_t value)
{
    (void)ctx;
    cpu_wrmsr(MSR_X2APIC_FIRST + offset / 16, value);
}

static void x2apic_write_icr(void *ctx, uint64_t value)
{
    (void)ctx;
    cpu_wrmsr(MSR_X2APIC_ICR, value);
}
// GCOVR_EXCL_STOP

static struct lapic_io found_io; // the boot CPU's registers, once apic_route_pic set it up
static bool found;

bool apic_route_pic(uint8_t spurious_vector, struct apic_found *out)
{
    *out = (struct apic_found){.mode = APIC_ABSENT};
    uint32_t id[4];
    cpu_cpuid(1, 0, id);
    if ((id[3] & CPUID_APIC) == 0)
        return true;
    uint64_t msr = cpu_rdmsr(MSR_APIC_BASE);
    out->base = msr & APIC_BASE_ADDRESS;
    out->mode = (msr & APIC_BASE_ENABLE) == 0 ? APIC_DISABLED
                : (msr & APIC_BASE_X2APIC)    ? APIC_X2APIC
                                              : APIC_XAPIC;
    struct lapic_io io = {x2apic_read, x2apic_write, NULL, x2apic_write_icr};
    if (out->mode == APIC_XAPIC) {
        void *page = hw_phys_to_virt(out->base, APIC_PAGE);
        if (page == NULL)
            return false;
        io = (struct lapic_io){xapic_read, xapic_write, page, NULL};
    } else if (out->mode != APIC_X2APIC) {
        return true;
    }
    lapic_read_state(&io, &out->before);
    out->changed = !lapic_is_virtual_wire(&out->before);
    lapic_virtual_wire(&io, spurious_vector);
    found_io = io;
    found = true;
    return true;
}

const struct lapic_io *apic_io(void)
{
    return found ? &found_io : NULL;
}

const char *apic_mode_name(enum apic_mode mode)
{
    switch (mode) {
    case APIC_ABSENT: return "absent";
    case APIC_DISABLED: return "disabled";
    case APIC_XAPIC: return "xAPIC";
    case APIC_X2APIC: return "x2APIC";
    }
    return "unknown";
}

bool apic_cpu_io(struct lapic_io *out)
{
    uint32_t id[4];
    cpu_cpuid(1, 0, id);
    if ((id[3] & CPUID_APIC) == 0)
        return false; // GCOVR_EXCL_LINE: every CPU model the scenarios boot has an APIC
    uint64_t msr = cpu_rdmsr(MSR_APIC_BASE);
    if ((msr & APIC_BASE_ENABLE) == 0)
        return false;
    if (msr & APIC_BASE_X2APIC) {
        *out =
            (struct lapic_io){x2apic_read, x2apic_write, NULL, x2apic_write_icr}; // GCOVR_EXCL_LINE
        return true; // GCOVR_EXCL_LINE: QEMU 7.2's TCG has no x2APIC
    }
    void *page = hw_phys_to_virt(msr & APIC_BASE_ADDRESS, APIC_PAGE);
    if (page == NULL)
        return false;
    *out = (struct lapic_io){xapic_read, xapic_write, page, NULL};
    return true;
}
