"""Printed member cards: they must scan back to exactly what was signed."""

from __future__ import annotations

import base64
import re
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
import qrcode.constants
import qrcode.util
import zxingcpp
from PIL import Image, ImageChops

from devices.card_image import CARD_SIZE_PX, QUIET_ZONE, card_qr, render_card, save_card
from kiosk.cards import (
    DeviceKey,
    ForgedCard,
    TrustStore,
    card_number,
    certify_device,
    issue_card,
    verify_card,
)
from tests.codes import read_codes

ROOT = DeviceKey.from_bytes(bytes([1]) * 32)
KIOSK = DeviceKey.from_bytes(bytes([2]) * 32)
CERT = certify_device(
    ROOT,
    KIOSK.public_bytes(),
    device_id="kiosk-1",
    card_prefix="1234",
    issued_at=datetime(2025, 3, 1, tzinfo=UTC),
)
TRUST = TrustStore.build(ROOT.public_bytes(), [CERT])
CARD_NO = card_number("1234", 42)
PAYLOAD = issue_card(
    KIOSK, CERT, member_id=uuid.UUID("0190f3a2-7b1c-7d4e-9f00-123456789abc"), card_no=CARD_NO
)


def b32(raw: bytes) -> str:
    return base64.b32encode(raw).decode().rstrip("=")


def test_printed_card_scans_back_to_its_payload_and_verifies(tmp_path: Path) -> None:
    path = tmp_path / "card.png"
    save_card(render_card(PAYLOAD, CARD_NO, "Ada Lovelace"), path)

    codes = read_codes(path)

    assert len(codes) == 1
    assert codes[0].format == zxingcpp.BarcodeFormat.QRCode
    assert codes[0].text == PAYLOAD
    assert verify_card(codes[0].text, TRUST).card_no == CARD_NO


def test_card_is_cr80_at_300_dpi(tmp_path: Path) -> None:
    path = tmp_path / "card.png"
    save_card(render_card(PAYLOAD, CARD_NO), path)

    with Image.open(path) as image:
        assert image.size == CARD_SIZE_PX == (1011, 638)
        assert tuple(round(d) for d in image.info["dpi"]) == (300, 300)
        assert image.getpixel((0, 0)) == 255  # white card


def test_card_qr_is_alphanumeric_mode_at_error_correction_m() -> None:
    qr = card_qr(PAYLOAD)

    assert [chunk.mode for chunk in qr.data_list] == [qrcode.util.MODE_ALPHA_NUM]
    assert qr.error_correction == qrcode.constants.ERROR_CORRECT_M
    assert qr.version == 7  # byte mode would need version 9


def locate_code(card: Image.Image) -> tuple[int, int, int, int]:
    """(left, top, side, module_px) of the code, found from its top-left finder pattern:
    the first ink on the card, a run of 7 dark modules."""
    ink = Image.eval(card, lambda v: 255 - v)
    left, top, _, _ = ink.getbbox() or (0, 0, 0, 0)
    run = 0
    while ink.getpixel((left + run, top)) == 255:
        run += 1
    module_px = run // 7
    return left, top, card_qr(PAYLOAD).modules_count * module_px, module_px


def test_code_has_a_clear_quiet_zone_of_four_modules() -> None:
    card = render_card(PAYLOAD, CARD_NO, "Ada Lovelace")
    left, top, side, module_px = locate_code(card)
    zone = QUIET_ZONE * module_px

    surround = card.crop((left - zone, top - zone, left + side + zone, top + side + zone))
    surround.paste(255, (zone, zone, zone + side, zone + side))

    assert left - zone >= 0 and top - zone >= 0 and top + side + zone <= card.height
    assert surround.getextrema() == (255, 255)  # nothing but white around the code
    assert module_px >= 8  # about 0.7 mm at 300 dpi: easy for any scanner


def test_card_number_is_printed_beside_the_code() -> None:
    card = render_card(PAYLOAD, CARD_NO)
    left, _, side, module_px = locate_code(card)

    beside = card.crop((left + side + QUIET_ZONE * module_px, 0, *CARD_SIZE_PX))

    assert beside.getextrema()[0] == 0  # black ink


