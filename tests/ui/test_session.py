"""The counter's flow without widgets (issue 13): ``CounterSession`` on a real standalone
kiosk (the real SQLite store, the real keys), a view that records what it was asked to
show, and a task runner that runs each service call at once. No Qt event loop, no ledger,
no sync thread: what a scan means on each screen, a sale, a redemption, an enrolment, the
staff steps and the idle reset, as the cashier would see them."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from devices.receipt import Receipt
from kiosk.program import Names
from kiosk.services import (
    Enrolment,
    EnrolmentResult,
    Kiosk,
    MemberView,
    Sale,
    SaleLine,
    enrol,
    member_view,
    redeem,
    ring_up_sale,
)
from kiosk.services.checkout import Checkout, check_out
from kiosk.services.sales import NeedsApproval
from kiosk.services.staff import add_staff, list_staff, remove_staff, sign_in
from kiosk.staff import Role, StaffMember
from tests.helpers.cards import forge
from ui.context import Product, ScreenContext
from ui.messages import describe
from ui.session import CounterSession

TEA = Product("4710000000011", Names.model_validate(
    {"en": "Oolong tea", "zh-TW": "烏龍茶", "zh-CN": "乌龙茶"}), 65)


class RunNow:
    """The task runner, synchronous: the service runs and its callback follows at once."""

    def run(self, fn: Callable[[], Any], done: Callable[[Any], None],
            failed: Callable[[BaseException], None]) -> None:
        try:
            result = fn()
        except Exception as exc:
            failed(exc)
            return
        done(result)


@dataclass
class Languages:
    current: str = "en"


@dataclass
class StaffAsk:
    check: Callable[[StaffMember, str], Any]
    managers_only: bool
    chosen: StaffMember | None
    title: str
    prompt: str


@dataclass
class RecordingView:
    """A ``CounterView`` that shows nothing and remembers everything."""

    current: str = "idle"
    screens: list[str] = field(default_factory=list)
    members: list[MemberView] = field(default_factory=list)
    messages: list[tuple[str, str]] = field(default_factory=list)  # (kind, text)
    banner: tuple[str, str] | None = None
    receipt_button: bool = False
    prepared: list[str] = field(default_factory=list)
    basket_products: list[Product] = field(default_factory=list)
    coupons_applied: list[uuid.UUID] = field(default_factory=list)
    keyed_minor: int = 0
    referrer: tuple[uuid.UUID, str] | None = None
    card: tuple[EnrolmentResult, bytes] | None = None
    languages_set: list[str] = field(default_factory=list)
    staff_asks: list[StaffAsk] = field(default_factory=list)
    cashier: str = ""
    refund_codes: list[str] = field(default_factory=list)

    def show_screen(self, name: str) -> None:
        self.current = name
        self.screens.append(name)

    def show_member(self, view: MemberView) -> None:
        self.members.append(view)

    def say(self, words: Callable[[], str], kind: str = "info") -> None:
        self.banner = (kind, words())
        self.messages.append(self.banner)

    def show_error(self, exc: BaseException) -> None:
        self.say(lambda: describe(exc, quiet=True), "error")

    def clear_message(self) -> None:
        self.banner = None

    def show_receipt_button(self, shown: bool) -> None:
        self.receipt_button = shown

    def prepare_sale(self, member: MemberView) -> None:
        self.prepared.append("sale")
        self.basket_products, self.keyed_minor = [], 0

    def prepare_redemption(self, member: MemberView) -> None:
        self.prepared.append("redeem")

    def prepare_enrolment(self) -> None:
        self.prepared.append("enrol")
        self.referrer = None

    def refund_scanned(self, text: str) -> None:
        self.refund_codes.append(text)

    def add_product(self, product: Product) -> None:
        self.basket_products.append(product)

    def apply_coupon(self, coupon_id: uuid.UUID) -> None:
        self.coupons_applied.append(coupon_id)

    def basket(self) -> tuple[list[tuple[str, str]], int]:
        lines = [(p.names.get("en"), f"NT${p.price_minor}") for p in self.basket_products]
        return lines, self.keyed_minor + sum(p.price_minor for p in self.basket_products)

    def set_referrer(self, member_id: uuid.UUID, name: str) -> None:
        self.referrer = (member_id, name)

    def show_card(self, result: EnrolmentResult, png: bytes) -> None:
        self.card = (result, png)

    def set_language(self, code: str) -> None:
        self.languages_set.append(code)

    def ask_staff(self, check: Callable[[StaffMember, str], Any], *, managers_only: bool,
                  chosen: StaffMember | None, title: Callable[[], str],
                  prompt: Callable[[], str], submit: Callable[[], str]) -> None:
        self.staff_asks.append(StaffAsk(check, managers_only, chosen, title(), prompt()))

    def show_cashier(self, text: str) -> None:
        self.cashier = text


@dataclass
class Counter:
    """A session with what it talks to: the view, the kiosk, sync's and the printer's
    calls."""

    session: CounterSession
    view: RecordingView
    kiosk: Kiosk
    sync_rounds: list[None]
    printed: list[Receipt]
    languages: Languages

    def staff_screen_passes(self, person: StaffMember, pin: str) -> None:
        """What the staff screen does with a name and PIN: the check on a worker, then
        ``passed`` or the error."""
        ask = self.view.staff_asks[-1]
        RunNow().run(lambda: ask.check(person, pin), self.session.staff.passed,
                     self.view.show_error)


def staff(kiosk: Kiosk) -> dict[str, StaffMember]:
    return {name: add_staff(kiosk, name, role, pin) for name, role, pin in (
        ("Grace Ho", Role.MANAGER, "1234"), ("Mei Lin", Role.CASHIER, "1111"))}


@pytest.fixture
def counter(kiosk: Kiosk, tmp_path) -> Counter:
    view, languages = RecordingView(), Languages()
    rounds: list[None] = []
    printed: list[Receipt] = []
    context = ScreenContext(kiosk, RunNow(), languages,  # type: ignore[arg-type]
                            find_product=lambda code: TEA if code == TEA.code else None,
                            print_receipt=printed.append, cards_dir=tmp_path / "cards",
                            home_language="en")
    session = CounterSession(context, view, sync_soon=lambda: rounds.append(None))
    return Counter(session, view, kiosk, rounds, printed, languages)


@pytest.fixture
def cashier(counter: Counter) -> StaffMember:
    """Mei Lin signed in, as on most counters."""
    people = staff(counter.kiosk)
    return sign_in(counter.kiosk, people["Mei Lin"].id, "1111")


@pytest.fixture
def on_member(counter: Counter, member: EnrolmentResult, cashier: StaffMember) -> Counter:
    counter.session.scan(member.card.payload)
    assert counter.view.current == "member"
    return counter


def test_a_member_card_scan_shows_the_member(counter: Counter, member: EnrolmentResult):
    counter.session.scan(f"  {member.card.payload}\n", "serial")
    assert counter.view.current == "member"
    assert counter.session.member is not None
    assert counter.session.member.member.name == "陳美玲"
    assert counter.view.members[-1].balance == member.balance
    assert counter.session.card_payload == member.card.payload
    assert counter.view.banner is None


def test_a_forged_card_is_refused_with_the_message(counter: Counter, member: EnrolmentResult):
    counter.session.scan(forge(member.card.payload))
    assert counter.view.banner == (
        "error", "This card failed the security check and cannot be used.")
    assert counter.view.current == "idle" and counter.session.member is None


def test_something_that_is_not_a_card_is_refused(counter: Counter):
    counter.session.scan("HELLO-WORLD-123")
    assert counter.view.banner == ("error", "That is not a Counterpoint membership card.")
    assert counter.view.current == "idle"


def test_an_empty_scan_does_nothing(counter: Counter):
    counter.session.scan("  \n")
    assert counter.view.messages == [] and counter.view.screens == []


def test_a_product_scan_on_the_sale_screen_goes_into_the_basket(on_member: Counter):
    c = on_member
    c.session.start_sale()
    assert c.view.current == "sale" and c.view.prepared == ["sale"]
    c.session.scan(TEA.code, "serial")
    c.session.scan(TEA.code, "serial")
    assert c.view.basket_products == [TEA, TEA]
    c.session.scan("4006381333931")  # a real EAN-13, but not this store's
    assert c.view.banner == ("error", "No product has the code 4006381333931.")
    assert c.view.basket_products == [TEA, TEA] and c.view.current == "sale"


def test_a_card_on_the_sale_screen_does_not_open_another_member(
        on_member: Counter, kiosk: Kiosk):
    c = on_member
    other = enrol(kiosk, Enrolment("Alice Wong", "0922-000-111", consent=True))
    shown = c.session.member
    c.session.start_sale()
    c.session.scan(other.card.payload)
    assert c.view.banner == ("error",
                             "Finish or cancel this step before scanning another card.")
    assert c.view.current == "sale" and c.session.member is shown


def test_a_sale_asks_sync_for_a_round_and_refreshes_the_member(on_member: Counter,
                                                              kiosk: Kiosk):
    c = on_member
    assert c.session.member is not None
    before = c.session.member.balance
    c.session.start_sale()
    c.session.scan(TEA.code)
    c.view.keyed_minor = 1250
    lines, total = c.view.basket()
    checkout = Checkout(c.session.member.member.id,
                        (SaleLine(TEA.code, 1, TEA.price_minor), SaleLine("amount", 1, 1250)),
                        order_ref="S-1")
    result = check_out(kiosk, checkout)  # as the sale screen rings it up, on a worker
    c.session.sale_done(result)
    assert c.view.banner == ("info", f"+{result.sale.points} points for order S-1. New "
                                     f"balance: {before + result.sale.points}")
    assert c.sync_rounds == [None]
    assert c.view.current == "member"
    assert c.session.member.balance == before + result.sale.points
    assert c.view.members[-1].balance == before + result.sale.points
    assert c.view.receipt_button
    c.session.print_receipt()
    [receipt] = c.printed
    assert receipt.lines == tuple(lines) and receipt.total == "NT$1,315" == f"NT${total:,}"
    assert receipt.card_payload == c.session.card_payload
    assert c.view.banner == ("info", "Receipt printed.")


def test_the_same_sale_twice_adds_nothing_and_says_so(on_member: Counter, kiosk: Kiosk):
    c = on_member
    assert c.session.member is not None
    checkout = Checkout(c.session.member.member.id, (SaleLine("AMOUNT", 1, 500),),
                        order_ref="S-2")
    first = check_out(kiosk, checkout)
    c.session.sale_done(check_out(kiosk, checkout))
    assert c.view.banner == ("info", "This sale was already recorded; nothing was added. "
                                     f"Balance: {first.sale.balance}")


def test_a_sale_above_the_limit_waits_for_a_manager(on_member: Counter, kiosk: Kiosk):
    c = on_member
    assert c.session.member is not None
    c.session.start_sale()
    checkout = Checkout(c.session.member.member.id, (SaleLine("AMOUNT", 1, 150_000),),
                        order_ref="S-3")
    with pytest.raises(NeedsApproval) as refused:
        check_out(kiosk, checkout)
    c.session.sale_refused(refused.value, lambda: checkout)
    assert c.view.current == "staff"
    ask = c.view.staff_asks[-1]
    assert ask.managers_only and "NT$150,000" in ask.prompt and "NT$100,000" in ask.prompt
    grace = next(p for p in list_staff(kiosk) if p.name == "Grace Ho")
    c.staff_screen_passes(grace, "1111")  # not her PIN
    assert c.view.banner == ("error", "Wrong PIN.") and c.view.current == "staff"
    c.session.staff.cancelled()
    assert c.view.current == "sale" and c.sync_rounds == []  # the basket waits
    c.session.sale_refused(refused.value, lambda: checkout)
    c.staff_screen_passes(grace, "1234")
    assert c.view.banner is not None and c.view.banner[1].startswith("+")
    assert c.view.current == "member" and c.sync_rounds == [None]


def test_a_redemption_says_how_it_was_taken_and_refreshes_the_member(on_member: Counter,
                                                                     kiosk: Kiosk):
    c = on_member
    assert c.session.member is not None
    c.session.start_redemption()
    assert c.view.current == "redeem" and c.view.prepared == ["redeem"]
    ring_up_sale(kiosk, Sale(c.session.member.member.id, 5_000, "S-4"))
    result = redeem(kiosk, c.session.member.member.id, "coffee")
    c.session.redeemed(result)
    assert c.view.banner == ("info", f"{result.reward.names.get('en')} redeemed (taken "
                                     "offline under the store's limits). New balance: "
                                     f"{result.balance}")
    assert c.sync_rounds == [None]
    assert c.view.current == "member" and c.session.member.balance == result.balance
    c.session.print_receipt()
    assert c.printed[-1].points_earned == -60 and c.printed[-1].tier is not None


def test_an_enrolment_names_the_referrer_shows_the_card_then_the_new_member(
        counter: Counter, member: EnrolmentResult, cashier: StaffMember, kiosk: Kiosk):
    c = counter
    c.session.start_enrolment()
    assert c.view.current == "enrol" and c.view.prepared == ["enrol"]
    c.session.scan(member.card.payload)  # the referring member's card
    assert c.view.referrer == (member.member.id, "陳美玲")
    assert c.view.current == "enrol" and c.session.member is None
    result = enrol(kiosk, Enrolment("Alice Wong", "0922-000-111", referrer_id=member.member.id,
                                    consent=True))
    c.session.enrolled(result)
    assert c.sync_rounds == [None]
    assert c.view.current == "card" and c.view.card is not None
    assert c.view.card[0] is result and c.view.card[1].startswith(b"\x89PNG")
    c.session.print_card()
    assert c.printed[-1].card_payload == result.card.payload
    assert c.view.banner == ("info", "Card printed.")
    c.session.card_done()
    assert c.view.current == "member"
    assert c.session.member is not None and c.session.member.member.name == "Alice Wong"
    assert c.session.card_payload == result.card.payload


def test_with_no_printer_the_new_card_is_saved_for_printing_elsewhere(
        counter: Counter, cashier: StaffMember, kiosk: Kiosk, tmp_path):
    c = counter
    c.session.counter.print_receipt = None
    (tmp_path / "cards").mkdir()
    result = enrol(kiosk, Enrolment("Alice Wong", "0922-000-111", consent=True))
    c.session.enrolled(result)
    c.session.print_card()
    path = tmp_path / "cards" / f"{result.card.card_no}.png"
    assert path.read_bytes() == c.view.card[1]  # type: ignore[index]
    assert c.view.banner == ("info", f"No printer is set up: the card was saved as {path}.")


def test_a_sale_asks_who_is_at_the_counter_first(counter: Counter, member: EnrolmentResult,
                                                 kiosk: Kiosk):
    c = counter
    people = staff(kiosk)  # nobody signed in yet
    c.session.scan(member.card.payload)
    c.session.start_sale()
    assert c.view.current == "staff" and c.view.prepared == []
    ask = c.view.staff_asks[-1]
    assert not ask.managers_only and ask.title == "Who is at the counter?"
    c.staff_screen_passes(people["Mei Lin"], "9999")
    assert c.view.banner == ("error", "Wrong PIN.") and c.view.current == "staff"
    c.staff_screen_passes(people["Mei Lin"], "1111")
    assert c.view.current == "sale" and c.view.prepared == ["sale"]  # on with the sale
    assert c.view.messages[-1] == (
        "info", "Mei Lin is at the counter: what happens here now is in their name.")
    assert c.view.cashier == "Cashier: Mei Lin"
    c.session.go_idle()
    c.session.scan(member.card.payload)
    c.session.start_sale()
    assert c.view.current == "sale" and len(c.view.staff_asks) == 1  # asked once


def test_a_kiosk_with_nobody_to_ask_goes_straight_on(counter: Counter,
                                                    member: EnrolmentResult):
    c = counter
    c.session.scan(member.card.payload)
    c.session.start_redemption()
    assert c.view.current == "staff"
    c.session.staff.not_needed()  # what the staff screen finds with no staff
    assert c.view.current == "redeem"


def test_a_card_scanned_while_a_pin_is_typed_is_refused(on_member: Counter, kiosk: Kiosk):
    c = on_member
    other = enrol(kiosk, Enrolment("Alice Wong", "0922-000-111", consent=True))
    shown = c.session.member
    c.session.staff.take_over()  # the cashier button
    assert c.view.current == "staff"
    c.session.scan(other.card.payload)
    assert c.view.banner == ("error",
                             "Finish or cancel this step before scanning another card.")
    assert c.view.current == "staff" and c.session.member is shown
    c.session.staff.cancelled()
    assert c.view.current == "member"  # back where the counter was


def test_left_alone_the_counter_forgets_the_member_and_speaks_the_store_language(
        on_member: Counter, kiosk: Kiosk):
    c = on_member
    assert c.session.member is not None
    c.session.offer_receipt(lambda: Receipt(store="Test store", lines=()))
    assert c.view.receipt_button
    c.languages.current = "zh-TW"  # the customer switched for their visit
    c.session.left_alone()
    assert c.view.current == "idle"
    assert c.session.member is None and c.session.card_payload is None
    assert c.session.receipt is None and not c.view.receipt_button
    assert c.view.banner is None
    assert c.view.languages_set == ["en"]


def test_someone_removed_is_signed_out_between_customers(on_member: Counter, kiosk: Kiosk):
    c = on_member
    remove_staff(kiosk, "Mei Lin")
    c.session.go_idle()
    assert kiosk.on_duty is None and c.view.cashier == "Sign in"


def test_closing_the_manager_screen_goes_back_to_the_member_refreshed(on_member: Counter,
                                                                      kiosk: Kiosk):
    c = on_member
    assert c.session.member is not None
    c.view.show_screen("manager")
    c.session.scan("HELLO-WORLD-123")  # the manager screen is busy with this member
    assert c.view.banner == ("error",
                             "Finish or cancel this step before scanning another card.")
    ring_up_sale(kiosk, Sale(c.session.member.member.id, 1_000, "S-5"))  # synced in
    c.session.manager_closed()
    assert c.view.current == "member"
    assert c.session.member.balance == member_view(kiosk, c.session.member.member.id).balance


def test_news_from_the_manager_screen_asks_sync_for_a_round(counter: Counter):
    c = counter
    c.session.ledger_moved("https://ledger.example.com:8470")
    assert c.view.banner == ("info", "Ledger address saved: https://ledger.example.com:8470")
    assert c.sync_rounds == [None]
    c.session.pin_changed()
    assert c.view.banner == ("info", "PIN changed. Use the new PIN from now on.")
    assert c.sync_rounds == [None]
