"""`kiosk run --text`, what `kiosk run` falls back to on a machine with no display, at a
real store (found at review 27): it started by printing "demo card NNN: CP1.…" for every
member in the store, each member's whole card payload, which is all a scanner needs to
earn on or redeem from their points, on the terminal and in any log of it. Only the demo
lists its (demo) members' cards."""

from __future__ import annotations

import io

from kiosk.app.text_counter import run_counter


def test_a_stores_text_counter_prints_no_members_card(kiosk, member, tmp_path, capsys):
    run_counter(kiosk, tmp_path / "cards", stdin=io.StringIO(f"{member.card.payload}\nquit\n"))
    shown = capsys.readouterr().out
    assert member.card.payload not in shown
    assert member.card.card_no in shown  # the scanned card still opens the member


def test_the_demo_lists_its_cards_to_paste(kiosk, member, tmp_path, capsys):
    run_counter(kiosk, tmp_path / "cards", stdin=io.StringIO("quit\n"), demo=True)
    assert f"demo card {member.card.card_no}: {member.card.payload}" in capsys.readouterr().out
