"""The referral bonus's rule (issue 14, point 4), pure: the referrer earns their points once
the referred member's first qualifying purchase (at least the minimum, not refunded) is
past the return window, dated when that window closed, under an id derived from the
referrer and the referred member."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from kiosk.awards import DERIVED_CHANNEL, derived_problem, unapplied
from kiosk.engine.bonuses import (
    REFERRAL,
    Purchase,
    Referral,
    qualifying_purchase,
    referral_award,
    referral_due,
    referral_note,
)
from kiosk.engine.orders import Award, derived_id
from kiosk.ledger import EntryKind
from kiosk.program import parse_program
from tests.helpers.program import program_text

RULE = Referral(referrer_points=100, min_amount=Decimal(500))
REFERRER = uuid.UUID("0192f1c4-7b1e-7c3a-9d2e-5a6b7c8d9e0f")
REFERRED = uuid.UUID("0192f1c4-7b1e-7c3a-9d2e-000000000002")
PENDING = 14
MIN = 500  # NT$500 in minor units (whole dollars)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


BUY = Purchase(at("2026-03-01T04:00"), 800)
SMALL = Purchase(at("2026-02-20T04:00"), 499)  # below the minimum
REFUNDED = Purchase(at("2026-02-25T04:00"), 2_000, refunded=True)
LATER = Purchase(at("2026-03-10T04:00"), 600)


@pytest.mark.parametrize(("purchases", "when", "dated"), [
    # one purchase of NT$800: due when its 14-day window closes, dated then
    ((BUY,), "2026-03-15T04:00", "2026-03-15T04:00"),
    ((BUY,), "2027-01-01T00:00", "2026-03-15T04:00"),  # a late run dates it the same
    ((BUY,), "2026-03-15T03:59", None),  # a minute before the window closes: nothing yet
    # a smaller purchase before it doesn't count: the NT$800 one is the first that does
    ((SMALL, BUY), "2026-03-15T04:00", "2026-03-15T04:00"),
    ((SMALL,), "2027-01-01T00:00", None),
    # a refunded one doesn't count either: the next qualifying one does
    ((REFUNDED, BUY), "2026-03-11T04:00", None),  # past the refunded one's window only
    ((REFUNDED, BUY), "2026-03-15T04:00", "2026-03-15T04:00"),
    ((REFUNDED,), "2027-01-01T00:00", None),
    # the first qualifying one decides, in time order whatever the list's order
    ((LATER, BUY), "2026-03-20T00:00", "2026-03-15T04:00"),
    ((), "2027-01-01T00:00", None),
])
def test_the_referrer_earns_once_the_first_qualifying_purchase_is_past_the_window(
        purchases: tuple[Purchase, ...], when: str, dated: str | None) -> None:
    award = referral_award(RULE, REFERRED, purchases, PENDING, MIN, at(when))
    if dated is None:
        assert award is None
        return
    assert award == Award(EntryKind.BONUS, 100, REFERRAL, once=f"referral:{REFERRED}",
                          at=at(dated))


def test_a_zero_purchase_is_no_purchase_even_with_no_minimum() -> None:
    free = Purchase(at("2026-03-01T04:00"), 0)
    assert qualifying_purchase([free], 0) is None
    assert qualifying_purchase([free, BUY], 0) == BUY


def test_a_rule_of_no_points_grants_nothing() -> None:
    rule = Referral(referrer_points=0)
    assert referral_award(rule, REFERRED, [BUY], PENDING, MIN, at("2027-01-01T00:00")) is None


def test_the_bonus_is_the_referrers_under_the_id_derived_from_the_referred_member() -> None:
    due = referral_due(RULE, REFERRER, REFERRED, [BUY], PENDING, MIN, at("2026-04-01T00:00"))
    assert due is not None
    assert due.referrer_id == REFERRER
    assert due.id == derived_id(REFERRER, f"referral:{REFERRED}")
    assert due.award.once == referral_note(REFERRED) == f"referral:{REFERRED}"
    assert (due.award.points, due.at) == (100, at("2026-03-15T04:00"))


def test_two_runs_make_the_same_bonus_whenever_they_run() -> None:
    runs = [referral_due(RULE, REFERRER, REFERRED, [SMALL, BUY, LATER], PENDING, MIN, at(t))
            for t in ("2026-03-15T04:00", "2026-03-31T00:00", "2028-01-01T00:00")]
    assert runs[0] is not None
    assert runs == [runs[0]] * 3


def test_a_member_who_names_themselves_earns_nothing() -> None:
    assert referral_due(RULE, REFERRED, REFERRED, [BUY], PENDING, MIN,
                        at("2027-01-01T00:00")) is None


def test_no_return_window_makes_the_bonus_due_at_the_purchase() -> None:
    award = referral_award(RULE, REFERRED, [BUY], 0, MIN, BUY.occurred_at)
    assert award is not None and award.at == BUY.occurred_at


REFERRAL_PROGRAM = '''
[bonuses.referral]
referrer_points = 100
min_amount = 500

[points]
pending_days = 14
'''


def test_a_kiosk_may_not_grant_a_referral_bonus_itself() -> None:
    """Only the ledger sees every channel's purchases and refunds: the upload audit refuses
    a referral bonus from any device, even one made exactly as the ledger would."""
    program = parse_program(program_text(REFERRAL_PROGRAM))
    due = referral_due(program.bonuses.referral or RULE, REFERRER, REFERRED, [BUY],
                       program.points.pending_days, program.minor(Decimal(500)),
                       at("2027-01-01T00:00"))
    assert due is not None
    problem = derived_problem(program, entry_id=due.id, member_id=REFERRER, points=100,
                              note=due.award.once, occurred_at=due.at, birthday=None,
                              enrolled_at=at("2026-01-01T00:00"), purchased_minor=0)
    assert problem is not None and "granted by the ledger alone" in problem
    assert DERIVED_CHANNEL == "program"


def test_publishing_a_referral_program_no_longer_says_the_bonus_is_not_granted() -> None:
    program = parse_program(program_text(REFERRAL_PROGRAM))
    assert not [n for n in unapplied(program) if n.startswith("bonuses.referral")]


def test_a_referral_with_a_welcome_coupon_is_not_said_to_be_unapplied() -> None:
    """The ledger grants the referrer's bonus and the friend's welcome coupon is issued at
    enrolment: publishing the program says nothing of the referral."""
    program = parse_program(program_text(REFERRAL_PROGRAM.replace(
        "min_amount = 500\n", 'min_amount = 500\nwelcome_coupon = "welcome-50"\n') + '''
[[coupons]]
id = "welcome-50"
names = { en = "Welcome: NT$50 off", zh-TW = "新會員折抵 NT$50", zh-CN = "新会员抵扣 NT$50" }
value = { kind = "amount_off", amount = 50 }
valid_days = 30
trigger = { on = "welcome", referred_only = true }
'''))
    assert program.bonuses.referral is not None
    assert program.bonuses.referral.welcome_coupon == "welcome-50"
    assert not [n for n in unapplied(program) if "referral" in n or "welcome" in n]
