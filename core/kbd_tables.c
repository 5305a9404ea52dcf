// The US 104-key layout: set-1 scancodes to keys, keys to characters and names.
#include "core/kbd.h"

// Scancode set 1, single-byte make codes (OSDev "PS/2 Keyboard", scan code set 1; IBM PC/AT
// technical reference). 0x55 and 0x56 (the ISO 102nd key) are not on a US 104-key keyboard.
static const uint8_t set1_plain[0x59] = {
    [0x01] = KBD_KEY_ESCAPE,
    [0x02] = KBD_KEY_1,
    [0x03] = KBD_KEY_2,
    [0x04] = KBD_KEY_3,
    [0x05] = KBD_KEY_4,
    [0x06] = KBD_KEY_5,
    [0x07] = KBD_KEY_6,
    [0x08] = KBD_KEY_7,
    [0x09] = KBD_KEY_8,
    [0x0a] = KBD_KEY_9,
    [0x0b] = KBD_KEY_0,
    [0x0c] = KBD_KEY_MINUS,
    [0x0d] = KBD_KEY_EQUALS,
    [0x0e] = KBD_KEY_BACKSPACE,
    [0x0f] = KBD_KEY_TAB,
    [0x10] = KBD_KEY_Q,
    [0x11] = KBD_KEY_W,
    [0x12] = KBD_KEY_E,
    [0x13] = KBD_KEY_R,
    [0x14] = KBD_KEY_T,
    [0x15] = KBD_KEY_Y,
    [0x16] = KBD_KEY_U,
    [0x17] = KBD_KEY_I,
    [0x18] = KBD_KEY_O,
    [0x19] = KBD_KEY_P,
    [0x1a] = KBD_KEY_LEFT_BRACKET,
    [0x1b] = KBD_KEY_RIGHT_BRACKET,
    [0x1c] = KBD_KEY_ENTER,
    [0x1d] = KBD_KEY_LEFT_CTRL,
    [0x1e] = KBD_KEY_A,
    [0x1f] = KBD_KEY_S,
    [0x20] = KBD_KEY_D,
    [0x21] = KBD_KEY_F,
    [0x22] = KBD_KEY_G,
    [0x23] = KBD_KEY_H,
    [0x24] = KBD_KEY_J,
    [0x25] = KBD_KEY_K,
    [0x26] = KBD_KEY_L,
    [0x27] = KBD_KEY_SEMICOLON,
    [0x28] = KBD_KEY_APOSTROPHE,
    [0x29] = KBD_KEY_GRAVE,
    [0x2a] = KBD_KEY_LEFT_SHIFT,
    [0x2b] = KBD_KEY_BACKSLASH,
    [0x2c] = KBD_KEY_Z,
    [0x2d] = KBD_KEY_X,
    [0x2e] = KBD_KEY_C,
    [0x2f] = KBD_KEY_V,
    [0x30] = KBD_KEY_B,
    [0x31] = KBD_KEY_N,
    [0x32] = KBD_KEY_M,
    [0x33] = KBD_KEY_COMMA,
    [0x34] = KBD_KEY_PERIOD,
    [0x35] = KBD_KEY_SLASH,
    [0x36] = KBD_KEY_RIGHT_SHIFT,
    [0x37] = KBD_KEY_KP_STAR,
    [0x38] = KBD_KEY_LEFT_ALT,
    [0x39] = KBD_KEY_SPACE,
    [0x3a] = KBD_KEY_CAPS_LOCK,
    [0x3b] = KBD_KEY_F1,
    [0x3c] = KBD_KEY_F2,
    [0x3d] = KBD_KEY_F3,
    [0x3e] = KBD_KEY_F4,
    [0x3f] = KBD_KEY_F5,
    [0x40] = KBD_KEY_F6,
    [0x41] = KBD_KEY_F7,
    [0x42] = KBD_KEY_F8,
    [0x43] = KBD_KEY_F9,
    [0x44] = KBD_KEY_F10,
    [0x45] = KBD_KEY_NUM_LOCK,
    [0x46] = KBD_KEY_SCROLL_LOCK,
    [0x47] = KBD_KEY_KP_7,
    [0x48] = KBD_KEY_KP_8,
    [0x49] = KBD_KEY_KP_9,
    [0x4a] = KBD_KEY_KP_MINUS,
    [0x4b] = KBD_KEY_KP_4,
    [0x4c] = KBD_KEY_KP_5,
    [0x4d] = KBD_KEY_KP_6,
    [0x4e] = KBD_KEY_KP_PLUS,
    [0x4f] = KBD_KEY_KP_1,
    [0x50] = KBD_KEY_KP_2,
    [0x51] = KBD_KEY_KP_3,
    [0x52] = KBD_KEY_KP_0,
    [0x53] = KBD_KEY_KP_DECIMAL,
    [0x54] = KBD_KEY_PRINT_SCREEN, // SysRq: what Print Screen sends while Alt is down
    [0x57] = KBD_KEY_F11,
    [0x58] = KBD_KEY_F12,
};

