"""The order QR a receipt carries, so a refund starts from a scan instead of a typed
number: ``CPO1.<channel>.<order ref>``, each part RFC 4648 base32 (upper case, unpadded:
the QR's alphanumeric mode, and a ref may hold any printable character). Not signed: it is
only a handle, the refund itself is checked against this kiosk's own order and approved by
a manager."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.cards.base32 import b32, unb32

ORDER_PREFIX = "CPO1."


@dataclass(frozen=True, slots=True)
class OrderCode:
    channel: str
    order_ref: str


def order_payload(channel: str, order_ref: str) -> str:
    return (f"{ORDER_PREFIX}{b32(channel.encode('utf-8'))}."
            f"{b32(order_ref.encode('utf-8'))}")


def parse_order_payload(text: str) -> OrderCode:
    """The order a scanned receipt QR names; ValueError saying what is wrong otherwise."""
    if not text.startswith(ORDER_PREFIX):
        raise ValueError(f"not an order QR (expected {ORDER_PREFIX}<channel>.<order>)")
    parts = text[len(ORDER_PREFIX):].split(".")
    raw = [unb32(part) for part in parts] if len(parts) == 2 else []
    if len(raw) != 2 or any(r is None or not r for r in raw):
        raise ValueError("order QR: damaged (two base32 parts expected)")
    try:
        channel, ref = (r.decode("utf-8") for r in raw if r is not None)
    except UnicodeDecodeError:
        raise ValueError("order QR: damaged (not text)") from None
    if not (channel.isprintable() and ref.isprintable()) or len(channel) > 64 or len(ref) > 64:
        raise ValueError("order QR: damaged (not an order number)")
    return OrderCode(channel, ref)
