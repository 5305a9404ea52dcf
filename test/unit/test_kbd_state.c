// Tests for core/kbd.c's decoder state: each modifier's bit, lock toggling, auto-repeat, what
// kbd_init clears, and the panics for bad arguments and a corrupt decoder.
#include "test/unit/kbd_test.h"

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(each_modifier_sets_its_own_bit_while_down),
        T(left_and_right_shift_are_tracked_separately),
        T(left_and_right_ctrl_are_tracked_separately),
        T(init_starts_with_no_modifiers_no_locks_and_no_sequence),
        T(lock_keys_toggle_on_press_not_on_release),
        T(held_lock_key_repeat_does_not_toggle_again),
        T(repeated_make_code_is_reported_as_repeat),
        T(release_of_a_key_never_pressed_is_reported),
        T(init_with_null_decoder_panics),
        T(feed_with_null_decoder_panics),
        T(feed_with_null_event_panics),
        T(feed_to_corrupt_decoder_panics),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
