// Hardware interrupt routing (see irq.h).
#include "kernel/irq.h"
#include "core/cmdline.h"
#include "core/err.h"
#include "core/hw.h"
#include "core/panic.h"
#include "core/pic.h"
#include "core/pit.h"
#include "core/string.h"
#include "kernel/acpi_tables.h"
#include "kernel/console.h"
#include "kernel/irq_apic.h"
#include "kernel/kernel.h"
#include "kernel/params.h"
#include "kernel/serial_input.h"
#include "kernel/trap.h"
#include "platform/x86_64/apic.h"
#include "platform/x86_64/percpu.h"

KERNEL_PARAM(irq);

#define IRQ_WORD_MAX 8 // room for the value of irq=

typedef void (*tick_hook)(uint64_t tick);

static void (*irq_handlers[PIC_IRQS])(unsigned irq);
static tick_hook tick_hooks[IRQ_TICK_HOOKS]; // changed with interrupts off; NULL slots are skipped
static uint64_t counts[PIC_IRQS];
static struct apic_found apic;
static uint64_t apic_spurious;
static void (*exit_hook)(void); // irq_set_exit_hook's

// A spurious APIC interrupt sets no in-service bit, so it gets no EOI (Intel SDM 11.9).
static void apic_spurious_entry(struct trap_frame *frame)
{
    (void)frame;
    apic_spurious++;
}

// Virtual wire mode for the local APIC, reporting what the firmware had left when it differed.
static void route_pic_through_apic(void)
{
    trap_set_handler(IRQ_APIC_SPURIOUS_VECTOR, apic_spurious_entry);
    if (!apic_route_pic(IRQ_APIC_SPURIOUS_VECTOR, &apic)) {
        kprintf("WARNING: local APIC at %#llx is outside the direct map; left as it was\n",
                (unsigned long long)apic.base);
        return;
    }
    const struct lapic_state *b = &apic.before;
    if (apic.changed)
        kprintf("irq: local %s was not in virtual wire mode (SVR %#x, TPR %#x, LINT0 %#x, LINT1 "
                "%#x, timer %#x, error %#x); set it\n",
                apic_mode_name(apic.mode), b->svr, b->tpr, b->lvt_lint0, b->lvt_lint1, b->lvt_timer,
                b->lvt_error);
}

// Every interrupt's handling ends here, after its EOI: the exit hook may switch threads, and come
// back here much later.
static void run_exit_hook(void)
{
    void (*on_exit)(void) = __atomic_load_n(&exit_hook, __ATOMIC_ACQUIRE);
    if (on_exit != NULL)
        on_exit();
}

static void irq_entry(struct trap_frame *frame)
{
    unsigned irq = (unsigned)(frame->vector - IRQ_VECTOR_BASE);
    const struct lapic_io *lapic = irq_apic_lapic(); // non-NULL: the I/O APIC path
    // A spurious IRQ 7/15 gets no EOI from us (pic_is_spurious sends the master's for IRQ 15).
    // On the I/O APIC path the 8259s are masked and LINT0 too: nothing of theirs arrives.
    if (lapic == NULL && (irq == 7 || irq == 15) && pic_is_spurious(irq))
        return; // counted by core/pic (pic_spurious_count)
    counts[irq]++;
    void (*handler)(unsigned) = irq_handlers[irq];
    if (handler != NULL)
        handler(irq);
    // The one place an IRQ's EOI is sent, on either path.
    if (lapic != NULL)
        lapic_eoi(lapic);
    else
        pic_eoi(irq);
    run_exit_hook();
}

static void (*local_tick_hook)(void);

// Another CPU's own timer tick: its hook, the EOI to its own APIC, the exit hook.
static void local_timer_entry(struct trap_frame *frame)
{
    (void)frame;
    percpu()->local_ticks++;
    void (*hook)(void) = __atomic_load_n(&local_tick_hook, __ATOMIC_ACQUIRE);
    if (hook != NULL)
        hook();
    lapic_eoi(&percpu()->lapic);
    run_exit_hook();
}

bool irq_start_local_timer(const struct lapic_io *lapic, void (*hook)(void))
{
    KASSERT(lapic != NULL && hook != NULL);
    const struct irq_apic_info *a = irq_apic_info();
    if (!a->active || a->pit_tick)
        return false;
    __atomic_store_n(&local_tick_hook, hook, __ATOMIC_RELEASE);
    trap_set_handler(IRQ_LOCAL_TIMER_VECTOR, local_timer_entry);
    KASSERT(lapic_timer_divide(lapic, a->divide) == 0);
    KASSERT(lapic_timer_start(lapic, IRQ_LOCAL_TIMER_VECTOR, LAPIC_TIMER_PERIODIC, a->count) == 0);
    return true;
}

static void timer_irq(unsigned irq)
{
    (void)irq;
    pit_tick();
    uint64_t now = pit_ticks();
    for (unsigned i = 0; i < IRQ_TICK_HOOKS; i++) {
        if (tick_hooks[i] != NULL)
            tick_hooks[i](now);
    }
}

// The ISA IRQs the kernel routes at once on the I/O APIC path (others when a handler comes).
static const uint8_t routed_irqs[] = {IRQ_TIMER, IRQ_KEYBOARD, IRQ_COM1};

enum irq_path { PATH_APIC, PATH_APIC_PIT, PATH_PIC };

