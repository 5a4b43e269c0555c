"""A lost card through the widgets, in three languages (issue 15): the manager finds the
member by phone as the member says it (with the country code), replaces the card, the old
card is refused at once, and the new card comes out of the (file) receipt printer with the
QR the kiosk scans. Each language is captured as a PNG."""

from __future__ import annotations

from pathlib import Path

import pytest

from devices.settings import DeviceSettings
from tests.helpers.devices import file_printer
from tests.helpers.ui import (
    SHOTS,
    WAIT,
    manager_unlock,
    message,
    on_screen,
    scan_member,
    tap,
    whole_printout,
)
from ui.i18n import LANGUAGES

pytestmark = pytest.mark.gui

DONE = {"en": "New card", "zh-TW": "發出新卡", "zh-CN": "发出新卡"}


@pytest.fixture
def paper(tmp_path: Path) -> Path:
    return tmp_path / "printer.bin"


@pytest.fixture
def devices(paper: Path) -> DeviceSettings:
    return file_printer(paper)


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_a_manager_replaces_a_lost_card_found_by_phone(qtbot, app, paper, language):
    w = app.window
    w.resize(1024, 768)
    w.set_language(language)
    scan_member(qtbot, app, 0)
    assert w.member is not None
    member, old_payload, balance = w.member.member, app.window.session.card_payload, \
        w.member.balance
    local = member.phone  # stored as the member gave it: 09xx...
    said = "+886 " + local.removeprefix("0")  # the member says it with the country code
    manager_unlock(qtbot, app)
    qtbot.waitUntil(lambda: w.manager.unlocked, timeout=WAIT)
    tab = w.manager.lost_card_tab
    w.manager.tabs.setCurrentWidget(tab)
    qtbot.keyClicks(tab.query, said)
    tap(qtbot, tab.search)
    qtbot.waitUntil(lambda: tab.replace.isEnabled(), timeout=WAIT)
    assert member.name in tab.results.item(0).text()
    folder = SHOTS / language
    folder.mkdir(parents=True, exist_ok=True)
    assert w.grab().save(str(folder / "manager-lost-card.png"))
    tap(qtbot, tab.replace)
    assert DONE[language] in message(qtbot, app, "info") or DONE[language] in tab.done.text()
    qtbot.waitUntil(lambda: DONE[language] in tab.done.text(), timeout=WAIT)
    assert w.grab().save(str(folder / "manager-lost-card-done.png"))
    tap(qtbot, w.manager.close_button)
    qtbot.waitUntil(lambda: w.receipt_button.isVisible(), timeout=WAIT)
    tap(qtbot, w.receipt_button)  # the new card, on the receipt printer
    [qr] = whole_printout(qtbot, paper).qr_codes
    new_payload = qr.payload.decode()
    assert new_payload != old_payload
    w.handle_scan(old_payload)  # the old card: refused at once
    message(qtbot, app, "error")
    w.handle_scan(new_payload)
    on_screen(qtbot, app, "member")
    qtbot.waitUntil(lambda: w.member is not None and w.member.member.id == member.id,
                    timeout=WAIT)
    assert w.member.balance == balance


def test_an_old_cancelled_card_number_is_refused_and_the_current_card_stays(qtbot, app):
    """The lost card's number typed again after it was replaced: before, the member's
    current card was cancelled and yet another issued."""
    from kiosk.services.lost_cards import find_members, reissue_card

    w = app.window
    scan_member(qtbot, app, 0)
    assert w.member is not None
    member_id, kiosk = w.member.member.id, app.counter.kiosk
    [old] = find_members(kiosk, w.member.member.phone)[0].cards
    current = reissue_card(kiosk, member_id, found_by=old)
    manager_unlock(qtbot, app)
    qtbot.waitUntil(lambda: w.manager.unlocked, timeout=WAIT)
    tab = w.manager.lost_card_tab
    w.manager.tabs.setCurrentWidget(tab)
    qtbot.keyClicks(tab.query, old)
    tap(qtbot, tab.search)
    qtbot.waitUntil(lambda: tab.replace.isEnabled(), timeout=WAIT)
    tap(qtbot, tab.replace)
    said = message(qtbot, app, "error")  # which card the member holds now, not the counter's
    assert old in said and current.card.card_no in said and "already replaced" in said
    [found] = find_members(kiosk, current.card.card_no)
    assert found.cards == (current.card.card_no,)
