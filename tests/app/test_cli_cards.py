"""`kiosk member find` and `kiosk card reissue`: a lost card from the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from tests.helpers.cli import kiosk, kiosk_json
from tests.helpers.program import PLAIN_PROGRAM


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "k1"
    kiosk(folder, "init", "--device-id", "till-1", "--program", str(PLAIN_PROGRAM))
    return folder


def test_a_lost_card_is_replaced_from_the_phone_number(data, tmp_path):
    joined = kiosk_json(data, "member", "enroll", "--name", "王小明", "--phone",
                        "0987-654-321", "--consent")
    kiosk(data, "sale", "--card", joined["card_payload"], "--amount", "1000")
    [found] = kiosk_json(data, "member", "find", "+886 987 654 321")["members"]
    assert (found["name"], found["cards"], found["balance"]) == (
        "王小明", [joined["card_no"]], 60)
    out = tmp_path / "new.png"
    new = kiosk_json(data, "card", "reissue", "0987654321", "--out", str(out))
    assert new["revoked"] == [joined["card_no"]] and new["balance"] == 60
    [code] = zxingcpp.read_barcodes(Image.open(out))
    assert code.text == new["card_payload"]  # the printed card scans as the new card
    refused = kiosk_json(data, "balance", "--card", joined["card_payload"], expect=1)
    assert refused["error"]["code"] == "revoked"
    assert kiosk_json(data, "balance", "--card", new["card_payload"])["balance"] == 60


def test_a_search_that_finds_nobody_or_nothing_says_so(data):
    assert kiosk_json(data, "member", "find", "0900 000 000")["members"] == []
    nobody = kiosk_json(data, "card", "reissue", "0900 000 000", expect=1)
    assert nobody["error"]["code"] == "unknown_member"
    junk = kiosk_json(data, "member", "find", "hello", expect=1)
    assert junk["error"]["code"] == "invalid_input"