// The codes that follow E0. E0 2A / E0 36 (fake shifts) stay KBD_KEY_NONE.
static const uint8_t set1_extended[0x5e] = {
    [0x1c] = KBD_KEY_KP_ENTER,     [0x1d] = KBD_KEY_RIGHT_CTRL, [0x35] = KBD_KEY_KP_SLASH,
    [0x37] = KBD_KEY_PRINT_SCREEN, [0x38] = KBD_KEY_RIGHT_ALT,  [0x46] = KBD_KEY_PAUSE,
    [0x47] = KBD_KEY_HOME,         [0x48] = KBD_KEY_UP,         [0x49] = KBD_KEY_PAGE_UP,
    [0x4b] = KBD_KEY_LEFT,         [0x4d] = KBD_KEY_RIGHT,      [0x4f] = KBD_KEY_END,
    [0x50] = KBD_KEY_DOWN,         [0x51] = KBD_KEY_PAGE_DOWN,  [0x52] = KBD_KEY_INSERT,
    [0x53] = KBD_KEY_DELETE,       [0x5b] = KBD_KEY_LEFT_GUI,   [0x5c] = KBD_KEY_RIGHT_GUI,
    [0x5d] = KBD_KEY_MENU,
};

// What the US layout prints on each key, and its name. Letters' `shifted` is the uppercase
// letter; whether it is used depends on Caps Lock too (kbd_key_char).
struct key_info {
    const char *name;
    char plain;
    char shifted;
};

#define LETTER(up, low) [KBD_KEY_##up] = {#up, low, (char)(low - 'a' + 'A')}
#define DIGIT(d, sh)    [KBD_KEY_##d] = {#d, (char)('0' + d), sh}
#define KP_DIGIT(d)     [KBD_KEY_KP_##d] = {"Keypad " #d, (char)('0' + d), (char)('0' + d)}
#define FKEY(n)         [KBD_KEY_F##n] = {"F" #n, 0, 0}

static const struct key_info keys[KBD_KEY_COUNT] = {
    [KBD_KEY_NONE] = {"None", 0, 0},
    LETTER(A, 'a'),
    LETTER(B, 'b'),
    LETTER(C, 'c'),
    LETTER(D, 'd'),
    LETTER(E, 'e'),
    LETTER(F, 'f'),
    LETTER(G, 'g'),
    LETTER(H, 'h'),
    LETTER(I, 'i'),
    LETTER(J, 'j'),
    LETTER(K, 'k'),
    LETTER(L, 'l'),
    LETTER(M, 'm'),
    LETTER(N, 'n'),
    LETTER(O, 'o'),
    LETTER(P, 'p'),
    LETTER(Q, 'q'),
    LETTER(R, 'r'),
    LETTER(S, 's'),
    LETTER(T, 't'),
    LETTER(U, 'u'),
    LETTER(V, 'v'),
    LETTER(W, 'w'),
    LETTER(X, 'x'),
    LETTER(Y, 'y'),
    LETTER(Z, 'z'),
    DIGIT(0, ')'),
    DIGIT(1, '!'),
    DIGIT(2, '@'),
    DIGIT(3, '#'),
    DIGIT(4, '$'),
    DIGIT(5, '%'),
    DIGIT(6, '^'),
    DIGIT(7, '&'),
    DIGIT(8, '*'),
    DIGIT(9, '('),
    [KBD_KEY_MINUS] = {"Minus", '-', '_'},
    [KBD_KEY_EQUALS] = {"Equals", '=', '+'},
    [KBD_KEY_LEFT_BRACKET] = {"Left Bracket", '[', '{'},
    [KBD_KEY_RIGHT_BRACKET] = {"Right Bracket", ']', '}'},
    [KBD_KEY_BACKSLASH] = {"Backslash", '\\', '|'},
    [KBD_KEY_SEMICOLON] = {"Semicolon", ';', ':'},
    [KBD_KEY_APOSTROPHE] = {"Apostrophe", '\'', '"'},
    [KBD_KEY_GRAVE] = {"Grave", '`', '~'},
    [KBD_KEY_COMMA] = {"Comma", ',', '<'},
    [KBD_KEY_PERIOD] = {"Period", '.', '>'},
    [KBD_KEY_SLASH] = {"Slash", '/', '?'},
    [KBD_KEY_SPACE] = {"Space", ' ', ' '},
    [KBD_KEY_ENTER] = {"Enter", '\n', '\n'},
    [KBD_KEY_BACKSPACE] = {"Backspace", '\b', '\b'},
    [KBD_KEY_TAB] = {"Tab", '\t', '\t'},
    [KBD_KEY_ESCAPE] = {"Escape", 0x1b, 0x1b},
    FKEY(1),
    FKEY(2),
    FKEY(3),
    FKEY(4),
    FKEY(5),
    FKEY(6),
    FKEY(7),
    FKEY(8),
    FKEY(9),
    FKEY(10),
    FKEY(11),
    FKEY(12),
    [KBD_KEY_LEFT_SHIFT] = {"Left Shift", 0, 0},
    [KBD_KEY_RIGHT_SHIFT] = {"Right Shift", 0, 0},
    [KBD_KEY_LEFT_CTRL] = {"Left Ctrl", 0, 0},
    [KBD_KEY_RIGHT_CTRL] = {"Right Ctrl", 0, 0},
    [KBD_KEY_LEFT_ALT] = {"Left Alt", 0, 0},
    [KBD_KEY_RIGHT_ALT] = {"Right Alt", 0, 0},
    [KBD_KEY_LEFT_GUI] = {"Left GUI", 0, 0},
    [KBD_KEY_RIGHT_GUI] = {"Right GUI", 0, 0},
    [KBD_KEY_MENU] = {"Menu", 0, 0},
    [KBD_KEY_CAPS_LOCK] = {"Caps Lock", 0, 0},
    [KBD_KEY_NUM_LOCK] = {"Num Lock", 0, 0},
    [KBD_KEY_SCROLL_LOCK] = {"Scroll Lock", 0, 0},
    [KBD_KEY_UP] = {"Up", 0, 0},
    [KBD_KEY_DOWN] = {"Down", 0, 0},
    [KBD_KEY_LEFT] = {"Left", 0, 0},
    [KBD_KEY_RIGHT] = {"Right", 0, 0},
    [KBD_KEY_INSERT] = {"Insert", 0, 0},
    [KBD_KEY_DELETE] = {"Delete", 0, 0},
    [KBD_KEY_HOME] = {"Home", 0, 0},
    [KBD_KEY_END] = {"End", 0, 0},
    [KBD_KEY_PAGE_UP] = {"Page Up", 0, 0},
    [KBD_KEY_PAGE_DOWN] = {"Page Down", 0, 0},
    KP_DIGIT(0),
    KP_DIGIT(1),
    KP_DIGIT(2),
    KP_DIGIT(3),
    KP_DIGIT(4),
    KP_DIGIT(5),
    KP_DIGIT(6),
    KP_DIGIT(7),
    KP_DIGIT(8),
    KP_DIGIT(9),
    [KBD_KEY_KP_DECIMAL] = {"Keypad .", '.', '.'},
    [KBD_KEY_KP_SLASH] = {"Keypad /", '/', '/'},
    [KBD_KEY_KP_STAR] = {"Keypad *", '*', '*'},
    [KBD_KEY_KP_MINUS] = {"Keypad -", '-', '-'},
    [KBD_KEY_KP_PLUS] = {"Keypad +", '+', '+'},
    [KBD_KEY_KP_ENTER] = {"Keypad Enter", '\n', '\n'},
    [KBD_KEY_PRINT_SCREEN] = {"Print Screen", 0, 0},
    [KBD_KEY_PAUSE] = {"Pause", 0, 0},
};

