// Tests for core/kbd.c's multi-byte sequences: fake shifts, Print Screen, Pause, bytes that are
// not key codes (command answers, errors, 0xAA) and resynchronisation after a broken sequence.
#include "test/unit/kbd_test.h"

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

// Only E0 and E1 are prefixes: the bytes above them are releases of no key (or answers, or
// errors), and the byte after one decodes as itself.
static void bytes_above_e1_start_no_sequence(void **state)
{
    for (unsigned b = 0xe2; b <= 0xff; b++) {
        kbd_init(&d);
        assert_int_equal(FEED((uint8_t)b), 0);
        assert_event(ONE(LCTRL), K(LEFT_CTRL), true, 0);
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

int main(void)
{
    const struct CMUnitTest tests[] = {
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
        T(bytes_above_e1_start_no_sequence),
        T(byte_0xaa_is_a_left_shift_release),
        T(e0_after_e0_restarts_the_prefix),
        T(e1_after_e0_starts_pause),
        T(unexpected_byte_in_pause_drops_it_and_is_decoded_fresh),
        T(e1_inside_pause_restarts_it),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
