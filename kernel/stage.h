// Boot stages that code linked into only some images can attach to. kmain announces each stage as
// it reaches it; a component that is not part of every image (the QEMU test runner, which only
// scenario images link) registers a hook for a stage with STAGE_HOOK, in a linker section, so kmain
// needs no reference to it and the production image carries none of it. Everything that every
// image has is wired by kmain itself, by name.
#pragma once

#include <stdint.h>

enum kernel_stage {
    STAGE_CONSOLE, // the console works; nothing else is set up (no IDT: a fault triple-faults)
    STAGE_RUNNING, // every init step is done and interrupts are on; the executor starts next
    STAGE_EXIT,    // the machine stops for good next (a test image leaving QEMU, a panic halting),
                   // interrupts off: last words, such as coverage data
    STAGE_COUNT,
};

struct stage_hook {
    void (*fn)(void);
    uint32_t stage;
};

// Registers fn to run when kmain reaches `stage_`. Hooks of one stage run in link order.
#define STAGE_HOOK(stage_, fn_)                                                                    \
    static const struct stage_hook stage_hook_##fn_                                                \
        __attribute__((used, section(".stage_hooks"), aligned(8))) = {fn_, stage_}

// Runs every hook registered for `stage` the first time the stage is reached, and returns how many
// ran (0 in an image without any); later calls for the same stage run nothing and return 0, so a
// hook that panics during STAGE_EXIT cannot loop. A stage >= STAGE_COUNT panics.
unsigned stage_reached(enum kernel_stage stage);
