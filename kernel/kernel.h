// What kmain sets up and other kernel code (and the QEMU scenarios) may read.
#pragma once

#include "core/bootinfo.h"

// The boot information parsed from the loader's block (valid from the late test stage on).
const struct boot_info *kernel_boot_info(void);
