// What kmain sets up and other kernel code (and the QEMU scenarios) may read.
#pragma once

#include "core/bootinfo.h"

// The boot information parsed from the loader's block (valid once kmain has parsed it, right after
// STAGE_CONSOLE: not yet in KTEST_EARLY tests).
const struct boot_info *kernel_boot_info(void);
