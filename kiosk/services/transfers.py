"""A member gives points to another (issue 15, a family pool): online only. The ledger
holds the giver's available points and writes both sides at once; this kiosk then keeps
the two entries as the ledger numbered them (they need no upload), so both members see it
in their activity at once, here and everywhere after sync.

A transfer's id is made once, where the cashier asks for it, and kept in the store before
the ledger is asked: the ledger makes one transfer per id (a retry is answered with the
transfer it made). When no answer comes back (the ledger moved the points and the answer
was lost on the way, or it was never reached: the kiosk can't tell), the cashier is told
just that, and asking for the same transfer again (the same giver, receiver and points,
within :data:`RETRY_WINDOW`) goes under the same id: the button tapped again on the screen,
or the same ``kiosk transfer`` command run again, finishes it once or finds it done. It is
not retried behind the cashier's back: the member at the counter may decide otherwise.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from kiosk.ledger import Entry
from kiosk.services.context import Kiosk
from kiosk.services.errors import (
    InputProblem,
    InvalidInput,
    Refusal,
    UnknownMember,
    Unreachable,
)
from kiosk.services.ports import UnitOfWork

UNFINISHED = "unfinished_transfers"  # the store's setting: {key: [id, last asked]}
RETRY_WINDOW = timedelta(minutes=15)
"""How long the same transfer asked again is taken for a retry of one whose answer never
came: about a visit at the counter. Later, the same members and points are a new transfer
(the ledger has the first one's fate by then: the giver's activity shows it after sync)."""


class TransfersOffline(Refusal):
    """Transfers are the ledger's to make: a kiosk without it can't."""

    code = "transfers_offline"


class TransferUnsure(Unreachable):
    """The ledger was asked and no answer came back: the points may have moved (the answer
    lost) or not. Not "nothing lost, retried later": nothing retries it by itself; the
    same transfer asked again within :data:`RETRY_WINDOW` goes under the same id, so it is
    made once."""

    def __init__(self, message: str, transfer_id: uuid.UUID) -> None:
        super().__init__(message)
        self.transfer_id = transfer_id


class TransferNotSent(Unreachable):
    """The ledger could not be reached before the transfer was sent (no connection made,
    or what this kiosk earned could not go first): nothing was made."""


@dataclass(frozen=True, slots=True)
class TransferResult:
    given: Entry
    received: tuple[Entry, ...]  # one entry per expiry of the points given (the ledger's)
    giver_balance: int
    receiver_balance: int

    @property
    def points(self) -> int:
        """The points that moved."""
        return -self.given.points


def transfer(kiosk: Kiosk, giver: uuid.UUID, receiver: uuid.UUID, points: int
             ) -> TransferResult:
    """Move ``points`` from ``giver`` to ``receiver`` through the ledger; a retry of one
    whose answer was lost goes under its first id (the module's docstring)."""
    policy = kiosk.program.transfers
    if policy is None:
        raise InvalidInput(f"program {kiosk.program.version} has no transfers",
                           InputProblem.TRANSFER)
    if giver == receiver:
        raise InvalidInput("a member can't give points to themself", InputProblem.TRANSFER)
    if type(points) is not int or not policy.min_points <= points <= policy.max_points:
        raise InvalidInput(f"a transfer is {policy.min_points} to {policy.max_points} points",
                           InputProblem.TRANSFER)
    with kiosk.store.read() as tx:
        if tx.members.get(giver) is None or tx.members.get(receiver) is None:
            raise UnknownMember("both members must be known at this kiosk")
    if kiosk.authoriser is None:
        raise TransfersOffline("points move between members only while the kiosk is online")
    key = f"{giver}>{receiver}:{points}"
    with kiosk.store.write() as tx:  # the id, kept before the ledger is asked
        transfer_id = _ask(tx, kiosk, key)
    try:
        sides = kiosk.authoriser.transfer(transfer_id, giver, receiver, points)
    except TransferNotSent:
        raise  # nothing made: "try again later" is the truth (the id is kept all the same)
    except Unreachable as exc:  # sent or not, the kiosk can't tell: said so, id kept
        raise TransferUnsure(
            f"no answer from the ledger ({exc}): the points may have moved or not. Ask for "
            f"the same transfer again within {RETRY_WINDOW.seconds // 60} minutes: it is "
            f"made once (transfer {transfer_id})", transfer_id) from exc
    except Refusal:
        with kiosk.store.write() as tx:  # the ledger answered: not made, nothing to finish
            _forget(tx, key)
        raise
    with kiosk.store.write() as tx:
        tx.pulled.apply([], [], sides)  # numbered by the ledger: kept, not sent again
        _forget(tx, key)
        balances = tx.entries.balance(giver), tx.entries.balance(receiver)
    (given, _), *received = sides
    return TransferResult(given, tuple(entry for entry, _ in received), *balances)


def unanswered(kiosk: Kiosk, giver: uuid.UUID) -> bool:
    """Whether a transfer from ``giver`` was asked for within the retry window and never
    answered: the ledger may have moved their points, so what this kiosk holds of them is
    not to be told as what they have until the same transfer is asked again."""
    with kiosk.store.read() as tx:
        return any(key.startswith(f"{giver}>") for key in _unfinished(tx, kiosk.clock()))


def _unfinished(tx: UnitOfWork, now: datetime) -> dict[str, tuple[str, str]]:
    """The transfers asked for within the window whose answer never came, by key."""
    kept: dict[str, list[str]] = json.loads(tx.settings.get(UNFINISHED) or "{}")
    return {key: (tid, at) for key, (tid, at) in kept.items()
            if now - datetime.fromisoformat(at) < RETRY_WINDOW}


def _ask(tx: UnitOfWork, kiosk: Kiosk, key: str) -> uuid.UUID:
    """The id of the transfer ``key``: the unfinished one's, or a new one; kept, with now."""
    now = kiosk.clock()
    kept = _unfinished(tx, now)
    transfer_id = kept[key][0] if key in kept else str(kiosk.new_id())
    kept[key] = (transfer_id, now.isoformat())
    tx.settings.set(UNFINISHED, json.dumps(kept))
    return uuid.UUID(transfer_id)


def _forget(tx: UnitOfWork, key: str) -> None:
    kept: dict[str, list[str]] = json.loads(tx.settings.get(UNFINISHED) or "{}")
    if kept.pop(key, None) is not None:
        tx.settings.set(UNFINISHED, json.dumps(kept))
