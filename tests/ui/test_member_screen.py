"""The member screen tells tiers apart by colour and names the reward in the activity
(every tier chip was one colour; a redemption read only "Reward")."""

from __future__ import annotations

from PySide6.QtGui import QImage

from kiosk.app.qt import CounterApp
from tests.helpers.ui import WAIT, message, on_screen, scan_member, tap


def chip_colour(app: CounterApp) -> int:
    chip = app.window.member_screen.tier
    image: QImage = chip.grab().toImage()
    return image.pixel(chip.width() // 2, 3)  # the chip's own background, above its text


def test_tiers_have_their_own_colours_and_a_redemption_names_its_reward(qtbot, app):
    w = app.window
    colours = {}
    for index in range(3):  # the demo's members: one at each tier
        scan_member(qtbot, app, index)
        tier = w.member.progress.tier.id
        colours[tier] = chip_colour(app)
        tap(qtbot, w.member_screen.finish)
        on_screen(qtbot, app, "idle")
    assert len(colours) == 3 and len(set(colours.values())) == 3, colours

    scan_member(qtbot, app, 0)
    tap(qtbot, w.member_screen.redeem)
    tap(qtbot, w.redeem.reward_buttons["coffee"])
    tap(qtbot, w.redeem.confirm)
    message(qtbot, app, "info")
    qtbot.waitUntil(lambda: w.current == "member" and w.member_screen.activity.count() > 0
                    and "Reward: Free americano  -60" in
                    w.member_screen.activity.item(0).text(), timeout=WAIT)
