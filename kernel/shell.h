// The kernel shell: a task with a prompt on the screen and on COM1. Keys from both input sources
// reach ONE line editor (core/lineedit): the PS/2 key events the keyboard task hands over (the
// shell is the keyboard's consumer, so the keyboard task no longer echoes on its own) and the
// bytes of the serial line (kernel/serial_input), decoded as a terminal's (le_term_feed). The
// editor's screen updates go to both outputs through console_edit. An entered line runs through
// core/shell's shell_run against the command table of kernel/shell_cmds.c, whose names Tab
// completes; a bad line gets shell_run's one-line message.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "core/task/task.h"

#define SHELL_PROMPT "> "

// Sets up the editor and takes the keyboard over (keyboard_set_consumer). Call after
// keyboard_init and serial_input_init; spawn shell_task() afterwards.
void shell_init(void);

// The shell task: prints a greeting and the prompt at its first poll, then edits and runs lines
// as keys arrive (never finishes).
struct task *shell_task(void);

// Runs line as an entered command line would run, with its messages, but without the editor (for
// tests); returns shell_run's answer. Executor context.
int shell_execute(const char *line);

// For tests: lines ended (Enter or Ctrl-C) since boot, keys the editor took from each source, the
// line being edited and the history (0 the newest entered line; NULL past the oldest).
enum shell_source { SHELL_SERIAL, SHELL_KEYBOARD, SHELL_SOURCES };
uint64_t shell_lines(void);
uint64_t shell_keys(enum shell_source src);
const char *shell_line(void);
const char *shell_history(size_t k);

// Keystroke-to-echo latency: for each character typed and shown, the TSC cycles from the
// interrupt that brought its last byte (or scancode) to the end of its echo on both outputs.
// Copies the newest min(cap, SHELL_LATENCY_SAMPLES) samples of src, oldest first, into out and
// returns how many it copied; shell_latency_reset forgets them all.
#define SHELL_LATENCY_SAMPLES 64
size_t shell_echo_latency(enum shell_source src, uint32_t *out, size_t cap);
void shell_latency_reset(void);
