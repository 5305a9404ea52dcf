// Tests for core/kbd.c and core/kbd_tables.c: the whole scancode set 1 table (make and break),
// characters under every modifier and lock, lock toggling and auto-repeat, fake shifts, Print
// Screen, Pause, bytes that are not key codes, resynchronisation, key names and bad arguments.
#include "core/kbd.h"
#include "platform/host/mock_hw.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#define K(name)   KBD_KEY_##name
#define LEN(a)    (sizeof(a) / sizeof((a)[0]))
#define FEED(...) feed_bytes((const uint8_t[]){__VA_ARGS__}, sizeof((uint8_t[]){__VA_ARGS__}))
#define LSHIFT    0x2a
#define LCTRL     0x1d
#define CAPS      0x3a
#define NUM       0x45
#define BRK(code) ((uint8_t)((code) | 0x80))
#define ESC       0x1b

struct row {
    uint8_t code;
    enum kbd_key key;
    char plain;   // the press's character in the initial state (Num Lock off)
    char shifted; // with Left Shift held
};

// Every single-byte code 0x01..0x58 that is a key of the US 104-key layout.
// clang-format off
static const struct row single[] = {
    {0x01, K(ESCAPE), ESC, ESC},     {0x02, K(1), '1', '!'},         {0x03, K(2), '2', '@'},
    {0x04, K(3), '3', '#'},          {0x05, K(4), '4', '$'},         {0x06, K(5), '5', '%'},
    {0x07, K(6), '6', '^'},          {0x08, K(7), '7', '&'},         {0x09, K(8), '8', '*'},
    {0x0a, K(9), '9', '('},          {0x0b, K(0), '0', ')'},         {0x0c, K(MINUS), '-', '_'},
    {0x0d, K(EQUALS), '=', '+'},     {0x0e, K(BACKSPACE), '\b', '\b'}, {0x0f, K(TAB), '\t', '\t'},
    {0x10, K(Q), 'q', 'Q'},          {0x11, K(W), 'w', 'W'},         {0x12, K(E), 'e', 'E'},
    {0x13, K(R), 'r', 'R'},          {0x14, K(T), 't', 'T'},         {0x15, K(Y), 'y', 'Y'},
    {0x16, K(U), 'u', 'U'},          {0x17, K(I), 'i', 'I'},         {0x18, K(O), 'o', 'O'},
    {0x19, K(P), 'p', 'P'},          {0x1a, K(LEFT_BRACKET), '[', '{'},
    {0x1b, K(RIGHT_BRACKET), ']', '}'}, {0x1c, K(ENTER), '\n', '\n'}, {0x1d, K(LEFT_CTRL), 0, 0},
    {0x1e, K(A), 'a', 'A'},          {0x1f, K(S), 's', 'S'},         {0x20, K(D), 'd', 'D'},
    {0x21, K(F), 'f', 'F'},          {0x22, K(G), 'g', 'G'},         {0x23, K(H), 'h', 'H'},
    {0x24, K(J), 'j', 'J'},          {0x25, K(K), 'k', 'K'},         {0x26, K(L), 'l', 'L'},
    {0x27, K(SEMICOLON), ';', ':'},  {0x28, K(APOSTROPHE), '\'', '"'}, {0x29, K(GRAVE), '`', '~'},
    {0x2a, K(LEFT_SHIFT), 0, 0},     {0x2b, K(BACKSLASH), '\\', '|'}, {0x2c, K(Z), 'z', 'Z'},
    {0x2d, K(X), 'x', 'X'},          {0x2e, K(C), 'c', 'C'},         {0x2f, K(V), 'v', 'V'},
    {0x30, K(B), 'b', 'B'},          {0x31, K(N), 'n', 'N'},         {0x32, K(M), 'm', 'M'},
    {0x33, K(COMMA), ',', '<'},      {0x34, K(PERIOD), '.', '>'},    {0x35, K(SLASH), '/', '?'},
    {0x36, K(RIGHT_SHIFT), 0, 0},    {0x37, K(KP_STAR), '*', '*'},   {0x38, K(LEFT_ALT), 0, 0},
    {0x39, K(SPACE), ' ', ' '},      {0x3a, K(CAPS_LOCK), 0, 0},     {0x3b, K(F1), 0, 0},
    {0x3c, K(F2), 0, 0},             {0x3d, K(F3), 0, 0},            {0x3e, K(F4), 0, 0},
    {0x3f, K(F5), 0, 0},             {0x40, K(F6), 0, 0},            {0x41, K(F7), 0, 0},
    {0x42, K(F8), 0, 0},             {0x43, K(F9), 0, 0},            {0x44, K(F10), 0, 0},
    {0x45, K(NUM_LOCK), 0, 0},       {0x46, K(SCROLL_LOCK), 0, 0},   {0x47, K(KP_7), 0, 0},
    {0x48, K(KP_8), 0, 0},           {0x49, K(KP_9), 0, 0},          {0x4a, K(KP_MINUS), '-', '-'},
    {0x4b, K(KP_4), 0, 0},           {0x4c, K(KP_5), 0, 0},          {0x4d, K(KP_6), 0, 0},
    {0x4e, K(KP_PLUS), '+', '+'},    {0x4f, K(KP_1), 0, 0},          {0x50, K(KP_2), 0, 0},
    {0x51, K(KP_3), 0, 0},           {0x52, K(KP_0), 0, 0},          {0x53, K(KP_DECIMAL), 0, 0},
    {0x54, K(PRINT_SCREEN), 0, 0},   {0x57, K(F11), 0, 0},           {0x58, K(F12), 0, 0},
};

