// CPU exceptions (vectors 0-31): names, which push an error code, the page-fault error bits, and
// the report the kernel prints for an exception.
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EXC_DIVIDE_ERROR      0
#define EXC_DEBUG             1
#define EXC_NMI               2
#define EXC_BREAKPOINT        3
#define EXC_OVERFLOW          4
#define EXC_BOUND_RANGE       5
#define EXC_INVALID_OPCODE    6
#define EXC_DEVICE_NA         7
#define EXC_DOUBLE_FAULT      8
#define EXC_INVALID_TSS       10
#define EXC_SEGMENT_NP        11
#define EXC_STACK_FAULT       12
#define EXC_GENERAL_PROT      13
#define EXC_PAGE_FAULT        14
#define EXC_X87_FP            16
#define EXC_ALIGNMENT_CHECK   17
#define EXC_MACHINE_CHECK     18
#define EXC_SIMD_FP           19
#define EXC_VIRTUALIZATION    20
#define EXC_CONTROL_PROT      21
#define EXC_HYPERVISOR_INJECT 28
#define EXC_VMM_COMM          29
#define EXC_SECURITY          30
#define EXC_COUNT             32

// Page-fault error code bits (Intel SDM vol. 3, 4.7).
#define PF_PRESENT  (1u << 0) // 0: page not present; 1: protection violation
#define PF_WRITE    (1u << 1) // the access was a write
#define PF_USER     (1u << 2) // the access came from ring 3
#define PF_RESERVED (1u << 3) // a reserved bit was set in a paging entry
#define PF_FETCH    (1u << 4) // the access was an instruction fetch
#define PF_PKEY     (1u << 5) // protection-key violation
#define PF_SHADOW   (1u << 6) // shadow-stack access

// What the kernel knows of an exception when it reports it.
struct exception_info {
    uint64_t vector;
    uint64_t error_code; // 0 when the vector pushes none
    uint64_t rip, cs, rflags, rsp, ss;
    uint64_t cr2; // the faulting address; meaningful for page faults only
};

// "DIVIDE ERROR", "PAGE FAULT", ... for vectors 0-31 (the reserved ones are "RESERVED"); vectors
// 32 and above are not exceptions: "INTERRUPT". Never NULL.
const char *exception_name(uint64_t vector);

// Whether the CPU pushes an error code for this vector (8, 10-14, 17, 21, 29, 30); false for
// every vector >= 32.
bool exception_has_error_code(uint64_t vector);

// Writes the decoded page-fault error bits into buf ("not-present read kernel", "protection
// write user instruction-fetch", ...; reserved-bit, protection-key and shadow-stack are added when
// set). Returns what snprintf would: the full length, truncating to cap (cap 0: only counts, and
// buf may be NULL). buf NULL with cap > 0 is a caller bug (panic).
int exception_pf_decode(uint32_t error_code, char *buf, size_t cap);

// Formats the multi-line report the kernel prints for an exception:
//   EXCEPTION: PAGE FAULT (vector 14)
//     error code 0x2 [not-present write kernel]   (hex numbers always with 0x, 0 as 0x0)
//     accessed address (CR2) 0xdead000
//     rip 0x... cs 0x8 rflags 0x... rsp 0x... ss 0x10
// The error-code line appears for vectors with an error code, the CR2 line for page faults only.
// Returns the full length as snprintf does; info NULL or buf NULL with cap > 0 is a caller bug
// (panic).
int exception_format(const struct exception_info *info, char *buf, size_t cap);
