// The heap trace's sender (see heap_trace.h).
#include "kernel/heap_trace.h"
#include "core/cmdline.h"
#include "core/err.h"
#include "core/fmt.h"
#include "kernel/console.h"
#include "kernel/params.h"
#include "platform/x86_64/cpu.h"

KERNEL_PARAM(heap_trace);
KERNEL_PARAM(heap_trace_max);

static uint64_t left;    // records still to send; UINT64_MAX without heap_trace_max
static uint32_t maximum; // heap_trace_max, for the closing comment

static void send(const char *text, size_t len)
{
    cpu_outsb(HEAP_TRACE_PORT, text, len); // isa-debugcon: each byte goes to the trace's file
}

// Whether `heap_trace=1` asks for the trace (0 or no such word: no).
static bool asked(const char *cmdline)
{
    uint32_t on;
    int err = cmdline_get_u32(cmdline, "heap_trace", &on);
    if (err == E_NOENT)
        return false;
    if (err != 0 || on > 1) {
        kprintf("WARNING: heap_trace must be 0 or 1; no heap trace\n");
        return false;
    }
    return on == 1;
}

// How many records `heap_trace_max=N` allows (UINT64_MAX: no such word, or a bad value).
static uint64_t records_allowed(const char *cmdline)
{
    int err = cmdline_get_u32(cmdline, "heap_trace_max", &maximum);
    if (err == E_NOENT)
        return UINT64_MAX;
    if (err != 0 || maximum == 0) {
        kprintf("WARNING: heap_trace_max must be a number from 1 to %u; no maximum\n", UINT32_MAX);
        return UINT64_MAX;
    }
    return maximum;
}

bool heap_trace_start(const char *cmdline, const char *design, uintptr_t start, size_t initial,
                      size_t limit)
{
    left = records_allowed(cmdline); // read (and a bad value reported) even with no trace
    if (!asked(cmdline))
        return false;
    char line[128];
    int n = fmt_snprintf(line, sizeof(line), "%s# kernel heap: %s design, limit %zu bytes\n",
                         HTRACE_HEADER, design, limit);
    send(line, (size_t)n);
    return heap_trace_record(HTRACE_GROW, 0, 0, start, (int64_t)initial);
}

bool heap_trace_record(enum htrace_op op, size_t size, size_t align, uintptr_t address,
                       int64_t result)
{
    char line[HTRACE_LINE_MAX];
    send(line, htrace_format(line, sizeof(line), op, size, align, address, result));
    if (left != UINT64_MAX && --left == 0) {
        int n = fmt_snprintf(line, sizeof(line), "# stopped after %u records (heap_trace_max)\n",
                             maximum);
        send(line, (size_t)n);
        return false;
    }
    return true;
}
