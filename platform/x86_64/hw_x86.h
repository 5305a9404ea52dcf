// Kernel-only extensions of core/hw.h's x86_64 implementation.
#pragma once

#include <stdint.h>

// Tells hw_phys_to_virt how much physical memory the direct map at PHYS_MAP_BASE now covers
// (boot.S maps 4 GiB; the kernel's own address space maps all of it).
void hw_set_phys_map_size(uint64_t size);
