"""'Print card' with no printer set up saves the card where it says it did: a PNG in the
kiosk's cards folder whose QR code is the new member's card (it promised a file that was
never written)."""

from __future__ import annotations

from kiosk.app.qt import CounterApp
from tests.codes import read_codes
from tests.helpers.ui import message, on_screen, tap


def test_print_card_without_a_printer_saves_the_card_it_names(qtbot, app: CounterApp):
    w = app.window
    assert app.counter.print_receipt is None  # the demo kiosk has no printer
    tap(qtbot, w.idle.enrol)
    on_screen(qtbot, app, "enrol")
    qtbot.keyClicks(w.enrol.name, "Amy Lin")
    qtbot.keyClicks(w.enrol.phone, "0911222333")
    w.enrol.consent.setChecked(True)
    tap(qtbot, w.enrol.submit)
    on_screen(qtbot, app, "card")
    card = w.card.result.card
    saved = app.running.data_dir / "cards" / f"{card.card_no}.png"
    saved.unlink(missing_ok=True)

    tap(qtbot, w.card.print)

    assert message(qtbot, app, "info") == (
        f"No printer is set up: the card was saved as {saved}.")
    assert [code.text for code in read_codes(saved)] == [card.payload]
