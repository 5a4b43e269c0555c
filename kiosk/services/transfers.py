"""A member gives points to another (issue 15, a family pool): online only. The ledger
holds the giver's available points and writes both sides at once; this kiosk then keeps
the two entries as the ledger numbered them (they need no upload), so both members see it
in their activity at once, here and everywhere after sync."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from kiosk.ledger import Entry
from kiosk.services.context import Kiosk
from kiosk.services.errors import InputProblem, InvalidInput, Refusal, UnknownMember


class TransfersOffline(Refusal):
    """Transfers are the ledger's to make: a kiosk without it can't."""

    code = "transfers_offline"


@dataclass(frozen=True, slots=True)
class TransferResult:
    given: Entry
    received: Entry
    giver_balance: int
    receiver_balance: int


def transfer(kiosk: Kiosk, giver: uuid.UUID, receiver: uuid.UUID, points: int
             ) -> TransferResult:
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
    sides = kiosk.authoriser.transfer(kiosk.new_id(), giver, receiver, points)
    with kiosk.store.write() as tx:
        tx.pulled.apply([], [], sides)  # numbered by the ledger: kept, not sent again
        balances = tx.entries.balance(giver), tx.entries.balance(receiver)
    (given, _), (received, _) = sides
    return TransferResult(given, received, *balances)
