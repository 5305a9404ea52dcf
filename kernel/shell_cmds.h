// The kernel shell's commands (kernel/shell.h): the table core/shell's shell_run looks lines up
// in, and what the commands get as their context.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "core/shell.h"

// What shell_run passes the commands as ctx.
struct shell_env {
    uint32_t self; // the shell task's id, so `tasks` can say which one is running
};

extern const struct shell_cmd shell_cmds[];
extern const size_t shell_ncmds;
