// PS/2 keyboard decoder: scancode set 1, one byte at a time, into key events with the character
// the US 104-key layout gives.
//
// The IRQ 1 handler only reads port 0x60 and queues the byte; a task feeds the queued bytes to
// kbd_feed. The decoder touches no hardware, keeps no global state and is not thread safe: one
// task owns a decoder. Nothing here sets the keyboard LEDs; a caller that wants them follows
// KBD_MOD_*_LOCK in the events.
//
// Characters (kbd_key_char), for a press only; a release always has ch 0:
//   Letters      lowercase; uppercase when exactly one of Shift (either) and Caps Lock is on.
//   Digit row, punctuation
//                the unshifted US character, or with Shift the shifted one ("1" -> '!',
//                "'" -> '"', "`" -> '~' ...); Caps Lock does not affect them.
//   Space ' ', Enter '\n', Backspace '\b', Tab '\t', Escape 0x1b, with or without Shift.
//   Ctrl         Ctrl (either) + a letter gives the control character, whatever Shift and Caps Lock
//                are: Ctrl-A 0x01 ... Ctrl-Z 0x1a. Ctrl with any other key leaves its character
//                as it would be without Ctrl (Ctrl-1 '1', Ctrl-Enter '\n'); mods tells.
//   Alt, GUI     change no character (Alt-a 'a', AltGr is plain Right Alt in the US layout);
//                mods tells.
//   Keypad       with Num Lock on, digits give '0'..'9' and Keypad . gives '.'; with Num Lock off
//                they give no character and the event still names the keypad key (KBD_KEY_KP_8,
//                not KBD_KEY_UP): kbd_nav_key says which navigation key it stands for. Shift does
//                not invert Num Lock. Keypad / * - + give '/' '*' '-' '+' and Keypad Enter '\n'
//                always.
//   Every other key (F1-F12, modifiers, locks, arrows, Insert, Delete, Home, End, Page Up/Down,
//   Menu, Print Screen, Pause) gives no character (0).
#pragma once

#include <stdbool.h>
#include <stdint.h>

// Every key of a US 104-key keyboard. Letters, digits and keypad digits are contiguous runs.
enum kbd_key {
    KBD_KEY_NONE = 0,
    KBD_KEY_A,
    KBD_KEY_B,
    KBD_KEY_C,
    KBD_KEY_D,
    KBD_KEY_E,
    KBD_KEY_F,
    KBD_KEY_G,
    KBD_KEY_H,
    KBD_KEY_I,
    KBD_KEY_J,
    KBD_KEY_K,
    KBD_KEY_L,
    KBD_KEY_M,
    KBD_KEY_N,
    KBD_KEY_O,
    KBD_KEY_P,
    KBD_KEY_Q,
    KBD_KEY_R,
    KBD_KEY_S,
    KBD_KEY_T,
    KBD_KEY_U,
    KBD_KEY_V,
    KBD_KEY_W,
    KBD_KEY_X,
    KBD_KEY_Y,
    KBD_KEY_Z,
    KBD_KEY_0, // the digit row
    KBD_KEY_1,
    KBD_KEY_2,
    KBD_KEY_3,
    KBD_KEY_4,
    KBD_KEY_5,
    KBD_KEY_6,
    KBD_KEY_7,
    KBD_KEY_8,
    KBD_KEY_9,
    KBD_KEY_MINUS,         // - _
    KBD_KEY_EQUALS,        // = +
    KBD_KEY_LEFT_BRACKET,  // [ {
    KBD_KEY_RIGHT_BRACKET, // ] }
    KBD_KEY_BACKSLASH,     // \ |
    KBD_KEY_SEMICOLON,     // ; :
    KBD_KEY_APOSTROPHE,    // ' "
    KBD_KEY_GRAVE,         // ` ~
    KBD_KEY_COMMA,         // , <
    KBD_KEY_PERIOD,        // . >
    KBD_KEY_SLASH,         // / ?
    KBD_KEY_SPACE,
    KBD_KEY_ENTER,
    KBD_KEY_BACKSPACE,
    KBD_KEY_TAB,
    KBD_KEY_ESCAPE,
    KBD_KEY_F1,
    KBD_KEY_F2,
    KBD_KEY_F3,
    KBD_KEY_F4,
    KBD_KEY_F5,
    KBD_KEY_F6,
    KBD_KEY_F7,
    KBD_KEY_F8,
    KBD_KEY_F9,
    KBD_KEY_F10,
    KBD_KEY_F11,
    KBD_KEY_F12,
    KBD_KEY_LEFT_SHIFT,
    KBD_KEY_RIGHT_SHIFT,
    KBD_KEY_LEFT_CTRL,
    KBD_KEY_RIGHT_CTRL,
    KBD_KEY_LEFT_ALT,
    KBD_KEY_RIGHT_ALT,
    KBD_KEY_LEFT_GUI,
    KBD_KEY_RIGHT_GUI,
    KBD_KEY_MENU,
    KBD_KEY_CAPS_LOCK,
    KBD_KEY_NUM_LOCK,
    KBD_KEY_SCROLL_LOCK,
    KBD_KEY_UP,
    KBD_KEY_DOWN,
    KBD_KEY_LEFT,
    KBD_KEY_RIGHT,
    KBD_KEY_INSERT,
    KBD_KEY_DELETE,
    KBD_KEY_HOME,
    KBD_KEY_END,
    KBD_KEY_PAGE_UP,
    KBD_KEY_PAGE_DOWN,
    KBD_KEY_KP_0,
    KBD_KEY_KP_1,
    KBD_KEY_KP_2,
    KBD_KEY_KP_3,
    KBD_KEY_KP_4,
    KBD_KEY_KP_5,
    KBD_KEY_KP_6,
    KBD_KEY_KP_7,
    KBD_KEY_KP_8,
    KBD_KEY_KP_9,
    KBD_KEY_KP_DECIMAL,
    KBD_KEY_KP_SLASH,
    KBD_KEY_KP_STAR,
    KBD_KEY_KP_MINUS,
    KBD_KEY_KP_PLUS,
    KBD_KEY_KP_ENTER,
    KBD_KEY_PRINT_SCREEN,
    KBD_KEY_PAUSE,
    KBD_KEY_COUNT
};