// The path the command line asks for: irq=pic (the 8259s), irq=pit (the I/O APIC with the PIT as
// the tick), else the I/O APIC with its local APIC timer.
static enum irq_path wanted_path(void)
{
    char word[IRQ_WORD_MAX];
    int len = cmdline_get(kernel_boot_info()->cmdline, "irq", word, sizeof(word));
    if (len == E_NOENT)
        return PATH_APIC;
    if (len >= 0 && strcmp(word, "pic") == 0)
        return PATH_PIC;
    if (len >= 0 && strcmp(word, "pit") == 0)
        return PATH_APIC_PIT;
    kprintf("WARNING: irq: irq=%s%s is not irq=pic or irq=pit; taking the default path\n", word,
            len < 0 ? "..." : ""); // E_TOOBIG: the first IRQ_WORD_MAX - 1 characters
    return PATH_APIC;
}

// One line, short enough for one row of the framebuffer console (128 columns) on QEMU.
static void print_apic_path(void)
{
    const struct irq_apic_info *a = irq_apic_info();
    uint32_t mhz = pit_frequency_mhz();
    kprintf("irq: I/O APIC; ");
    if (a->pit_tick)
        kprintf("PIT tick %u.%03u Hz (divisor %u)", mhz / 1000, mhz % 1000, pit_divisor());
    else
        kprintf("LAPIC timer %llu.%03llu MHz /%u, %u per %u.%03u Hz tick",
                (unsigned long long)(a->timer_hz / 1000000),
                (unsigned long long)(a->timer_hz / 1000 % 1000), a->divide, a->count, mhz / 1000,
                mhz % 1000);
    kprintf("; pins:");
    for (unsigned irq = 0; irq < IRQ_APIC_ISA_IRQS; irq++) {
        const struct irq_apic_route *r = &a->irqs[irq];
        if (!r->routed)
            continue;
        kprintf(" IRQ%u->", irq);
        if (r->chip != 0)
            kprintf("%u:", r->chip);
        kprintf("%u%s%s%s", r->pin, r->active_low ? " low" : "", r->level ? " level" : "",
                irq == IRQ_TIMER && !a->pit_tick ? " (masked)" : "");
    }
    kprintf("\n");
}

void irq_init(uint32_t timer_hz)
{
    route_pic_through_apic();
    int err = pic_init(IRQ_VECTOR_BASE, IRQ_VECTOR_BASE + 8);
    KASSERT(err == 0);
    for (unsigned irq = 0; irq < PIC_IRQS; irq++)
        trap_set_handler(IRQ_VECTOR_BASE + irq, irq_entry);
    if (pit_init(timer_hz) != 0) {
        kprintf("WARNING: timer rate %u Hz is impossible; using %u Hz\n", timer_hz, PIT_DEFAULT_HZ);
        KASSERT(pit_init(PIT_DEFAULT_HZ) == 0);
    }
    irq_handlers[IRQ_TIMER] = timer_irq;
    enum irq_path path = wanted_path();
    const char *why = "irq=pic on the command line";
    if (path != PATH_PIC) {
        const struct irq_apic_config cfg = {
            .irqs = routed_irqs,
            .n = sizeof(routed_irqs),
            .vector_base = IRQ_VECTOR_BASE,
            .spurious_vector = IRQ_APIC_SPURIOUS_VECTOR,
            .pit_tick = path == PATH_APIC_PIT,
        };
        why = irq_apic_init(&cfg);
        if (why == NULL) {
            print_apic_path();
            return;
        }
        if (acpi_tables_madt() != NULL && acpi_tables_madt()->ioapic_count > 0)
            kprintf("WARNING: irq: cannot route through the I/O APIC: %s\n", why);
    }
    uint32_t mhz = pit_frequency_mhz();
    kprintf("irq: 8259 path (%s): PIT on IRQ 0 at %u.%03u Hz, divisor %u\n", why, mhz / 1000,
            mhz % 1000, pit_divisor());
    pic_unmask(IRQ_TIMER);
}

void irq_set_handler(unsigned irq, void (*handler)(unsigned irq))
{
    KASSERT(irq < PIC_IRQS && irq != IRQ_TIMER);
    irq_handlers[irq] = handler;
    if (irq_apic_lapic() != NULL) {
        int err = handler != NULL ? irq_apic_unmask(irq) : irq_apic_mask(irq);
        if (err != 0)
            kprintf("WARNING: irq: IRQ %u has no I/O APIC pin: %s\n", irq, err_str(err));
    } else if (handler != NULL) {
        pic_unmask(irq);
    } else {
        pic_mask(irq);
    }
}

void irq_set_exit_hook(void (*hook)(void))
{
    __atomic_store_n(&exit_hook, hook, __ATOMIC_RELEASE);
}

int irq_add_tick_hook(void (*hook)(uint64_t tick))
{
    if (hook == NULL)
        return E_INVAL;
    int err = E_BUSY;
    unsigned long flags = hw_irq_save();
    for (unsigned i = 0; i < IRQ_TICK_HOOKS; i++) {
        if (tick_hooks[i] == NULL) {
            tick_hooks[i] = hook;
            err = 0;
            break;
        }
    }
    hw_irq_restore(flags);
    return err;
}

int irq_remove_tick_hook(void (*hook)(uint64_t tick))
{
    int err = E_NOENT;
    unsigned long flags = hw_irq_save();
    for (unsigned i = 0; i < IRQ_TICK_HOOKS; i++) {
        if (hook != NULL && tick_hooks[i] == hook) {
            tick_hooks[i] = NULL;
            err = 0;
            break;
        }
    }
    hw_irq_restore(flags);
    return err;
}

uint64_t irq_count(unsigned irq)
{
    KASSERT(irq < PIC_IRQS);
    return __atomic_load_n(&counts[irq], __ATOMIC_RELAXED);
}

const struct apic_found *irq_apic(void)
{
    return &apic;
}

uint64_t irq_apic_spurious_count(void)
{
    return __atomic_load_n(&apic_spurious, __ATOMIC_RELAXED);
}