// Every code after E0 that is a key (the fake shifts E0 2A / E0 36 are not).
static const struct row extended[] = {
    {0x1c, K(KP_ENTER), '\n', '\n'}, {0x1d, K(RIGHT_CTRL), 0, 0},    {0x35, K(KP_SLASH), '/', '/'},
    {0x37, K(PRINT_SCREEN), 0, 0},   {0x38, K(RIGHT_ALT), 0, 0},     {0x46, K(PAUSE), 0, 0},
    {0x47, K(HOME), 0, 0},           {0x48, K(UP), 0, 0},            {0x49, K(PAGE_UP), 0, 0},
    {0x4b, K(LEFT), 0, 0},           {0x4d, K(RIGHT), 0, 0},         {0x4f, K(END), 0, 0},
    {0x50, K(DOWN), 0, 0},           {0x51, K(PAGE_DOWN), 0, 0},     {0x52, K(INSERT), 0, 0},
    {0x53, K(DELETE), 0, 0},         {0x5b, K(LEFT_GUI), 0, 0},      {0x5c, K(RIGHT_GUI), 0, 0},
    {0x5d, K(MENU), 0, 0},
};

// Keypad digits and Keypad . with Num Lock on.
static const struct row keypad_num[] = {
    {0x52, K(KP_0), '0', '0'},       {0x4f, K(KP_1), '1', '1'},      {0x50, K(KP_2), '2', '2'},
    {0x51, K(KP_3), '3', '3'},       {0x4b, K(KP_4), '4', '4'},      {0x4c, K(KP_5), '5', '5'},
    {0x4d, K(KP_6), '6', '6'},       {0x47, K(KP_7), '7', '7'},      {0x48, K(KP_8), '8', '8'},
    {0x49, K(KP_9), '9', '9'},       {0x53, K(KP_DECIMAL), '.', '.'},
};
// clang-format on

static struct kbd_decoder d;
static struct kbd_event events[16];

static int setup(void **state)
{
    mock_hw_reset();
    kbd_init(&d);
    memset(events, 0, sizeof(events));
    return 0;
}

// Feeds the bytes to d; returns how many events they gave, stored in events[].
static size_t feed_bytes(const uint8_t *bytes, size_t n)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++) {
        struct kbd_event ev;
        if (kbd_feed(&d, bytes[i], &ev)) {
            assert_true(count < LEN(events));
            events[count++] = ev;
        }
    }
    return count;
}

// Feeds code, after E0 when ext, which must give exactly one event, and returns it.
static struct kbd_event key_event(bool ext, uint8_t code)
{
    assert_int_equal(ext ? FEED(0xe0, code) : FEED(code), 1);
    return events[0];
}

// Feeds the bytes, which must give exactly one event, and returns it.
#define ONE(...) (assert_int_equal(FEED(__VA_ARGS__), 1), events[0])

static void assert_event(struct kbd_event ev, enum kbd_key key, bool pressed, char ch)
{
    assert_string_equal(kbd_key_name(ev.key), kbd_key_name(key));
    assert_int_equal(ev.pressed, pressed);
    assert_int_equal(ev.ch, ch);
}

static bool is_letter(enum kbd_key key)
{
    return key >= K(A) && key <= K(Z);
}

static bool in_table(const struct row *table, size_t n, uint8_t code)
{
    for (size_t i = 0; i < n; i++)
        if (table[i].code == code)
            return true;
    return false;
}

