"""What the counter's flow asks of the screen it runs on: the small port between
``CounterSession`` (widget-free, ui/session.py) and ``CounterWindow`` (the widgets).

The window implements it; the session's tests use a fake that records what it was asked.
Every method only shows something or puts a screen in its starting state: the decisions
(what a scan means, where to go next, what to say) are the session's.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, Protocol

from kiosk.members import Member
from kiosk.services import EnrolmentResult, MemberView
from kiosk.staff import StaffMember
from ui.context import Product

Words = Callable[[], str]
"""A sentence made in the counter's language when called (again after a switch)."""
Check = Callable[[StaffMember, str], Any]
"""Runs on a worker with the person chosen and the PIN typed; raises a refusal if wrong."""


class CounterView(Protocol):
    @property
    def current(self) -> str:
        """The name of the screen on show ("idle", "member", "sale", "staff", ...)."""
        ...

    def show_screen(self, name: str) -> None: ...

    def show_member(self, view: MemberView) -> None:
        """Put ``view``'s figures on the member screen (whether it is on show or not)."""
        ...

    def say(self, words: Words, kind: str = "info") -> None:
        """News (``kind`` "info") or a problem ("error") on the banner."""
        ...

    def show_error(self, exc: BaseException) -> None: ...

    def clear_message(self) -> None: ...

    def show_receipt_button(self, shown: bool) -> None: ...

    def prepare_sale(self, member: MemberView) -> None:
        """A new sale for ``member`` on the sale screen: an empty basket, a new order."""
        ...

    def prepare_redemption(self, member: MemberView) -> None: ...

    def prepare_donation(self, member: MemberView) -> None:
        """The causes for ``member`` to give points to, none chosen yet."""
        ...

    def prepare_transfer(self, member: MemberView) -> None:
        """``member`` to give points to another, nobody chosen to receive them yet."""
        ...

    def set_receiver(self, member: Member, masked_phone: str) -> None:
        """The member who receives the points on the transfer screen (a card scanned)."""
        ...

    def prepare_enrolment(self) -> None:
        """An empty enrolment form."""
        ...

    def refund_scanned(self, text: str) -> None:
        """A receipt's order QR scanned on the unlocked manager screen: its Refund tab
        picks that order."""
        ...

    def add_product(self, product: Product) -> None:
        """One more of ``product`` in the sale screen's basket."""
        ...

    def apply_coupon(self, coupon_id: uuid.UUID) -> None:
        """A coupon (its QR scanned) to pay for the sale on screen."""
        ...

    def basket(self) -> tuple[list[tuple[str, str]], int]:
        """The sale on screen as its receipt lists it, (label, amount text) lines, and its
        total in minor units."""
        ...

    def set_referrer(self, member_id: uuid.UUID, name: str) -> None: ...

    def show_card(self, result: EnrolmentResult, png: bytes) -> None:
        """The new member's card, drawn (``png``), on the card screen."""
        ...

    def set_language(self, code: str) -> None: ...

    def ask_staff(self, check: Check, *, managers_only: bool, chosen: StaffMember | None,
                  title: Words, prompt: Words, submit: Words) -> None:
        """Put the people on the staff screen to choose from and run ``check`` with the
        one chosen and their PIN; the screen's outcome comes back to ``StaffSteps``."""
        ...

    def show_cashier(self, text: str) -> None:
        """Who is at the counter, on the cashier button."""
        ...
