"""Transfers between members (issue 15): online only, both sides in one transaction. The
giver's available points (less live holds) must cover it, under ``[transfers]``; the two
entries are the ledger's own (the kind is refused from any device's upload, so only this
call makes one), on the caller's channel, ids derived from the caller's transfer id. The
receiving side is an entry per expiry of the giver's lots the transfer takes, each note
carrying it, worked out here from the giver's lots (``kiosk/engine/transfers.py``), so
given points keep their age; each dated by ``part_moment``, in the ledger's order."""

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, FastAPI
from sqlalchemy import select

from kiosk.engine.transfers import (
    MAX_RECEIVED_PARTS,
    part_moment,
    received_id,
    transfer_notes,
)
from kiosk.ledger import EntryKind
from kiosk.wallets import transfer_parts
from sync.protocol import EntryWire
from sync.server.calls import Caller, LedgerRefusal
from sync.server.counter import OnlineCounter
from sync.server.entry_rows import ENTRIES, member_entries, member_lot_rows, wire_of_row
from sync.server.openapi import json_body, refusals
from sync.wire_holds import TransferRequest, TransferResult


class Transfers:
    def __init__(self, counter: OnlineCounter) -> None:
        self.counter, self.ledger = counter, counter.ledger

    def transfer(self, caller: Caller, req: TransferRequest) -> TransferResult:
        if req.from_member == req.to_member:
            raise LedgerRefusal(422, "same_member", "a member can't give points to themself")
        with self.ledger.engine.begin() as conn:
            done = self._done(conn, caller, req)
            if done is not None:
                return done  # a retry: moved once
            program = self.ledger.current_program(conn)
            policy = program.transfers
            if policy is None:
                raise LedgerRefusal(422, "transfers_off", f"program {program.version} has no "
                                    "transfers")
            if not policy.min_points <= req.points <= policy.max_points:
                raise LedgerRefusal(422, "transfer_size", f"a transfer is {policy.min_points} "
                                    f"to {policy.max_points} points")
            self.counter.lock_head(conn)  # it appends: the head, then the members in id
            for member in sorted((req.from_member, req.to_member)):  # order (holds.py)
                self.counter.lock_member(conn, member)
            done = self._done(conn, caller, req)  # a retry that waited for the first
            if done is not None:
                return done
            available = self.counter.available_points(conn, req.from_member)
            if available < req.points:
                raise LedgerRefusal(409, "not_enough_points", f"{req.points} points needed, "
                                    f"{available} available")
            self.counter.take_over_lapsed(conn, req.from_member, req.points)
            now = self.ledger.clock()
            given = EntryWire(id=req.id, member_id=req.from_member, kind=EntryKind.TRANSFER,
                              points=-req.points, channel=caller.device_id, occurred_at=now,
                              program_version=program.version,
                              note=transfer_notes(req.from_member, req.to_member)[0])
            parts = transfer_parts(program, member_lot_rows(conn, req.from_member),
                                   lambda: member_entries(conn, req.from_member),
                                   req.points, now)
            sides = [given] + [
                EntryWire(id=received_id(req.id, part), member_id=req.to_member,
                          kind=EntryKind.TRANSFER, points=points, channel=caller.device_id,
                          occurred_at=part_moment(now, part),
                          program_version=program.version,
                          note=transfer_notes(req.from_member, req.to_member, expires_at)[1])
                for part, (points, expires_at) in enumerate(parts)]
            self.ledger.ingest.append_trusted(conn, caller.device_id, sides)
            result = self._done(conn, caller, req)
        assert result is not None
        return result

    @staticmethod
    def _done(conn: Any, caller: Caller, req: TransferRequest) -> TransferResult | None:
        """The transfer made before under this id: a retry of the same transfer (the same
        members and points, from the same channel) is answered with it; 409 ``conflict``
        if the id is another entry's or another transfer's (DESIGN invariant 4: never a
        silent duplicate), which also keeps a device that guesses an id from reading back
        another device's transfer."""
        transfer_id = req.id
        ids = [received_id(transfer_id, part) for part in range(MAX_RECEIVED_PARTS)]
        rows = {r.id: r for r in conn.execute(select(ENTRIES).where(
            ENTRIES.c.id.in_([transfer_id, *ids])))}
        if not rows:
            return None
        given = rows.get(transfer_id)
        received = [rows[i] for i in ids if i in rows]
        if given is None or not received or given.kind != EntryKind.TRANSFER.value:
            raise LedgerRefusal(409, "conflict", f"entry {transfer_id} is not a transfer")
        if (given.channel, given.member_id, {r.member_id for r in received}, -given.points,
                sum(r.points for r in received)) != (
                caller.device_id, req.from_member, {req.to_member}, req.points, req.points):
            raise LedgerRefusal(409, "conflict", f"transfer {transfer_id} was made before "
                                "with other content: a new transfer needs a new id")
        return TransferResult(entries=[wire_of_row(given), *map(wire_of_row, received)])


def add_transfer_route(app: FastAPI, transfers: Transfers, caller: Callable[..., Any],
                       request_body: Callable[[type[Any]], dict[str, Any]]) -> None:
    @app.post("/v1/transfers", openapi_extra=request_body(TransferRequest),
              responses=refusals(404, 409, 422))
    def transfer(body: Annotated[TransferRequest, Depends(json_body(TransferRequest))],
                 who: Annotated[Caller, Depends(caller)]) -> TransferResult:
        """Move points from one member to another (a family pool), both sides at once: 409
        ``not_enough_points``; 422 ``transfers_off``, ``transfer_size``, ``same_member``."""
        return transfers.transfer(who, body)



