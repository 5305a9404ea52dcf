// ARM semihosting: requests from the firmware to the debugger or emulator that runs it, made with
// `bkpt 0xab` (r0 the operation, r1 its parameter block). QEMU answers them when started with
// `-semihosting-config enable=on,target=native`; on a machine with neither, the breakpoint is a
// HardFault (and, from the fault handler, a lockup).
#pragma once

#include <stddef.h>
#include <stdint.h>

// The exit statuses of a test image: the ones QEMU's isa-debug-exit gives the x86_64 kernel
// ((0x10 << 1) | 1 and (0x11 << 1) | 1), so the runner judges both machines alike.
#define CM_EXIT_PASS 33u
#define CM_EXIT_FAIL 35u

// Ends the emulation with `status` as QEMU's exit status (SYS_EXIT_EXTENDED with
// ADP_Stopped_ApplicationExit). Interrupts should be off. Never returns.
_Noreturn void semihosting_exit(uint32_t status);

// Copies the command line QEMU was given (`-semihosting-config ...,arg=WORD,...`, the words
// joined by spaces) into buf, NUL-terminated, and returns its length; E_TOOBIG when it does not
// fit in cap bytes (buf then holds ""), E_INVAL when cap is 0.
int semihosting_cmdline(char *buf, size_t cap);
