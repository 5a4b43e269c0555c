"""What the counter says when a step went through (the banner's news) or can't start (a
scan that means nothing here), in the counter's language.

Each function makes the sentence now, in the language on screen; the session hands them
to the window as callables, so a message is said again when the cashier switches language.
The words keep the translation context they had when the window said them itself
("CounterWindow"), so the translations in ``assets/i18n`` still find them.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication

from kiosk.services import RedemptionResult, RefundResult, SaleResult
from kiosk.services.donations import DonationResult
from kiosk.services.lost_cards import ReissueResult
from kiosk.services.manager import AdjustmentResult
from kiosk.services.transfers import TransferResult


def no_such_product(code: str) -> str:
    shown = "".join(ch for ch in code[:32] if ch.isprintable())
    return QCoreApplication.translate(
        "CounterWindow", "No product has the code {code}.").format(code=shown)


def refund_at_the_manager_screen() -> str:
    return QCoreApplication.translate(
        "CounterWindow", "That is a receipt's order code: to refund the order, open the "
                         "manager screen and scan it there.")


def finish_this_step_first() -> str:
    return QCoreApplication.translate(
        "CounterWindow", "Finish or cancel this step before scanning another card.")


def sale_recorded(result: SaleResult) -> str:
    if result.duplicate:
        return QCoreApplication.translate(
            "CounterWindow", "This sale was already recorded; nothing was added. "
                             "Balance: {balance}").format(balance=result.balance)
    return QCoreApplication.translate(
        "CounterWindow", "+{points} points for order {order}. New balance: "
                         "{balance}").format(points=result.points, order=result.order_ref,
                                             balance=result.balance)


def reward_redeemed(result: RedemptionResult, reward: str) -> str:
    """``reward``: the reward's name in the counter's language now."""
    how = (QCoreApplication.translate("CounterWindow", "authorised online")
           if result.authorised == "online"
           else QCoreApplication.translate("CounterWindow",
                                           "taken offline under the store's limits"))
    return QCoreApplication.translate(
        "CounterWindow", "{reward} redeemed ({how}). New balance: {balance}").format(
            reward=reward, how=how, balance=result.balance)


def points_donated(result: DonationResult, cause: str) -> str:
    """The member's thanks, said where they can read it: ``cause`` in the counter's
    language now."""
    return QCoreApplication.translate(
        "CounterWindow", "Thank you! {points} points given to {cause}. Balance: "
                         "{balance}").format(points=-result.entry.points, cause=cause,
                                             balance=result.balance)


def points_given(result: TransferResult, receiver: str) -> str:
    """A transfer done: ``receiver`` as the transfer screen named them, the giver's new
    balance."""
    return QCoreApplication.translate(
        "CounterWindow", "{points} points given to {name}. Balance: {balance}").format(
        points=result.points, name=receiver, balance=result.giver_balance)


def order_refunded(result: RefundResult, money_back: str) -> str:
    """``money_back``: what to hand the member, in the counter's money format."""
    if result.whole:
        said = QCoreApplication.translate(
            "CounterWindow", "Order {order} refunded: {points} points. Balance: "
                             "{balance}").format(order=result.order_ref, points=result.points,
                                                 balance=result.balance)
    else:
        said = QCoreApplication.translate(
            "CounterWindow", "Part of order {order} refunded: {points} points. Balance: "
                             "{balance}").format(order=result.order_ref, points=result.points,
                                                 balance=result.balance)
    if result.money_back_minor:
        said += " " + QCoreApplication.translate(
            "CounterWindow", "Give back {money}.").format(money=money_back)
    return said


def points_adjusted(result: AdjustmentResult) -> str:
    return QCoreApplication.translate(
        "CounterWindow", "Adjustment recorded: {points:+d} points. Balance: "
                         "{balance}").format(points=result.entry.points, balance=result.balance)


def ledger_moved(address: str) -> str:
    return QCoreApplication.translate(
        "CounterWindow", "Ledger address saved: {address}").format(address=address)


def pin_changed() -> str:
    return QCoreApplication.translate("CounterWindow",
                                      "PIN changed. Use the new PIN from now on.")


def receipt_printed() -> str:
    return QCoreApplication.translate("CounterWindow", "Receipt printed.")


def card_printed() -> str:
    return QCoreApplication.translate("CounterWindow", "Card printed.")


def card_saved(path: Path) -> str:
    return QCoreApplication.translate(
        "CounterWindow", "No printer is set up: the card was saved as {path}.").format(path=path)


def not_a_coupon() -> str:
    return QCoreApplication.translate(
        "CounterWindow", "That coupon code could not be read completely. Please scan it again.")


def card_reissued(result: ReissueResult) -> str:
    return QCoreApplication.translate(
        "CounterWindow", "New card {card} for {name}: the old card no longer works. Print "
                         "the new card from the receipt button.").format(
        card=result.card.card_no, name=result.member.name)
