"""A durable checkout beside a raw SQLite commit, and the online hold's round trip (issue 15).

    .venv/bin/python -m bench.checkout [--runs 5] [--checkouts 2000] [--dir bench/data]
    .venv/bin/python -m bench.checkout --online [--runs 3] [--holds 1000]

Offline (the default): a checkout of a three-line basket (two teas, a cake, a keyed
amount) paid partly with a reward (NT$100 off, 100 points), a coupon the member holds (10%
off, issued by an earlier order) and 10 points as money, through ``check_out`` on the
kiosk's own store, committed before it returns; beside it, in alternating blocks of 100,
the raw floor of ``bench.durable_sale`` (one row and a commit, WAL, synchronous=FULL, on
the same disk). Goal: checkout p50 <= 3x raw. Program: ``bench/programs/checkout.toml``.
Every member is set up with three orders of NT$5,000 first (points, and three coupons).
After each block of checkouts the ledger's answers are recorded (untimed), as the sync
agent does in the background at a connected counter: the outbox stays short, and the
offline floor (200 redemptions waiting) never refuses.

``--online``: the hold a paired kiosk asks of a real ``kiosk ledger serve`` process on
PostgreSQL over loopback before it writes a checkout (``POST /v1/checkouts``: the
redemption's points and the coupon in one hold), then its release, each timed as the
client's round trip; the members, their points and coupons synced to the ledger first.
Reports p50 and p99 of each.
"""

from __future__ import annotations

import argparse
import itertools
import json
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

from bench.common import (
    alternating,
    in_fresh_folders,
    machine,
    median_of_runs,
    percentile,
    timed,
)
from bench.durable_sale import BLOCK, raw_insert
from kiosk.app.bootstrap import initialise_standalone
from kiosk.engine.checkout import CHECKOUT_NOTE
from kiosk.ledger import Entry, EntryKind
from kiosk.program import load_program
from kiosk.services import Enrolment, Kiosk, Sale, SaleLine, enrol, ring_up_sale
from kiosk.services.checkout import Checkout, check_out

ROOT = Path(__file__).resolve().parent.parent
PROGRAM = ROOT / "bench" / "programs" / "checkout.toml"
BASKET = (SaleLine("TEA-OOLONG", 2, 65, "tea"), SaleLine("CAKE-SUN", 1, 40, "cake"),
          SaleLine("AMOUNT", 1, 330))
SETUP_ORDERS = 3  # NT$5,000 each: points and a coupon each


def members_with_coupons(kiosk: Kiosk, n: int) -> list[tuple[uuid.UUID, list[uuid.UUID]]]:
    """``n`` members, each with points and SETUP_ORDERS coupons (ids) to spend."""
    out = []
    for i in range(n):
        member = enrol(kiosk, Enrolment(f"Bench {i}", f"0912{i:06d}", consent=True)).member.id
        coupons = []
        for k in range(SETUP_ORDERS):
            sale = ring_up_sale(kiosk, Sale(member, 5000, f"SETUP-{i}-{k}"))
            coupons += [c.id_for(member) for c in sale.coupons]
        out.append((member, coupons))
    return out


def settle(kiosk: Kiosk, numbers: Iterator[int]) -> None:
    """The ledger's answers for everything waiting (``numbers``: the ledger's seqs), as the
    sync agent records them."""
    with kiosk.store.write() as tx:
        waiting = tx.outbox.batch(1_000_000)
        if waiting:
            tx.outbox.acknowledge([(e.id, next(numbers)) for _, e in waiting], [],
                                  waiting[-1][0], kiosk.clock())


