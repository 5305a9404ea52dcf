// Bounds of core/kbd*.c's fixed tables: the decoder's one-bit-per-key `down` words, every key
// from the first to the last (so both sides of every 32-key word boundary), with no key's bit
// touching another's; kbd_nav_key, kbd_key_char and kbd_key_name at the edges of their ranges.
#include "test/unit/kbd_test.h"

// Feeds key's make (after E0 when ext) twice and its break: the second make is a repeat, and the
// next make after the break is not. Pause is never held down (it has no break code), so a second
// press of it is no repeat.
static void press_repeat_release(bool ext, uint8_t code, enum kbd_key key)
{
    struct kbd_event ev = key_event(ext, code);
    assert_int_equal(ev.key, key);
    assert_false(ev.repeat);
    ev = key_event(ext, code);
    assert_int_equal(ev.repeat, key != K(PAUSE));
    if (key == K(PAUSE))
        return;
    ev = key_event(ext, BRK(code));
    assert_false(ev.pressed);
    assert_false(ev.repeat);
    assert_false(key_event(ext, code).repeat);
}

// Presses every key of table once (skipping Pause and keys some earlier code already pressed),
// expecting `repeat` of each; marks them in seen.
static void press_all(const struct row *table, size_t n, bool ext, bool repeat, bool *seen)
{
    for (size_t i = 0; i < n; i++) {
        if (table[i].key == K(PAUSE) || seen[table[i].key])
            continue;
        seen[table[i].key] = true;
        assert_int_equal(key_event(ext, table[i].code).repeat, repeat);
    }
}

static void every_key_has_its_own_down_bit(void **state)
{
    // All keys held at once: a bit shared with (or lost to) a neighbour shows as a wrong repeat.
    bool first[KBD_KEY_COUNT] = {false}, again[KBD_KEY_COUNT] = {false};
    press_all(single, LEN(single), false, false, first);
    press_all(extended, LEN(extended), true, false, first);
    press_all(single, LEN(single), false, true, again);
    press_all(extended, LEN(extended), true, true, again);
    for (int key = 1; key < KBD_KEY_COUNT; key++)
        assert_int_equal(first[key], key != K(PAUSE)); // every key but Pause was held
}

static void first_and_last_keys_press_repeat_and_release(void **state)
{
    enum kbd_key lowest = K(PAUSE), highest = K(NONE);
    for (size_t i = 0; i < LEN(single); i++) {
        lowest = single[i].key < lowest ? single[i].key : lowest;
        highest = single[i].key > highest ? single[i].key : highest;
    }
    for (size_t i = 0; i < LEN(extended); i++)
        highest = extended[i].key > highest ? extended[i].key : highest;
    assert_int_equal(lowest, 1);                  // the first bit after KBD_KEY_NONE
    assert_int_equal(highest, KBD_KEY_COUNT - 1); // the last bit of the last word
    for (size_t i = 0; i < LEN(single); i++) {
        kbd_init(&d);
        press_repeat_release(false, single[i].code, single[i].key);
    }
    for (size_t i = 0; i < LEN(extended); i++) {
        kbd_init(&d);
        press_repeat_release(true, extended[i].code, extended[i].key);
    }
}

// keypad_nav covers Keypad 0 .. Keypad .: its neighbours and values outside the enum are kept.
static void nav_key_keeps_keys_just_outside_the_keypad_range(void **state)
{
    assert_int_equal(kbd_nav_key(K(KP_0), 0), K(INSERT));
    assert_int_equal(kbd_nav_key(K(KP_DECIMAL), 0), K(DELETE));
    assert_int_equal(kbd_nav_key(K(KP_0) - 1, 0), K(KP_0) - 1);
    assert_int_equal(kbd_nav_key(K(KP_DECIMAL) + 1, 0), K(KP_DECIMAL) + 1);
    assert_int_equal(kbd_nav_key(KBD_KEY_COUNT, 0), KBD_KEY_COUNT);
    assert_int_equal(kbd_nav_key((enum kbd_key) - 1, 0), (enum kbd_key) - 1);
    assert_int_equal(kbd_nav_key(K(NONE), 0), K(NONE));
}

static void last_key_has_a_name_and_one_past_it_none(void **state)
{
    assert_string_equal(kbd_key_name(KBD_KEY_COUNT - 1), "Pause");
    assert_string_equal(kbd_key_name(KBD_KEY_COUNT), "?");
    assert_int_equal(kbd_key_char(KBD_KEY_COUNT - 1, 0), 0);
    assert_int_equal(kbd_key_char(K(NONE), KBD_MOD_SHIFT | KBD_MOD_NUM_LOCK), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(every_key_has_its_own_down_bit),
        T(first_and_last_keys_press_repeat_and_release),
        T(nav_key_keeps_keys_just_outside_the_keypad_range),
        T(last_key_has_a_name_and_one_past_it_none),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