// Modifier and lock state: a modifier bit is set while its key is down, a lock bit toggles on
// each fresh press of its key.
enum {
    KBD_MOD_LSHIFT = 1 << 0,
    KBD_MOD_RSHIFT = 1 << 1,
    KBD_MOD_LCTRL = 1 << 2,
    KBD_MOD_RCTRL = 1 << 3,
    KBD_MOD_LALT = 1 << 4,
    KBD_MOD_RALT = 1 << 5,
    KBD_MOD_LGUI = 1 << 6,
    KBD_MOD_RGUI = 1 << 7,
    KBD_MOD_CAPS_LOCK = 1 << 8,
    KBD_MOD_NUM_LOCK = 1 << 9,
    KBD_MOD_SCROLL_LOCK = 1 << 10,
    // Either side.
    KBD_MOD_SHIFT = KBD_MOD_LSHIFT | KBD_MOD_RSHIFT,
    KBD_MOD_CTRL = KBD_MOD_LCTRL | KBD_MOD_RCTRL,
    KBD_MOD_ALT = KBD_MOD_LALT | KBD_MOD_RALT,
    KBD_MOD_GUI = KBD_MOD_LGUI | KBD_MOD_RGUI,
};

struct kbd_event {
    enum kbd_key key; // never KBD_KEY_NONE
    bool pressed;     // true for a press (make code), false for a release (break code)
    bool repeat;      // a press of a key that is already down (typematic repeat); false on release
    char ch;          // the character the press gives (rules above), 0 for none; 0 on release
    uint16_t mods;    // KBD_MOD_* state after this event (a Shift press includes its own bit)
};

// Decoder state. The fields are private: use the functions below.
struct kbd_decoder {
    uint8_t seq;                              // where in a multi-byte sequence we are
    uint16_t mods;                            // KBD_MOD_* bits
    uint32_t down[(KBD_KEY_COUNT + 31) / 32]; // one bit per key that is down
};

// Starts d with no sequence in progress, every key up and every lock off; in particular Num Lock
// starts off (keypad digits give no character until Num Lock is pressed), whatever the keyboard's
// LEDs show. Panics if d is NULL.
void kbd_init(struct kbd_decoder *d);

