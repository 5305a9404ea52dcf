// Interrupts through the I/O APIC, the local APIC timer as the tick (see irq_apic.h).
#include "kernel/irq_apic.h"
#include "core/acpi.h"
#include "core/err.h"
#include "core/hw.h"
#include "core/ioapic.h"
#include "core/panic.h"
#include "core/pic.h"
#include "core/pit.h"
#include "core/tsc.h"
#include "kernel/acpi_tables.h"
#include "kernel/irq.h"
#include "platform/x86_64/apic.h"
#include "platform/x86_64/cpu.h"

#define IOAPIC_SPAN       0x20          // IOREGSEL and IOWIN
#define DEST_MAX          0xffu         // a physical destination is 8 bits (xAPIC)
#define EDGE_TIMEOUT      (1ull << 31)  // TSC cycles to wait for the first PIT tick (~1 s)
#define MEASURE_TIMEOUT   (1ull << 33)  // and for the measured ones (~3 s)
#define CAL_INITIAL_COUNT 0xffffffffu   // 68 s at QEMU's 62.5 MHz: the count never runs out

static struct ioapic chips[ACPI_IOAPICS_MAX];
static size_t chip_count;
static const struct acpi_madt *madt;
static const struct lapic_io *lapic; // set while the I/O APIC path is live
static struct irq_apic_info info;

static uint32_t mmio_read(void *ctx, uint32_t offset)
{
    return hw_mmio_read32((uintptr_t)ctx + offset);
}

static void mmio_write(void *ctx, uint32_t offset, uint32_t value)
{
    hw_mmio_write32((uintptr_t)ctx + offset, value);
}

// Reads every I/O APIC the MADT lists and masks all its pins. Returns NULL, or why not.
static const char *find_chips(void)
{
    chip_count = 0;
    for (size_t i = 0; i < madt->ioapic_count; i++) {
        void *page = hw_phys_to_virt(madt->ioapics[i].addr, IOAPIC_SPAN);
        if (page == NULL)
            return "an I/O APIC is outside the direct map";
        struct ioapic_io io = {mmio_read, mmio_write, page};
        ioapic_init(&chips[i], &io);
        ioapic_mask_all(&chips[i]);
        chip_count++;
    }
    return chip_count == 0 ? "the MADT lists no I/O APIC" : NULL;
}

// Routes ISA `irq` (masked) to the pin its GSI falls on. Returns 0 or E_NOENT (no chip has it).
static int route(unsigned irq)
{
    struct irq_apic_route r = {0};
    int err = acpi_isa_irq(madt, (uint8_t)irq, &r.gsi, &r.active_low, &r.level);
    if (err != 0)
        return err;
    for (size_t i = 0; i < chip_count; i++) {
        uint32_t base = madt->ioapics[i].gsi_base;
        if (r.gsi < base || r.gsi - base >= chips[i].pins)
            continue;
        r.chip = (uint8_t)i;
        r.pin = (uint8_t)(r.gsi - base);
        err = ioapic_route(&chips[i], r.pin, (uint8_t)(IRQ_VECTOR_BASE + irq), (uint8_t)info.dest,
                           r.active_low, r.level);
        KASSERT(err == 0); // the pin is the chip's and the vector above 32
        r.routed = true;
        info.irqs[irq] = r;
        return 0;
    }
    return E_NOENT;
}

static bool wait_ticks(uint64_t target, uint64_t timeout)
{
    uint64_t start = cpu_rdtsc();
    while (pit_ticks() < target) {
        if (cpu_rdtsc() - start > timeout)
            return false;
        hw_relax();
    }
    return true;
}

// Counts the local APIC timer down, masked, over IRQ_APIC_CAL_TICKS PIT ticks through IRQ 0's
// pin, with interrupts on meanwhile. Returns NULL with info.timer_hz and info.tsc_khz set, or why
// not.
static const char *calibrate(void)
{
    const struct irq_apic_route *pit = &info.irqs[IRQ_TIMER];
    if (!pit->routed)
        return "no I/O APIC pin has the PIT's IRQ 0";
    KASSERT(lapic_timer_divide(lapic, IRQ_APIC_TIMER_DIVIDE) == 0);
    KASSERT(lapic_timer_start(lapic, IRQ_VECTOR_BASE, LAPIC_LVT_MASKED, CAL_INITIAL_COUNT) == 0);
    KASSERT(pit_init(IRQ_APIC_CAL_HZ) == 0);
    KASSERT(ioapic_unmask(&chips[pit->chip], pit->pin) == 0);
    cpu_enable_irq();
    bool ok = wait_ticks(1, EDGE_TIMEOUT); // start on a tick's edge
    uint64_t t0 = pit_ticks(), tsc0 = cpu_rdtsc();
    uint32_t c0 = lapic_timer_current(lapic);
    ok = ok && wait_ticks(t0 + IRQ_APIC_CAL_TICKS, MEASURE_TIMEOUT);
    uint32_t c1 = lapic_timer_current(lapic);
    uint64_t t1 = pit_ticks(), tsc1 = cpu_rdtsc();
    cpu_disable_irq();
    KASSERT(ioapic_mask(&chips[pit->chip], pit->pin) == 0);
    lapic_timer_stop(lapic);
    if (!ok)
        return "the PIT's IRQ 0 did not arrive through the I/O APIC";
    uint64_t clocks = (t1 - t0) * pit_divisor();
    info.tsc_khz = tsc_khz(tsc1 - tsc0, t1 - t0, pit_divisor());
    if (lapic_timer_hz(c0 - c1, clocks, PIT_BASE_HZ, &info.timer_hz) != 0)
        return "the local APIC timer did not count";
    return NULL;
}

