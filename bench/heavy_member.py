"""A regular's card: identify -> member view, and a durable sale, for members with long
histories (a daily coffee for three years is ~1,000 visits, 2,000-3,000 entries).

    .venv/bin/python -m bench.heavy_member [--history 100 1000 3000 10000] [--runs 3]
                                           [--program bench/programs/member_view.toml]

``bench.identify`` measures a million members of about five entries each; a member's own
history is what a scan of a regular replays (their points' lots under pending days and
expiry, their tier under the tier policy, their stamps). Seeds one store with one member
per history size (entries as ``bench.identify`` makes them: earns, promotion bonuses,
stamps and one redemption in ten, spread over the two years before now, as if synced),
then times ``identify`` of a member's card and a three-line sale for them (durable, each
adding ~4 entries to their history, as a real visit), median of ``--runs`` runs of 50 of
each; scans and sales go round ``PER_SIZE`` members of each size, so the last sale finds
a history at most ~30 entries longer than seeded.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import tempfile
from pathlib import Path

from bench.common import machine, median_of_runs, percentile, timed
from bench.identify import _visit, blank_store
from kiosk.app.bootstrap import bootstrap
from kiosk.cards import card_number, issue_card
from kiosk.engine.orders import card_wallet
from kiosk.ids import new_id
from kiosk.services import Sale, SaleLine, identify, ring_up_sale

ROOT = Path(__file__).resolve().parent.parent
BASKET = (SaleLine("TEA-OOLONG", 2, 65, "tea"), SaleLine("CAKE-SUN", 1, 40, "cake"),
          SaleLine("amount", 1, 330))
SAMPLES = 50
PER_SIZE = 20  # members of each history size, taken in turn


def seed(folder: Path, histories: list[int], program_path: Path
         ) -> list[list[tuple[str, bytes]]]:
    """``PER_SIZE`` members per history size, with about that many entries each: their
    card payloads and ids, by size."""
    blank = blank_store(folder, program_path)
    db, program, key, cert, start = (blank.db, blank.program, blank.key, blank.cert,
                                     blank.start)
    rng = random.Random(11)
    times_between = (start, blank.end)
    cards = [card_wallet(c.id) for c in program.punch_cards]
    out: list[list[tuple[str, bytes]]] = []
    seq = order = 0
    db.execute("BEGIN")
    for i, size in enumerate(s for s in histories for _ in range(PER_SIZE)):
        if i % PER_SIZE == 0:
            out.append([])
        mid = new_id()
        card_no = card_number(cert.card_prefix, i + 1)
        payload = issue_card(key, cert, member_id=mid, card_no=card_no)
        db.execute("INSERT INTO members (id, name, phone, enrolled_at, channel, consent, "
                   "on_ledger) VALUES (?,?,?,?,?,1,1)",
                   (mid.bytes, f"Regular {size}", f"09{i:08d}", start, "bench"))
        db.execute("INSERT INTO cards (card_no, member_id, key_id, payload, issued_at, "
                   "on_ledger) VALUES (?,?,?,?,?,1)", (card_no, mid.bytes, cert.key_id,
                                                       payload, start))
        rows: list[tuple[object, ...]] = []
        times = sorted(rng.randrange(*times_between) for _ in range(size))
        while len(rows) < size:
            rows += _visit(rng, mid.bytes, times[len(rows)], order, cards, program.version)
            order += 1
        db.executemany("INSERT INTO entries (id, member_id, kind, points, amount_minor, "
                       "channel, order_ref, program_version, occurred_at, note, tier, "
                       "server_seq) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                       [(*row, seq + j + 1) for j, row in enumerate(rows)])
        seq += len(rows)
        out[-1].append((payload, mid.bytes))
    db.execute("COMMIT")
    db.execute("ANALYZE")
    db.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--history", type=int, nargs="+", default=[100, 1000, 3000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--program", default=str(ROOT / "bench" / "programs"
                                                 / "member_view.toml"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=ROOT / "bench" / "data") as tmp:
        folder = Path(tmp) / "kiosk"
        members = seed(folder, args.history, Path(args.program))
        kiosk = bootstrap(folder)
        numbers = iter(range(10**9))
        result = {}
        for size, group in zip(args.history, members, strict=True):
            ids = [identify(kiosk, payload).member.id for payload, _ in group]
            assert [m.bytes for m in ids] == [member for _, member in group]
            turn = itertools.count()

            def scan(group=group, turn=turn) -> None:  # type: ignore[no-untyped-def]
                identify(kiosk, group[next(turn) % PER_SIZE][0])

            def sale(ids=ids, turn=turn) -> None:  # type: ignore[no-untyped-def]
                ring_up_sale(kiosk, Sale.of_basket(ids[next(turn) % PER_SIZE], BASKET,
                                                   f"H-{next(numbers)}"))

            runs = []
            for _ in range(args.runs):
                scans = timed(scan, SAMPLES)
                sales = timed(sale, SAMPLES)
                runs.append({"identify_p50_ms": percentile(scans, 50),
                             "identify_p99_ms": percentile(scans, 99),
                             "sale_p50_ms": percentile(sales, 50),
                             "sale_p99_ms": percentile(sales, 99)})
            result[str(size)] = {k: round(v, 2) for k, v in median_of_runs(runs).items()}
        kiosk.store.close()
    print(json.dumps({"machine": machine(), "program": Path(args.program).name,
                      "runs": args.runs, "samples_per_run": SAMPLES,
                      "by_history_entries": result}, indent=2))


if __name__ == "__main__":
    main()
