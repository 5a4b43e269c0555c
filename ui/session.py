"""The counter's flow, without widgets: what a scan means on each screen, the member on
screen and the card that opened them, the last receipt on offer, the staff steps before a
step that makes entries, and what happens after a change is committed (sync is asked for a
round, the member's figures are read again) and what the counter says about it.

``CounterSession`` calls the services through the ``ScreenContext`` (on its task runner:
the UI thread never waits on the store) and shows things through a ``CounterView``
(ui/counter_view.py), which ``CounterWindow`` implements with its screens. So the flow is
tested with a fake view and a runner that runs at once (tests/ui/test_session.py), with no
Qt event loop, no ledger and no sync thread.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from devices.errors import PrinterUnavailable
from devices.receipt import Receipt
from kiosk.cards import PAYLOAD_PREFIX
from kiosk.engine.coupons import PAYLOAD_PREFIX as COUPON_PREFIX
from kiosk.engine.coupons import parse_coupon_payload
from kiosk.engine.order_codes import ORDER_PREFIX
from kiosk.services import (
    EnrolmentResult,
    MemberView,
    RedemptionResult,
    RefundResult,
    identify,
    member_view,
)
from kiosk.services.checkout import Checkout, CheckoutResult
from kiosk.services.donations import DonationResult
from kiosk.services.lost_cards import ReissueResult
from kiosk.services.manager import AdjustmentResult
from kiosk.services.transfers import TransferResult
from ui import news
from ui.context import ScreenContext
from ui.counter_view import CounterView, Words
from ui.receipts import card_slip, donation_receipt, redemption_receipt, sale_receipt
from ui.staff_steps import StaffSteps

log = logging.getLogger(__name__)

BUSY_SCREENS = ("sale", "redeem", "donate", "card", "manager")
"""Screens where a member's step is under way: another card can't open another member."""


class CounterSession:
    """``sync_soon`` asks the sync thread for a round now (None: not paired with a ledger)."""

    def __init__(self, counter: ScreenContext, view: CounterView,
                 sync_soon: Callable[[], None] | None = None) -> None:
        self.counter, self.view, self.sync_soon = counter, view, sync_soon
        self.member: MemberView | None = None
        """The member on screen (the member, sale, redemption, donation, transfer and
        manager screens')."""
        self.card_payload: str | None = None
        """The card that opened the member on screen: its QR goes on their receipts."""
        self.receipt: Callable[[], Receipt] | None = None
        """Makes the last flow's receipt, offered until the member changes."""
        self.new_card: tuple[EnrolmentResult, bytes] | None = None
        """The last member enrolled here and their card as drawn, for the card screen."""
        self.staff = StaffSteps(counter, view, rung_up=self.sale_done)

    # -- scans -----------------------------------------------------------------------------
    def scan(self, text: str, source: str = "scanner") -> None:
        """Any scanner's text. On the sale screen a product code goes into the basket; on
        the enrolment form a member card names the referrer, on the transfer screen the
        member who receives; anywhere else a card opens its
        member. Nothing here parses the card: the service does, off the UI thread."""
        text = text.strip()
        log.info("scan from %s (%d characters)", source, len(text))
        if not text:
            return
        view, current, kiosk = self.view, self.view.current, self.counter.kiosk
        if text.startswith(ORDER_PREFIX):  # a receipt's order code: a refund starts here
            if current == "manager":
                view.refund_scanned(text)
            else:
                view.say(news.refund_at_the_manager_screen, "error")
            return
        if current == "sale":
            if product := self.counter.find_product(text):
                view.add_product(product)
                return
            if text.startswith(COUPON_PREFIX):
                try:
                    view.apply_coupon(parse_coupon_payload(text))
                except ValueError:
                    view.say(news.not_a_coupon, "error")
                return
            if not text.startswith(PAYLOAD_PREFIX):
                view.say(lambda: news.no_such_product(text), "error")
                return
        if current == "enrol":
            self.counter.tasks.run(lambda: identify(kiosk, text),
                                   lambda v: view.set_referrer(v.member.id, v.member.name),
                                   view.show_error)
            return
        if current == "transfer":  # a card names who receives the points
            self.counter.tasks.run(lambda: identify(kiosk, text),
                                   lambda v: view.set_receiver(v.member, v.masked_phone),
                                   view.show_error)
            return
        if current == "staff" or (current in BUSY_SCREENS and self.member):
            view.say(news.finish_this_step_first, "error")
            return
        self.counter.tasks.run(lambda: identify(kiosk, text),
                               lambda member: self._identified(member, text), view.show_error)

    def _identified(self, view: MemberView, payload: str) -> None:
        self.view.clear_message()
        self._forget_receipt()
        self.card_payload = payload
        self._show_member(view)

    def _show_member(self, view: MemberView) -> None:
        self.member = view
        self.view.show_member(view)
        self.view.show_screen("member")

    def refresh_member(self, member_id: uuid.UUID, *, navigate: bool = True) -> None:
        """Read the member's figures again; ``navigate``: and go to the member screen."""
        kiosk = self.counter.kiosk
        self.counter.tasks.run(lambda: member_view(kiosk, member_id),
                               self._show_member if navigate else self._refreshed,
                               self.view.show_error)

    def _refreshed(self, view: MemberView) -> None:
        if self.member is not None and self.member.member.id == view.member.id:
            self.member = view
            self.view.show_member(view)

    # -- steps -----------------------------------------------------------------------------
    def start_sale(self) -> None:
        """Each step that makes entries first asks who is at the counter, once."""
        self.staff.require(self._start_sale)

    def _start_sale(self) -> None:
        if self.member is not None:
            self.view.prepare_sale(self.member)
            self.view.show_screen("sale")

    def start_redemption(self) -> None:
        self.staff.require(self._start_redemption)

    def _start_redemption(self) -> None:
        if self.member is not None:
            self.view.prepare_redemption(self.member)
            self.view.show_screen("redeem")

    def start_donation(self) -> None:
        self.staff.require(self._start_donation)

    def _start_donation(self) -> None:
        if self.member is not None:
            self.view.prepare_donation(self.member)
            self.view.show_screen("donate")

    def start_transfer(self) -> None:
        self.staff.require(self._start_transfer)

    def _start_transfer(self) -> None:
        if self.member is not None:
            self.view.prepare_transfer(self.member)
            self.view.show_screen("transfer")

    def start_enrolment(self) -> None:
        self.staff.require(self._start_enrolment)

    def _start_enrolment(self) -> None:
        self.member = None
        self.view.prepare_enrolment()
        self.view.show_screen("enrol")

    def go_idle(self) -> None:
        """Between customers: forget the member, clear news, check who is signed in."""
        self.member = None
        self.card_payload = None
        self._forget_receipt()
        self.view.clear_message()
        self.view.show_screen("idle")
        self.staff.recheck()

    def left_alone(self) -> None:
        """Nobody at the counter: the attract screen, in the store's language again (a
        customer may have switched it for their own visit)."""
        self.go_idle()
        if self.counter.languages.current != self.counter.home_language:
            self.view.set_language(self.counter.home_language)

    def manager_closed(self) -> None:
        """Back to the member at once, their figures refreshed in place: a refresh that
        arrived later took the screen back from a manager who had opened it again."""
        if self.member is not None:
            self.view.show_screen("member")
            self.refresh_member(self.member.member.id, navigate=False)
        else:
            self.go_idle()

    # -- results ---------------------------------------------------------------------------
    def _still_here(self, member_id: uuid.UUID) -> bool:
        """Whether the member a step was for is still the one at the counter: a result
        that comes back after the counter went idle (or on to the next customer) is said,
        but brings nobody back and offers no receipt of theirs to the next one."""
        return self.member is not None and self.member.member.id == member_id

    def sale_done(self, result: CheckoutResult) -> None:
        self.view.say(lambda: news.sale_recorded(result.sale))
        (lines, total), payload, counter = self.view.basket(), self.card_payload, self.counter
        if self._still_here(result.member_id):
            self.offer_receipt(lambda: sale_receipt(counter, result, lines, total, payload))
        self.after_change(result.member_id)

    def sale_refused(self, exc: BaseException, checkout: Callable[[], Checkout]) -> None:
        """A sale above the limit waits for a manager; any other refusal is said."""
        self.staff.sale_refused(exc, checkout)

    def redeemed(self, result: RedemptionResult) -> None:
        counter = self.counter
        self.view.say(lambda: news.reward_redeemed(result, counter.name(result.reward.names)))
        tier = counter.name(self.member.progress.tier.names) if self.member else None
        payload = self.card_payload
        if self._still_here(result.entry.member_id):
            self.offer_receipt(lambda: redemption_receipt(counter, result, tier, payload))
        self.after_change(result.entry.member_id)

    def donated(self, result: DonationResult) -> None:
        """The member is thanked on the banner and may have it on paper too."""
        counter, payload = self.counter, self.card_payload
        self.view.say(lambda: news.points_donated(result, counter.name(result.cause.names)))
        if self._still_here(result.entry.member_id):
            self.offer_receipt(lambda: donation_receipt(counter, result, payload))
        self.after_change(result.entry.member_id)

    def transferred(self, result: TransferResult, receiver: str) -> None:
        """Said on the banner with the giver's new balance; the giver's screen refreshed."""
        self.view.say(lambda: news.points_given(result, receiver))
        self._forget_receipt()  # the last step's receipt is no longer this member's news
        self.after_change(result.given.member_id)

    def enrolled(self, result: EnrolmentResult) -> None:
        self.after_change(None)
        # A 300 dpi card takes a while to draw: on a worker, like everything slow.
        from devices.card_image import card_png  # qrcode and Pillow: not at start-up

        card, brand = result.card, self.counter.kiosk.device.store_name
        self.counter.tasks.run(lambda: card_png(card.payload, card.card_no, result.member.name,
                                                brand),
                               lambda png: self._show_card(result, png), self.view.show_error)

    def _show_card(self, result: EnrolmentResult, png: bytes) -> None:
        self.new_card = (result, png)
        self.view.show_card(result, png)
        self.member = None
        self.view.show_screen("card")

    def card_done(self) -> None:
        """The new member goes on to their member screen, their new card's payload kept
        for their receipts."""
        if self.new_card is not None:
            result, _ = self.new_card
            self.card_payload = result.card.payload
            self.refresh_member(result.member.id)

    def refunded(self, result: RefundResult) -> None:
        money = self.counter.money(result.money_back_minor)
        self.view.say(lambda: news.order_refunded(result, money))
        self._forget_receipt()  # a sale's receipt printed now would show its old figures
        self.after_change(None)

    def card_reissued(self, result: ReissueResult) -> None:
        """A lost card replaced: said, and the new card offered on the receipt printer."""
        self.view.say(lambda: news.card_reissued(result))
        counter = self.counter
        slip = EnrolmentResult(result.member, result.card, (), result.balance)
        self.offer_receipt(lambda: card_slip(counter, slip))
        self.after_change(None)

    def adjusted(self, result: AdjustmentResult) -> None:
        self.view.say(lambda: news.points_adjusted(result))
        self.after_change(None)

    def ledger_moved(self, address: str) -> None:
        self.view.say(lambda: news.ledger_moved(address))
        self.after_change(None)

    def pin_changed(self) -> None:
        self.view.say(news.pin_changed)

    def after_change(self, member_id: uuid.UUID | None) -> None:
        """A change is committed: let sync send it now, and show the member's new state."""
        if self.sync_soon is not None:
            self.sync_soon()
        if member_id is not None and self._still_here(member_id):
            self.refresh_member(member_id)

    # -- receipts and cards ----------------------------------------------------------------
    def offer_receipt(self, receipt: Callable[[], Receipt]) -> None:
        """A receipt for the step just done, printed if the cashier asks (with a printer)."""
        if self.counter.print_receipt is None:
            return
        self.receipt = receipt
        self.view.show_receipt_button(True)

    def _forget_receipt(self) -> None:
        self.receipt = None
        self.view.show_receipt_button(False)

    def print_receipt(self) -> None:
        printer, make = self.counter.print_receipt, self.receipt
        if printer is None or make is None:
            return
        self.print_page(make())  # in the language on screen now

    def print_page(self, receipt: Receipt, done: Words | None = None) -> None:
        """Print on a worker; say so (``done``, in the language on screen then) when it is
        done, or say what is wrong."""
        printer, view = self.counter.print_receipt, self.view
        if printer is None:
            view.show_error(PrinterUnavailable("No receipt printer is set up.",
                                               reason="not_set_up"))
            return
        said = done or news.receipt_printed
        self.counter.tasks.run(lambda: printer(receipt), lambda _: view.say(said),
                               view.show_error)

    def print_card(self) -> None:
        """The new member's card on the printer, or saved as the PNG on screen, for
        printing elsewhere, when the kiosk has no printer."""
        folder = self.counter.cards_dir
        if self.new_card is None:
            return
        result, png = self.new_card
        if self.counter.print_receipt is None and folder is not None:
            from devices.card_image import save_card_png  # Pillow: not at start-up

            path = folder / f"{result.card.card_no}.png"
            view = self.view
            self.counter.tasks.run(lambda: save_card_png(path, png),
                                   lambda _: view.say(lambda: news.card_saved(path)),
                                   view.show_error)
            return
        self.print_page(card_slip(self.counter, result), news.card_printed)
