// libFuzzer target for core/kbd: the input is a scancode stream fed byte by byte to one decoder
// (kbd_init first). A reference decoder written here from core/kbd.h's text (replies and errors,
// the E0 prefix and its resynchronisation, the E1 Pause sequence, fake shifts, modifier bits
// while a key is down, locks toggling on a fresh press, repeats, Pause never released) must give
// exactly the same events, byte for byte. Every event must also be one the tables can produce on
// their own terms: key in (KBD_KEY_NONE, KBD_KEY_COUNT) and kbd_set1_key of the code that ended
// it, no release of Pause, ch 0 and no repeat on a release, ch equal to kbd_key_char(key, mods)
// and to the header's character rules (an independent US-layout model), mods holding only
// KBD_MOD_* bits, and kbd_nav_key and kbd_key_name answering as documented. A byte that gives no
// event must leave *ev untouched. On the first input the tables themselves are checked once: the
// E0 codes the header lists, the codes it calls undefined, the break bit ignored, every key's
// character under every modifier state, and one distinct name per key.
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/kbd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#include "test/fuzz/fuzz_check.h"

#define MOD_ALL    0x7ffu // every KBD_MOD_* bit
#define PAUSE_TAIL 5

// ---- the header's tables --------------------------------------------------------------------

// The E0 codes kbd_set1_key documents, with their keys.
static const struct {
    uint8_t code;
    enum kbd_key key;
} extended[] = {
    {0x1c, KBD_KEY_KP_ENTER},     {0x1d, KBD_KEY_RIGHT_CTRL}, {0x35, KBD_KEY_KP_SLASH},
    {0x37, KBD_KEY_PRINT_SCREEN}, {0x38, KBD_KEY_RIGHT_ALT},  {0x46, KBD_KEY_PAUSE},
    {0x47, KBD_KEY_HOME},         {0x48, KBD_KEY_UP},         {0x49, KBD_KEY_PAGE_UP},
    {0x4b, KBD_KEY_LEFT},         {0x4d, KBD_KEY_RIGHT},      {0x4f, KBD_KEY_END},
    {0x50, KBD_KEY_DOWN},         {0x51, KBD_KEY_PAGE_DOWN},  {0x52, KBD_KEY_INSERT},
    {0x53, KBD_KEY_DELETE},       {0x5b, KBD_KEY_LEFT_GUI},   {0x5c, KBD_KEY_RIGHT_GUI},
    {0x5d, KBD_KEY_MENU},
};

static bool in(enum kbd_key key, enum kbd_key first, enum kbd_key last)
{
    return key >= first && key <= last;
}

// The header's character rules for the US layout, written without core/kbd_tables.c.
static char model_char(enum kbd_key key, uint16_t mods)
{
    static const char punct[] = "-=[]\\;'`,./", punct_shifted[] = "_+{}|:\"~<>?";
    static const char digit_shifted[] = ")!@#$%^&*(";
    bool shift = (mods & KBD_MOD_SHIFT) != 0, caps = (mods & KBD_MOD_CAPS_LOCK) != 0;
    if (in(key, KBD_KEY_A, KBD_KEY_Z)) {
        if (mods & KBD_MOD_CTRL)
            return (char)(key - KBD_KEY_A + 1);
        return (char)((shift != caps ? 'A' : 'a') + (key - KBD_KEY_A));
    }
    if (in(key, KBD_KEY_0, KBD_KEY_9))
        return shift ? digit_shifted[key - KBD_KEY_0] : (char)('0' + (key - KBD_KEY_0));
    if (in(key, KBD_KEY_MINUS, KBD_KEY_SLASH))
        return (shift ? punct_shifted : punct)[key - KBD_KEY_MINUS];
    if (in(key, KBD_KEY_KP_0, KBD_KEY_KP_DECIMAL)) {
        if (!(mods & KBD_MOD_NUM_LOCK))
            return 0;
        return key == KBD_KEY_KP_DECIMAL ? '.' : (char)('0' + (key - KBD_KEY_KP_0));
    }
    switch (key) {
    case KBD_KEY_SPACE: return ' ';
    case KBD_KEY_ENTER:
    case KBD_KEY_KP_ENTER: return '\n';
    case KBD_KEY_BACKSPACE: return '\b';
    case KBD_KEY_TAB: return '\t';
    case KBD_KEY_ESCAPE: return 0x1b;
    case KBD_KEY_KP_SLASH: return '/';
    case KBD_KEY_KP_STAR: return '*';
    case KBD_KEY_KP_MINUS: return '-';
    case KBD_KEY_KP_PLUS: return '+';
    default: return 0;
    }
}

// kbd_nav_key's documented answer.
static enum kbd_key model_nav(enum kbd_key key, uint16_t mods)
{
    static const enum kbd_key nav[] = {
        KBD_KEY_INSERT, KBD_KEY_END,  KBD_KEY_DOWN, KBD_KEY_PAGE_DOWN, KBD_KEY_LEFT,   KBD_KEY_KP_5,
        KBD_KEY_RIGHT,  KBD_KEY_HOME, KBD_KEY_UP,   KBD_KEY_PAGE_UP,   KBD_KEY_DELETE,
    };
    if (!in(key, KBD_KEY_KP_0, KBD_KEY_KP_DECIMAL) || (mods & KBD_MOD_NUM_LOCK))
        return key;
    return nav[key - KBD_KEY_KP_0];
}

