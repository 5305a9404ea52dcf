// Tests for the characters core/kbd.c gives: under Caps Lock, Shift, Ctrl, Alt and GUI, and on the
// keypad with Num Lock on and off (kbd_key_char, kbd_nav_key).
#include "test/unit/kbd_test.h"

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

int main(void)
{
    const struct CMUnitTest tests[] = {
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
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