def checkout_of(folder: Path, members: int
                ) -> tuple[Callable[[], None], Callable[[], None], Callable[[], None]]:
    """The timed checkout, the store's close and the (untimed) sync of what waits."""
    kiosk = initialise_standalone(folder / "kiosk", store_name="bench",
                                  program=load_program(PROGRAM))
    held = members_with_coupons(kiosk, members)
    numbers = itertools.count(1)
    settle(kiosk, numbers)
    counter = iter(range(10**9))

    def checkout() -> None:
        i = next(counter)
        member, coupons = held[i % members]
        coupon = coupons[(i // members) % len(coupons)]
        check_out(kiosk, Checkout(member, BASKET, "nt100-off", coupon, 10, f"C-{i}"))

    return checkout, kiosk.store.close, lambda: settle(kiosk, numbers)


def offline_run(folder: Path, n: int) -> dict[str, float]:
    insert = raw_insert(folder)
    members = max(1, n // 2)  # two checkouts a member: within their points and coupons
    checkout, close, synced = checkout_of(folder, members)
    raw, took = alternating(insert, checkout, n, BLOCK, between=synced)
    close()
    return {"raw_p50_ms": percentile(raw, 50), "raw_p99_ms": percentile(raw, 99),
            "checkout_p50_ms": percentile(took, 50), "checkout_p99_ms": percentile(took, 99)}


def online_run(folder: Path, holds: int) -> dict[str, float]:
    """Holds and releases against a real ledger process on PostgreSQL, over loopback."""
    from bench.ledger_ingest import fresh_database, migrated_ledger, running_ledger
    from sync.agent import SyncAgent
    from sync.client import LedgerClient
    from sync.pairing import pair_kiosk
    from sync.protocol import EntryWire
    from sync.wire_holds import CheckoutHoldRequest, CheckoutRef

    members = 100
    with fresh_database() as database:
        ledger, engine = migrated_ledger(database, load_program(PROGRAM))
        token = ledger.add_device("till-1", "kiosk")[1]
        engine.dispose()
        with running_ledger(database, folder / "ledger") as server:
            kiosk = pair_kiosk(folder / "till-1", ledger_url=server.url, token=token,
                               store_name="Bench")
            held = members_with_coupons(kiosk, members)
            client = LedgerClient(server.url, token)
            SyncAgent(kiosk, client).sync_once()
            counter = iter(range(10**9))
            pending: list[CheckoutRef] = []

            def hold() -> None:
                i = next(counter)
                member, coupons = held[i % members]
                ref = f"H-{i}"
                entry = Entry(kiosk.new_id(), member, EntryKind.REDEEM, -110,
                              kiosk.channel, kiosk.clock(), kiosk.program.version, ref,
                              reward_id="nt100-off", note=CHECKOUT_NOTE)
                coupon = coupons[(i // members) % len(coupons)]
                client.hold_checkout(CheckoutHoldRequest(
                    member_id=member, order_ref=ref, entry=EntryWire.of(entry),
                    coupon_ids=[coupon]))
                pending.append(CheckoutRef(order_ref=ref, entry_id=entry.id,
                                           coupon_ids=[coupon]))

            def release() -> None:
                client.release_checkout(pending.pop())

            timed(hold, 20)
            timed(release, 20)
            holds_ms, releases_ms = alternating(hold, release, holds, BLOCK)
            kiosk.store.close()
    return {"hold_p50_ms": percentile(holds_ms, 50), "hold_p99_ms": percentile(holds_ms, 99),
            "release_p50_ms": percentile(releases_ms, 50),
            "release_p99_ms": percentile(releases_ms, 99)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--checkouts", type=int, default=2000)
    parser.add_argument("--online", action="store_true",
                        help="time the ledger's checkout hold and release instead")
    parser.add_argument("--holds", type=int, default=1000)
    parser.add_argument("--dir", default=str(ROOT / "bench" / "data" / "checkout"))
    args = parser.parse_args()
    runs = in_fresh_folders(Path(args.dir), args.runs,
                            lambda folder: online_run(folder, args.holds) if args.online
                            else offline_run(folder, args.checkouts))
    result = median_of_runs(runs)
    if not args.online:
        result["ratio_p50"] = result["checkout_p50_ms"] / result["raw_p50_ms"]
        result["ratio_p99"] = result["checkout_p99_ms"] / result["raw_p99_ms"]
    print(json.dumps({"machine": machine(), "runs": args.runs, "online": args.online,
                      "each_run": [{k: round(v, 3) for k, v in r.items()} for r in runs],
                      "median_of_runs": {k: round(v, 3) for k, v in result.items()}},
                     indent=2))


if __name__ == "__main__":
    main()
