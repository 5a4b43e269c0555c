"""Member cards: what a kiosk accepts at the scanner, and everything it must refuse."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
import uuid
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from kiosk.cards import (
    CardClaim,
    CardError,
    DeviceCertificate,
    DeviceKey,
    ForgedCard,
    MalformedCard,
    NotACard,
    RevokedCard,
    TrustStore,
    UnknownIssuer,
    card_number,
    certify_device,
    is_valid_card_number,
    issue_card,
    key_id_of,
    parse_card,
    verify_card,
    verify_certificate,
)

# Fixed keys keep failures reproducible and let hypothesis share them across examples.
ROOT = DeviceKey.from_bytes(bytes([1]) * 32)
KIOSK = DeviceKey.from_bytes(bytes([2]) * 32)
OTHER_KIOSK = DeviceKey.from_bytes(bytes([3]) * 32)
ISSUED_AT = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)
KIOSK_CERT = certify_device(
    ROOT, KIOSK.public_bytes(), device_id="kiosk-taipei-1", card_prefix="1234", issued_at=ISSUED_AT
)
OTHER_CERT = certify_device(
    ROOT, OTHER_KIOSK.public_bytes(), device_id="kiosk-2", card_prefix="56789", issued_at=ISSUED_AT
)
TRUST = TrustStore.build(ROOT.public_bytes(), [KIOSK_CERT, OTHER_CERT])
MEMBER = uuid.UUID("0190f3a2-7b1c-7d4e-9f00-123456789abc")
CARD_NO = card_number("1234", 42)
PAYLOAD = issue_card(KIOSK, KIOSK_CERT, member_id=MEMBER, card_no=CARD_NO)

QR_ALPHANUMERIC = set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")
BASE32_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
# Character positions of each part in "CP1.<member>.<card>.<key>.<signature>".
MEMBER_PART = range(4, 30)
CARD_PART = range(31, 43)
KEY_PART = range(44, 52)
SIGNATURE_PART = range(53, 156)


def b32(raw: bytes) -> str:
    return base64.b32encode(raw).decode().rstrip("=")


def hand_made_payload(signer: DeviceKey, *, key_id: str, card_no: str, member: uuid.UUID) -> str:
    """A token built without `issue_card`'s checks, as a forger would."""
    signed = f"CP1.{b32(member.bytes)}.{card_no}.{key_id}"
    return f"{signed}.{b32(signer.sign(signed.encode()))}"


def fullwidth(digits: str) -> str:
    """Digits as an IME might type them: str.isdigit() is true, but they are not ASCII."""
    return "".join(chr(0xFF10 + int(d)) for d in digits)


def replace_at(text: str, index: int, char: str) -> str:
    return text[:index] + char + text[index + 1 :]


# --- the happy path -------------------------------------------------------------------


def test_a_card_issued_by_a_certified_kiosk_verifies_on_any_kiosk() -> None:
    claim = verify_card(PAYLOAD, TRUST)

    assert claim == CardClaim(
        member_id=MEMBER, card_no=CARD_NO, key_id=KIOSK.key_id, payload=PAYLOAD
    )


def test_payload_is_short_upper_case_and_fits_qr_alphanumeric_mode() -> None:
    assert len(PAYLOAD) == 156
    assert PAYLOAD.startswith(f"CP1.{b32(MEMBER.bytes)}.{CARD_NO}.{KIOSK.key_id}.")
    assert set(PAYLOAD) <= QR_ALPHANUMERIC


@pytest.mark.parametrize(
    "scanned",
    [
        PAYLOAD.lower(),
        PAYLOAD.swapcase(),
        PAYLOAD + "\r\n",
        PAYLOAD + "\n",
        "  " + PAYLOAD + "\t",
        "\r\n" + PAYLOAD.lower() + "  \r\n",
    ],
    ids=["caps-lock", "mixed-case", "wedge-crlf", "wedge-lf", "spaces-tab", "both"],
)
def test_card_scanned_with_caps_lock_or_scanner_line_endings_still_verifies(
    scanned: str,
) -> None:
    assert verify_card(scanned, TRUST).payload == PAYLOAD


