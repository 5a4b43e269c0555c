"""The central ledger's operations, one transaction each, over PostgreSQL or SQLite.

Exactly-once effect (DESIGN invariant 4) rests on the database: the primary key and the
unique reversal and sale-order indexes refuse a second copy however it arrives. On
PostgreSQL a batch is first tried as a plain insert inside a savepoint (the usual case:
nothing in it was seen before; ``fresh_batch.py``); otherwise, and on SQLite, entries are
inserted with ``ON CONFLICT DO NOTHING``, and what did not insert is classified as a
duplicate (same content), a conflict (same id, other content) or a breach of a
uniqueness rule. Gap-free ``seq`` (invariant 5) comes from one row,
``ledger_head``, locked at the start of each ingest transaction.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import Connection, Engine, Table, bindparam, func, insert, select, update
from sqlalchemy.dialects import sqlite

from kiosk.audit import Rejected, Rejection, reversal_problem
from kiosk.cards import DeviceCertificate, DeviceKey, certify_device, key_to_text
from kiosk.members import PROFILE
from kiosk.program import Program, parse_program, program_json
from kiosk.services.context import Clock
from sync.protocol import (
    CardWire,
    DeviceState,
    EntryResult,
    EntryWire,
    MemberWire,
    PullResponse,
    UploadRequest,
    UploadResponse,
)
from sync.server import models as m
from sync.server.audit import audit_upload
from sync.server.bulk import insert_rows, keys_present, select_where_in
from sync.server.fresh_batch import Conflict, append_fresh

_ANSWERS = TypeAdapter(list[EntryResult])
_ENTRIES: Table = m.Entry.__table__  # type: ignore[assignment]
_CONTENT = ("member_id", "kind", "points", "amount_minor", "channel", "order_ref",
            "program_version", "occurred_at", "reverses", "reward_id", "note", "tier",
            "staff")
FIRST_CARD_PREFIX = 2000  # kiosks set up without a ledger issue under 1000
DEVICE_KINDS = ("kiosk", "shop", "admin")
# Tokens start with a letter: a urlsafe token starting with "-" reads as an option to
# argparse (`kiosk shop ... --token -mHi...` failed), and the prefix says what a leaked
# string is.
TOKEN_PREFIX = "cpt_"


class LedgerRefusal(Exception):
    """A request the ledger understood and declined; ``status`` is the HTTP answer."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code = status, code


@dataclass(frozen=True, slots=True)
class Caller:
    device_id: str
    kind: str


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _insert_ignore(conn: Connection, table: Any, rows: list[dict[str, Any]],
                   returning: Any = None) -> list[Any]:
    """INSERT ... ON CONFLICT DO NOTHING on either dialect; returns RETURNING values."""
    written = insert_rows(conn, table, rows, returning=[returning.name] if returning is not
                          None else ())
    return [row[0] for row in written]


def _wire_row(e: EntryWire) -> dict[str, Any]:
    return {"id": e.id, "member_id": e.member_id, "kind": e.kind.value, "points": e.points,
            "amount_minor": e.amount_minor, "channel": e.channel, "order_ref": e.order_ref,
            "program_version": e.program_version, "occurred_at": e.occurred_at,
            "reverses": e.reverses, "reward_id": e.reward_id, "note": e.note, "tier": e.tier,
            "staff": e.staff}


def _wire_of_row(row: Any) -> EntryWire:
    return EntryWire(id=row.id, member_id=row.member_id, kind=row.kind, points=row.points,
                     amount_minor=row.amount_minor, channel=row.channel,
                     occurred_at=row.occurred_at, program_version=row.program_version,
                     order_ref=row.order_ref, reverses=row.reverses,
                     reward_id=row.reward_id, note=row.note, tier=row.tier,
                     staff=row.staff, seq=row.seq)