// Keys that only an E0 code gives (the plain table must not produce them).
static bool extended_only(enum kbd_key key)
{
    for (size_t i = 0; i < sizeof(extended) / sizeof(extended[0]); i++) {
        if (extended[i].key == key && key != KBD_KEY_PRINT_SCREEN)
            return true;
    }
    return false;
}

static void check_tables(void)
{
    bool seen[KBD_KEY_COUNT] = {false};
    for (unsigned c = 0; c < 0x80; c++) {
        enum kbd_key plain = kbd_set1_key((uint8_t)c, false);
        enum kbd_key ext = kbd_set1_key((uint8_t)c, true);
        CHECK(kbd_set1_key((uint8_t)(c | 0x80), false) == plain &&
                  kbd_set1_key((uint8_t)(c | 0x80), true) == ext,
              "code %#x: the break bit changes the key", c);
        CHECK((unsigned)plain < KBD_KEY_COUNT, "code %#x: key %d", c, (int)plain);
        if (c == 0x55 || c == 0x56 || c >= 0x59)
            CHECK(plain == KBD_KEY_NONE, "undefined code %#x gives key %d", c, (int)plain);
        if (plain != KBD_KEY_NONE) {
            CHECK(!seen[plain], "code %#x: key %d comes from two codes", c, (int)plain);
            CHECK(!extended_only(plain), "plain code %#x gives an E0 key %d", c, (int)plain);
            seen[plain] = true;
        }
        enum kbd_key want = KBD_KEY_NONE;
        for (size_t i = 0; i < sizeof(extended) / sizeof(extended[0]); i++) {
            if (extended[i].code == c)
                want = extended[i].key;
        }
        CHECK(ext == want, "E0 %#x gives key %d, expected %d", c, (int)ext, (int)want);
    }
    for (int key = 0; key < KBD_KEY_COUNT; key++) {
        for (unsigned mods = 0; mods <= MOD_ALL; mods++) {
            char ch = kbd_key_char((enum kbd_key)key, (uint16_t)mods);
            CHECK(ch == model_char((enum kbd_key)key, (uint16_t)mods),
                  "kbd_key_char(%d, %#x) = %#x, expected %#x", key, mods, ch,
                  model_char((enum kbd_key)key, (uint16_t)mods));
            enum kbd_key nav = kbd_nav_key((enum kbd_key)key, (uint16_t)mods);
            CHECK(nav == model_nav((enum kbd_key)key, (uint16_t)mods), "kbd_nav_key(%d, %#x) = %d",
                  key, mods, (int)nav);
        }
        const char *name = kbd_key_name((enum kbd_key)key);
        CHECK(name != NULL && strcmp(name, "?") != 0, "key %d has no name", key);
        for (int other = 0; other < key; other++)
            CHECK(strcmp(name, kbd_key_name((enum kbd_key)other)) != 0, "keys %d and %d: \"%s\"",
                  other, key, name);
    }
    const int outside[] = {KBD_KEY_COUNT, KBD_KEY_COUNT + 1, 255, 0x7fffffff, -1};
    for (size_t i = 0; i < sizeof(outside) / sizeof(outside[0]); i++) {
        CHECK(kbd_key_char((enum kbd_key)outside[i], KBD_MOD_SHIFT) == 0, "char of %d", outside[i]);
        CHECK(strcmp(kbd_key_name((enum kbd_key)outside[i]), "?") == 0, "name of %d", outside[i]);
    }
}

// ---- the reference decoder ------------------------------------------------------------------

enum { SEQ_NONE, SEQ_E0, SEQ_PAUSE }; // SEQ_PAUSE + i: waiting for the tail's byte i

static struct ref {
    unsigned seq;
    uint16_t mods;
    bool down[KBD_KEY_COUNT];
} ref;

static uint16_t modifier_bit(enum kbd_key key)
{
    if (in(key, KBD_KEY_LEFT_SHIFT, KBD_KEY_RIGHT_GUI))
        return (uint16_t)(1u << (key - KBD_KEY_LEFT_SHIFT)); // the enums run in the same order
    return 0;
}

static uint16_t lock_bit(enum kbd_key key)
{
    if (in(key, KBD_KEY_CAPS_LOCK, KBD_KEY_SCROLL_LOCK))
        return (uint16_t)(KBD_MOD_CAPS_LOCK << (key - KBD_KEY_CAPS_LOCK));
    return 0;
}

static bool ref_emit(enum kbd_key key, bool pressed, struct kbd_event *ev)
{
    bool was_down = ref.down[key];
    if (key != KBD_KEY_PAUSE) // Pause has no break: it is never down
        ref.down[key] = pressed;
    if (pressed)
        ref.mods |= modifier_bit(key);
    else
        ref.mods &= (uint16_t)~modifier_bit(key);
    if (pressed && !was_down)
        ref.mods ^= lock_bit(key);
    *ev = (struct kbd_event){
        .key = key,
        .pressed = pressed,
        .repeat = pressed && was_down,
        .ch = pressed ? model_char(key, ref.mods) : 0,
        .mods = ref.mods,
    };
    return true;
}