// Feeds one byte read from port 0x60. Returns true and fills *ev when the byte completes a key
// event; returns false and leaves *ev untouched otherwise:
//   0xE0          prefix of an extended code; waits for the next byte.
//   0xE1          start of Pause (E1 1D 45 E1 9D C5); the five bytes after it give no event until
//                 the last, which gives one press of KBD_KEY_PAUSE. Pause has no release.
//   E0 2A, E0 AA, E0 36, E0 B6
//                 the fake shifts some keyboards wrap around extended keys (and Print Screen):
//                 no event, no change to the shift state. So Print Screen, E0 2A E0 37 and
//                 E0 B7 E0 AA, gives one press and one release of KBD_KEY_PRINT_SCREEN.
//   E0 46 / E0 C6 Ctrl+Pause (Break): one press of KBD_KEY_PAUSE, no release, no Scroll Lock.
//   0x54 / 0xD4   Alt+Print Screen (SysRq): press / release of KBD_KEY_PRINT_SCREEN.
//   0xFA, 0xFE, 0xEE
//                 the keyboard's answers to commands (ACK, resend, echo): no event; they may
//                 come between the bytes of a sequence, so a sequence in progress is kept.
//   0x00, 0xFF    key detection error / buffer overrun; 0xFC, 0xFD self-test failed: no event,
//                 and a sequence in progress is dropped (its other bytes may be lost).
//   undefined codes
//                 a single-byte or E0 code (make or break) that is no key of the US 104-key
//                 layout (0x55, 0x56, 0x59..0x7f, E0 plus anything not listed in kbd_set1_key,
//                 such as multimedia keys): no event.
// 0xAA is both Left Shift's break code and the keyboard's "self-test passed": it decodes as a
// Left Shift release (harmless after a reset). Likewise the decoder cannot tell other command
// answers (such as the identify bytes AB 83) from break codes: a caller that sends commands must
// not feed their answers.
// Resynchronisation: after E1, a byte that does not continue the Pause sequence drops it and is
// then decoded as if nothing came before it; after E0, another E0 or an E1 drops the first E0
// and starts afresh, while any other byte completes the extended code (an undefined one gives
// no event; it is not decoded as the single-byte key).
// Lock keys toggle their KBD_MOD_*_LOCK bit on a fresh press only: not on release, and not on a
// repeated make code while the key is still down (typematic repeat). A release of a key that is
// not down (held since before kbd_init) is still reported. Constant time, no I/O, safe to call
// from any context that owns d. Panics if d or ev is NULL or d's state is corrupt (caller bug).
bool kbd_feed(struct kbd_decoder *d, uint8_t byte, struct kbd_event *ev);

// Returns the key of set-1 code `code` (bit 7, the break bit, is ignored), with `extended` for a
// code that followed E0; KBD_KEY_NONE for an undefined code and for the fake shifts E0 2A and
// E0 36. The E0 codes: 1C Keypad Enter, 1D Right Ctrl, 35 Keypad /, 37 Print Screen, 38 Right
// Alt, 46 Pause (Ctrl+Break), 47 Home, 48 Up, 49 Page Up, 4B Left, 4D Right, 4F End, 50 Down,
// 51 Page Down, 52 Insert, 53 Delete, 5B Left GUI, 5C Right GUI, 5D Menu.
enum kbd_key kbd_set1_key(uint8_t code, bool extended);

// Returns the character a press of key gives with KBD_MOD_* state mods (rules at the top of this
// file); 0 for none, for KBD_KEY_NONE and for a value out of range.
char kbd_key_char(enum kbd_key key, uint16_t mods);

// Returns the navigation key that a keypad digit or Keypad . stands for when Num Lock is off in
// mods (Keypad 8 -> KBD_KEY_UP, 7 Home, 9 Page Up, 4 Left, 6 Right, 1 End, 2 Down, 3 Page Down,
// 0 Insert, . Delete); key itself for Keypad 5, with Num Lock on, and for every other key.
enum kbd_key kbd_nav_key(enum kbd_key key, uint16_t mods);

// Returns the key's name: "A", "1", "Enter", "Left Shift", "Keypad 7", "None" for KBD_KEY_NONE.
// Never NULL: "?" for a value out of range. Each key has its own name.
const char *kbd_key_name(enum kbd_key key);
