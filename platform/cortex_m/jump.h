// A minimal setjmp/longjmp for the firmware: the QEMU test runner uses it to get back from a test
// that panicked (in thread mode) and go on with the next test. Only scenario images link it.
#pragma once

#include <stdint.h>

// The AAPCS callee-saved registers r4-r11, sp and lr (the resume address), PRIMASK, and the
// callee-saved FP registers s16-s31 (offsets used by jump.S).
struct cm_jmp {
    uint32_t r[10]; // r4-r11, sp, lr
    uint32_t primask;
    uint32_t s[16]; // s16-s31
};

// Saves the caller's context in j and returns 0; returns again, with the value given to
// cm_longjmp (never 0), when cm_longjmp(j, value) is called.
int cm_setjmp(struct cm_jmp *j) __attribute__((returns_twice));

// Resumes the context saved in j (whose frame must still be live), restoring PRIMASK (and so the
// interrupt mask) as it was at cm_setjmp. value 0 is turned into 1. Thread mode only.
_Noreturn void cm_longjmp(const struct cm_jmp *j, int value);