// ---- the set-1 table ------------------------------------------------------------------------

static void single_byte_make_codes_press_their_key_with_plain_char(void **state)
{
    for (size_t i = 0; i < LEN(single); i++) {
        kbd_init(&d);
        struct kbd_event ev = ONE(single[i].code);
        assert_event(ev, single[i].key, true, single[i].plain);
        assert_false(ev.repeat);
    }
}

static void single_byte_break_codes_release_their_key_without_char(void **state)
{
    for (size_t i = 0; i < LEN(single); i++) {
        kbd_init(&d);
        FEED(single[i].code);
        assert_event(ONE(BRK(single[i].code)), single[i].key, false, 0);
        assert_false(events[0].repeat);
    }
}

static void shift_gives_shifted_char_for_every_single_byte_code(void **state)
{
    for (size_t i = 0; i < LEN(single); i++) {
        kbd_init(&d);
        FEED(LSHIFT);
        assert_event(ONE(single[i].code), single[i].key, true, single[i].shifted);
        if (single[i].key != K(LEFT_SHIFT))
            assert_event(ONE(BRK(single[i].code)), single[i].key, false, 0);
    }
}

static void single_byte_codes_outside_the_table_give_no_event(void **state)
{
    for (unsigned code = 0x00; code <= 0x7f; code++) {
        if (in_table(single, LEN(single), (uint8_t)code))
            continue;
        kbd_init(&d);
        assert_int_equal(FEED((uint8_t)code), 0);
        kbd_init(&d);
        assert_int_equal(FEED(BRK(code)), 0);
    }
}

static void extended_make_codes_press_their_key_with_plain_char(void **state)
{
    for (size_t i = 0; i < LEN(extended); i++) {
        kbd_init(&d);
        struct kbd_event ev = ONE(0xe0, extended[i].code);
        assert_event(ev, extended[i].key, true, extended[i].plain);
        assert_false(ev.repeat);
    }
}

static void extended_break_codes_release_their_key_without_char(void **state)
{
    for (size_t i = 0; i < LEN(extended); i++) {
        kbd_init(&d);
        FEED(0xe0, extended[i].code);
        if (extended[i].key == K(PAUSE)) // Ctrl+Pause: E0 C6 ends the make, there is no release
            assert_int_equal(FEED(0xe0, BRK(extended[i].code)), 0);
        else
            assert_event(ONE(0xe0, BRK(extended[i].code)), extended[i].key, false, 0);
    }
}

static void shift_gives_shifted_char_for_every_extended_code(void **state)
{
    for (size_t i = 0; i < LEN(extended); i++) {
        kbd_init(&d);
        FEED(LSHIFT);
        assert_event(ONE(0xe0, extended[i].code), extended[i].key, true, extended[i].shifted);
    }
}

static void extended_codes_outside_the_table_give_no_event(void **state)
{
    for (unsigned code = 0x00; code <= 0x7f; code++) {
        if (in_table(extended, LEN(extended), (uint8_t)code))
            continue;
        kbd_init(&d);
        assert_int_equal(FEED(0xe0, (uint8_t)code), 0);
        kbd_init(&d);
        assert_int_equal(FEED(0xe0, BRK(code)), 0);
    }
}

static void undefined_extended_code_is_not_decoded_as_the_single_byte_key(void **state)
{
    assert_int_equal(FEED(0xe0, 0x20, 0xe0, 0xa0), 0); // multimedia Mute, not D
    assert_event(ONE(0x20), K(D), true, 'd');
}

static void every_key_has_a_scancode(void **state)
{
    for (int key = K(A); key < KBD_KEY_COUNT; key++) {
        bool found = false;
        for (size_t i = 0; i < LEN(single); i++)
            found |= single[i].key == (enum kbd_key)key;
        for (size_t i = 0; i < LEN(extended); i++)
            found |= extended[i].key == (enum kbd_key)key;
        assert_true(found);
    }
}

static void set1_key_ignores_the_break_bit(void **state)
{
    assert_int_equal(kbd_set1_key(0x9e, false), K(A));
    assert_int_equal(kbd_set1_key(0xc8, true), K(UP));
    assert_int_equal(kbd_set1_key(0x2a, true), K(NONE));
    assert_int_equal(kbd_set1_key(0xff, true), K(NONE));
}

// ---- modifiers ------------------------------------------------------------------------------

