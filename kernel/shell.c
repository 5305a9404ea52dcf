// The kernel shell's task: input from both sources, the line editor, running lines (see shell.h).
#include "kernel/shell.h"
#include "core/lineedit.h"
#include "core/panic.h"
#include "core/ring.h"
#include "core/string.h"
#include "kernel/console.h"
#include "kernel/keyboard.h"
#include "kernel/serial_input.h"
#include "kernel/shell_cmds.h"
#include "platform/x86_64/cpu.h"

#define PER_POLL       32 // keys one poll handles before letting other tasks run
#define KEYS_QUEUE     64 // keyboard keys waiting for the shell
#define SHELL_CMDS_MAX 32

static struct lineedit editor;
static const char *names[SHELL_CMDS_MAX]; // the commands' names, for completion
static struct le_term term;               // the serial line's escape-sequence state
static struct shell_env env;
static bool started;

// Keys from the keyboard task (the consumer below) to the shell task, both in executor context:
// the key (kind << 8 | ch) and its scancode's time stamp, in step as kernel/keyboard.c's rings.
static uint32_t key_slots[KEYS_QUEUE], key_stamp_slots[KEYS_QUEUE];
static struct ring keys, key_stamps;
static struct waker key_waker;

static uint64_t lines, keys_taken[SHELL_SOURCES];

static struct latency {
    uint32_t samples[SHELL_LATENCY_SAMPLES];
    size_t count; // samples taken since the last reset; the newest at (count - 1) % SAMPLES
} latency[SHELL_SOURCES];

// ---- drawing and running ------------------------------------------------------------------------

static void draw(void *ctx, const struct le_op *op)
{
    (void)ctx;
    console_edit(op);
}

int shell_execute(const char *line)
{
    char buf[LE_LINE_MAX + 1], msg[SHELL_MSG_MAX];
    size_t n = strlen(line);
    if (n > LE_LINE_MAX)
        n = LE_LINE_MAX; // what the editor lets through
    memcpy(buf, line, n);
    buf[n] = '\0';
    int err = shell_run(shell_cmds, shell_ncmds, buf, &env, msg, sizeof(msg));
    if (msg[0] != '\0')
        kprintf("%s\n", msg);
    console_start_line(); // the next prompt starts a row, whatever the command printed
    return err;
}

static void prompt(void)
{
    console_start_line();
    le_start(&editor, SHELL_PROMPT);
}

// ---- input --------------------------------------------------------------------------------------

// The keyboard task's consumer: a key event becomes an editor key for the shell task.
static void on_key_event(void *ctx, const struct kbd_event *ev, uint32_t stamp)
{
    (void)ctx;
    struct le_key k;
    if (!le_key_from_kbd(ev, &k))
        return;
    // The keyboard task hands over at most its PER_POLL keys a round and the shell, polled in the
    // same round, takes them: only a shell stuck in a long command lets this queue fill. Then
    // the key is dropped, as the keyboard's own full queue drops scancodes.
    if (!ring_push(&keys, (uint32_t)k.kind << 8 | (uint8_t)k.ch))
        return;
    KASSERT(ring_push(&key_stamps, stamp));
    (void)waker_wake(&key_waker);
}

struct input {
    struct le_key key;
    uint32_t stamp;
    enum shell_source source;
};

// The next key from either source, or false after registering w with both.
static bool next_input(const struct waker *w, struct input *in)
{
    uint32_t v;
    key_waker = *w;
    if (ring_pop(&key_stamps, &in->stamp)) {
        KASSERT(ring_pop(&keys, &v));
        in->key = (struct le_key){(enum le_key_kind)(v >> 8), (char)(uint8_t)v};
        in->source = SHELL_KEYBOARD;
        return true;
    }
    uint8_t byte;
    while (serial_input_poll(w, &byte, &in->stamp) == POLL_READY) {
        if (le_term_feed(&term, byte, &in->key)) {
            in->source = SHELL_SERIAL;
            return true;
        }
    }
    return false;
}

static void record_latency(enum shell_source src, uint32_t stamp)
{
    struct latency *l = &latency[src];
    l->samples[l->count++ % SHELL_LATENCY_SAMPLES] = (uint32_t)cpu_rdtsc() - stamp;
}

static void handle(const struct input *in)
{
    keys_taken[in->source]++;
    enum le_result r = le_feed(&editor, &in->key);
    if (in->key.kind == LE_KEY_CHAR)
        record_latency(in->source, in->stamp);
    if (r == LE_DONE)
        (void)shell_execute(le_line(&editor));
    if (r != LE_EDITING) {
        lines++;
        prompt();
    }
}

static enum poll_result shell_poll(struct task *t, const struct waker *w)
{
    if (!started) {
        env.self = t->id;
        started = true;
        console_start_line();
        kprintf("kernel shell: type help for the commands\n");
        prompt();
    }
    struct input in;
    for (int n = 0; n < PER_POLL; n++) {
        if (!next_input(w, &in))
            return POLL_PENDING;
        handle(&in);
    }
    (void)waker_wake(w); // more may be waiting: come back after the other ready tasks
    return POLL_PENDING;
}

static struct task shell = {.poll = shell_poll};

struct task *shell_task(void)
{
    return &shell;
}

void shell_init(void)
{
    KASSERT(shell_ncmds <= sizeof(names) / sizeof(names[0]));
    for (size_t i = 0; i < shell_ncmds; i++)
        names[i] = shell_cmds[i].name;
    struct le_sink sink = {draw, NULL};
    le_init(&editor, &sink, names, shell_ncmds);
    le_term_init(&term);
    KASSERT(ring_init(&keys, key_slots, KEYS_QUEUE) == 0);
    KASSERT(ring_init(&key_stamps, key_stamp_slots, KEYS_QUEUE) == 0);
    keyboard_set_consumer(on_key_event, NULL);
}

// ---- numbers for tests --------------------------------------------------------------------------

uint64_t shell_lines(void)
{
    return lines;
}

uint64_t shell_keys(enum shell_source src)
{
    KASSERT(src < SHELL_SOURCES);
    return keys_taken[src];
}

const char *shell_line(void)
{
    return le_line(&editor);
}

const char *shell_history(size_t k)
{
    return le_history(&editor, k);
}

size_t shell_echo_latency(enum shell_source src, uint32_t *out, size_t cap)
{
    KASSERT(src < SHELL_SOURCES && (out != NULL || cap == 0));
    const struct latency *l = &latency[src];
    size_t have = l->count < SHELL_LATENCY_SAMPLES ? l->count : SHELL_LATENCY_SAMPLES;
    size_t n = have < cap ? have : cap;
    for (size_t i = 0; i < n; i++)
        out[i] = l->samples[(l->count - n + i) % SHELL_LATENCY_SAMPLES];
    return n;
}

void shell_latency_reset(void)
{
    memset(latency, 0, sizeof(latency));
}