// Back to virtual wire mode: every pin masked, LINT0 open again.
static void give_back(void)
{
    for (size_t i = 0; i < chip_count; i++)
        ioapic_mask_all(&chips[i]);
    lapic_virtual_wire(lapic, IRQ_APIC_SPURIOUS_VECTOR);
    lapic = NULL;
    info = (struct irq_apic_info){0};
}

// Everything of irq_apic_init after the checks that change nothing.
static const char *take_over(const uint8_t *irqs, unsigned n, uint32_t pit_div)
{
    const char *why = find_chips();
    if (why != NULL)
        return why;
    pic_disable(); // every 8259 line masked: from here on they raise nothing
    // LVT LINT0: masked (bit 16), fixed, vector 0; the 8259s' INTR no longer reaches the CPU.
    lapic->write(lapic->ctx, LAPIC_LVT_LINT0, LAPIC_LVT_MASKED);
    for (unsigned i = 0; i < n; i++)
        (void)route(irqs[i]); // an IRQ no chip has stays unrouted, as irq_apic_unmask reports
    why = calibrate();
    KASSERT(pit_init_divisor(pit_div) == 0); // the tick's rate, read by pit_frequency_mhz
    if (why != NULL)
        return why;
    info.divide = IRQ_APIC_TIMER_DIVIDE;
    if (lapic_timer_count(info.timer_hz, pit_frequency_mhz(), &info.count) != 0)
        return "the local APIC timer cannot reach the tick's rate";
    KASSERT(lapic_timer_start(lapic, IRQ_VECTOR_BASE, LAPIC_TIMER_PERIODIC, info.count) == 0);
    info.active = true;
    return NULL;
}

const char *irq_apic_init(const uint8_t *irqs, unsigned n)
{
    madt = acpi_tables_madt();
    if (madt == NULL)
        return "no MADT";
    if (madt->ioapic_count == 0)
        return "the MADT lists no I/O APIC";
    const struct apic_found *found = irq_apic();
    if (apic_io() == NULL)
        return "the local APIC is not enabled";
    uint32_t dest = lapic_id(apic_io(), found->mode == APIC_X2APIC);
    if (dest > DEST_MAX)
        return "the boot CPU's APIC id is above 255";
    uint32_t pit_div = pit_divisor();
    lapic = apic_io(); // EOIs go to the local APIC from the first calibration tick
    info.dest = dest;
    const char *why = take_over(irqs, n, pit_div);
    if (why != NULL) {
        give_back();
        pic_unmask(PIC_CASCADE_IRQ);
    }
    return why;
}

const struct lapic_io *irq_apic_lapic(void)
{
    return lapic;
}

static int set_masked(unsigned irq, bool masked)
{
    if (irq >= IRQ_APIC_ISA_IRQS)
        return E_INVAL;
    const struct irq_apic_route *r = &info.irqs[irq];
    unsigned long flags = hw_irq_save(); // IOREGSEL, then IOWIN: not to be interleaved
    int err = 0;
    if (!r->routed && !masked)
        err = route(irq); // leaves it masked, as an unrouted IRQ is
    if (err == 0 && r->routed)
        err = masked ? ioapic_mask(&chips[r->chip], r->pin) : ioapic_unmask(&chips[r->chip], r->pin);
    hw_irq_restore(flags);
    return err;
}

int irq_apic_unmask(unsigned irq)
{
    return set_masked(irq, false);
}

int irq_apic_mask(unsigned irq)
{
    return set_masked(irq, true);
}

int irq_apic_entry(unsigned irq, uint64_t *entry)
{
    if (irq >= IRQ_APIC_ISA_IRQS || !info.irqs[irq].routed)
        return E_NOENT;
    const struct irq_apic_route *r = &info.irqs[irq];
    unsigned long flags = hw_irq_save();
    int err = ioapic_read_entry(&chips[r->chip], r->pin, entry);
    hw_irq_restore(flags);
    return err;
}

const struct irq_apic_info *irq_apic_info(void)
{
    return &info;
}