def test_every_issuing_device_verifies_with_the_same_trust_store() -> None:
    other_no = card_number("56789", 7)
    other = issue_card(OTHER_KIOSK, OTHER_CERT, member_id=MEMBER, card_no=other_no)

    assert verify_card(other, TRUST).key_id == OTHER_KIOSK.key_id


@given(member=st.uuids(), data=st.data())
def test_any_member_and_serial_round_trip(member: uuid.UUID, data: st.DataObject) -> None:
    prefix = data.draw(st.sampled_from(["1234", "56789"]))
    key, cert = (KIOSK, KIOSK_CERT) if prefix == "1234" else (OTHER_KIOSK, OTHER_CERT)
    serial = data.draw(st.integers(0, 10 ** (11 - len(prefix)) - 1))
    card_no = card_number(prefix, serial)

    claim = verify_card(issue_card(key, cert, member_id=member, card_no=card_no), TRUST)

    assert (claim.member_id, claim.card_no, claim.key_id) == (member, card_no, key.key_id)


def test_parse_card_reads_a_card_without_trusting_it() -> None:
    stranger = DeviceKey.generate()
    forged = hand_made_payload(stranger, key_id=KIOSK.key_id, card_no=CARD_NO, member=MEMBER)

    claim = parse_card(forged.lower())

    assert (claim.member_id, claim.card_no, claim.key_id) == (MEMBER, CARD_NO, KIOSK.key_id)
    assert claim.payload == forged


# --- card numbers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prefix", "serial", "expected"),
    [
        ("1234", 42, "123400000428"),
        ("1234", 0, "123400000006"),
        ("1234", 9_999_999, "123499999993"),
        ("56789", 7, "567890000076"),
        ("123456", 99_999, "123456999994"),
        ("000000", 0, "000000000000"),
        ("0799", 2739871, "079927398713"),  # the textbook Luhn example 79927398713
    ],
)
def test_card_number_is_prefix_padded_serial_and_luhn_digit(
    prefix: str, serial: int, expected: str
) -> None:
    assert card_number(prefix, serial) == expected
    assert is_valid_card_number(expected)


@pytest.mark.parametrize(
    ("prefix", "serial"),
    [
        ("1234", 10_000_000),  # 8 digits after a 4-digit prefix: no room
        ("123456", 100_000),
        ("1234", -1),
        ("123", 1),  # prefixes are 4 to 6 digits
        ("1234567", 1),
        ("12a4", 1),
        (fullwidth("1234"), 1),
    ],
)
def test_card_number_refuses_a_serial_or_prefix_that_does_not_fit(prefix: str, serial: int) -> None:
    with pytest.raises(ValueError):
        card_number(prefix, serial)


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        ("079927398713", True),
        ("000000000000", True),
        ("100000000008", True),
        ("123400000428", True),
        ("079927398710", False),  # wrong check digit
        ("079927398731", False),  # last two digits swapped
        ("097927398713", False),  # adjacent digits swapped
        ("12340000042", False),  # 11 digits
        ("1234000004280", False),  # 13 digits
        ("1234 0000 0428", False),
        (" 123400000428", False),
        ("12340000042A", False),
        (fullwidth("123400000428"), False),
        ("", False),
    ],
)
def test_is_valid_card_number_checks_length_digits_and_luhn(text: str, valid: bool) -> None:
    assert is_valid_card_number(text) is valid


def reference_luhn_ok(number: str) -> bool:
    """The textbook statement: double every second digit from the right, sum the digits."""
    total = 0
    for position, char in enumerate(reversed(number)):
        value = int(char) * (2 if position % 2 else 1)
        total += value // 10 + value % 10
    return total % 10 == 0