static bool ref_feed(uint8_t byte, struct kbd_event *ev)
{
    static const uint8_t tail[PAUSE_TAIL] = {0x1d, 0x45, 0xe1, 0x9d, 0xc5};
    if (byte == 0xfa || byte == 0xfe || byte == 0xee)
        return false; // a reply: a sequence in progress is kept
    if (byte == 0x00 || byte == 0xff || byte == 0xfc || byte == 0xfd) {
        ref.seq = SEQ_NONE;
        return false;
    }
    if (ref.seq >= SEQ_PAUSE) {
        if (byte == tail[ref.seq - SEQ_PAUSE]) {
            if (++ref.seq < SEQ_PAUSE + PAUSE_TAIL)
                return false;
            ref.seq = SEQ_NONE;
            return ref_emit(KBD_KEY_PAUSE, true, ev);
        }
        ref.seq = SEQ_NONE; // decoded as if it came first
    }
    if (byte == 0xe0 || byte == 0xe1) {
        ref.seq = byte == 0xe0 ? SEQ_E0 : SEQ_PAUSE;
        return false;
    }
    bool ext = ref.seq == SEQ_E0, pressed = (byte & 0x80) == 0;
    ref.seq = SEQ_NONE;
    enum kbd_key key = kbd_set1_key(byte, ext); // checked against the header in check_tables
    if (key == KBD_KEY_NONE || (key == KBD_KEY_PAUSE && !pressed))
        return false;
    return ref_emit(key, pressed, ev);
}

// ---- checks on each event -------------------------------------------------------------------

static void check_event(const struct kbd_event *ev, uint8_t byte, bool ext, size_t at)
{
    CHECK(ev->key > KBD_KEY_NONE && ev->key < KBD_KEY_COUNT, "byte %zu: key %d", at, (int)ev->key);
    CHECK(ev->key == kbd_set1_key(byte, ext) || (ev->key == KBD_KEY_PAUSE && byte == 0xc5),
          "byte %zu (%#x%s): key %d is not the table's", at, byte, ext ? " after E0" : "",
          (int)ev->key);
    CHECK((ev->mods & ~MOD_ALL) == 0, "byte %zu: mods %#x", at, ev->mods);
    if (!ev->pressed) {
        CHECK(!ev->repeat && ev->ch == 0, "byte %zu: a release with repeat %d, ch %#x", at,
              ev->repeat, ev->ch);
        CHECK(ev->key != KBD_KEY_PAUSE, "byte %zu: Pause released", at);
    } else {
        CHECK(ev->ch == kbd_key_char(ev->key, ev->mods), "byte %zu: ch %#x, kbd_key_char %#x", at,
              ev->ch, kbd_key_char(ev->key, ev->mods));
    }
    // A modifier's bit is set exactly while its key is down.
    uint16_t mod = modifier_bit(ev->key);
    if (mod != 0)
        CHECK(((ev->mods & mod) != 0) == ev->pressed, "byte %zu: modifier bit %#x, pressed %d", at,
              mod, ev->pressed);
    CHECK(kbd_nav_key(ev->key, ev->mods) == model_nav(ev->key, ev->mods), "byte %zu: nav key", at);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool tables_checked;
    if (!tables_checked) {
        check_tables();
        tables_checked = true;
    }
    struct kbd_decoder d;
    memset(&d, 0xa5, sizeof(d)); // kbd_init must set every field it relies on
    kbd_init(&d);
    ref = (struct ref){0};
    bool ext = false; // the previous byte was an E0 that started a sequence
    for (size_t i = 0; i < size; i++) {
        struct kbd_event ev, want, untouched;
        memset(&ev, 0x5a, sizeof(ev));
        memcpy(&untouched, &ev, sizeof(ev));
        unsigned seq_before = ref.seq;
        bool got = kbd_feed(&d, data[i], &ev);
        bool expect = ref_feed(data[i], &want);
        CHECK(got == expect, "byte %zu (%#x): kbd_feed returned %d, expected %d", i, data[i], got,
              expect);
        if (!got) {
            CHECK(memcmp(&ev, &untouched, sizeof(ev)) == 0, "byte %zu: no event, but *ev changed",
                  i);
            continue;
        }
        ext = seq_before == SEQ_E0;
        check_event(&ev, data[i], ext, i);
        CHECK(ev.key == want.key && ev.pressed == want.pressed && ev.repeat == want.repeat &&
                  ev.ch == want.ch && ev.mods == want.mods,
              "byte %zu (%#x): event {key %d, pressed %d, repeat %d, ch %#x, mods %#x}, expected "
              "{%d, %d, %d, %#x, %#x}",
              i, data[i], (int)ev.key, ev.pressed, ev.repeat, ev.ch, ev.mods, (int)want.key,
              want.pressed, want.repeat, want.ch, want.mods);
    }
    return 0;
}
