// The per-CPU structs and GS (see percpu.h).
#include "platform/x86_64/percpu.h"
#include "core/panic.h"
#include "platform/x86_64/cpu.h"

#include <stddef.h>

#define MSR_GS_BASE 0xc0000101u

static struct percpu cpus[PERCPU_MAX];

struct percpu *percpu_of(unsigned index)
{
    KASSERT(index < PERCPU_MAX);
    return &cpus[index];
}

void percpu_install(struct percpu *p, unsigned index)
{
    p->self = p;
    p->index = index;
    cpu_wrmsr(MSR_GS_BASE, (uint64_t)p);
}

unsigned percpu_index_safe(void)
{
    const struct percpu *p = (const struct percpu *)cpu_rdmsr(MSR_GS_BASE);
    return p == NULL ? 0 : p->index;
}