static void each_modifier_sets_its_own_bit_while_down(void **state)
{
    static const struct {
        bool ext;
        uint8_t code;
        uint16_t bit;
    } mods[] = {
        {false, 0x2a, KBD_MOD_LSHIFT}, {false, 0x36, KBD_MOD_RSHIFT}, {false, 0x1d, KBD_MOD_LCTRL},
        {true, 0x1d, KBD_MOD_RCTRL},   {false, 0x38, KBD_MOD_LALT},   {true, 0x38, KBD_MOD_RALT},
        {true, 0x5b, KBD_MOD_LGUI},    {true, 0x5c, KBD_MOD_RGUI},
    };
    for (size_t i = 0; i < LEN(mods); i++) {
        kbd_init(&d);
        assert_int_equal(key_event(mods[i].ext, mods[i].code).mods, mods[i].bit);
        assert_int_equal(key_event(mods[i].ext, BRK(mods[i].code)).mods, 0);
    }
}

static void left_and_right_shift_are_tracked_separately(void **state)
{
    FEED(LSHIFT, 0x36, BRK(LSHIFT));
    assert_int_equal(ONE(0x1e).mods, KBD_MOD_RSHIFT);
    assert_int_equal(events[0].ch, 'A');
    FEED(BRK(0x36));
    assert_int_equal(ONE(0x1e).ch, 'a');
}

static void left_and_right_ctrl_are_tracked_separately(void **state)
{
    FEED(0xe0, 0x1d, LCTRL);
    assert_int_equal(ONE(0xe0, BRK(0x1d)).mods, KBD_MOD_LCTRL);
    assert_int_equal(ONE(BRK(LCTRL)).mods, 0);
}

// ---- characters -----------------------------------------------------------------------------

static void caps_lock_gives_uppercase_letters(void **state)
{
    FEED(CAPS, BRK(CAPS));
    for (size_t i = 0; i < LEN(single); i++)
        if (is_letter(single[i].key))
            assert_int_equal(ONE(single[i].code).ch, single[i].shifted);
}

static void shift_with_caps_lock_gives_lowercase_letters(void **state)
{
    FEED(CAPS, BRK(CAPS), 0x36);
    for (size_t i = 0; i < LEN(single); i++)
        if (is_letter(single[i].key))
            assert_int_equal(ONE(single[i].code).ch, single[i].plain);
}

static void caps_lock_does_not_change_digits_or_punctuation(void **state)
{
    FEED(CAPS, BRK(CAPS));
    for (size_t i = 0; i < LEN(single); i++)
        if (!is_letter(single[i].key) && single[i].plain != 0)
            assert_int_equal(ONE(single[i].code).ch, single[i].plain);
    FEED(LSHIFT);
    for (size_t i = 0; i < LEN(single); i++)
        if (!is_letter(single[i].key) && single[i].plain != 0)
            assert_int_equal(ONE(single[i].code).ch, single[i].shifted);
}

static void ctrl_letter_gives_control_character(void **state)
{
    for (int right = 0; right < 2; right++) {
        kbd_init(&d);
        key_event(right, LCTRL);
        for (size_t i = 0; i < LEN(single); i++)
            if (is_letter(single[i].key))
                assert_int_equal(ONE(single[i].code).ch, single[i].key - K(A) + 1);
    }
}

static void ctrl_letter_ignores_shift_and_caps_lock(void **state)
{
    FEED(LCTRL);
    assert_int_equal(ONE(0x1e).ch, 0x01); // Ctrl-A
    FEED(LSHIFT);
    assert_int_equal(ONE(0x2c).ch, 0x1a); // Ctrl-Shift-Z
    FEED(CAPS);
    assert_int_equal(ONE(0x2e).ch, 0x03); // Ctrl-Shift-C with Caps Lock
}

static void ctrl_with_other_keys_keeps_their_character(void **state)
{
    FEED(LCTRL);
    assert_int_equal(ONE(0x02).ch, '1');
    assert_int_equal(ONE(0x1c).ch, '\n');
    assert_int_equal(ONE(0x1a).ch, '[');
    FEED(LSHIFT);
    assert_int_equal(ONE(0x02).ch, '!');
}

static void alt_keeps_the_character_and_sets_its_bit(void **state)
{
    FEED(0x38);
    struct kbd_event ev = ONE(0x1e);
    assert_int_equal(ev.ch, 'a');
    assert_int_equal(ev.mods, KBD_MOD_LALT);
    FEED(BRK(0x38), 0xe0, 0x38, LSHIFT);
    ev = ONE(0x03);
    assert_int_equal(ev.ch, '@');
    assert_int_equal(ev.mods, KBD_MOD_RALT | KBD_MOD_LSHIFT);
}

