"""The expiry run on PostgreSQL over a chain's worth of members (issue 14's goal: 1,000,000
members in a minute; ``expiry.py`` says what the run does, this module how it goes fast).

Members go in ranges of their ids (``RANGE`` members each), spread over worker processes
(the replay is Python: one core each). For a range, a worker

1. notes the ledger's head, then reads the range's entries in the replay's order (member,
   then seq) on its own connection: only the columns lots need, ids as bytes (a UUID
   object per id cost more than the rest of the read), no lock;
2. replays each member who may have a lot due with :func:`~kiosk.engine.lots.replay_lean`
   (:func:`~kiosk.engine.lots.replay` for a history with a reversal), and makes an expiry
   row per lot due: the same id, member, points, date and note ``Ingest.append_trusted``
   would store;
3. in one short transaction, takes the ``ledger_head`` lock that every append takes, and
   re-checks: a member of the range with an entry numbered after the head noted in 1
   (spending that landed since the read) is read and replayed again, under the lock; then
   one statement inserts the rows (numbered gap-free from the head; an id the ledger
   holds already is left out, so two runs at once keep one copy), moves the balances,
   records an overdraft for an expiry that leaves a balance below zero, and moves the
   head.

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
from datetime import datetime
from itertools import groupby, repeat
from operator import itemgetter
from typing import Any

import psycopg

from kiosk.awards import DERIVED_CHANNEL
from kiosk.engine.bonuses import FIRST_PURCHASE
from kiosk.engine.lots import LeanMovement, expiry_due, replay, replay_lean
from kiosk.engine.orders import DERIVED_NAMESPACE
from kiosk.ledger import EntryKind
from kiosk.program import Program
from kiosk.wallets import EXPIRE_NOTE, entry_lot_dater, entry_movement, expired_lot

RANGE = 20_000  # members per range: one read, one replay, one short locked write
MAX_WORKERS = 4

_STAMP, _REVERSE, _EXPIRE = EntryKind.STAMP.value, EntryKind.REVERSE.value, EntryKind.EXPIRE.value
_NAMESPACE = DERIVED_NAMESPACE.bytes

_READ = ("SELECT uuid_send(member_id), uuid_send(id), kind, points, occurred_at, "
         "uuid_send(reverses), CASE WHEN kind = 'expire' OR note = %(first)s THEN note END, "
         "order_ref IS NOT NULL FROM entries WHERE {where} ORDER BY member_id, seq")
Row = tuple[bytes, bytes, str, int, datetime, bytes | None, str | None, bool]

# The expiries, one array per column, numbered after the head (whose lock is held).
_INSERT = (
    "INSERT INTO entries (id, seq, member_id, kind, points, amount_minor, channel, "
    "program_version, occurred_at, note, device_id, received_at) "
    "SELECT b.id, %(head)s + b.ord, b.member_id, 'expire', b.points, 0, %(channel)s, "
    "%(version)s, b.occurred_at, b.note, %(channel)s, %(now)s "
    "FROM unnest(CAST(%(id)b AS uuid[]), CAST(%(member_id)b AS uuid[]), "
    "CAST(%(points)b AS int8[]), CAST(%(occurred_at)b AS timestamptz[]), "
    "CAST(%(note)b AS text[])) WITH ORDINALITY AS b(id, member_id, points, occurred_at, note, "
    "ord)")
# Each member's balance moved; the members left below zero come back (overdrafts).
_BALANCES = (
    "WITH moved AS (INSERT INTO balances (member_id, points) "
    "SELECT * FROM unnest(CAST(%(member_id)b AS uuid[]), CAST(%(points)b AS int8[])) "
    "ON CONFLICT (member_id) DO UPDATE SET points = balances.points + excluded.points "
    "RETURNING member_id, points) "
    "SELECT replace(CAST(member_id AS text), '-', ''), points FROM moved WHERE points < 0")
# What Ingest._accepted does for entries that take points: a hold made under the same id
# is confirmed (none is, for a derived id; kept so the two paths store the same).
_HOLDS = ("UPDATE reservations r SET state = 'confirmed' FROM entries e "
          "WHERE e.seq > %(head)s AND e.seq <= %(last)s AND r.id = e.id AND r.state = 'held'")


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
    with conn.transaction():
        (head,) = conn.execute("SELECT last_seq FROM ledger_head WHERE id = 1 FOR UPDATE"
                               ).fetchone() or (0,)
        moved: list[uuid.UUID] = [row[0] for row in conn.execute(
            f"SELECT DISTINCT member_id FROM entries WHERE seq > %(noted)s AND {where}",
            {**params, "noted": noted})]
        if moved:  # spending landed since the read: those members again, under the lock
            keys = {m.bytes for m in moved}
            rows = [r for r in rows if r[2] not in keys]
            replayed = [m for m in replayed if m not in keys]
            again, more = expiries(job, _read(conn, "member_id = ANY(%(moved)s)",
                                              {"moved": moved}))
            replayed, rows = replayed + again, rows + more
        made, points = write(conn, job, rows, head)
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
    with conn.cursor(binary=True) as cur:
        cur.execute(_READ.format(where=where), {**params, "first": FIRST_PURCHASE})
        return cur.fetchall()


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
                available, expires = lot_of(occurred_at, note, purchase)
                old = old or occurred_at < since
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


def write(conn: psycopg.Connection[Any], job: Job, rows: Sequence[tuple[Any, ...]],
           head: int) -> tuple[int, int]:
    """Append the expiry rows after ``head`` (its lock held) as ``Ingest.append_trusted``
    would: numbered gap-free, a row whose id the ledger holds already left out (another
    run's copy), balances moved, overdrafts recorded; (entries recorded, their points)."""
    try:
        with conn.transaction():  # a savepoint: a conflict undoes only this
            _insert(conn, job, rows, head)
    except psycopg.errors.UniqueViolation:
        # Some were recorded since this run's read (two runs at once): number the rest.
        with conn.cursor(binary=True) as cur:
            cur.execute("SELECT replace(CAST(id AS text), '-', '') FROM entries "
                        "WHERE id = ANY(CAST(%(id)b AS uuid[]))", {"id": [r[0] for r in rows]})
            held = {row[0] for row in cur.fetchall()}
        rows = [r for r in rows if r[0] not in held]
        _insert(conn, job, rows, head)
    if not rows:
        return 0, 0
    totals: dict[str, int] = {}
    for row in rows:
        totals[row[1]] = totals.get(row[1], 0) + row[3]
    with conn.cursor(binary=True) as cur:
        cur.execute(_BALANCES, {"member_id": list(totals), "points": list(totals.values())})
        below = dict(cur.fetchall())
        if below:
            cur.execute("INSERT INTO overdrafts (entry_id, member_id, channel, balance_after, "
                        "recorded_at) SELECT CAST(i AS uuid), CAST(m AS uuid), %(channel)s, "
                        "b, %(now)s FROM unnest(CAST(%(id)s AS text[]), "
                        "CAST(%(member_id)s AS text[]), CAST(%(after)s AS int8[])) AS x(i, m, b) "
                        "ON CONFLICT DO NOTHING",
                        {"id": [r[0] for r in rows if r[1] in below],
                         "member_id": [r[1] for r in rows if r[1] in below],
                         "after": [below[r[1]] for r in rows if r[1] in below],
                         "channel": DERIVED_CHANNEL, "now": job.now})
        cur.execute(_HOLDS, {"head": head, "last": head + len(rows)})
        cur.execute("UPDATE ledger_head SET last_seq = %(last)s WHERE id = 1",
                    {"last": head + len(rows)})
    return len(rows), sum(r[3] for r in rows)


_COPY = ("COPY entries (id, seq, member_id, kind, points, amount_minor, channel, "
         "program_version, occurred_at, note, device_id, received_at) FROM STDIN")


def _insert(conn: psycopg.Connection[Any], job: Job, rows: Sequence[tuple[Any, ...]],
            head: int) -> None:
    if not rows:
        return
    kind, channel, version, now = _EXPIRE, DERIVED_CHANNEL, job.program.version, job.now
    with conn.cursor() as cur, cur.copy(_COPY) as copy:
        for seq, (entry_id, member, _, points, occurred_at, note) in enumerate(rows, head + 1):
            copy.write_row((entry_id, seq, member, kind, points, 0, channel, version,
                            occurred_at, note, channel, now))
