// Shared fixtures for the keyboard decoder tests (test_kbd_*.c): the scancode set 1 tables (single
// byte, after E0, keypad with Num Lock), the decoder and its setup, and helpers that feed bytes and
// check the events they give. Header-only; everything is static (and may be unused in one program).
#pragma once

#include "core/kbd.h"
#include "platform/host/mock_hw.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#define KT static __attribute__((unused))

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
KT const struct row single[] = {
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
KT const struct row extended[] = {
    {0x1c, K(KP_ENTER), '\n', '\n'}, {0x1d, K(RIGHT_CTRL), 0, 0},    {0x35, K(KP_SLASH), '/', '/'},
    {0x37, K(PRINT_SCREEN), 0, 0},   {0x38, K(RIGHT_ALT), 0, 0},     {0x46, K(PAUSE), 0, 0},
    {0x47, K(HOME), 0, 0},           {0x48, K(UP), 0, 0},            {0x49, K(PAGE_UP), 0, 0},
    {0x4b, K(LEFT), 0, 0},           {0x4d, K(RIGHT), 0, 0},         {0x4f, K(END), 0, 0},
    {0x50, K(DOWN), 0, 0},           {0x51, K(PAGE_DOWN), 0, 0},     {0x52, K(INSERT), 0, 0},
    {0x53, K(DELETE), 0, 0},         {0x5b, K(LEFT_GUI), 0, 0},      {0x5c, K(RIGHT_GUI), 0, 0},
    {0x5d, K(MENU), 0, 0},
};

// Keypad digits and Keypad . with Num Lock on.
KT const struct row keypad_num[] = {
    {0x52, K(KP_0), '0', '0'},       {0x4f, K(KP_1), '1', '1'},      {0x50, K(KP_2), '2', '2'},
    {0x51, K(KP_3), '3', '3'},       {0x4b, K(KP_4), '4', '4'},      {0x4c, K(KP_5), '5', '5'},
    {0x4d, K(KP_6), '6', '6'},       {0x47, K(KP_7), '7', '7'},      {0x48, K(KP_8), '8', '8'},
    {0x49, K(KP_9), '9', '9'},       {0x53, K(KP_DECIMAL), '.', '.'},
};
// clang-format on

// The decoder under test, and the events of the last FEED (or ONE, or key_event).
KT struct kbd_decoder d;
KT struct kbd_event events[16];

KT int setup(void **state)
{
    mock_hw_reset();
    kbd_init(&d);
    memset(events, 0, sizeof(events));
    return 0;
}

// Feeds the bytes to d; returns how many events they gave, stored in events[].
KT size_t feed_bytes(const uint8_t *bytes, size_t n)
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
KT struct kbd_event key_event(bool ext, uint8_t code)
{
    assert_int_equal(ext ? FEED(0xe0, code) : FEED(code), 1);
    return events[0];
}

// Feeds the bytes, which must give exactly one event, and returns it.
#define ONE(...) (assert_int_equal(FEED(__VA_ARGS__), 1), events[0])

KT void assert_event(struct kbd_event ev, enum kbd_key key, bool pressed, char ch)
{
    assert_string_equal(kbd_key_name(ev.key), kbd_key_name(key));
    assert_int_equal(ev.pressed, pressed);
    assert_int_equal(ev.ch, ch);
}

KT bool is_letter(enum kbd_key key)
{
    return key >= K(A) && key <= K(Z);
}

KT bool in_table(const struct row *table, size_t n, uint8_t code)
{
    for (size_t i = 0; i < n; i++)
        if (table[i].code == code)
            return true;
    return false;
}

// Every test starts from a reset mock and a freshly initialised decoder.
#define T(name) cmocka_unit_test_setup(name, setup)