static void gui_keeps_the_character(void **state)
{
    FEED(0xe0, 0x5b);
    assert_int_equal(ONE(0x1e).ch, 'a');
    assert_int_equal(events[0].mods, KBD_MOD_LGUI);
}

static void key_char_of_none_and_out_of_range_is_0(void **state)
{
    assert_int_equal(kbd_key_char(K(NONE), 0), 0);
    assert_int_equal(kbd_key_char(KBD_KEY_COUNT, KBD_MOD_SHIFT), 0);
    assert_int_equal(kbd_key_char((enum kbd_key) - 1, 0), 0);
}

// ---- keypad ---------------------------------------------------------------------------------

static void keypad_digits_give_chars_with_num_lock_on(void **state)
{
    FEED(NUM, BRK(NUM));
    for (size_t i = 0; i < LEN(keypad_num); i++) {
        struct kbd_event ev = ONE(keypad_num[i].code);
        assert_event(ev, keypad_num[i].key, true, keypad_num[i].plain);
        assert_int_equal(ev.mods, KBD_MOD_NUM_LOCK);
    }
}

static void shift_does_not_invert_num_lock(void **state)
{
    FEED(LSHIFT);
    for (size_t i = 0; i < LEN(keypad_num); i++)
        assert_int_equal(ONE(keypad_num[i].code).ch, 0);
    FEED(NUM);
    for (size_t i = 0; i < LEN(keypad_num); i++)
        assert_int_equal(ONE(keypad_num[i].code).ch, keypad_num[i].shifted);
}

static void keypad_operators_and_enter_give_chars_with_num_lock_on(void **state)
{
    FEED(NUM);
    assert_int_equal(ONE(0xe0, 0x35).ch, '/');
    assert_int_equal(ONE(0x37).ch, '*');
    assert_int_equal(ONE(0x4a).ch, '-');
    assert_int_equal(ONE(0x4e).ch, '+');
    assert_int_equal(ONE(0xe0, 0x1c).ch, '\n');
}

static void nav_key_maps_keypad_keys_when_num_lock_is_off(void **state)
{
    static const enum kbd_key want[] = {K(INSERT), K(END),     K(DOWN),  K(PAGE_DOWN),
                                        K(LEFT),   K(KP_5),    K(RIGHT), K(HOME),
                                        K(UP),     K(PAGE_UP), K(DELETE)};
    for (size_t i = 0; i < LEN(want); i++)
        assert_int_equal(kbd_nav_key((enum kbd_key)(K(KP_0) + (int)i), 0), want[i]);
}

static void nav_key_keeps_the_key_otherwise(void **state)
{
    assert_int_equal(kbd_nav_key(K(KP_8), KBD_MOD_NUM_LOCK), K(KP_8));
    assert_int_equal(kbd_nav_key(K(KP_PLUS), 0), K(KP_PLUS));
    assert_int_equal(kbd_nav_key(K(UP), 0), K(UP));
    assert_int_equal(kbd_nav_key(K(A), 0), K(A));
}

// ---- locks and repeat -----------------------------------------------------------------------

static void init_starts_with_no_modifiers_no_locks_and_no_sequence(void **state)
{
    FEED(LSHIFT, CAPS, NUM, 0x46, 0xe0);
    kbd_init(&d);
    struct kbd_event ev = ONE(0x48);
    assert_event(ev, K(KP_8), true, 0); // E0 forgotten, Num Lock off
    assert_int_equal(ev.mods, 0);
    assert_false(ONE(LSHIFT).repeat);
}

static void lock_keys_toggle_on_press_not_on_release(void **state)
{
    static const uint8_t codes[] = {CAPS, NUM, 0x46};
    static const uint16_t bits[] = {KBD_MOD_CAPS_LOCK, KBD_MOD_NUM_LOCK, KBD_MOD_SCROLL_LOCK};
    for (size_t i = 0; i < LEN(codes); i++) {
        kbd_init(&d);
        assert_int_equal(ONE(codes[i]).mods, bits[i]);
        assert_int_equal(ONE(BRK(codes[i])).mods, bits[i]);
        assert_int_equal(ONE(codes[i]).mods, 0);
        assert_int_equal(ONE(BRK(codes[i])).mods, 0);
    }
}