@given(st.from_regex(r"\A[0-9]{12}\Z"))
def test_is_valid_card_number_agrees_with_the_textbook_luhn_rule(number: str) -> None:
    assert is_valid_card_number(number) is reference_luhn_ok(number)


@given(st.integers(0, 9_999_999), st.integers(0, 11), st.integers(1, 9))
def test_any_single_mistyped_digit_makes_a_card_number_invalid(
    serial: int, position: int, delta: int
) -> None:
    number = card_number("1234", serial)
    typo = replace_at(number, position, str((int(number[position]) + delta) % 10))

    assert not is_valid_card_number(typo)


# --- tampered and damaged cards -------------------------------------------------------


@pytest.mark.parametrize("index", [*MEMBER_PART, *SIGNATURE_PART])
def test_changing_any_character_of_member_id_or_signature_is_refused(index: int) -> None:
    for char in {"A", "Q", "7", BASE32_ALPHABET[(BASE32_ALPHABET.index(PAYLOAD[index]) + 1) % 32]}:
        if char == PAYLOAD[index]:
            continue
        with pytest.raises((ForgedCard, MalformedCard)):
            verify_card(replace_at(PAYLOAD, index, char), TRUST)


@pytest.mark.parametrize("index", CARD_PART)
def test_changing_any_digit_of_the_card_number_is_refused(index: int) -> None:
    for digit in "0123456789":
        if digit == PAYLOAD[index]:
            continue
        with pytest.raises((ForgedCard, MalformedCard)):
            verify_card(replace_at(PAYLOAD, index, digit), TRUST)


def test_a_card_number_changed_to_another_valid_number_is_forged() -> None:
    other_no = card_number("1234", 43)
    tampered = PAYLOAD.replace(CARD_NO, other_no)

    with pytest.raises(ForgedCard):
        verify_card(tampered, TRUST)


@pytest.mark.parametrize("index", KEY_PART)
def test_changing_any_character_of_the_key_id_is_refused(index: int) -> None:
    char = BASE32_ALPHABET[(BASE32_ALPHABET.index(PAYLOAD[index]) + 1) % 32]

    with pytest.raises((UnknownIssuer, ForgedCard, MalformedCard)):
        verify_card(replace_at(PAYLOAD, index, char), TRUST)


def test_a_card_relabelled_with_another_trusted_key_id_is_forged() -> None:
    relabelled = PAYLOAD.replace(KIOSK.key_id, OTHER_KIOSK.key_id)

    with pytest.raises(ForgedCard):  # outside that key's prefix, and the signature is wrong
        verify_card(relabelled, TRUST)


def test_changing_unused_bits_of_the_last_signature_character_is_refused() -> None:
    # 103 base32 characters carry 515 bits for a 512-bit signature; a lenient decoder
    # would read a different last character as the same signature.
    last = PAYLOAD[-1]
    spare_bits = BASE32_ALPHABET.index(last) & 0b111
    for low in range(8):
        if low == spare_bits:
            continue
        twin = BASE32_ALPHABET[(BASE32_ALPHABET.index(last) & ~0b111) | low]
        with pytest.raises(MalformedCard):
            verify_card(PAYLOAD[:-1] + twin, TRUST)


@given(index=st.integers(4, len(PAYLOAD) - 1), char=st.characters())
def test_no_single_character_change_ever_verifies(index: int, char: str) -> None:
    tampered = replace_at(PAYLOAD, index, char)
    assume(tampered.strip().upper() != PAYLOAD)

    with pytest.raises(CardError):
        verify_card(tampered, TRUST)


@pytest.mark.parametrize("length", range(len(PAYLOAD)))
def test_a_truncated_scan_is_refused_as_damaged_or_not_a_card(length: int) -> None:
    with pytest.raises((NotACard, MalformedCard)):
        verify_card(PAYLOAD[:length], TRUST)


