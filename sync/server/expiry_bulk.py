"""The expiry run on PostgreSQL over a chain's worth of members (issue 14's goal: 1,000,000
members in a minute; ``expiry.py`` says what the run does, this module how it goes fast).

Members go in ranges of their ids (``RANGE`` members each), spread over worker processes
(the replay is Python: one core each). For a range, a worker

1. notes the ledger's head, then reads the range's entries in the replay's order (member,
   then seq) on its own connection: only the columns lots need, ids as bytes (a UUID
   object per id cost more than the rest of the read), no lock;
2. replays each member who may have a lot due with :func:`~kiosk.engine.lots_lean.replay_lean`
   (:func:`~kiosk.engine.lots.replay` for a history with a reversal), makes an expiry row
   per lot due (the same id, member, points, date and note ``Ingest.append_trusted``
   would store) and stages the rows by COPY in a temporary table of its session;
3. in one short transaction, takes the ``ledger_head`` lock that every append takes, and
   re-checks: a member of the range with an entry numbered after the head noted in 1
   (spending that landed since the read) is read and replayed again, under the lock, and
   their rows staged again; drops the rows of lots a live hold may have promised
   (``expiry.py`` says which, and why); then inserts the staged rows (numbered gap-free from the
   head; an id the ledger holds already is left out, so two runs at once keep one copy),
   moves the balances, records an overdraft for an expiry that leaves a balance below
   zero, and moves the head. The lock is held for this database work only (BENCHMARKS.md:
   it is the run's serial part).

Why 3 is as safe as holding the lock through the replay (the portable path's way): every
entry is appended under the head's lock and numbered above the head it found, and the
lock is held until its transaction commits. So when the head noted in 1 read H, every
entry numbered up to H was committed and is in the read; any other entry is numbered above
H and, once the range holds the lock, committed and visible to the re-check (or still
waiting for the lock, and then numbered after the expiries, as if it came after the run).
A member the re-check finds nothing for has the history the replay saw.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import uuid
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import groupby, repeat
from operator import itemgetter
from typing import Any

import psycopg

from kiosk.awards import DERIVED_CHANNEL
from kiosk.engine.bonuses import FIRST_PURCHASE
from kiosk.engine.lots import expiry_due, replay
from kiosk.engine.lots_lean import LeanMovement, replay_lean
from kiosk.engine.orders import DERIVED_NAMESPACE
from kiosk.engine.transfers import RECEIVED_NOTE
from kiosk.ledger import EntryKind
from kiosk.program import Program
from kiosk.wallets import (
    BIRTHDAY_NOTE,
    EXPIRE_NOTE,
    entry_lot_dater,
    entry_movement,
    expired_lot,
)

RANGE = 20_000  # members per range: one read, one replay, one short locked write
MAX_WORKERS = 4
# ``holds.MAX_HOLD`` (holds imports the ledger, which imports the run): a hold was made at
# most this long before its ``expires_at`` (the reservation keeps no time of its own).
LONGEST_HOLD = timedelta(minutes=10)

_STAMP, _REVERSE, _EXPIRE = EntryKind.STAMP.value, EntryKind.REVERSE.value, EntryKind.EXPIRE.value
_TRANSFER = EntryKind.TRANSFER.value
_NAMESPACE = DERIVED_NAMESPACE.bytes

_READ = ("SELECT uuid_send(member_id), uuid_send(id), kind, points, occurred_at, "
         "uuid_send(reverses), CASE WHEN kind = 'expire' OR note = %(first)s "
         "OR note LIKE %(birthday)s OR (kind = 'transfer' AND note LIKE %(received)s) "
         "THEN note END, "
         "order_ref IS NOT NULL FROM entries WHERE {where} ORDER BY member_id, seq")
Row = tuple[bytes, bytes, str, int, datetime, bytes | None, str | None, bool]

# A range's expiry rows are staged in a temporary table before the head's lock is taken
# (their text parsed, Python done), so the lock is held only for the database's own work.
_STAGE = ("CREATE TEMPORARY TABLE IF NOT EXISTS expiry_rows (ord integer, id uuid, "
          "member_id uuid, points bigint, occurred_at timestamptz, note text)")
_COPY = "COPY expiry_rows (ord, id, member_id, points, occurred_at, note) FROM STDIN"
# Numbered after the head (its lock held), in the order staged.
_INSERT = (
    "INSERT INTO entries (id, seq, member_id, kind, points, amount_minor, channel, "
    "program_version, occurred_at, note, device_id, received_at) "
    "SELECT id, %(head)s + row_number() OVER (ORDER BY ord), member_id, 'expire', points, 0, "
    "%(channel)s, %(version)s, occurred_at, note, %(channel)s, %(now)s FROM expiry_rows")
# Each member's balance moved and an overdraft for each expiry of a member it leaves below
# zero (what Ingest._accepted records for an entry that takes points). The balances are
# moved by an UPDATE from the staged rows summed per member: INSERT ... ON CONFLICT DO
# UPDATE (the ingest's way, for members it may not have seen) costs a speculative insertion
# and a tuple lock per row, 10% of this statement. A member of a range has entries, so a
# balance row; one without is inserted all the same.
_BALANCES = (
    "WITH moves AS (SELECT member_id, sum(points) AS points FROM expiry_rows "
    "GROUP BY member_id), "
    "updated AS (UPDATE balances b SET points = b.points + m.points FROM moves m "
    "WHERE b.member_id = m.member_id RETURNING b.member_id, b.points), "
    "inserted AS (INSERT INTO balances (member_id, points) "
    "SELECT member_id, points FROM moves m "
    "WHERE NOT EXISTS (SELECT FROM updated u WHERE u.member_id = m.member_id) "
    "ON CONFLICT (member_id) DO UPDATE SET points = balances.points + excluded.points "
    "RETURNING member_id, points), "
    "moved AS (SELECT member_id, points FROM updated "
    "UNION ALL SELECT member_id, points FROM inserted) "
    "INSERT INTO overdrafts (entry_id, member_id, channel, balance_after, recorded_at) "
    "SELECT r.id, r.member_id, %(channel)s, moved.points, %(now)s "
    "FROM moved JOIN expiry_rows r USING (member_id) WHERE moved.points < 0 "
    "ON CONFLICT DO NOTHING")
# An expiry of a lot a live hold may have promised is left to the next run (expiry.py): few
# members hold, so their rows go by the reservations' member index from the staged rows.
_HELD = ("DELETE FROM expiry_rows e USING reservations r WHERE r.member_id = e.member_id "
         "AND r.state = 'held' AND r.expires_at > %(now)s "
         "AND r.expires_at - %(longest)s < e.occurred_at")
# A hold made under an entry's id is confirmed by it (Ingest._accepted; none is, for a
# derived id: kept so the two paths store the same).
_HOLDS = ("UPDATE reservations r SET state = 'confirmed' FROM expiry_rows e "
          "WHERE r.id = e.id AND r.state = 'held'")


@dataclass(frozen=True, slots=True)
class Job:
    """What a worker needs for any range (sent to worker processes, so plain data)."""

    url: str  # the ledger's database, as a libpq URL
    program: Program
    at: datetime
    since: datetime  # only members with a lot opened before this are replayed
    now: datetime  # the ledger's clock: received_at and an overdraft's recorded_at


def run(job: Job, size: int = RANGE, workers: int | None = None) -> tuple[int, int, int]:
    """Expire every range; (members replayed, entries recorded, points expired)."""
    with connect(job.url) as conn:
        bounds = member_bounds(conn, size)
        ranges = list(zip([None, *bounds], [*bounds, None], strict=True))
        workers = min(len(ranges), workers or min(os.cpu_count() or 1, MAX_WORKERS))
        if workers <= 1:
            done = [expire_range(conn, job, lo, hi) for lo, hi in ranges]
    if workers > 1:
        # Spawned, not forked: the ledger's server runs this beside its threads.
        spawn = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(workers, mp_context=spawn, initializer=_worker_start,
                                 initargs=(job.url,)) as pool:
            done = list(pool.map(_worker_range, repeat(job), *zip(*ranges, strict=True)))
    return (sum(d[0] for d in done), sum(d[1] for d in done), sum(d[2] for d in done))


def connect(url: str) -> psycopg.Connection[Any]:
    """A connection of the run's own: autocommit (each range writes in a transaction of
    its own), times in UTC, and no JIT (compiling costs more than these queries save)."""
    conn = psycopg.connect(url, autocommit=True)
    conn.execute("SET TimeZone TO 'UTC'")
    conn.execute("SET jit TO off")
    conn.execute("SET work_mem TO '32MB'")  # a range's rows sorted in memory
    conn.execute("SET max_parallel_workers_per_gather TO 0")  # the run has its own workers
    return conn


_worker: psycopg.Connection[Any] | None = None  # a worker process's connection


def _worker_start(url: str) -> None:
    global _worker
    _worker = connect(url)


def _worker_range(job: Job, lo: uuid.UUID | None, hi: uuid.UUID | None
                  ) -> tuple[int, int, int]:
    assert _worker is not None, "started by _worker_start"
    return expire_range(_worker, job, lo, hi)


def member_bounds(conn: psycopg.Connection[Any], size: int) -> list[uuid.UUID]:
    """Member ids that cut the members into ranges of ``size``, in order."""
    (count,) = conn.execute("SELECT count(*) FROM members").fetchone() or (0,)
    if count <= size:
        return []
    return [row[0] for row in conn.execute(
        "SELECT id FROM (SELECT id, row_number() OVER (ORDER BY id) AS n "
        "FROM members) m WHERE n %% %(size)s = 0 ORDER BY id", {"size": size})]


def expire_range(conn: psycopg.Connection[Any], job: Job, lo: uuid.UUID | None,
                 hi: uuid.UUID | None) -> tuple[int, int, int]:
    """Steps 1-3 (the module's docstring) for the members with ``lo <= id < hi``:
    (members replayed, entries recorded, points expired)."""
    where, params = _range(lo, hi)
    (noted,) = conn.execute("SELECT last_seq FROM ledger_head WHERE id = 1").fetchone() \
        or (0,)
    replayed, rows = expiries(job, _read(conn, where, params))  # read_range's
    stage(conn, rows)
    with conn.transaction():
        (head,) = conn.execute("SELECT last_seq FROM ledger_head WHERE id = 1 FOR UPDATE"
                               ).fetchone() or (0,)
        moved: list[uuid.UUID] = [row[0] for row in conn.execute(
            f"SELECT DISTINCT member_id FROM entries WHERE seq > %(noted)s AND {where}",
            {**params, "noted": noted})]
        if moved:  # spending landed since the read: those members again, under the lock
            keys = {m.bytes for m in moved}
            replayed = [m for m in replayed if m not in keys]
            again, more = expiries(job, _read(conn, "member_id = ANY(%(moved)s)",
                                              {"moved": moved}))
            conn.execute("DELETE FROM expiry_rows WHERE member_id = ANY(%(moved)s)",
                         {"moved": moved})
            stage(conn, more, start=len(rows), fresh=False)
            replayed += again
        conn.execute(_HELD, {"now": job.now, "longest": LONGEST_HOLD})
        made, points = write(conn, job, head)
    return len(replayed), made, -points


def _range(lo: uuid.UUID | None, hi: uuid.UUID | None) -> tuple[str, dict[str, Any]]:
    where = ["true"]
    if lo is not None:
        where.append("member_id >= %(lo)s")
    if hi is not None:
        where.append("member_id < %(hi)s")
    return " AND ".join(where), {"lo": lo, "hi": hi}


def read_range(conn: psycopg.Connection[Any], lo: uuid.UUID | None, hi: uuid.UUID | None
               ) -> list[Any]:
    """The entries of the members with ``lo <= id < hi`` as the run reads them (:data:`Row`),
    in the replay's order."""
    return _read(conn, *_range(lo, hi))


def _read(conn: psycopg.Connection[Any], where: str, params: dict[str, Any]) -> list[Any]:
    with conn.transaction(), conn.cursor(binary=True) as cur:
        # Down the (member_id, seq) index, in its order: a range is a small part of the
        # table, and a scan of the whole table (with a sort) per range is what the planner
        # tends to pick instead, in parallel workers that compete with the run's own.
        cur.execute("SET LOCAL enable_seqscan TO off")
        cur.execute("SET LOCAL enable_bitmapscan TO off")
        cur.execute(_READ.format(where=where), {**params, "first": FIRST_PURCHASE,
                                              "birthday": BIRTHDAY_NOTE + "%",
                                              "received": RECEIVED_NOTE + "%"})
        rows = cur.fetchall()
        # Back to the planner's own choice for the rest of an enclosing transaction.
        cur.execute("SET LOCAL enable_seqscan TO DEFAULT")
        cur.execute("SET LOCAL enable_bitmapscan TO DEFAULT")
        return rows


def expiries(job: Job, rows: Iterable[Row]) -> tuple[list[bytes], list[tuple[Any, ...]]]:
    """(the members replayed, an expiry row per lot due) for ``rows``, the entries of some
    members in the replay's order. A row: (id, member_id, member, points, occurred_at,
    note), ids as 32 hex digits and the member also as read (16 bytes)."""
    at, since = job.at, job.since
    lot_of = entry_lot_dater(job.program)
    members: list[bytes] = []
    out: list[tuple[Any, ...]] = []
    for member, group in groupby(rows, key=itemgetter(0)):
        entries = list(group)
        movements: list[LeanMovement] = []
        old = False
        for _, entry_id, kind, points, occurred_at, reverses, note, purchase in entries:
            if kind == _STAMP:
                continue  # a punch card's stamps are no lot of points
            available = expires = lot = None
            if points > 0 and kind != _REVERSE:
                available, expires = lot_of(occurred_at, note, purchase, kind)
                # A received transfer may carry an older expiry (expiry.py's rule).
                old = old or occurred_at < since or (
                    kind == _TRANSFER and note is not None and note.startswith(RECEIVED_NOTE))
            if kind == _EXPIRE:
                named = expired_lot(note)
                lot = named.bytes if named is not None else None
            movements.append((entry_id, kind, points, occurred_at, available, expires,
                              reverses, lot))
        if not old:
            continue  # nothing earned before ``since``: no lot can be due
        members.append(member)
        member_text = _text(member)
        lean = replay_lean(movements)
        due = ([(_text(lot_id), left, expires_at) for lot_id, left, expires_at
                in lean.due(at)] if lean is not None else _due_by_replay(job, entries, member))
        for lot_text, left, expires_at in due:
            out.append((_derived_hex(member_text, lot_text), member.hex(), member, -left,
                        expires_at, f"{EXPIRE_NOTE}{lot_text}"))
    return members, out


def _due_by_replay(job: Job, entries: Sequence[Row], member: bytes
                   ) -> list[tuple[str, int, datetime]]:
    """The full replay, for a history with a reversal (what it gives back has derived ids)."""
    def key(raw: bytes | None) -> uuid.UUID | None:
        return None if raw is None else uuid.UUID(bytes=raw)

    program = job.program
    wallet = replay(entry_movement(program, uuid.UUID(bytes=entry_id), EntryKind(kind), points,
                                   occurred_at, key(reverses), note, purchase)
                    for _, entry_id, kind, points, occurred_at, reverses, note, purchase
                    in entries)
    return [(str(d.lot), -d.award.points, d.at)
            for d in expiry_due(wallet, uuid.UUID(bytes=member), job.at, program.zone)]


def _text(raw: bytes) -> str:
    """A uuid's canonical text (``str(uuid.UUID(bytes=raw))``) from its 16 bytes."""
    h = raw.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _derived_hex(member_text: str, lot_text: str) -> str:
    """``derived_id(member, f"expire:{lot}")`` (kiosk.engine.orders) as 32 hex digits:
    uuid5 by hand, without a UUID object per expiry."""
    digest = bytearray(hashlib.sha1(
        _NAMESPACE + f"{member_text}/{EXPIRE_NOTE}{lot_text}".encode()).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 variant
    return digest.hex()


def stage(conn: psycopg.Connection[Any], rows: Sequence[tuple[Any, ...]], *, start: int = 0,
          fresh: bool = True) -> None:
    """Put expiry rows (:func:`expiries`') in the session's ``expiry_rows`` table, after
    emptying it unless not ``fresh``; ``start``: the first row's place in the order."""
    if fresh:
        conn.execute(_STAGE)
        conn.execute("TRUNCATE expiry_rows")
    with conn.cursor() as cur, cur.copy(_COPY) as copy:
        for place, (entry_id, member, _, points, occurred_at, note) in enumerate(rows, start):
            copy.write_row((place, entry_id, member, points, occurred_at, note))


def write(conn: psycopg.Connection[Any], job: Job, head: int) -> tuple[int, int]:
    """Append the staged expiry rows after ``head`` (its lock held) as
    ``Ingest.append_trusted`` would: numbered gap-free, a row whose id the ledger holds
    already left out (another run's copy), balances moved, overdrafts recorded; (entries
    recorded, their points)."""
    values = {"head": head, "channel": DERIVED_CHANNEL, "version": job.program.version,
              "now": job.now}
    try:
        with conn.transaction():  # a savepoint: a conflict undoes only this
            conn.execute(_INSERT, values)
    except psycopg.errors.UniqueViolation:
        # Some were recorded since this run's read (two runs at once): number the rest.
        conn.execute("DELETE FROM expiry_rows r USING entries e WHERE e.id = r.id")
        conn.execute(_INSERT, values)
    (made, points) = conn.execute("SELECT count(*), COALESCE(sum(points), 0) FROM expiry_rows"
                                  ).fetchone() or (0, 0)
    if made:
        conn.execute(_BALANCES, values)
        conn.execute(_HOLDS)
        conn.execute("UPDATE ledger_head SET last_seq = %(last)s WHERE id = 1",
                     {"last": head + made})
    return int(made), int(points)
