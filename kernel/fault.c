// Exceptions on purpose (see fault.h). The instructions are written so the compiler cannot drop
// or change them: volatile accesses, and assembly where C would let it fold the operation away.
#include "kernel/fault.h"
#include "core/string.h"

#include <stdint.h>

static volatile uint32_t zero;            // a divisor the compiler cannot see is 0
static const uint64_t read_only_word = 1; // in .rodata: mapped present, read-only
static uint8_t data_code[16] = {0xc3};    // `ret` in .data: mapped no-execute
static volatile int stop_at = -1;         // never reached: the recursion looks bounded

static void breakpoint(void)
{
    __asm__ volatile("int3");
}

static void divide(void)
{
    uint32_t low = 1, high = 0;
    __asm__ volatile("divl %2" : "+a"(low), "+d"(high) : "r"(zero));
}

static void pf_read(void)
{
    (void)*(volatile uint8_t *)FAULT_UNMAPPED_ADDRESS;
}

static void pf_write(void)
{
    *(volatile uint64_t *)(uintptr_t)&read_only_word = 2;
}

static void pf_exec(void)
{
    void (*fn)(void) = (void (*)(void))(uintptr_t)data_code;
    fn();
}

static void general_protection(void)
{
    // A non-canonical address (bits 63-47 not all equal) raises #GP, not #PF.
    (void)*(volatile uint64_t *)0x8000000000000000ull;
}

static void invalid_opcode(void)
{
    __asm__ volatile("ud2");
}

// Not a tail call (the result is used after the call) and a volatile frame, so each level takes
// stack until the guard page under the stack: a page fault that cannot push its frame, so a
// double fault on its own stack.
static int recurse(int depth)
{
    volatile char frame[64];
    frame[0] = (char)depth;
    if (depth == stop_at)
        return 0;
    return recurse(depth + 1) + frame[0];
}

static void stack_overflow(void)
{
    (void)recurse(0);
}

static const struct fault_kind kinds[] = {
    {"breakpoint", "int3 (#BP): reported, then execution resumes", breakpoint},
    {"divide", "divide by zero (#DE)", divide},
    {"pf-read", "read an unmapped address (#PF)", pf_read},
    {"pf-write", "write to read-only .rodata (#PF)", pf_write},
    {"pf-exec", "run code in no-execute .data (#PF)", pf_exec},
    {"gp", "read a non-canonical address (#GP)", general_protection},
    {"ud", "an undefined instruction (#UD)", invalid_opcode},
    {"stack-overflow", "recurse into the stack's guard page (#DF)", stack_overflow},
};

const struct fault_kind *fault_kinds(size_t *n)
{
    *n = sizeof(kinds) / sizeof(kinds[0]);
    return kinds;
}

const struct fault_kind *fault_find(const char *name)
{
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        if (strcmp(kinds[i].name, name) == 0)
            return &kinds[i];
    }
    return NULL;
}