@pytest.mark.parametrize(
    "scanned",
    [
        PAYLOAD + "A",
        PAYLOAD + ".A",
        "CP1." + PAYLOAD[4:].replace(".", "-"),
        PAYLOAD.replace(".", ".."),
        "CP1." + "A" * 152,
        "CP1.",
        "CP1.....",
        PAYLOAD[:-1] + "=",
        PAYLOAD[:-1] + "1",  # 1 is not in the base32 alphabet
        PAYLOAD.replace(CARD_NO, CARD_NO[:-1] + "X"),
        PAYLOAD[:100] + "é" + PAYLOAD[101:],
        PAYLOAD[:100] + "\x00" + PAYLOAD[101:],
        PAYLOAD[:100] + " " + PAYLOAD[101:],
    ],
    ids=[
        "extra-char",
        "six-parts",
        "wrong-separator",
        "doubled-dots",
        "no-dots",
        "prefix-only",
        "empty-parts",
        "padding",
        "not-base32",
        "letter-in-number",
        "non-ascii",
        "nul",
        "inner-space",
    ],
)
def test_a_damaged_card_is_refused_as_malformed(scanned: str) -> None:
    with pytest.raises(MalformedCard):
        verify_card(scanned, TRUST)


# --- someone else's codes -------------------------------------------------------------


@pytest.mark.parametrize(
    "scanned",
    [
        "",
        "   ",
        "\r\n",
        "https://example.com/loyalty?card=123400000428",
        "HTTPS://EXAMPLE.COM/CP1.",
        "WXP://F2F0ABCDEF0123456789",
        "wxp://f2f0abcdef0123456789",
        "https://qr.alipay.com/fkx12345abcde",
        "4006381333931",  # EAN-13 from a cereal box
        "123400000428",  # a card number typed without its token
        "CP2." + PAYLOAD[4:],
        "CP1",
        "CP1:" + PAYLOAD[4:],
        ".CP1." + PAYLOAD[4:],
        "\x00\x01\x02\xff\xfe",
        bytes(range(256)).decode("latin-1"),
        "\ufffd\ufffd\ufffd",
        "会员卡 CP1.",
        "A" * 10_000,
        "CP1." + "A" * 10_000,
        PAYLOAD + " " * 400,  # a real card buried in 556 characters
    ],
    ids=lambda text: repr(text[:24]) + f"..{len(text)}",
)
def test_someone_elses_code_is_refused_as_not_a_card(scanned: str) -> None:
    with pytest.raises(NotACard):
        verify_card(scanned, TRUST)


@given(st.text())
def test_any_scanned_text_is_refused_only_with_a_card_error(text: str) -> None:
    with pytest.raises(CardError):
        verify_card(text, TRUST)


@given(
    st.from_regex(
        r"\ACP1\.[A-Z2-7]{26}\.[0-9]{12}\.(" + KIOSK.key_id + r"|[A-Z2-7]{8})\.[A-Z2-7]{103}\Z"
    )
)
def test_random_card_shaped_text_never_verifies(text: str) -> None:
    with pytest.raises((ForgedCard, MalformedCard, UnknownIssuer)):
        verify_card(text, TRUST)


@given(st.text(alphabet="CP1.ABCDEFGHIJKLMNOPQRSTUVWXYZ234567890 \r\n", max_size=600))
def test_text_made_of_card_characters_is_refused_only_with_a_card_error(text: str) -> None:
    with pytest.raises(CardError):
        verify_card(text, TRUST)


# --- who may issue what ---------------------------------------------------------------


def test_a_card_from_an_uncertified_kiosk_is_from_an_unknown_issuer() -> None:
    trust = TrustStore.build(ROOT.public_bytes(), [OTHER_CERT])

    with pytest.raises(UnknownIssuer, match="does not know yet"):
        verify_card(PAYLOAD, trust)


