"""Ledger properties checked through the real services and the real SQLite store."""

from __future__ import annotations

import itertools
import tempfile
import uuid
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.app.bootstrap import initialise_standalone, standalone_kiosk
from kiosk.ledger import balance
from kiosk.program import load_program
from kiosk.services import (
    Enrolment,
    Refusal,
    Sale,
    enrol,
    redeem,
    refund_order,
    ring_up_sale,
    verify_store,
)
from tests.helpers.clock import FakeClock
from tests.helpers.memory_store import MemoryStore
from tests.helpers.program import PLAIN_PROGRAM

PROGRAM = load_program(PLAIN_PROGRAM)
SETTINGS = settings(max_examples=25, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])

amounts = st.integers(min_value=1, max_value=200_000)
operations = st.lists(st.one_of(
    st.tuples(st.just("sale"), amounts),
    st.tuples(st.just("redeem"), st.sampled_from([r.id for r in PROGRAM.rewards])),
    st.tuples(st.just("refund"), st.integers(min_value=0, max_value=30)),
    st.tuples(st.just("wait"), st.integers(min_value=1, max_value=400)),
), max_size=30)


def counter_ids(start: int = 1):
    numbers = itertools.count(start)
    return lambda: uuid.UUID(int=next(numbers))


STORES = pytest.mark.parametrize("store", ["sqlite", "memory"])  # the fake: the same laws


def fresh_kiosk(folder: Path, ids=None, store="sqlite"):
    clock = FakeClock()
    setup = dict(store_name="P", program=PROGRAM, device_id="p", clock=clock,
                 **({"ids": ids} if ids else {}))
    kiosk = (standalone_kiosk(MemoryStore(), **setup) if store == "memory"
             else initialise_standalone(folder, **setup))
    return kiosk, clock


def play(kiosk, clock, member_id, ops):
    """Run the operations; refusals (too few points, limits, refunds twice) are allowed."""
    orders = []
    for op, arg in ops:
        try:
            if op == "sale":
                orders.append(ring_up_sale(kiosk, Sale(member_id, arg, f"O-{len(orders)}",
                                                       approved_by="Mei")).order_ref)
            elif op == "redeem":
                redeem(kiosk, member_id, arg)
            elif op == "refund" and orders:
                refund_order(kiosk, orders[arg % len(orders)])
            elif op == "wait":
                clock.advance(hours=arg)
        except Refusal:
            pass


@STORES
@SETTINGS
@given(ops=operations)
def test_balance_is_always_the_sum_of_entries_and_points_are_whole(store, ops):
    with tempfile.TemporaryDirectory() as folder:
        kiosk, clock = fresh_kiosk(Path(folder), store=store)
        member = enrol(kiosk, Enrolment("P", "0912000000", consent=True)).member.id
        play(kiosk, clock, member, ops)
        with kiosk.store.read() as tx:
            entries = tx.entries.of_member(member)
            cached = tx.entries.balance(member)
        assert cached == balance(entries)
        assert all(type(e.points) is int and type(e.amount_minor) is int for e in entries)
        assert verify_store(kiosk).ok
        kiosk.store.close()


@STORES
@SETTINGS
@given(ops=operations)
def test_the_same_inputs_give_the_same_entries(store, ops):
    runs = []
    for _ in range(2):
        with tempfile.TemporaryDirectory() as folder:
            kiosk, clock = fresh_kiosk(Path(folder), ids=counter_ids(), store=store)
            member = enrol(kiosk, Enrolment("P", "0912000000", consent=True)).member.id
            play(kiosk, clock, member, ops)
            with kiosk.store.read() as tx:
                runs.append(tx.entries.of_member(member))
            kiosk.store.close()
    assert runs[0] == runs[1]


@STORES
@SETTINGS
@given(before=operations, amount=amounts)
def test_a_refund_brings_the_member_back_to_the_pre_sale_balance(store, before, amount):
    with tempfile.TemporaryDirectory() as folder:
        kiosk, clock = fresh_kiosk(Path(folder), store=store)
        member = enrol(kiosk, Enrolment("P", "0912000000", consent=True)).member.id
        play(kiosk, clock, member, before)
        with kiosk.store.read() as tx:
            pre = tx.entries.balance(member)
        sale = ring_up_sale(kiosk, Sale(member, amount, "THE-SALE", approved_by="Mei"))
        clock.advance(days=3)
        result = refund_order(kiosk, "THE-SALE")
        assert result.balance == pre
        assert result.points == -sale.points
        kiosk.store.close()
