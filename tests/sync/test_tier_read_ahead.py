"""The members' purchases for an upload's tier claims, read ahead on a connection of their
own while the rules run (``tier_audit.purchases_ahead``): used only when the claims the audit
finds ask for the same window start and for members it read, otherwise read again on the
upload's own connection."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from concurrent.futures import Future
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine

from kiosk.ledger import EntryKind
from kiosk.program import Program, load_program
from sync.protocol import EntryWire
from sync.server import tier_audit
from sync.server.db import ledger_engine
from tests.helpers.program import ROOT

AT = datetime(2026, 11, 30, 12, tzinfo=UTC)
# Tiers by the rolling window's spend (the shipped program's tier is retained).
WINDOW_PROGRAM = ROOT / "bench" / "programs" / "busy.toml"
ALICE, BOB = uuid.UUID(int=1), uuid.UUID(int=2)


@pytest.fixture
def engine(pg_migrated_url: str) -> Iterator[Engine]:
    engine = ledger_engine(pg_migrated_url)
    yield engine
    engine.dispose()


def _earn(member: uuid.UUID, program: Program, tier: str | None, minutes: int = 0,
          kind: EntryKind = EntryKind.EARN) -> EntryWire:
    return EntryWire(id=uuid.uuid4(), member_id=member, kind=kind, points=1,
                     amount_minor=100 if kind is EntryKind.EARN else 0, channel="k1",
                     occurred_at=AT + timedelta(minutes=minutes),
                     program_version=program.version, tier=tier, device_seq=1)


def _read(since: datetime, members: set[uuid.UUID], known: dict[uuid.UUID, int]
          ) -> tier_audit._Ahead:
    done: Future[dict[uuid.UUID, int]] = Future()
    done.set_result(known)
    return tier_audit._Ahead(since, frozenset(members), done)


def test_a_read_still_waiting_for_a_connection_is_not_waited_for(engine: Engine) -> None:
    """Every connection of the pool may be an upload's own transaction, each waiting for
    its read ahead: the audit then reads on its own connection (no deadlock)."""
    program = load_program(WINDOW_PROGRAM)
    silver = program.find_tier("silver")
    assert silver is not None
    late = _earn(ALICE, program, "silver", minutes=5)
    pending: Future[dict[uuid.UUID, int]] = Future()  # never answered
    stuck = tier_audit._Ahead(tier_audit._window_start(late, program), frozenset({ALICE}), pending)
    with engine.connect() as conn:
        refused = tier_audit._window_tiers_not_held(conn, [late], [(late, program, silver)],
                                                    stuck)
    assert refused[late.id].code.value == "tier_not_held"  # the ledger's own read
    connected = tier_audit._Ahead(stuck.since, stuck.members, pending)
    connected.connected.set()
    assert connected.reading() and not stuck.reading()


def test_the_claims_ask_for_what_was_read_ahead(engine: Engine) -> None:
    program = load_program(WINDOW_PROGRAM)
    silver = program.find_tier("silver")
    assert silver is not None and program.tier_by_window_spend
    late = _earn(ALICE, program, "silver", minutes=5)
    start = tier_audit._window_start(late, program)
    # A read ahead of the same window and members is used as it is: here it says Alice
    # spent enough, though the ledger (empty) has nothing of hers.
    with engine.connect() as conn:
        ahead = _read(start, {ALICE, BOB}, {ALICE: 10**9})
        assert tier_audit._window_tiers_not_held(conn, [late], [(late, program, silver)],
                                                 ahead) == {}
        # Another window start, or a member not read: read again, and the ledger's
        # (nothing) refuses the claim.
        for other in (_read(start - timedelta(seconds=1), {ALICE}, {ALICE: 10**9}),
                      _read(start, {BOB}, {ALICE: 10**9})):
            refused = tier_audit._window_tiers_not_held(conn, [late], [(late, program, silver)],
                                                        other)
            assert refused[late.id].code.value == "tier_not_held"


def test_what_is_read_ahead_covers_every_claim_the_audit_can_find(engine: Engine) -> None:
    program = load_program(WINDOW_PROGRAM)
    entries = [
        _earn(ALICE, program, "silver", minutes=5),
        _earn(BOB, program, None, minutes=1),  # a legacy earn: its tier is found by points
        _earn(BOB, program, program.tiers[0].id, minutes=0),  # the first tier: no claim
        _earn(ALICE, program, "silver", minutes=-3, kind=EntryKind.BONUS),  # not an earn
    ]
    with engine.connect() as conn:
        ahead = tier_audit.purchases_ahead(conn, entries, lambda version: program)
        assert ahead is not None
        assert ahead.members == {ALICE, BOB}
        assert ahead.since == tier_audit._window_start(entries[1], program)
        assert ahead.known.result() == {}  # nothing on the ledger yet
        # Nothing that could claim: nothing read.
        assert tier_audit.purchases_ahead(conn, entries[2:], lambda version: program) is None