class Ledger:
    def __init__(self, engine: Engine, clock: Clock) -> None:
        self.engine = engine
        self.clock = clock
        # Published program versions, parsed once each: a document never changes once
        # published (DESIGN rule 8), so only which version is current is asked per call.
        self._programs: dict[str, tuple[str, Program]] = {}

    # -- set-up and devices ---------------------------------------------------------------
    def initialise(self, program: Program) -> None:
        """Create the root and shop-issuer keys and publish ``program`` once; idempotent."""
        with self.engine.begin() as conn:
            if conn.execute(select(m.LedgerKey.id)).first() is None:
                conn.execute(insert(m.LedgerKey).values(
                    id=1, root_private=DeviceKey.generate().to_bytes(),
                    issuer_private=DeviceKey.generate().to_bytes()))
            self._publish(conn, program)

    def publish_program(self, program: Program) -> None:
        with self.engine.begin() as conn:
            self._publish(conn, program)

    def program(self, version: str, conn: Connection | None = None) -> Program | None:
        """A published version of the program (every one is kept), or None."""
        with self._reading(conn) as c:
            found = self._published(c, version)
        return None if found is None else found[1]

    def current_program(self, conn: Connection | None = None) -> Program:
        """The version that applies now: the latest published."""
        with self._reading(conn) as c:
            return self._current(c)[1]

    def _current(self, conn: Connection) -> tuple[str, Program]:
        version = conn.execute(select(m.Program.version).order_by(
            m.Program.published_at.desc(), m.Program.version.desc()).limit(1)).scalar_one()
        found = self._published(conn, version)
        assert found is not None  # just read, and versions are never deleted
        return found

    def _published(self, conn: Connection, version: str) -> tuple[str, Program] | None:
        """A version's canonical document and the program parsed from it, cached."""
        cached = self._programs.get(version)
        if cached is None:
            document = conn.execute(select(m.Program.document).where(
                m.Program.version == version)).scalar()
            if document is None:
                return None
            cached = self._programs.setdefault(
                version, (document, parse_program(document, format="json")))
        return cached

    @contextmanager
    def _reading(self, conn: Connection | None) -> Iterator[Connection]:
        """The caller's connection, or a connection of its own for the read."""
        if conn is not None:
            yield conn
            return
        with self.engine.connect() as own:
            yield own

    def _publish(self, conn: Connection, program: Program) -> None:
        _insert_ignore(conn, m.Program.__table__, [{
            "version": program.version, "document": program_json(program),
            "published_at": self.clock()}])

    def add_device(self, device_id: str, kind: str = "kiosk") -> tuple[str, str]:
        """Register a device; returns its id and a token shown this once (only its hash is
        kept). Kiosks get the next free card-number prefix."""
        if kind not in DEVICE_KINDS:
            raise LedgerRefusal(422, "invalid_kind", f"a device is one of {DEVICE_KINDS}")
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        with self.engine.begin() as conn:
            if conn.execute(select(m.Device.id).where(m.Device.id == device_id)).first():
                raise LedgerRefusal(409, "device_exists", f"device {device_id!r} exists")
            prefix = None
            if kind == "kiosk":
                taken = conn.execute(select(func.count()).select_from(m.Device)
                                     .where(m.Device.card_prefix.is_not(None))).scalar_one()
                prefix = str(FIRST_CARD_PREFIX + taken)
            conn.execute(insert(m.Device).values(
                id=device_id, kind=kind, token_hash=hash_token(token), card_prefix=prefix,
                created_at=self.clock(), acked_through=0))
        return device_id, token

    @contextmanager
    def _one_statement(self) -> Iterator[Connection]:
        """A connection for work done in one statement, atomic on its own: on PostgreSQL
        in autocommit, which saves the BEGIN and COMMIT (0.5-0.8 ms each here, mostly
        driver and SQLAlchemy Python)."""
        with self.engine.connect() as conn:
            if conn.dialect.name == "postgresql":
                conn.execution_options(isolation_level="AUTOCOMMIT")
            yield conn

    def authenticate(self, token: str) -> Caller | None:
        with self._one_statement() as conn:
            row = conn.execute(select(m.Device.id, m.Device.kind, m.Device.revoked_at)
                               .where(m.Device.token_hash == hash_token(token))).first()
        if row is None or row.revoked_at is not None:
            return None
        return Caller(row.id, row.kind)

    def revoke_device(self, device_id: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(m.Device).where(m.Device.id == device_id)
                         .values(revoked_at=self.clock()))
            conn.execute(update(m.Certificate).where(m.Certificate.device_id == device_id)
                         .values(revoked=True))

    def pair(self, caller: Caller, public_key: bytes) -> DeviceCertificate:
        """Certify a kiosk's card-signing key for its prefix (once; a second pairing with
        another key is refused, so a leaked token can't re-key a kiosk)."""
        with self.engine.begin() as conn:
            device = conn.execute(select(m.Device).where(m.Device.id == caller.device_id)).one()
            if device.card_prefix is None:
                raise LedgerRefusal(403, "not_a_kiosk", "only kiosks issue cards")
            existing = conn.execute(select(m.Certificate.document).where(
                m.Certificate.device_id == caller.device_id)).scalars().all()
            for document in existing:
                cert = DeviceCertificate.from_dict(json.loads(document))
                if cert.public_key == public_key:
                    return cert
                raise LedgerRefusal(409, "already_paired",
                                    "this device is already paired with another key")
            root = DeviceKey.from_bytes(conn.execute(select(m.LedgerKey.root_private)).scalar_one())
            cert = certify_device(root, public_key, device_id=caller.device_id,
                                  card_prefix=device.card_prefix, issued_at=self.clock())
            conn.execute(insert(m.Certificate).values(
                key_id=cert.key_id, device_id=caller.device_id,
                document=json.dumps(cert.to_dict()), revoked=False))
            return cert

    def revoke_card(self, card_no: str) -> None:
        with self.engine.begin() as conn:
            _insert_ignore(conn, m.Revocation.__table__,
                           [{"card_no": card_no, "revoked_at": self.clock()}])

    def state(self) -> DeviceState:
        with self.engine.connect() as conn:
            document, program = self._current(conn)
            root = conn.execute(select(m.LedgerKey.root_private)).scalar_one()
            certs = conn.execute(select(m.Certificate.document, m.Certificate.revoked)).all()
            revoked = conn.execute(select(m.Revocation.card_no)).scalars().all()
        return DeviceState(
            program_version=program.version, program=document,
            root_public_key=key_to_text(DeviceKey.from_bytes(root).public_bytes()),
            certificates=[json.loads(c.document) for c in certs],
            revoked_keys=[json.loads(c.document)["key_id"] for c in certs if c.revoked],
            revoked_cards=list(revoked), ledger_time=self.clock())

    # -- upload ---------------------------------------------------------------------------
    def upload(self, caller: Caller, request: UploadRequest) -> UploadResponse:
        if caller.kind == "kiosk" and any(e.device_seq is None for e in request.entries):
            raise LedgerRefusal(422, "device_seq_required",
                                "a kiosk numbers every entry it uploads (device_seq)")
        kiosk = caller.kind == "kiosk"
        if self._fresh_path_fits(request):
            # With no members or cards to store and no entry that takes points (so no
            # overdraft to record), the fast path is a single statement.
            single = not (request.members or request.cards
                          or any(e.points < 0 for e in request.entries))
            try:
                with self._one_statement() if single else self.engine.begin() as conn:
                    if audit_upload(conn, caller.device_id, request.entries, self.program,
                                    self.clock()):
                        raise Conflict("the audit refuses an entry: answer one by one")
                    self._store_members(conn, request.members, request.cards)
                    done = append_fresh(conn, request.entries, caller.device_id,
                                        receipts=kiosk, received_at=self.clock())
                    verdicts: dict[uuid.UUID, EntryResult] = {}
                    self._accepted(conn, request.entries, done.head, done.after, verdicts)
                acked, gaps = done.acked_through, _missing(done.acked_through, done.above)
                if kiosk and done.raced and self._received(caller, acked + 1):
                    with self.engine.begin() as conn:
                        acked, gaps = self._mark(conn, caller)
                return UploadResponse(results=[verdicts[e.id] for e in request.entries],
                                      acked_through=acked, gaps=gaps)
            except Conflict:
                pass  # rolled back; the careful path below decides entry by entry
        with self.engine.begin() as conn:
            self._store_members(conn, request.members, request.cards)
            results = self.append(conn, caller, request.entries, receipts=kiosk)
            if kiosk and request.withheld:
                # Numbers the kiosk keeps back are accounted for, as rejected: its mark
                # moves past them and nothing after them waits (no poison pill).
                _insert_ignore(conn, m.Receipt.__table__, [
                    {"device_id": caller.device_id, "device_seq": w.device_seq,
                     "entry_id": w.entry_id, "status": "rejected", "reason": w.reason,
                     "code": Rejected.WITHHELD.value} for w in request.withheld])
            acked, gaps = self._mark(conn, caller) if kiosk else (0, [])
        return UploadResponse(results=results, acked_through=acked, gaps=gaps)

    def _fresh_path_fits(self, request: UploadRequest) -> bool:
        """Whether a batch may try PostgreSQL's one-statement path (``fresh_batch.py``):
        none reverses another (that needs the original looked up), no id comes twice and
        nothing is withheld. Whether the audit passes them all is checked first on the
        same connection, and whether any was seen before, the statement finds out."""
        entries = request.entries
        return (self.engine.dialect.name == "postgresql" and bool(entries)
                and not request.withheld and all(e.reverses is None for e in entries)
                and len({e.id for e in entries}) == len(entries))

    def append(self, conn: Connection, caller: Caller, entries: Sequence[EntryWire], *,
               receipts: bool = False) -> list[EntryResult]:
        """Append entries in the caller's transaction: one answer per entry, in order, and
        with ``receipts`` a receipt per numbered entry (what a kiosk's acknowledgement mark
        is worked out from). Takes the ``ledger_head`` lock first, so concurrent appends
        queue up and seqs are handed out gap-free and become visible in order."""
        head = conn.execute(select(m.LedgerHead.last_seq).where(m.LedgerHead.id == 1)
                            .with_for_update()).scalar_one()
        verdicts: dict[uuid.UUID, EntryResult] = {}
        candidates = self._screen(conn, caller, entries, verdicts)
        new_head = self._insert_entries(conn, caller, candidates, head, verdicts)
        if new_head != head:
            conn.execute(update(m.LedgerHead).where(m.LedgerHead.id == 1)
                         .values(last_seq=new_head))
        results = _per_position(entries, verdicts)
        if receipts:
            _insert_ignore(conn, m.Receipt.__table__, [
                {"device_id": caller.device_id, "device_seq": e.device_seq, "entry_id": e.id,
                 "status": r.status, "reason": r.reason, "code": r.code}
                for e, r in zip(entries, results, strict=True) if e.device_seq is not None])
        return results

    def _store_members(self, conn: Connection, members: Sequence[MemberWire],
                       cards: Sequence[CardWire]) -> None:
        _insert_ignore(conn, m.Member.__table__, [w.model_dump() for w in members])
        complete = [w for w in members if not w.profile_pending]
        if complete:
            # A member another store's kiosk knew only by the card (profile pending) takes
            # the profile their own store enrolled them with; a complete one never changes.
            conn.execute(update(m.Member).where(m.Member.id == bindparam("member"),
                                                m.Member.profile_pending.is_(True))
                         .values({**{c: bindparam(f"p_{c}") for c in PROFILE},
                                  "profile_pending": False}),
                         [{"member": w.id, **{f"p_{c}": getattr(w, c) for c in PROFILE}}
                          for w in complete])
        # A card's member comes with it, or is on the ledger already (lean uploads): a
        # card for anyone else is refused whole, before the foreign key would (a 500).
        sent = {w.id for w in members}
        others = {c.member_id for c in cards} - sent
        known = keys_present(conn, m.Member.__table__, "id", others) if others else set()
        for i, card in enumerate(cards):
            if card.member_id not in sent and card.member_id not in known:
                raise LedgerRefusal(422, "unknown_member",
                                    f"cards[{i}].member_id: the ledger does not know this "
                                    "member; upload the member with its card")
        _insert_ignore(conn, m.Card.__table__, [w.model_dump() for w in cards])

    def _screen(self, conn: Connection, caller: Caller, entries: Sequence[EntryWire],
                verdicts: dict[uuid.UUID, EntryResult]) -> list[EntryWire]:
        """Entries that may be inserted; the rest get their rejection reason now: what the
        audit refuses (``audit.py``), an unknown member, a reversal of nothing, of another
        channel's entry or that doesn't mirror its original."""
        def reject(e: EntryWire, refusal: Rejection) -> None:
            verdicts[e.id] = EntryResult(id=e.id, status="rejected", reason=refusal.message,
                                         code=refusal.code.value)

        # What the ledger holds already is answered as a duplicate (or a conflict), never
        # audited again: one stored under looser rules would come back "rejected".
        held = keys_present(conn, _ENTRIES, "id", {e.id for e in entries})
        refused = audit_upload(conn, caller.device_id,
                               [e for e in entries if e.id not in held], self.program,
                               self.clock())
        members = keys_present(conn, m.Member.__table__, "id", {e.member_id for e in entries})
        originals = {r.id: r for r in select_where_in(
            conn, _ENTRIES, "id", {e.reverses for e in entries if e.reverses})}
        batch: dict[uuid.UUID, EntryWire] = {}
        out: list[EntryWire] = []
        for wire in entries:
            if wire.id in verdicts or wire.id in batch:
                continue  # the same id twice in one batch: the first one decides
            if wire.id in refused:
                reject(wire, refused[wire.id])
                continue
            if wire.member_id not in members:
                reject(wire, Rejection(Rejected.UNKNOWN_MEMBER,
                                       "unknown member: upload the member with the entry"))
                continue
            if wire.reverses is not None:
                original: Any = originals.get(wire.reverses) or batch.get(wire.reverses)
                problem = Rejection(Rejected.ORIGINAL, "reverses an entry the ledger does not "
                                    "have") if original is None else reversal_problem(
                    channel=wire.channel, points=wire.points, amount_minor=wire.amount_minor,
                    member=wire.member_id, original_channel=original.channel,
                    original_points=original.points, original_amount=original.amount_minor,
                    original_member=original.member_id)
                if problem is not None:
                    reject(wire, problem)
                    continue
            batch[wire.id] = wire
            out.append(wire)
        return out

    def _insert_entries(self, conn: Connection, caller: Caller, entries: list[EntryWire],
                        head: int, verdicts: dict[uuid.UUID, EntryResult]) -> int:
        """Insert the screened entries, numbering the new ones from ``head``; returns the
        new head."""
        now = self.clock()

        def rows(batch: Iterable[EntryWire], start: int) -> list[dict[str, Any]]:
            return [{**_wire_row(e), "seq": start + i + 1, "device_id": caller.device_id,
                     "device_seq": e.device_seq, "received_at": now}
                    for i, e in enumerate(batch)]

        savepoint = conn.begin_nested()
        inserted = set(_insert_ignore(conn, _ENTRIES, rows(entries, head), _ENTRIES.c.id))
        fresh = [e for e in entries if e.id in inserted]
        if len(fresh) != len(entries):
            # Some were already there (a replay) or broke a unique rule: number only the
            # new ones, so seq stays gap-free.
            savepoint.rollback()
            savepoint = conn.begin_nested()
            if fresh:
                insert_rows(conn, _ENTRIES, rows(fresh, head), conflict=None)
        savepoint.commit()
        self._classify_others(conn, [e for e in entries if e.id not in inserted], verdicts)
        totals: dict[uuid.UUID, int] = defaultdict(int)
        for e in fresh:
            totals[e.member_id] += e.points
        self._accepted(conn, fresh, head, self._add_to_balances(conn, totals), verdicts)
        return head + len(fresh)

    def _accepted(self, conn: Connection, fresh: Sequence[EntryWire], head: int,
                  after: dict[uuid.UUID, int], verdicts: dict[uuid.UUID, EntryResult]) -> None:
        """Answer the entries just numbered from ``head``, and settle what those that took
        points leave behind, given each member's balance ``after``."""
        # Validated as one list: pydantic's core then builds the 500 answers of a busy
        # upload in 0.6 ms, against 1.5 ms for one model_construct (Python) per answer.
        answers = _ANSWERS.validate_python(
            [{"id": e.id, "status": "accepted", "seq": head + i} for i, e in enumerate(fresh, 1)])
        verdicts.update(zip([e.id for e in fresh], answers, strict=True))
        taking = [e for e in fresh if e.points < 0]
        if taking:
            # An entry that took points arriving here consumes any hold made for it...
            conn.execute(update(m.Reservation).where(
                m.Reservation.id.in_([e.id for e in taking]), m.Reservation.state == "held")
                .values(state="confirmed"))
            # ...and one that left the member below zero is an overdraft to report.
            _insert_ignore(conn, m.Overdraft.__table__, [
                {"entry_id": e.id, "member_id": e.member_id, "channel": e.channel,
                 "balance_after": after[e.member_id], "recorded_at": self.clock()}
                for e in taking if after[e.member_id] < 0])

    @staticmethod
    def _add_to_balances(conn: Connection, totals: dict[uuid.UUID, int]) -> dict[uuid.UUID, int]:
        """Every member's cached balance moved in one statement (one round trip, whatever
        the batch size); returns the balances after."""
        if not totals:
            return {}
        balances: Any = m.Balance.__table__
        if conn.dialect.name == "postgresql":
            written = insert_rows(
                conn, balances, [{"member_id": k, "points": v}
                                 for k, v in sorted(totals.items())],
                conflict_target=["member_id"],
                conflict="DO UPDATE SET points = balances.points + excluded.points",
                returning=["member_id", "points"])
            return {row.member_id: row.points for row in written}
        stmt = sqlite.insert(balances).values(
            [{"member_id": k, "points": v} for k, v in sorted(totals.items())])
        upsert = stmt.on_conflict_do_update(
            index_elements=["member_id"],
            set_={"points": balances.c.points + stmt.excluded.points},
        ).returning(balances.c.member_id, balances.c.points)
        return {row.member_id: row.points for row in conn.execute(upsert)}

    def _classify_others(self, conn: Connection, entries: list[EntryWire],
                         verdicts: dict[uuid.UUID, EntryResult]) -> None:
        if not entries:
            return
        stored = {r.id: r for r in select_where_in(conn, _ENTRIES, "id",
                                                   [e.id for e in entries])}
        for e in entries:
            row = stored.get(e.id)
            if row is None:
                code, reason = ((Rejected.ALREADY_REVERSED, "this entry was already reversed")
                                if e.reverses else (Rejected.ORDER_RECORDED, f"order "
                                f"{e.order_ref!r} was already recorded on {e.channel}"))
                verdicts[e.id] = EntryResult(id=e.id, status="rejected", reason=reason,
                                             code=code.value)
            elif all(getattr(row, k) == v for k, v in _wire_row(e).items() if k != "id"):
                verdicts[e.id] = EntryResult(id=e.id, status="duplicate", seq=row.seq)
            else:
                verdicts[e.id] = EntryResult(
                    id=e.id, status="rejected", code=Rejected.CONFLICT.value,
                    reason="conflict: an entry with this id and different content exists")

    def _received(self, caller: Caller, device_seq: int) -> bool:
        """Whether the ledger holds this device's number ``device_seq``. After a raced
        fresh batch, the mark it worked out can move only if the next number is here: a
        later batch of the kiosk's went first. (If the earlier one went first, this
        batch's statement saw the mark that batch left, so its own is right.)"""
        with self._one_statement() as conn:
            return conn.execute(select(m.Receipt.device_seq).where(
                m.Receipt.device_id == caller.device_id,
                m.Receipt.device_seq == device_seq)).first() is not None

    def _mark(self, conn: Connection, caller: Caller) -> tuple[int, list[tuple[int, int]]]:
        """Work out, from the receipts (this upload's included), the mark below which
        everything this device numbered has arrived, and the gaps above it. One read (the
        device's row locked, with the receipts above its mark) and one write."""
        rows = conn.execute(
            select(m.Device.acked_through, m.Receipt.device_seq)
            .outerjoin(m.Receipt, (m.Receipt.device_id == m.Device.id)
                       & (m.Receipt.device_seq > m.Device.acked_through))
            .where(m.Device.id == caller.device_id).order_by(m.Receipt.device_seq)
            .with_for_update(of=m.Device)).all()
        above = [r.device_seq for r in rows if r.device_seq is not None]
        mark = _advance(rows[0].acked_through, above)
        conn.execute(update(m.Device).where(m.Device.id == caller.device_id)
                     .values(acked_through=mark))
        return mark, _missing(mark, above)

    # -- download -------------------------------------------------------------------------
    def pull(self, after: int, limit: int, *, skip_device: str | None = None) -> PullResponse:
        """Entries after ``after`` in seq order, with their members and cards. A kiosk
        already holds the entries it uploaded (and their seqs, from the upload's answer),
        so ``skip_device`` leaves them out; the cursor still moves past them."""
        with self.engine.connect() as conn:
            # The head first: every seq up to it is committed (seqs become visible in
            # order), so the cursor may move to it even if nothing below it is sent.
            head = conn.execute(select(m.LedgerHead.last_seq)).scalar_one()
            wanted = [_ENTRIES.c.seq > after, _ENTRIES.c.seq <= head]
            if skip_device is not None:
                wanted.append(_ENTRIES.c.device_id.is_distinct_from(skip_device))
            rows = conn.execute(select(_ENTRIES).where(*wanted)
                                .order_by(_ENTRIES.c.seq).limit(limit + 1)).all()
            more = len(rows) > limit
            rows = rows[:limit]
            member_ids = {r.member_id for r in rows}
            members = select_where_in(conn, m.Member.__table__, "id", member_ids)
            cards = select_where_in(conn, m.Card.__table__, "member_id", member_ids)
        return PullResponse(
            entries=[_wire_of_row(r) for r in rows],
            members=[MemberWire.model_validate(r._asdict()) for r in members],
            cards=[CardWire.model_validate(r._asdict()) for r in cards],
            next_after=rows[-1].seq if more else max(head, after), more=more)

    def balance(self, member_id: uuid.UUID) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(m.Balance.points).where(
                m.Balance.member_id == member_id)).scalar() or 0)

    def check(self) -> list[str]:
        """The server-side invariants: seq gap-free, balances equal sums of entries."""
        with self.engine.connect() as conn:
            count, low, high = conn.execute(select(func.count(), func.min(_ENTRIES.c.seq),
                                                   func.max(_ENTRIES.c.seq))).one()
            head = conn.execute(select(m.LedgerHead.last_seq)).scalar_one()
            problems = []
            if count and (low != 1 or high != count or head != high):
                problems.append(f"seq is not gap-free: {count} entries in {low}..{high}, "
                                f"head {head}")
            sums = dict(conn.execute(select(_ENTRIES.c.member_id, func.sum(_ENTRIES.c.points))
                                     .group_by(_ENTRIES.c.member_id)).all())
            cached = dict(conn.execute(select(m.Balance.member_id, m.Balance.points)).all())
        for member_id in sums.keys() | cached.keys():
            if int(sums.get(member_id) or 0) != int(cached.get(member_id) or 0):
                problems.append(f"member {member_id}: balance {cached.get(member_id)} != "
                                f"sum {sums.get(member_id)}")
        return problems


