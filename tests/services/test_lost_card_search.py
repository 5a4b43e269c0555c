"""Finding a member by phone, the odd cases (issue 15, found by review): a foreign number
never finds the local member with the same digits; twelve digits that pass a card's check
are still looked up as a phone; full-width digits from a Chinese keyboard are digits."""
from __future__ import annotations

from pathlib import Path

from kiosk.app.bootstrap import initialise_standalone
from kiosk.program import parse_program
from kiosk.services import Enrolment, enrol
from kiosk.services.lost_cards import find_members
from tests.helpers.program import PLAIN_PROGRAM


def _kiosk(tmp_path: Path, currency: str):
    text = PLAIN_PROGRAM.read_text(encoding="utf-8").replace('currency = "TWD"',
                                                             f'currency = "{currency}"')
    return initialise_standalone(tmp_path / "k", store_name="HK store",
                                 program=parse_program(text), device_id="hk-1")


def test_a_macau_number_does_not_find_the_hong_kong_member_with_the_same_digits(tmp_path):
    k = _kiosk(tmp_path, "HKD")
    local = enrol(k, Enrolment("Local", "6123 4567", consent=True))
    macau = enrol(k, Enrolment("Macau", "+853 6123 4567", consent=True))
    found = {m.member.id for m in find_members(k, "+853 6123 4567")}
    assert found == {macau.member.id}, f"also found the HK member {local.member.id}"
    k.store.close()


def test_a_phone_with_country_code_that_passes_luhn_is_still_searched_as_a_phone(tmp_path):
    k = _kiosk(tmp_path, "TWD")
    joined = enrol(k, Enrolment("陳美玲", "0912-345-677", consent=True))
    assert [m.member.id for m in find_members(k, "886 912 345 677")] == [joined.member.id]
    k.store.close()


def test_full_width_digits_from_a_cjk_keyboard_find_the_member(tmp_path):
    k = _kiosk(tmp_path, "TWD")
    joined = enrol(k, Enrolment("陳美玲", "0912-345-678", consent=True))
    assert [m.member.id for m in find_members(k, "０９１２３４５６７８")] == [joined.member.id]  # noqa: RUF001 (the point)
    k.store.close()