def test_a_kiosk_certified_by_a_different_root_is_forged() -> None:
    rogue_root = DeviceKey.generate()
    rogue_cert = certify_device(
        rogue_root, KIOSK.public_bytes(), device_id="rogue", card_prefix="1234", issued_at=ISSUED_AT
    )
    trust = TrustStore.build(ROOT.public_bytes(), [rogue_cert])
    payload = issue_card(KIOSK, rogue_cert, member_id=MEMBER, card_no=CARD_NO)

    with pytest.raises(ForgedCard):
        verify_card(payload, trust)


def test_a_kiosk_that_widens_its_own_certificate_prefix_is_forged() -> None:
    widened = dataclasses.replace(KIOSK_CERT, card_prefix="9999")
    trust = TrustStore.build(ROOT.public_bytes(), [widened])
    payload = issue_card(KIOSK, widened, member_id=MEMBER, card_no=card_number("9999", 1))

    with pytest.raises(ForgedCard):
        verify_card(payload, trust)


def test_a_kiosk_may_not_issue_a_number_outside_its_prefix() -> None:
    with pytest.raises(ValueError, match="outside prefix 1234"):
        issue_card(KIOSK, KIOSK_CERT, member_id=MEMBER, card_no=card_number("5678", 1))


def test_a_hand_forged_card_outside_the_signers_prefix_is_forged() -> None:
    forged = hand_made_payload(
        KIOSK, key_id=KIOSK.key_id, card_no=card_number("5678", 1), member=MEMBER
    )

    with pytest.raises(ForgedCard, match="outside the numbers"):
        verify_card(forged, TRUST)


def test_a_card_signed_by_a_stolen_key_id_but_a_different_key_is_forged() -> None:
    forged = hand_made_payload(
        DeviceKey.generate(), key_id=KIOSK.key_id, card_no=card_number("1234", 7), member=MEMBER
    )

    with pytest.raises(ForgedCard):
        verify_card(forged, TRUST)


@pytest.mark.parametrize(
    "card_no", ["123400000420", "12340000042", "1234000004280", "", "abcdefghijkl"]
)
def test_a_kiosk_may_not_issue_an_invalid_card_number(card_no: str) -> None:
    with pytest.raises(ValueError, match="not a valid 12-digit card number"):
        issue_card(KIOSK, KIOSK_CERT, member_id=MEMBER, card_no=card_no)


def test_a_kiosk_may_not_issue_with_another_devices_certificate() -> None:
    with pytest.raises(ValueError, match="certificate is for key"):
        issue_card(KIOSK, OTHER_CERT, member_id=MEMBER, card_no=card_number("56789", 1))


# --- revocation -----------------------------------------------------------------------


def test_a_cancelled_card_is_revoked() -> None:
    trust = TrustStore.build(ROOT.public_bytes(), [KIOSK_CERT], revoked_cards=[CARD_NO])

    with pytest.raises(RevokedCard, match=CARD_NO):
        verify_card(PAYLOAD, trust)


def test_cancelling_one_card_leaves_the_others_working() -> None:
    trust = TrustStore.build(
        ROOT.public_bytes(), [KIOSK_CERT], revoked_cards=[card_number("1234", 43)]
    )

    assert verify_card(PAYLOAD, trust).card_no == CARD_NO


def test_every_card_of_a_withdrawn_kiosk_key_is_revoked() -> None:
    trust = TrustStore.build(ROOT.public_bytes(), [KIOSK_CERT], revoked_keys=[KIOSK.key_id])

    for serial in (1, 42, 9_999_999):
        card = issue_card(KIOSK, KIOSK_CERT, member_id=MEMBER, card_no=card_number("1234", serial))
        with pytest.raises(RevokedCard, match="withdrawn"):
            verify_card(card, trust)


def test_a_withdrawn_key_is_revoked_even_after_its_certificate_is_dropped() -> None:
    trust = TrustStore.build(ROOT.public_bytes(), [], revoked_keys=[KIOSK.key_id])

    with pytest.raises(RevokedCard):
        verify_card(PAYLOAD, trust)


