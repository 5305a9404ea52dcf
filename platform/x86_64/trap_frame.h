// The register frame isr.S builds on the stack for every interrupt and exception, lowest address
// first: the general registers it pushes, the vector and error code (a 0 where the CPU pushes
// none), then what the CPU pushed. isr.S pushes in exactly this order; the asserts pin it.
#pragma once

#include <stddef.h>
#include <stdint.h>

struct trap_frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector, error_code;
    uint64_t rip, cs, rflags, rsp, ss; // pushed by the CPU
};

_Static_assert(offsetof(struct trap_frame, r15) == 0, "isr.S pushes r15 last");
_Static_assert(offsetof(struct trap_frame, rax) == 14 * 8, "isr.S pushes rax first");
_Static_assert(offsetof(struct trap_frame, vector) == 15 * 8, "stub pushes the vector");
_Static_assert(offsetof(struct trap_frame, error_code) == 16 * 8, "CPU or stub error code");
_Static_assert(offsetof(struct trap_frame, rip) == 17 * 8, "the CPU's frame starts at rip");
_Static_assert(offsetof(struct trap_frame, ss) == 21 * 8, "and ends at ss");
_Static_assert(sizeof(struct trap_frame) == 22 * 8, "a multiple of 16: the call stays aligned");

// Called by isr.S with the frame; defined by the kernel (kernel/trap.c).
void trap_dispatch(struct trap_frame *frame);
