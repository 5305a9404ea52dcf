// The heap trace's sender: with `heap_trace=1` on the command line, kernel/heap.c hands every
// operation to heap_trace_record, which sends it as one line of a heap trace (core/heaptrace.h,
// docs/heap-trace.md) through QEMU's isa-debugcon at I/O port HEAP_TRACE_PORT, a device of its own
// (scripts/qemu_flags.py adds it), apart from the console and the coverage stream's port 0xe9.
// `heap_trace_max=N` stops the trace after N records (the initial region's included), so a long
// run can be recorded in part at little cost: writing a byte to the port is a trip out to QEMU.
//
// Only the heap calls these, under its lock (or in heap_init, before anyone else can reach the
// heap), so the records leave in the order the operations took effect. Nothing here allocates.
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/heaptrace.h"

#define HEAP_TRACE_PORT 0xea

// Reads `heap_trace=` and `heap_trace_max=` from the command line (a bad value is reported with a
// WARNING line and means no trace, or no maximum). When the trace is asked for, sends its header,
// a comment naming the design and the heap's limit, and the initial region [start, start +
// initial) as its first grow record. Returns whether the trace is on.
bool heap_trace_start(const char *cmdline, const char *design, uintptr_t start, size_t initial,
                      size_t limit);

// Sends one record (heaptrace.h says what each field holds per op). Returns true while the trace
// goes on; false once heap_trace_max records were sent: the trace then ends with a comment saying
// so, and the caller must not call again.
bool heap_trace_record(enum htrace_op op, size_t size, size_t align, uintptr_t address,
                       int64_t result);