static void held_lock_key_repeat_does_not_toggle_again(void **state)
{
    assert_int_equal(FEED(CAPS, CAPS, CAPS), 3);
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(events[i].mods, KBD_MOD_CAPS_LOCK);
    assert_int_equal(ONE(0x1e).ch, 'A');
}

static void repeated_make_code_is_reported_as_repeat(void **state)
{
    assert_int_equal(FEED(0x1e, 0x1e, BRK(0x1e), 0x1e), 4);
    assert_false(events[0].repeat);
    assert_true(events[1].repeat);
    assert_int_equal(events[1].ch, 'a');
    assert_false(events[2].repeat);
    assert_false(events[3].repeat);
}

static void release_of_a_key_never_pressed_is_reported(void **state)
{
    assert_event(ONE(BRK(0x36)), K(RIGHT_SHIFT), false, 0);
    assert_int_equal(events[0].mods, 0);
}

// ---- fake shifts, Print Screen, Pause -------------------------------------------------------

static void fake_shifts_give_no_event_and_keep_the_shift_state(void **state)
{
    assert_int_equal(FEED(0xe0, 0x2a, 0xe0, 0x36), 0);
    assert_int_equal(ONE(0x1e).ch, 'a');
    FEED(LSHIFT);
    assert_int_equal(FEED(0xe0, 0xaa, 0xe0, 0xb6), 0);
    assert_int_equal(ONE(0x1e).ch, 'A');
}

static void arrow_wrapped_in_fake_shifts_gives_only_its_press_and_release(void **state)
{
    assert_int_equal(FEED(0xe0, 0x2a, 0xe0, 0x48, 0xe0, 0xc8, 0xe0, 0xaa), 2);
    assert_event(events[0], K(UP), true, 0);
    assert_event(events[1], K(UP), false, 0);
    assert_int_equal(events[1].mods, 0);
    FEED(LSHIFT); // with Shift held the keyboard releases it (fakely) around the key instead
    assert_int_equal(FEED(0xe0, 0xaa, 0xe0, 0x4b, 0xe0, 0xcb, 0xe0, 0x2a), 2);
    assert_int_equal(events[1].mods, KBD_MOD_LSHIFT);
}

static void print_screen_gives_one_press_and_one_release(void **state)
{
    assert_int_equal(FEED(0xe0, 0x2a, 0xe0, 0x37, 0xe0, 0xb7, 0xe0, 0xaa), 2);
    assert_event(events[0], K(PRINT_SCREEN), true, 0);
    assert_event(events[1], K(PRINT_SCREEN), false, 0);
    assert_int_equal(events[0].mods | events[1].mods, 0);
}

static void print_screen_with_ctrl_sends_e0_37_without_fake_shifts(void **state)
{
    assert_int_equal(FEED(LCTRL, 0xe0, 0x37, 0xe0, 0xb7, BRK(LCTRL)), 4);
    assert_event(events[1], K(PRINT_SCREEN), true, 0);
    assert_event(events[2], K(PRINT_SCREEN), false, 0);
}

static void alt_print_screen_sysrq_code_is_print_screen(void **state)
{
    assert_int_equal(FEED(0x38, 0x54, 0xd4, 0xb8), 4);
    assert_event(events[1], K(PRINT_SCREEN), true, 0);
    assert_event(events[2], K(PRINT_SCREEN), false, 0);
}

static void pause_gives_one_press_at_the_last_byte_of_its_sequence(void **state)
{
    assert_int_equal(FEED(0xe1, 0x1d, 0x45, 0xe1, 0x9d), 0);
    struct kbd_event ev = ONE(0xc5);
    assert_event(ev, K(PAUSE), true, 0);
    assert_false(ev.repeat);
}

static void pause_sequence_changes_neither_ctrl_nor_num_lock(void **state)
{
    assert_int_equal(ONE(0xe1, 0x1d, 0x45, 0xe1, 0x9d, 0xc5).mods, 0);
    FEED(NUM);
    assert_int_equal(ONE(0xe1, 0x1d, 0x45, 0xe1, 0x9d, 0xc5).mods, KBD_MOD_NUM_LOCK);
}

static void pause_pressed_again_is_not_a_repeat(void **state)
{
    FEED(0xe1, 0x1d, 0x45, 0xe1, 0x9d, 0xc5);
    assert_false(ONE(0xe1, 0x1d, 0x45, 0xe1, 0x9d, 0xc5).repeat);
}

