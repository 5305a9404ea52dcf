// ARM semihosting (see semihosting.h).
#include "platform/cortex_m/semihosting.h"
#include "core/err.h"

#define SYS_GET_CMDLINE              0x15u
#define SYS_EXIT_EXTENDED            0x20u
#define ADP_STOPPED_APPLICATION_EXIT 0x20026u

// One request: the emulator reads r0 and the block r1 points to, and writes its answer to r0
// (and into the block).
static uint32_t call(uint32_t op, void *block)
{
    register uint32_t r0 __asm__("r0") = op;
    register void *r1 __asm__("r1") = block;
    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

_Noreturn void semihosting_exit(uint32_t status)
{
    // SYS_EXIT (0x18) on 32-bit ARM carries only the reason, which QEMU maps to 0 or 1; the
    // extended call's block also carries the status code.
    uint32_t block[2] = {ADP_STOPPED_APPLICATION_EXIT, status};
    for (;;)
        (void)call(SYS_EXIT_EXTENDED, block);
}

int semihosting_cmdline(char *buf, size_t cap)
{
    if (cap == 0)
        return E_INVAL;
    // In: the buffer and its size. Out: the length of the line, without its NUL.
    uint32_t block[2] = {(uint32_t)(uintptr_t)buf, (uint32_t)cap}; // size_t has 32 bits here
    if (call(SYS_GET_CMDLINE, block) != 0) {
        buf[0] = '\0';
        return E_TOOBIG;
    }
    return (int)block[1];
}
