// Kernel coverage, linked only into images built by `make coverage` (gcc with --coverage
// -fprofile-info-section): when the machine stops (STAGE_EXIT: a test image leaving QEMU, a
// panic) every instrumented unit's counters leave through QEMU's isa-debugcon port 0xe9, which the
// runner points at a file of its own, so the stream never mixes with the serial test protocol.
// This file itself is not instrumented (its own counters would change while it sends them).
//
// Safe from the first instruction: only C code is instrumented, and all of it runs after boot.S
// has entered long mode and cleared .bss, where the counters live.
//
// Also the three symbols libgcov's __gcov_info_to_gcda needs beyond the kernel: abort and mmap
// (used only for value-profiling counters, which --coverage does not emit) and __gcov_merge_add
// (every unit's gcov_info points at it; merging is the host's job).
#include <stddef.h>
#include <stdint.h>

#include "core/hw.h"
#include "core/panic.h"
#include "kernel/coverage/kcov_stream.h"
#include "kernel/smp.h"
#include "kernel/stage.h"
#include "platform/x86_64/cpu.h"

#define DEBUGCON_PORT 0xe9 // QEMU's isa-debugcon: every byte written goes to its chardev

extern const struct gcov_info *const __gcov_info_start[], *const __gcov_info_end[];

static void to_debugcon(const void *bytes, size_t len, void *ctx)
{
    (void)ctx;
    cpu_outsb(DEBUGCON_PORT, bytes, len);
}

static void send_coverage(void)
{
    smp_stop_others(); // the other CPUs' counters hold still too (whatever the hooks' order)
    unsigned long flags = hw_irq_save(); // counters frozen while they are read twice
    kcov_write(__gcov_info_start, __gcov_info_end, to_debugcon, NULL);
    hw_irq_restore(flags);
}

STAGE_HOOK(STAGE_EXIT, send_coverage);

// ---- what libgcov needs ------------------------------------------------------------------------

_Noreturn void abort(void);
void *mmap(void *addr, size_t len, int prot, int flags, int fd, long offset);
void __gcov_merge_add(void *counters, unsigned n);

_Noreturn void abort(void)
{
    panic("libgcov called abort()");
}

void *mmap(void *addr, size_t len, int prot, int flags, int fd, long offset)
{
    (void)addr;
    (void)prot;
    (void)flags;
    (void)fd;
    (void)offset;
    panic("libgcov asked for %zu bytes of memory (value profiling is not supported)", len);
}

void __gcov_merge_add(void *counters, unsigned n)
{
    (void)counters;
    (void)n;
    panic("__gcov_merge_add: the kernel never merges counters (the host does)");
}