static void ctrl_pause_gives_pause_press_without_scroll_lock(void **state)
{
    assert_int_equal(FEED(LCTRL, 0xe0, 0x46, 0xe0, 0xc6, BRK(LCTRL)), 3);
    assert_event(events[1], K(PAUSE), true, 0);
    assert_int_equal(events[1].mods, KBD_MOD_LCTRL);
    assert_int_equal(events[2].mods, 0);
}

// ---- bytes that are not key codes, resynchronisation ----------------------------------------

static void command_answers_give_no_event(void **state)
{
    assert_int_equal(FEED(0xfa, 0xfe, 0xee), 0);
    assert_event(ONE(0x1e), K(A), true, 'a');
}

static void command_answers_inside_a_sequence_keep_it(void **state)
{
    assert_event(ONE(0xe0, 0xfa, 0x48), K(UP), true, 0);
    assert_event(ONE(0xe1, 0x1d, 0xfe, 0x45, 0xee, 0xe1, 0x9d, 0xc5), K(PAUSE), true, 0);
}

static void error_bytes_give_no_event_and_drop_a_sequence(void **state)
{
    static const uint8_t errors[] = {0x00, 0xff, 0xfc, 0xfd};
    for (size_t i = 0; i < LEN(errors); i++) {
        kbd_init(&d);
        assert_int_equal(FEED(errors[i]), 0);
        assert_event(ONE(0xe0, errors[i], 0x48), K(KP_8), true, 0);
        assert_event(ONE(0xe1, 0x1d, errors[i], 0x45), K(NUM_LOCK), true, 0);
    }
}

static void byte_0xaa_is_a_left_shift_release(void **state)
{
    FEED(LSHIFT);
    assert_event(ONE(0xaa), K(LEFT_SHIFT), false, 0);
    assert_int_equal(events[0].mods, 0);
}

static void e0_after_e0_restarts_the_prefix(void **state)
{
    assert_event(ONE(0xe0, 0xe0, 0x48), K(UP), true, 0);
}

static void e1_after_e0_starts_pause(void **state)
{
    assert_event(ONE(0xe0, 0xe1, 0x1d, 0x45, 0xe1, 0x9d, 0xc5), K(PAUSE), true, 0);
}

static void unexpected_byte_in_pause_drops_it_and_is_decoded_fresh(void **state)
{
    assert_event(ONE(0xe1, 0x1d, 0x1e), K(A), true, 'a');
    assert_int_equal(events[0].mods, 0); // the 1D of the dropped sequence pressed no Ctrl
    assert_event(ONE(0xe1, 0x1d, 0x45, 0xe1, LSHIFT), K(LEFT_SHIFT), true, 0);
    assert_event(ONE(0xe1, 0xe0, 0x48), K(UP), true, 0);
}

static void e1_inside_pause_restarts_it(void **state)
{
    assert_event(ONE(0xe1, 0x1d, 0xe1, 0x1d, 0x45, 0xe1, 0x9d, 0xc5), K(PAUSE), true, 0);
}

// ---- names ----------------------------------------------------------------------------------

static void every_key_has_a_distinct_non_empty_name(void **state)
{
    for (int key = 0; key < KBD_KEY_COUNT; key++) {
        const char *name = kbd_key_name((enum kbd_key)key);
        assert_non_null(name);
        assert_true(name[0] != '\0');
        assert_string_not_equal(name, "?");
        for (int other = 0; other < key; other++)
            assert_string_not_equal(name, kbd_key_name((enum kbd_key)other));
    }
}

static void key_names_read_as_documented(void **state)
{
    assert_string_equal(kbd_key_name(K(NONE)), "None");
    assert_string_equal(kbd_key_name(K(A)), "A");
    assert_string_equal(kbd_key_name(K(1)), "1");
    assert_string_equal(kbd_key_name(K(ENTER)), "Enter");
    assert_string_equal(kbd_key_name(K(LEFT_SHIFT)), "Left Shift");
    assert_string_equal(kbd_key_name(K(KP_7)), "Keypad 7");
    assert_string_equal(kbd_key_name(K(F12)), "F12");
    assert_string_equal(kbd_key_name(K(PRINT_SCREEN)), "Print Screen");
}

static void out_of_range_key_name_is_a_question_mark(void **state)
{
    assert_string_equal(kbd_key_name(KBD_KEY_COUNT), "?");
    assert_string_equal(kbd_key_name((enum kbd_key) - 1), "?");
    assert_string_equal(kbd_key_name((enum kbd_key)1000), "?");
}