def test_a_tampered_card_with_a_cancelled_number_is_forged_not_revoked() -> None:
    other_no = card_number("1234", 43)
    trust = TrustStore.build(ROOT.public_bytes(), [KIOSK_CERT], revoked_cards=[other_no])

    with pytest.raises(ForgedCard):
        verify_card(PAYLOAD.replace(CARD_NO, other_no), trust)


# --- errors as the UI sees them -------------------------------------------------------


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (NotACard, "not_a_card"),
        (MalformedCard, "malformed"),
        (UnknownIssuer, "unknown_issuer"),
        (ForgedCard, "forged"),
        (RevokedCard, "revoked"),
    ],
)
def test_each_refusal_has_a_stable_code_for_the_screen(error: type[CardError], code: str) -> None:
    assert issubclass(error, CardError)
    assert error.code == code


def test_refusal_messages_are_plain_english() -> None:
    with pytest.raises(NotACard) as excinfo:
        verify_card("https://example.com", TRUST)

    assert str(excinfo.value) == "this code is not a Counterpoint member card"


# --- keys, certificates and the trust store -------------------------------------------


def test_key_id_is_base32_of_the_first_five_bytes_of_the_public_key_hash() -> None:
    expected = base64.b32encode(hashlib.sha256(KIOSK.public_bytes()).digest()[:5]).decode()

    assert KIOSK.key_id == key_id_of(KIOSK.public_bytes()) == expected
    assert len(expected) == 8


def test_device_key_round_trips_through_its_raw_bytes() -> None:
    key = DeviceKey.generate()

    restored = DeviceKey.from_bytes(key.to_bytes())

    assert restored.public_bytes() == key.public_bytes()
    assert len(key.to_bytes()) == 32


def test_device_key_repr_does_not_show_the_private_key() -> None:
    assert repr(KIOSK) == f"DeviceKey(key_id={KIOSK.key_id!r})"
    assert KIOSK.to_bytes().hex() not in repr(KIOSK)


def test_device_key_from_bytes_refuses_the_wrong_length() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        DeviceKey.from_bytes(b"\x01" * 31)


def test_certificate_survives_json_and_still_verifies() -> None:
    text = json.dumps(KIOSK_CERT.to_dict())

    restored = DeviceCertificate.from_dict(json.loads(text))

    assert restored == KIOSK_CERT
    verify_certificate(restored, ROOT.public_bytes())


def test_certificate_dict_is_plain_strings() -> None:
    assert KIOSK_CERT.to_dict() == {
        "card_prefix": "1234",
        "device_id": "kiosk-taipei-1",
        "issued_at": "2025-03-01T09:30:00.000000Z",
        "key_id": KIOSK.key_id,
        "public_key": b32(KIOSK.public_bytes()),
        "signature": b32(KIOSK_CERT.signature),
    }


def test_certificate_signs_a_documented_canonical_encoding() -> None:
    unsigned = {k: v for k, v in KIOSK_CERT.to_dict().items() if k != "signature"}
    expected = b"CPCERT1\n" + json.dumps(unsigned, sort_keys=True, separators=(",", ":")).encode()

    assert KIOSK_CERT.signed_bytes() == expected


def test_certificate_issued_in_local_time_is_stored_in_utc_and_verifies() -> None:
    taipei = timezone(timedelta(hours=8))
    cert = certify_device(
        ROOT,
        KIOSK.public_bytes(),
        device_id="kiosk-taipei-1",
        card_prefix="1234",
        issued_at=datetime(2025, 3, 1, 17, 30, tzinfo=taipei),
    )

    assert cert.issued_at == ISSUED_AT
    assert cert.issued_at.tzinfo is UTC
    verify_certificate(cert, ROOT.public_bytes())