def _per_position(entries: Sequence[EntryWire],
                  verdicts: dict[uuid.UUID, EntryResult]) -> list[EntryResult]:
    """One answer per entry sent; a second copy of an id in the same batch shares the
    first's answer if it is identical and is refused as a conflict if it is not."""
    first: dict[uuid.UUID, EntryWire] = {}
    out = []
    for e in entries:
        seen = first.setdefault(e.id, e)
        if seen is not e and _wire_row(seen) != _wire_row(e):
            out.append(EntryResult(id=e.id, status="rejected", code=Rejected.CONFLICT.value,
                                   reason="conflict: the same id twice in one batch with "
                                          "different content"))
        else:
            out.append(verdicts[e.id])
    return out


def _advance(mark: int, received: Sequence[int]) -> int:
    """The mark moved up through the unbroken run of ``received`` (ascending) above it."""
    for seq in received:
        if seq > mark + 1:
            break
        mark = max(mark, seq)
    return mark


def _missing(mark: int, received: Sequence[int]) -> list[tuple[int, int]]:
    """Ranges of device seqs above ``mark`` that are missing between received ones."""
    gaps: list[tuple[int, int]] = []
    expected = mark + 1
    for seq in received:
        if seq <= mark:
            continue
        if seq > expected:
            gaps.append((expected, seq - 1))
        expected = seq + 1
    return gaps