// ---- bad arguments --------------------------------------------------------------------------

static void init_with_null_decoder_panics(void **state)
{
    expect_assert_failure(kbd_init(NULL));
    assert_non_null(strstr(mock_panic_message(), "kbd_init"));
}

static void feed_with_null_decoder_panics(void **state)
{
    struct kbd_event ev;
    expect_assert_failure(kbd_feed(NULL, 0x1e, &ev));
    assert_non_null(strstr(mock_panic_message(), "kbd_feed"));
}

static void feed_with_null_event_panics(void **state)
{
    expect_assert_failure(kbd_feed(&d, 0x1e, NULL));
    assert_non_null(strstr(mock_panic_message(), "kbd_feed"));
}

static void feed_to_corrupt_decoder_panics(void **state)
{
    struct kbd_event ev;
    d.seq = 0xff;
    expect_assert_failure(kbd_feed(&d, 0x1e, &ev));
    assert_non_null(strstr(mock_panic_message(), "kbd_feed"));
}

#define T(name) cmocka_unit_test_setup(name, setup)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(single_byte_make_codes_press_their_key_with_plain_char),
        T(single_byte_break_codes_release_their_key_without_char),
        T(shift_gives_shifted_char_for_every_single_byte_code),
        T(single_byte_codes_outside_the_table_give_no_event),
        T(extended_make_codes_press_their_key_with_plain_char),
        T(extended_break_codes_release_their_key_without_char),
        T(shift_gives_shifted_char_for_every_extended_code),
        T(extended_codes_outside_the_table_give_no_event),
        T(undefined_extended_code_is_not_decoded_as_the_single_byte_key),
        T(every_key_has_a_scancode),
        T(set1_key_ignores_the_break_bit),
        T(each_modifier_sets_its_own_bit_while_down),
        T(left_and_right_shift_are_tracked_separately),
        T(left_and_right_ctrl_are_tracked_separately),
        T(caps_lock_gives_uppercase_letters),
        T(shift_with_caps_lock_gives_lowercase_letters),
        T(caps_lock_does_not_change_digits_or_punctuation),
        T(ctrl_letter_gives_control_character),
        T(ctrl_letter_ignores_shift_and_caps_lock),
        T(ctrl_with_other_keys_keeps_their_character),
        T(alt_keeps_the_character_and_sets_its_bit),
        T(gui_keeps_the_character),
        T(key_char_of_none_and_out_of_range_is_0),
        T(keypad_digits_give_chars_with_num_lock_on),
        T(shift_does_not_invert_num_lock),
        T(keypad_operators_and_enter_give_chars_with_num_lock_on),
        T(nav_key_maps_keypad_keys_when_num_lock_is_off),
        T(nav_key_keeps_the_key_otherwise),
        T(init_starts_with_no_modifiers_no_locks_and_no_sequence),
        T(lock_keys_toggle_on_press_not_on_release),
        T(held_lock_key_repeat_does_not_toggle_again),
        T(repeated_make_code_is_reported_as_repeat),
        T(release_of_a_key_never_pressed_is_reported),
        T(fake_shifts_give_no_event_and_keep_the_shift_state),
        T(arrow_wrapped_in_fake_shifts_gives_only_its_press_and_release),
        T(print_screen_gives_one_press_and_one_release),
        T(print_screen_with_ctrl_sends_e0_37_without_fake_shifts),
        T(alt_print_screen_sysrq_code_is_print_screen),
        T(pause_gives_one_press_at_the_last_byte_of_its_sequence),
        T(pause_sequence_changes_neither_ctrl_nor_num_lock),
        T(pause_pressed_again_is_not_a_repeat),
        T(ctrl_pause_gives_pause_press_without_scroll_lock),
        T(command_answers_give_no_event),
        T(command_answers_inside_a_sequence_keep_it),
        T(error_bytes_give_no_event_and_drop_a_sequence),
        T(byte_0xaa_is_a_left_shift_release),
        T(e0_after_e0_restarts_the_prefix),
        T(e1_after_e0_starts_pause),
        T(unexpected_byte_in_pause_drops_it_and_is_decoded_fresh),
        T(e1_inside_pause_restarts_it),
        T(every_key_has_a_distinct_non_empty_name),
        T(key_names_read_as_documented),
        T(out_of_range_key_name_is_a_question_mark),
        T(init_with_null_decoder_panics),
        T(feed_with_null_decoder_panics),
        T(feed_with_null_event_panics),
        T(feed_to_corrupt_decoder_panics),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
