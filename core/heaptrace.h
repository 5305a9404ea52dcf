// The heap trace format's writer: one text line per heap operation, as the kernel streams them
// with `heap_trace=1` (kernel/heap.c) and the allocator benchmark replays them
// (test/bench/alloc_tracefile.h reads them). The format is described in docs/heap-trace.md:
//
//   heaptrace 1                                 the first line: the format and its version
//   # text                                      a comment (also: blank lines)
//   OP SIZE ALIGN ADDRESS RESULT                one record, OP alloc | free | grow
//
// SIZE and ALIGN are decimal, ADDRESS is 0x and lowercase hex digits, RESULT is decimal with a
// '-' when negative; one space between fields, the line ends in "\n".
#pragma once

#include <stddef.h>
#include <stdint.h>

#define HTRACE_VERSION 1
#define HTRACE_HEADER  "heaptrace 1\n" // the first line, with HTRACE_VERSION
// The longest record line, its newline and a NUL included: "alloc", four 20-character numbers
// (the address is 0x and 16 digits) and five separators come to 88 characters.
#define HTRACE_LINE_MAX 96

enum htrace_op {
    HTRACE_ALLOC, // address: the block returned, 0 for NULL; result: 0
    HTRACE_FREE,  // address: the pointer freed; result: the free's return code
    HTRACE_GROW,  // address: where the new bytes start; result: how many the heap gained
};

// The record's OP word ("alloc", "free", "grow"); NULL for a value that is not an htrace_op.
const char *htrace_op_name(enum htrace_op op);

// Writes the record line of one operation, "\n" and a NUL included, into buf. Returns its length
// without the NUL (at most HTRACE_LINE_MAX - 1). Never allocates and takes no lock: the caller
// serialises the writes of one trace. A NULL buf, a cap below HTRACE_LINE_MAX or an op that is
// not an htrace_op panics.
size_t htrace_format(char *buf, size_t cap, enum htrace_op op, uint64_t size, uint64_t align,
                     uint64_t address, int64_t result);
