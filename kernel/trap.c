// Interrupt and exception dispatch (see trap.h); isr.S calls trap_dispatch for every vector.
#include "kernel/trap.h"
#include "core/exception.h"
#include "core/panic.h"
#include "kernel/console.h"
#include "kernel/smp.h"
#include "platform/x86_64/cpu.h"
#include "platform/x86_64/idt.h"
#include "platform/x86_64/percpu.h"

static void (*handlers[IDT_VECTORS])(struct trap_frame *frame);
static struct trap_record last;

void trap_set_handler(unsigned vector, void (*handler)(struct trap_frame *frame))
{
    KASSERT(vector < IDT_VECTORS);
    __atomic_store_n(&handlers[vector], handler, __ATOMIC_RELEASE);
}

const struct trap_record *trap_last(void)
{
    return &last;
}

static void report_exception(struct trap_frame *f)
{
    struct exception_info info = {
        .vector = f->vector,
        .error_code = f->error_code,
        .rip = f->rip,
        .cs = f->cs,
        .rflags = f->rflags,
        .rsp = f->rsp,
        .ss = f->ss,
        .cr2 = cpu_read_cr2(), // reported for page faults; recorded always (a double fault's
                               // cause is often the page fault CR2 still names)
    };
    last = (struct trap_record){info.vector,  info.error_code, info.rip,           info.cr2,
                                (uintptr_t)f, last.count + 1,  percpu_index_safe()};
    char report[512];
    exception_format(&info, report, sizeof(report));
    if (f->vector != EXC_BREAKPOINT)
        console_break_lock(); // the fault may have hit inside the console itself
    console_start_line();
    kprintf("%s", report);
    if (smp_cpus_online() > 1)
        kprintf("  on CPU %u\n", last.cpu);
    if (f->vector == EXC_BREAKPOINT)
        return; // rip already points after int3: execution continues
    panic("unhandled %s at rip %#llx", exception_name(f->vector), (unsigned long long)f->rip);
}

void trap_dispatch(struct trap_frame *frame)
{
    void (*handler)(struct trap_frame *) =
        __atomic_load_n(&handlers[frame->vector & 0xff], __ATOMIC_ACQUIRE);
    if (handler != NULL) {
        handler(frame);
        return;
    }
    if (frame->vector < EXC_COUNT) {
        report_exception(frame);
        return;
    }
    panic("unexpected interrupt on vector %llu (no handler)", (unsigned long long)frame->vector);
}