def test_a_name_with_a_control_character_is_left_off_the_card() -> None:
    assert ImageChops.difference(render_card(PAYLOAD, CARD_NO, "Ada\nLovelace"),
                                 render_card(PAYLOAD, CARD_NO)).getbbox() is None


@pytest.mark.parametrize("name", ["Ada Lovelace", "王小明", "陳美玲", "Zoë"])
def test_a_name_in_any_of_the_counters_scripts_is_drawn_on_the_card(name: str,
                                                                  tmp_path: Path) -> None:
    """Chinese names were left off the card (the built-in font has no CJK glyphs, though
    Noto Sans CJK comes with the app); the code still reads."""
    card = render_card(PAYLOAD, CARD_NO, name)
    drawn = ImageChops.difference(card, render_card(PAYLOAD, CARD_NO)).getbbox()
    assert drawn is not None
    left, _, side, _ = locate_code(card)
    assert drawn[0] >= left + side  # beside the code, not on it
    path = tmp_path / "card.png"
    save_card(card, path)
    assert [code.text for code in read_codes(path)] == [PAYLOAD]


def test_the_card_carries_the_stores_brand() -> None:
    branded = render_card(PAYLOAD, CARD_NO, "陳美玲", "茶香小舖 Tea House")
    assert ImageChops.difference(branded, render_card(PAYLOAD, CARD_NO, "陳美玲")).getbbox()


def test_a_very_long_name_still_leaves_the_card_scannable(tmp_path: Path) -> None:
    path = tmp_path / "card.png"
    save_card(render_card(PAYLOAD, CARD_NO, "W" * 100), path)

    assert [code.text for code in read_codes(path)] == [PAYLOAD]


def test_pdf_card_is_a_cr80_page(tmp_path: Path) -> None:
    path = tmp_path / "card.pdf"
    save_card(render_card(PAYLOAD, CARD_NO), path)

    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    box = re.search(rb"/MediaBox \[ 0 0 ([\d.]+) ([\d.]+) \]", data)
    assert box is not None
    width_mm, height_mm = (float(v) / 72 * 25.4 for v in box.groups())
    assert width_mm == pytest.approx(85.6, abs=0.1)
    assert height_mm == pytest.approx(54.0, abs=0.1)


@pytest.mark.parametrize("suffix", [".PNG", ".Pdf"])
def test_save_card_accepts_upper_case_suffixes(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"card{suffix}"

    save_card(render_card(PAYLOAD, CARD_NO), path)

    assert path.stat().st_size > 0


@pytest.mark.parametrize("name", ["card.jpg", "card.svg", "card"])
def test_save_card_refuses_other_formats(tmp_path: Path, name: str) -> None:
    with pytest.raises(ValueError, match=r"\.png or \.pdf"):
        save_card(render_card(PAYLOAD, CARD_NO), tmp_path / name)
    assert not (tmp_path / name).exists()


def test_a_forged_card_prints_and_scans_but_fails_verification(tmp_path: Path) -> None:
    thief = DeviceKey.generate()  # signs in the real kiosk's name without its key
    signed = f"CP1.{b32(uuid.uuid4().bytes)}.{CARD_NO}.{KIOSK.key_id}"
    forged = f"{signed}.{b32(thief.sign(signed.encode()))}"
    path = tmp_path / "forged.png"
    save_card(render_card(forged, CARD_NO), path)

    codes = read_codes(path)

    assert [code.text for code in codes] == [forged]
    with pytest.raises(ForgedCard):
        verify_card(codes[0].text, TRUST)


@pytest.mark.parametrize(
    ("payload", "card_no", "message"),
    [
        (PAYLOAD.lower(), CARD_NO, "upper-case"),
        (" " + PAYLOAD, CARD_NO, "upper-case"),
        (PAYLOAD, card_number("1234", 43), "payload is for card"),
        ("https://example.com", CARD_NO, "not a card payload"),
    ],
)
def test_render_card_refuses_a_payload_that_would_print_wrong(
    payload: str, card_no: str, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        render_card(payload, card_no)