// The navigation keys printed under keypad 0..9 and Keypad . (5 has none).
static const uint8_t keypad_nav[] = {
    KBD_KEY_INSERT, KBD_KEY_END,  KBD_KEY_DOWN, KBD_KEY_PAGE_DOWN, KBD_KEY_LEFT,   KBD_KEY_KP_5,
    KBD_KEY_RIGHT,  KBD_KEY_HOME, KBD_KEY_UP,   KBD_KEY_PAGE_UP,   KBD_KEY_DELETE,
};

_Static_assert(KBD_KEY_COUNT <= 256, "key tables store keys as uint8_t");
_Static_assert(KBD_KEY_KP_DECIMAL - KBD_KEY_KP_0 + 1 == sizeof(keypad_nav), "keypad_nav size");

static bool in_range(enum kbd_key key, enum kbd_key first, enum kbd_key last)
{
    return key >= first && key <= last;
}

enum kbd_key kbd_set1_key(uint8_t code, bool extended)
{
    code &= 0x7f;
    if (extended)
        return code < sizeof(set1_extended) ? set1_extended[code] : KBD_KEY_NONE;
    return code < sizeof(set1_plain) ? set1_plain[code] : KBD_KEY_NONE;
}

char kbd_key_char(enum kbd_key key, uint16_t mods)
{
    if ((unsigned)key >= KBD_KEY_COUNT)
        return 0;
    bool shift = (mods & KBD_MOD_SHIFT) != 0;
    if (in_range(key, KBD_KEY_A, KBD_KEY_Z)) {
        if (mods & KBD_MOD_CTRL)
            return (char)(key - KBD_KEY_A + 1);
        bool caps = (mods & KBD_MOD_CAPS_LOCK) != 0;
        return shift != caps ? keys[key].shifted : keys[key].plain;
    }
    if (in_range(key, KBD_KEY_KP_0, KBD_KEY_KP_DECIMAL) && !(mods & KBD_MOD_NUM_LOCK))
        return 0;
    return shift ? keys[key].shifted : keys[key].plain;
}

enum kbd_key kbd_nav_key(enum kbd_key key, uint16_t mods)
{
    if (!in_range(key, KBD_KEY_KP_0, KBD_KEY_KP_DECIMAL) || (mods & KBD_MOD_NUM_LOCK))
        return key;
    return keypad_nav[key - KBD_KEY_KP_0];
}

const char *kbd_key_name(enum kbd_key key)
{
    if ((unsigned)key >= KBD_KEY_COUNT)
        return "?";
    return keys[key].name;
}
