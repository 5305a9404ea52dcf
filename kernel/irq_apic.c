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
#include "kernel/console.h"
#include "platform/x86_64/apic.h"
#include "platform/x86_64/cpu.h"

#define PIT_IRQ           0            // ISA IRQ 0: the PIT
#define IOAPIC_SPAN       0x20         // IOREGSEL and IOWIN
#define DEST_MAX          0xffu        // a physical destination is 8 bits (xAPIC)
#define CAL_TIMEOUT       (1ull << 33) // TSC cycles the measure may take (3 s at 2.6 GHz)
#define CAL_WARMUP        16           // samples timed to know how long a quick one takes
#define CAL_INITIAL_COUNT 0xffffffffu  // 68 s at QEMU's 62.5 MHz: the count never runs out

static struct ioapic chips[ACPI_IOAPICS_MAX];
static size_t chip_count;
static const struct acpi_madt *madt;
static const struct lapic_io *lapic; // set while the I/O APIC path is live
static struct irq_apic_info info;
static struct irq_apic_config cfg; // irq_apic_init's

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
        err = ioapic_route(&chips[i], r.pin, (uint8_t)(cfg.vector_base + irq), (uint8_t)info.dest,
                           r.active_low, r.level);
        KASSERT(err == 0); // the pin is the chip's and the vector above 32
        r.routed = true;
        info.irqs[irq] = r;
        return 0;
    }
    return E_NOENT;
}

// One reading of the PIT's count and the local APIC timer's, with the TSC after them and the TSC
// cycles the pair took.
struct sample {
    uint16_t pit;
    uint32_t lapic;
    uint64_t tsc, took;
};

static struct sample read_sample(void)
{
    struct sample r;
    uint64_t before = cpu_rdtsc();
    r.pit = pit_read_count();
    r.lapic = lapic_timer_current(lapic);
    r.tsc = cpu_rdtsc();
    r.took = r.tsc - before;
    return r;
}

// Counts the local APIC timer down, masked, while the PIT counts IRQ_APIC_CAL_CLOCKS of its clocks,
// polling both with interrupts off: no lost or late tick can skew it, as counting PIT interrupts
// would when TCG's CPU falls behind. A stall between the two reads of the first or last sample
// would (QEMU's clocks run on meanwhile), so those two must be tight: taking at most twice the
// fastest of CAL_WARMUP samples. Leaves the PIT at divisor 65536. Returns NULL with info.timer_hz
// and info.tsc_khz set, or why not.
static const char *calibrate(void)
{
    KASSERT(lapic_timer_divide(lapic, IRQ_APIC_TIMER_DIVIDE) == 0);
    KASSERT(pit_init_divisor(PIT_MAX_DIVISOR) == 0); // a period (55 ms) longer than the measure
    KASSERT(lapic_timer_start(lapic, cfg.vector_base, LAPIC_LVT_MASKED, CAL_INITIAL_COUNT) == 0);
    uint64_t fastest = UINT64_MAX, deadline = cpu_rdtsc() + CAL_TIMEOUT;
    for (unsigned i = 0; i < CAL_WARMUP; i++) {
        struct sample w = read_sample();
        fastest = w.took < fastest ? w.took : fastest;
    }
    struct sample first = read_sample(), last;
    while (first.took > 2 * fastest && first.tsc < deadline)
        first = read_sample();
    uint64_t clocks = 0;
    uint16_t prev = first.pit;
    do {
        last = read_sample();
        clocks += pit_clocks_between(prev, last.pit, PIT_MAX_DIVISOR);
        prev = last.pit;
    } while ((clocks < IRQ_APIC_CAL_CLOCKS || last.took > 2 * fastest) && last.tsc < deadline);
    lapic_timer_stop(lapic);
    if (clocks < IRQ_APIC_CAL_CLOCKS || last.tsc >= deadline)
        return "the PIT does not count";
    info.tsc_khz = tsc_khz(last.tsc - first.tsc, clocks, 1);
    if (lapic_timer_hz(first.lapic - last.lapic, clocks, PIT_BASE_HZ, &info.timer_hz) != 0)
        return "the local APIC timer does not count";
    return NULL;
}

// The local APIC timer as the tick, periodic on vector 32 at the PIT's programmed rate. Returns
// NULL, or why not.
static const char *start_lapic_tick(void)
{
    const char *why = calibrate();
    KASSERT(pit_init_divisor(info.pit_divisor) == 0); // the tick's rate, as before the measure
    if (why != NULL)
        return why;
    info.divide = IRQ_APIC_TIMER_DIVIDE;
    if (lapic_timer_count(info.timer_hz, pit_frequency_mhz(), &info.count) != 0)
        return "the local APIC timer cannot reach the tick's rate";
    KASSERT(lapic_timer_start(lapic, cfg.vector_base, LAPIC_TIMER_PERIODIC, info.count) == 0);
    return NULL;
}

// Back to virtual wire mode: every pin masked, LINT0 open again.
static void give_back(void)
{
    for (size_t i = 0; i < chip_count; i++)
        ioapic_mask_all(&chips[i]);
    lapic_virtual_wire(lapic, cfg.spurious_vector);
    lapic = NULL;
    info = (struct irq_apic_info){0};
}

// Everything of irq_apic_init after the checks that change nothing.
static const char *take_over(void)
{
    const char *why = find_chips();
    if (why != NULL)
        return why;
    pic_disable(); // every 8259 line masked: from here on they raise nothing
    // LVT LINT0: masked (bit 16), fixed, vector 0; the 8259s' INTR no longer reaches the CPU.
    lapic->write(lapic->ctx, LAPIC_LVT_LINT0, LAPIC_LVT_MASKED);
    for (unsigned i = 0; i < cfg.n; i++)
        (void)route(cfg.irqs[i]); // an IRQ no chip has stays unrouted, as irq_apic_unmask reports
    if (!cfg.pit_tick) {
        why = start_lapic_tick();
        if (why == NULL) {
            info.active = true;
            return NULL;
        }
        kprintf("WARNING: irq: %s; the PIT stays the tick\n", why);
    }
    const struct irq_apic_route *pit = &info.irqs[PIT_IRQ];
    if (!pit->routed)
        return "no I/O APIC pin has the PIT's IRQ 0";
    KASSERT(ioapic_unmask(&chips[pit->chip], pit->pin) == 0);
    info.pit_tick = true;
    info.active = true;
    return NULL;
}

const char *irq_apic_init(const struct irq_apic_config *config)
{
    cfg = *config;
    madt = acpi_tables_madt();
    if (madt == NULL)
        return "no MADT";
    if (madt->ioapic_count == 0)
        return "the MADT lists no I/O APIC";
    if (apic_io() == NULL)
        return "the local APIC is not enabled";
    uint32_t dest = lapic_read_id(apic_io());
    if (dest > DEST_MAX)
        return "the boot CPU's APIC id is above 255";
    lapic = apic_io(); // EOIs go to the local APIC from here on
    info.dest = dest;
    info.pit_divisor = pit_divisor();
    const char *why = take_over();
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
        err =
            masked ? ioapic_mask(&chips[r->chip], r->pin) : ioapic_unmask(&chips[r->chip], r->pin);
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
