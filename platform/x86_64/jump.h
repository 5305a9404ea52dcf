// A minimal setjmp/longjmp for the kernel: the in-kernel test runner uses it to get back from a
// test that panicked (or faulted) and go on with the next test.
#pragma once

#include <stdint.h>

// Callee-saved registers, stack pointer, resume address, RFLAGS and SS (offsets used by
// jump.S). SS is kept because a jump out of an IST handler would otherwise resume with the null
// SS the CPU loads when it switches to an IST stack.
struct arch_jmp {
    uint64_t rbx, rbp, r12, r13, r14, r15, rsp, rip, rflags, ss;
};

// Saves the caller's context in j and returns 0; returns again, with the value given to
// arch_longjmp (never 0), when arch_longjmp(j, value) is called.
int arch_setjmp(struct arch_jmp *j) __attribute__((returns_twice));

// Resumes the context saved in j (whose frame must still be live), restoring RFLAGS (and so the
// interrupt flag) and SS as they were at arch_setjmp. value 0 is turned into 1.
_Noreturn void arch_longjmp(const struct arch_jmp *j, int value);
