// PS/2 scancode set 1 decoder: the E0 prefix, the E1 Pause sequence, modifiers and locks.
#include "core/kbd.h"
#include "core/panic.h"

#include <stddef.h>

// Set 1 (OSDev "PS/2 Keyboard"): bit 7 of a code marks the break (release).
#define BREAK_BIT 0x80
#define PREFIX_E0 0xe0
#define PREFIX_E1 0xe1

// d->seq: no sequence, after E0, or SEQ_PAUSE + i while waiting for pause_tail[i].
enum {
    SEQ_NONE = 0,
    SEQ_E0 = 1,
    SEQ_PAUSE = 2,
};

// Pause sends E1 1D 45 E1 9D C5 on press (a make and a break of "E1 + Ctrl + Num Lock" at once)
// and nothing on release; these are the bytes after the first E1.
static const uint8_t pause_tail[] = {0x1d, 0x45, 0xe1, 0x9d, 0xc5};

#define SEQ_END (SEQ_PAUSE + sizeof(pause_tail))

// Answers to commands the host sent: ACK, resend, echo.
static bool is_reply(uint8_t byte)
{
    return byte == 0xfa || byte == 0xfe || byte == 0xee;
}

// Key detection error / buffer overrun (0x00, 0xff), self-test failed (0xfc, 0xfd).
static bool is_error(uint8_t byte)
{
    return byte == 0x00 || byte == 0xff || byte == 0xfc || byte == 0xfd;
}

static uint16_t modifier_bit(enum kbd_key key)
{
    switch (key) {
    case KBD_KEY_LEFT_SHIFT: return KBD_MOD_LSHIFT;
    case KBD_KEY_RIGHT_SHIFT: return KBD_MOD_RSHIFT;
    case KBD_KEY_LEFT_CTRL: return KBD_MOD_LCTRL;
    case KBD_KEY_RIGHT_CTRL: return KBD_MOD_RCTRL;
    case KBD_KEY_LEFT_ALT: return KBD_MOD_LALT;
    case KBD_KEY_RIGHT_ALT: return KBD_MOD_RALT;
    case KBD_KEY_LEFT_GUI: return KBD_MOD_LGUI;
    case KBD_KEY_RIGHT_GUI: return KBD_MOD_RGUI;
    default: return 0;
    }
}

static uint16_t lock_bit(enum kbd_key key)
{
    switch (key) {
    case KBD_KEY_CAPS_LOCK: return KBD_MOD_CAPS_LOCK;
    case KBD_KEY_NUM_LOCK: return KBD_MOD_NUM_LOCK;
    case KBD_KEY_SCROLL_LOCK: return KBD_MOD_SCROLL_LOCK;
    default: return 0;
    }
}

static bool is_down(const struct kbd_decoder *d, enum kbd_key key)
{
    return (d->down[key / 32] >> (key % 32)) & 1u;
}

static void set_down(struct kbd_decoder *d, enum kbd_key key, bool down)
{
    uint32_t bit = 1u << (key % 32);
    if (down)
        d->down[key / 32] |= bit;
    else
        d->down[key / 32] &= ~bit;
}

// Updates the key's state and fills *ev. A repeated make (no break since the last make) is a
// typematic repeat: it must not toggle a lock again.
static bool emit(struct kbd_decoder *d, enum kbd_key key, bool pressed, struct kbd_event *ev)
{
    bool was_down = is_down(d, key);
    // Pause never sends a break, so it would stay down forever and every later press would look
    // like a repeat.
    if (key != KBD_KEY_PAUSE)
        set_down(d, key, pressed);
    uint16_t mod = modifier_bit(key);
    if (pressed)
        d->mods |= mod;
    else
        d->mods &= (uint16_t)~mod;
    if (pressed && !was_down)
        d->mods ^= lock_bit(key);
    ev->key = key;
    ev->pressed = pressed;
    ev->repeat = pressed && was_down;
    ev->mods = d->mods;
    ev->ch = pressed ? kbd_key_char(key, d->mods) : 0;
    return true;
}

// A byte of the Pause sequence matched: Pause is pressed once its last byte is in.
static bool pause_advance(struct kbd_decoder *d, struct kbd_event *ev)
{
    d->seq++;
    if (d->seq < SEQ_END)
        return false;
    d->seq = SEQ_NONE;
    return emit(d, KBD_KEY_PAUSE, true, ev);
}

// A byte outside the Pause sequence: a prefix, or the code that ends a plain or E0 sequence.
static bool decode_code(struct kbd_decoder *d, uint8_t byte, struct kbd_event *ev)
{
    if (byte == PREFIX_E0 || byte == PREFIX_E1) {
        d->seq = byte == PREFIX_E0 ? SEQ_E0 : SEQ_PAUSE;
        return false;
    }
    bool extended = d->seq == SEQ_E0;
    d->seq = SEQ_NONE;
    enum kbd_key key = kbd_set1_key(byte, extended);
    bool pressed = (byte & BREAK_BIT) == 0;
    // E0 C6 ends Ctrl+Pause's make; Pause has no release.
    if (key == KBD_KEY_NONE || (key == KBD_KEY_PAUSE && !pressed))
        return false;
    return emit(d, key, pressed, ev);
}

void kbd_init(struct kbd_decoder *d)
{
    KASSERT(d != NULL);
    d->seq = SEQ_NONE;
    d->mods = 0;
    for (size_t i = 0; i < sizeof(d->down) / sizeof(d->down[0]); i++)
        d->down[i] = 0;
}

bool kbd_feed(struct kbd_decoder *d, uint8_t byte, struct kbd_event *ev)
{
    KASSERT(d != NULL);
    KASSERT(ev != NULL);
    KASSERT(d->seq < SEQ_END);
    if (is_reply(byte))
        return false;
    if (is_error(byte)) {
        d->seq = SEQ_NONE;
        return false;
    }
    if (d->seq >= SEQ_PAUSE) {
        if (byte == pause_tail[d->seq - SEQ_PAUSE])
            return pause_advance(d, ev);
        d->seq = SEQ_NONE; // resynchronise: the byte is decoded as if it came first
    }
    return decode_code(d, byte, ev);
}
