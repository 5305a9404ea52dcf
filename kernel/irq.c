// Hardware interrupt routing (see irq.h).
#include "kernel/irq.h"
#include "core/err.h"
#include "core/hw.h"
#include "core/panic.h"
#include "core/pic.h"
#include "core/pit.h"
#include "kernel/console.h"
#include "kernel/trap.h"
#include "platform/x86_64/apic.h"

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

static void irq_entry(struct trap_frame *frame)
{
    unsigned irq = (unsigned)(frame->vector - IRQ_VECTOR_BASE);
    // A spurious IRQ 7/15 gets no EOI from us (pic_is_spurious sends the master's for IRQ 15).
    if ((irq == 7 || irq == 15) && pic_is_spurious(irq))
        return; // counted by core/pic (pic_spurious_count)
    counts[irq]++;
    void (*handler)(unsigned) = irq_handlers[irq];
    if (handler != NULL)
        handler(irq);
    pic_eoi(irq);
    void (*on_exit)(void) = __atomic_load_n(&exit_hook, __ATOMIC_ACQUIRE);
    if (on_exit != NULL)
        on_exit(); // after the EOI: it may switch threads, and come back here much later
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
    pic_unmask(IRQ_TIMER);
}

void irq_set_handler(unsigned irq, void (*handler)(unsigned irq))
{
    KASSERT(irq < PIC_IRQS && irq != IRQ_TIMER);
    irq_handlers[irq] = handler;
    if (handler != NULL)
        pic_unmask(irq);
    else
        pic_mask(irq);
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
