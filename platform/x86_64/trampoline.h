// The application processors' way from real mode to the kernel (trampoline.S): the code and its
// parameter block, assembled into .rodata and copied by kernel/smp to TRAMPOLINE_PHYS, a page
// below 1 MiB (a start-up IPI names a page number of 8 bits), where each AP starts in real mode at
// TRAMPOLINE_PHYS:0 after its SIPI. The page must be identity-mapped in the kernel's page tables
// while an AP runs it: paging comes on while the AP executes from it.
#pragma once

#define TRAMPOLINE_PHYS 0x8000 // below the EBDA and the BIOS data in use; checked against the map

#ifndef __ASSEMBLY__
#include <stdint.h>

// The trampoline's image (code, its GDT, the parameter block), to be copied whole.
extern const char trampoline_start[], trampoline_end[];

// The parameter block at the image's end, written by the boot CPU before each SIPI.
struct trampoline_params {
    uint32_t cr3;   // the kernel's PML4 (must be below 4 GiB: the 32-bit mov to CR3)
    uint32_t efer;  // EFER bits to set: LME, and NXE when the kernel uses NX
    uint64_t stack; // the AP's stack top (a higher-half address)
    uint64_t entry; // the C function called with arg: void entry(void *arg), never returns
    uint64_t arg;
};
extern const char trampoline_params[];
#endif
