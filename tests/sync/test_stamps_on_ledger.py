"""The stamps a card's coupon check counts (``coupons._stamps_on_ledger``): on PostgreSQL
each member's stamp entries are read once and summed in Python, which must give what the
one-query-per-claim statement gave, NULL order refs included (SQL leaves an entry of the
order's own channel with no order ref out: ``NOT (channel = c AND order_ref = r)`` is
unknown for it)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, text

from kiosk.engine.orders import Order, card_wallet
from sync.server.coupons import _stamps_on_ledger
from sync.server.db import ledger_engine

AT = datetime(2026, 11, 30, 12, tzinfo=UTC)
K, S = "kiosk-1", "shop"
ALICE, BOB, CAROL = (uuid.UUID(int=n) for n in (1, 2, 3))

# The statement the sums replace: a look-up of the member's entries per claim.
PER_CLAIM = (
    "SELECT (SELECT COALESCE(sum(e.points), 0) FROM entries e "
    "WHERE e.member_id = q.member AND e.kind = 'stamp' AND e.note = q.note "
    "AND NOT (e.channel = q.channel AND e.order_ref = q.ref) "
    "AND (e.points >= 0 OR e.channel = q.channel)) "
    "FROM unnest(CAST(:m AS uuid[]), CAST(:n AS text[]), CAST(:c AS text[]), "
    "CAST(:r AS text[])) WITH ORDINALITY AS q(member, note, channel, ref, i) ORDER BY q.i")

# (member, kind, note, channel, order ref, points)
ENTRIES = [
    (ALICE, "stamp", card_wallet("tea"), K, "O-1", 2),  # the order's own
    (ALICE, "stamp", card_wallet("tea"), K, "O-2", 3),  # an earlier order here
    (ALICE, "stamp", card_wallet("tea"), K, "O-3", -9),  # this channel's take-back
    (ALICE, "stamp", card_wallet("tea"), S, "W-1", 4),  # another channel's stamps
    (ALICE, "stamp", card_wallet("tea"), S, "W-2", -9),  # another channel's take-back
    (ALICE, "stamp", card_wallet("tea"), K, None, 5),  # no order ref, this channel
    (ALICE, "stamp", card_wallet("tea"), S, None, 6),  # no order ref, another channel
    (ALICE, "stamp", card_wallet("tea"), S, None, -7),  # ... taking stamps back
    (ALICE, "stamp", None, K, "O-4", 8),  # no card
    (ALICE, "stamp", card_wallet("cake"), K, "O-1", 1),  # the other card
    (ALICE, "earn", card_wallet("tea"), K, "O-5", 50),  # not a stamp
    (BOB, "stamp", card_wallet("tea"), S, "O-1", 7),  # O-1 of another channel
    (BOB, "stamp", card_wallet("cake"), K, "O-9", -2),
]


def _order(member: uuid.UUID | None, channel: str, ref: str) -> Order:
    return Order(channel, ref, AT, (), member)


CLAIMS = [
    (_order(ALICE, K, "O-1"), "tea"),
    (_order(ALICE, K, "O-2"), "tea"),
    (_order(ALICE, S, "W-1"), "tea"),
    (_order(ALICE, K, "O-1"), "cake"),
    (_order(ALICE, K, "O-1"), "none"),  # a card with no stamps
    (_order(BOB, K, "O-1"), "tea"),
    (_order(BOB, S, "O-1"), "tea"),
    (_order(BOB, K, "O-8"), "cake"),
    (_order(CAROL, K, "O-1"), "tea"),  # no entries at all
    (_order(None, K, "O-1"), "tea"),  # no member
    (_order(ALICE, K, "O-1"), "tea"),  # a claim twice
]


@pytest.fixture
def engine(pg_migrated_url: str) -> Iterator[Engine]:
    engine = ledger_engine(pg_migrated_url)
    with engine.begin() as conn:
        for member in (ALICE, BOB, CAROL):
            conn.execute(text("INSERT INTO members (id, name, phone, enrolled_at, channel, "
                              "consent) VALUES (:id, 'M', '0912000000', :at, :c, true)"),
                         {"id": member, "at": AT, "c": K})
        conn.execute(text(
            "INSERT INTO entries (id, seq, member_id, kind, points, amount_minor, channel, "
            "order_ref, program_version, occurred_at, note) VALUES (:id, :seq, :member, "
            ":kind, :points, 0, :channel, :ref, 'v1', :at, :note)"),
            [{"id": uuid.UUID(int=100 + i), "seq": i + 1, "member": member, "kind": kind,
              "note": note, "channel": channel, "ref": ref, "points": points, "at": AT}
             for i, (member, kind, note, channel, ref, points) in enumerate(ENTRIES)])
    yield engine
    engine.dispose()


def test_the_sums_are_the_per_claim_statements(engine: Engine) -> None:
    with engine.connect() as conn:
        per_claim = [int(v) for v in conn.execute(text(PER_CLAIM), {
            "m": [o.member_id for o, _ in CLAIMS], "n": [card_wallet(c) for _, c in CLAIMS],
            "c": [o.channel for o, _ in CLAIMS], "r": [o.order_ref for o, _ in CLAIMS],
        }).scalars()]
        summed = _stamps_on_ledger(conn, CLAIMS)
    assert summed == per_claim
    # By hand, Alice's tea card from O-1 on K: 3 - 9 + 4 + 6 (her own 2 and the 5 with no
    # order ref on K left out, another channel's take-backs not counted).
    assert summed[0] == 4
    assert summed[-1] == summed[0]


def test_no_claims_read_nothing(engine: Engine) -> None:
    with engine.connect() as conn:
        assert _stamps_on_ledger(conn, []) == []
