// Tests for core/kbd_tables.c through core/kbd.c: the whole scancode set 1 table, make and break,
// single byte and after E0, with and without Shift; codes outside it; key names.
#include "test/unit/kbd_test.h"

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

static void modifier_and_lock_keys_have_no_char(void **state)
{
    static const enum kbd_key keys[] = {
        K(LEFT_SHIFT), K(RIGHT_SHIFT), K(LEFT_CTRL), K(RIGHT_CTRL), K(LEFT_ALT), K(RIGHT_ALT),
        K(LEFT_GUI),   K(RIGHT_GUI),   K(MENU),      K(CAPS_LOCK),  K(NUM_LOCK), K(SCROLL_LOCK),
    };
    static const uint16_t mods[] = {0, KBD_MOD_LSHIFT, KBD_MOD_CAPS_LOCK, KBD_MOD_NUM_LOCK};
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        for (size_t m = 0; m < sizeof(mods) / sizeof(mods[0]); m++)
            assert_int_equal(kbd_key_char(keys[i], mods[m]), 0);
}

static void out_of_range_key_name_is_a_question_mark(void **state)
{
    assert_string_equal(kbd_key_name(KBD_KEY_COUNT), "?");
    assert_string_equal(kbd_key_name((enum kbd_key) - 1), "?");
    assert_string_equal(kbd_key_name((enum kbd_key)1000), "?");
}

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
        T(every_key_has_a_distinct_non_empty_name),
        T(key_names_read_as_documented),
        T(modifier_and_lock_keys_have_no_char),
        T(out_of_range_key_name_is_a_question_mark),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
