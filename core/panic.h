// panic() and KASSERT for broken invariants and caller bugs. The kernel's panic prints and halts
// (or, in a test image, reports the failure and leaves QEMU); the host's fails the running test.
#pragma once

// Prints "panic: <message> at <file>:<line>" and never returns.
_Noreturn void panic_at(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define panic(...) panic_at(__FILE__, __LINE__, __VA_ARGS__)

// Panics with the failed condition and the function's name when cond is false.
#define KASSERT(cond)                                                                              \
    do {                                                                                           \
        if (!(cond))                                                                               \
            panic_at(__FILE__, __LINE__, "%s: assertion failed: %s", __func__, #cond);             \
    } while (0)
