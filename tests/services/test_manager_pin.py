"""The manager's PIN locks after five wrong tries in a row, for a wait that doubles with
each further wrong one; the right PIN then opens it and resets the count. Four digits
could be guessed in an afternoon before."""

from __future__ import annotations

import pytest

from kiosk.services.manager import (
    PinLocked,
    WrongPin,
    check_manager_pin,
    set_manager_pin,
)


def test_five_wrong_pins_lock_the_manager_screen_for_a_growing_wait(kiosk, clock):
    set_manager_pin(kiosk, "2468")
    for _ in range(4):
        with pytest.raises(WrongPin):
            check_manager_pin(kiosk, "0000")
    with pytest.raises(PinLocked) as locked:
        check_manager_pin(kiosk, "0000")  # the fifth
    assert locked.value.seconds == 30
    with pytest.raises(PinLocked):
        check_manager_pin(kiosk, "2468")  # even the right one waits
    clock.advance(seconds=31)
    with pytest.raises(PinLocked) as again:
        check_manager_pin(kiosk, "1111")  # a sixth wrong one: twice as long
    assert again.value.seconds == 60
    clock.advance(seconds=61)
    check_manager_pin(kiosk, "2468")  # opens, and the count starts again
    for _ in range(4):
        with pytest.raises(WrongPin):
            check_manager_pin(kiosk, "0000")
    check_manager_pin(kiosk, "2468")


def test_setting_a_new_pin_lifts_the_lock(kiosk):
    set_manager_pin(kiosk, "2468")
    for _ in range(5):
        with pytest.raises((WrongPin, PinLocked)):
            check_manager_pin(kiosk, "0000")
    set_manager_pin(kiosk, "1357")  # `kiosk manager-pin`: the manager who forgot it
    check_manager_pin(kiosk, "1357")


def test_a_lock_dated_by_a_clock_that_was_ahead_does_not_last_until_then(kiosk, clock):
    from datetime import timedelta

    set_manager_pin(kiosk, "2468")
    right = clock.now
    clock.now = right + timedelta(days=730)
    for _ in range(5):
        with pytest.raises((WrongPin, PinLocked)):
            check_manager_pin(kiosk, "0000")
    clock.now = right  # set right again
    check_manager_pin(kiosk, "2468")