def test_certify_device_refuses_a_naive_time() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        certify_device(
            ROOT,
            KIOSK.public_bytes(),
            device_id="kiosk-taipei-1",
            card_prefix="1234",
            issued_at=datetime(2025, 3, 1),
        )


def test_certificate_naming_a_key_it_does_not_carry_is_forged() -> None:
    mislabelled = dataclasses.replace(KIOSK_CERT, key_id=OTHER_KIOSK.key_id)

    with pytest.raises(ForgedCard, match="different key"):
        verify_certificate(mislabelled, ROOT.public_bytes())


@pytest.mark.parametrize(
    "field", ["device_id", "card_prefix", "issued_at", "public_key", "signature"]
)
def test_certificate_with_any_field_changed_is_forged(field: str) -> None:
    changes: dict[str, Any] = {
        "device_id": "kiosk-evil",
        "card_prefix": "12345",
        "issued_at": ISSUED_AT + timedelta(microseconds=1),
        "public_key": OTHER_KIOSK.public_bytes(),
        "signature": bytes(64),
    }
    changed = dataclasses.replace(KIOSK_CERT, **{field: changes[field]})
    if field == "public_key":
        changed = dataclasses.replace(changed, key_id=OTHER_KIOSK.key_id)

    with pytest.raises(ForgedCard):
        verify_certificate(changed, ROOT.public_bytes())


def _cert_dict(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {**KIOSK_CERT.to_dict(), **changes}
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_cert_dict(signature=None), "missing"),
        (_cert_dict(extra="x"), "unexpected"),
        (_cert_dict(card_prefix=1234), "must be a string"),
        (_cert_dict(public_key="not base32!"), "public_key"),
        (_cert_dict(public_key=b32(b"short")), "32 bytes"),
        (_cert_dict(signature=b32(bytes(63))), "64 bytes"),
        (_cert_dict(issued_at="yesterday"), "ISO 8601"),
        (_cert_dict(issued_at="2025-03-01T09:30:00"), "timezone-aware"),
        (_cert_dict(card_prefix="12"), "4 to 6 digits"),
        (_cert_dict(key_id="short"), "8 base32"),
        (_cert_dict(device_id=""), "device id"),
    ],
)
def test_certificate_from_bad_json_is_refused_with_a_clear_message(
    data: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        DeviceCertificate.from_dict(data)


def test_certificate_from_something_other_than_an_object_is_refused() -> None:
    with pytest.raises(ValueError, match="JSON object"):
        DeviceCertificate.from_dict([])  # type: ignore[arg-type]


def test_trust_store_refuses_two_different_certificates_for_one_key() -> None:
    again = certify_device(
        ROOT,
        KIOSK.public_bytes(),
        device_id="kiosk-taipei-1",
        card_prefix="4321",
        issued_at=ISSUED_AT,
    )

    with pytest.raises(ValueError, match="two different certificates"):
        TrustStore.build(ROOT.public_bytes(), [KIOSK_CERT, again])


def test_trust_store_accepts_the_same_certificate_twice() -> None:
    trust = TrustStore.build(ROOT.public_bytes(), [KIOSK_CERT, KIOSK_CERT])

    assert list(trust.certificates) == [KIOSK.key_id]


def test_trust_store_refuses_a_certificate_filed_under_the_wrong_key_id() -> None:
    with pytest.raises(ValueError, match="filed under"):
        TrustStore(ROOT.public_bytes(), {OTHER_KIOSK.key_id: KIOSK_CERT})


def test_trust_store_refuses_a_root_key_of_the_wrong_length() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        TrustStore(b"\x00" * 31)


def test_trust_store_does_not_change_when_the_callers_dict_does() -> None:
    certs = {KIOSK.key_id: KIOSK_CERT}
    trust = TrustStore(ROOT.public_bytes(), certs)

    certs.clear()

    assert verify_card(PAYLOAD, trust).card_no == CARD_NO
