// The kernel shell's command language: a line is words separated by spaces, the first naming a
// command from a table, the rest its arguments. This file splits a line, finds the command, checks
// its argument count and runs it, answering every bad line with a one-line message; it also reads
// the arguments commands take (numbers, addresses, one of a set of words). The commands themselves
// live in the kernel (kernel/shell.c); this part is host-tested and fuzzed.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define SHELL_ARGS_MAX 8   // words of a line, the command's name included
#define SHELL_MSG_MAX  100 // a message buffer this long holds every message of shell_run uncut

struct shell_cmd {
    const char *name;  // one word, no spaces
    const char *usage; // its arguments for help and errors ("ADDR", "[check | bench N]"), or ""
    const char *help;  // what it does, one line
    size_t min_args, max_args; // arguments after the name
    // Runs the command with argv[0] its name and argv[1..argc-1] the arguments (argc counts the
    // name); returns 0 or a negative core/err.h code, which shell_run passes on.
    int (*run)(void *ctx, size_t argc, const char *const *argv);
};

// Splits line in place (each space after a word becomes a NUL) into at most max words, pointed
// at from argv[0..]. Returns the number of words (0 for an empty or all-space line), or E_TOOBIG
// when there are more than max (argv then holds the first max, and the line is cut after the
// last of them). Panics on a NULL line, or a NULL argv with max > 0.
int shell_split(char *line, const char **argv, size_t max);

// The command called name (compared whole and case-sensitively), or NULL. Panics on a NULL name,
// cmds NULL with n > 0, or a NULL cmds[i].name (once compared).
const struct shell_cmd *shell_find(const struct shell_cmd *cmds, size_t n, const char *name);

// Runs one line: splits it (in place), finds the command, checks its argument count and calls
// it. Returns:
//   0         an empty line (nothing is run), or what the command returned
//   E_TOOBIG  more than SHELL_ARGS_MAX words: "too many words: at most 8"
//   E_NOENT   no such command: "unknown command "NAME" (help lists them)"
//   E_INVAL   too few or too many arguments: "usage: NAME USAGE"
// with the message (no newline) in msg, cut to cap - 1 bytes; msg is "" when shell_run itself
// had nothing to say (an empty line, or the command ran: a failing command reports its own
// errors). A long unknown name is shown cut, so every message fits SHELL_MSG_MAX. Panics on a
// NULL line, cmds NULL with n > 0, a command without run, or msg NULL with cap > 0.
int shell_run(const struct shell_cmd *cmds, size_t n, char *line, void *ctx, char *msg, size_t cap);

// Reads an unsigned number: decimal, or hexadecimal after 0x or 0X; no sign, no spaces, at least
// one digit, any number of leading zeros. Returns 0 with *out set, E_INVAL when s is not such a
// number (""; "0x"; "-1"; "12a"), E_RANGE when it is one but exceeds UINT64_MAX. *out is written
// only on success. Panics on a NULL s or out.
int shell_parse_u64(const char *s, uint64_t *out);

// The index of s among choices[0..n) (compared whole), or E_NOENT. Panics on a NULL s, choices
// NULL with n > 0, or a NULL choices[i] (once compared).
int shell_parse_choice(const char *s, const char *const *choices, size_t n);
