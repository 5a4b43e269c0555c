"""The member as the cashier and the member see them: who, tier, balance, what is within
reach, and recent activity from every channel (other stores and the online shop too)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QListWidget,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from kiosk.awards import DERIVED_CHANNEL
from kiosk.engine.coupons import last_day
from kiosk.engine.orders import card_wallet
from kiosk.ledger import Entry, EntryKind
from kiosk.presenters import short_phone
from kiosk.services import MemberView
from ui.context import ScreenContext
from ui.widgets import Screen, button, label


class MemberScreen(Screen):
    sale_requested = Signal()
    redeem_requested = Signal()
    donate_requested = Signal()
    transfer_requested = Signal()
    done = Signal()

    def __init__(self, counter: ScreenContext) -> None:
        super().__init__()
        self.counter = counter
        self.view: MemberView | None = None
        layout = QVBoxLayout(self)
        head = QHBoxLayout()
        self.name = label("", "title")
        self.tier = label("", "tier")
        head.addWidget(self.name)
        head.addWidget(self.tier)
        head.addStretch()
        self.phone = label("", "subtle")
        head.addWidget(self.phone)
        layout.addLayout(head)
        self.balance = label("", "huge")
        layout.addWidget(self.balance)
        self.points_detail = label("", "subtle", wrap=True)  # available, pending, expiring
        self.offers = label("", "offer", wrap=True)  # the promotions on today
        self.stamps = label("", "offer", wrap=True)  # each punch card, as stamps
        layout.addWidget(self.points_detail)
        layout.addWidget(self.offers)
        layout.addWidget(self.stamps)
        self.coupons = label("", "offer", wrap=True)  # the member's coupons, with their dates
        layout.addWidget(self.coupons)
        self.tier_hold = label("", "subtle", wrap=True)  # until when the tier holds (retain)
        layout.addWidget(self.tier_hold)
        self.progress_text = label("", wrap=True)
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.progress.setMinimumHeight(18)
        layout.addWidget(self.progress_text)
        layout.addWidget(self.progress)
        lists = QHBoxLayout()
        left, right = QVBoxLayout(), QVBoxLayout()
        self.rewards_title, self.activity_title = label(""), label("")
        self.rewards, self.activity = QListWidget(), QListWidget()
        for w in (self.rewards, self.activity):  # to read: a tap on a row does nothing,
            w.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # so it mustn't light up as if it had
            w.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        left.addWidget(self.rewards_title)
        left.addWidget(self.rewards)
        right.addWidget(self.activity_title)
        right.addWidget(self.activity)
        lists.addLayout(left, 1)
        lists.addLayout(right, 1)
        layout.addLayout(lists, 1)
        actions, self.giving = QHBoxLayout(), QWidget()
        giving = QHBoxLayout(self.giving)  # a row of its own: five buttons overflow 800 px
        giving.setContentsMargins(0, 0, 0, 0)
        self.sale = button(role="primary", clicked=self.sale_requested.emit)
        self.redeem = button(role="primary", clicked=self.redeem_requested.emit)
        self.donate = button(role="primary", clicked=self.donate_requested.emit)
        self.give = button(role="primary", clicked=self.transfer_requested.emit)
        self.finish = button(clicked=self.done.emit)
        for b in (self.donate, self.give):
            giving.addWidget(b)
        for b in (self.sale, self.redeem, self.finish):
            actions.addWidget(b)
        layout.addWidget(self.giving)
        layout.addLayout(actions)
        self._offer_giving()
        self.retranslate()

    def _offer_giving(self) -> None:
        """Donating and transfers each only when the program has them (a new program may
        have turned them on or off)."""
        program = self.counter.kiosk.program
        self.donate.setVisible(bool(program.causes))
        self.give.setVisible(program.transfers is not None)
        self.giving.setVisible(bool(program.causes) or program.transfers is not None)

    def show_member(self, view: MemberView) -> None:
        self.view = view
        self._offer_giving()
        self.retranslate()

    def retranslate(self) -> None:
        self.sale.setText(self.tr("Ring up a sale"))
        self.redeem.setText(self.tr("Redeem a reward"))
        self.donate.setText(self.tr("Donate points"))
        self.give.setText(self.tr("Give points"))
        self.finish.setText(self.tr("Done"))
        self.rewards_title.setText(self.tr("Rewards within reach"))
        self.activity_title.setText(self.tr("Recent activity"))
        view = self.view
        if view is None:
            return
        c = self.counter
        p = view.progress
        if view.member.profile_pending:  # known here only by another store's card
            self.name.setText(self.tr("Member from another store"))
            self.phone.setText(self.tr("Details arrive with sync"))
        else:
            self.name.setText(view.member.name)
            self.phone.setText(short_phone(view.masked_phone))
        self.tier.setText(c.name(p.tier.names))
        # Each tier its own colour, by its rank in the program (ids are the program's).
        rank = str(min(c.kiosk.program.tiers.index(p.tier), 3))
        if self.tier.property("rank") != rank:
            self.tier.setProperty("rank", rank)
            self.tier.style().unpolish(self.tier)
            self.tier.style().polish(self.tier)
        self.balance.setText(self.tr("{n} points").format(n=view.balance))
        self.points_detail.setText(self.points_text(view))
        self.points_detail.setVisible(bool(self.points_detail.text()))
        self.offers.setText(self.tr("Today: {offers}").format(offers=" · ".join(
            c.name(promo.names) for promo in view.promotions)) if view.promotions else "")
        self.offers.setVisible(bool(view.promotions))
        self.stamps.setText(self.stamps_text(view))
        self.stamps.setVisible(bool(view.stamps))
        self.coupons.setText(self.coupons_text(view))
        self.coupons.setVisible(bool(view.coupons))
        self.tier_hold.setText(self.hold_text(view))
        self.tier_hold.setVisible(bool(self.tier_hold.text()))
        if p.next_tier is None:
            self.progress_text.setText(self.tr("Top tier: thank you!"))
            self.progress.setRange(0, 1)
            self.progress.setValue(1)
        elif p.basis == "points":
            self.progress_text.setText(self.tr("Earn {points} more points to reach {tier}")
                                       .format(points=p.remaining_minor,
                                               tier=c.name(p.next_tier.names)))
        else:
            self.progress_text.setText(self.tr("Spend {amount} more to reach {tier}").format(
                amount=c.money(p.remaining_minor), tier=c.name(p.next_tier.names)))
        if p.next_tier is not None:
            goal = p.spend_minor + p.remaining_minor
            self.progress.setRange(0, max(goal, 1))
            self.progress.setValue(max(p.spend_minor, 0))
        self.rewards.clear()
        for offer in view.rewards:
            if offer.affordable:
                self.rewards.addItem(self.tr("✓ {reward}: {cost} points").format(
                    reward=c.name(offer.reward.names), cost=offer.reward.cost))
            else:
                self.rewards.addItem(self.tr("{reward}: {short} more points").format(
                    reward=c.name(offer.reward.names), short=offer.points_short))
        if not view.rewards:
            self.rewards.addItem(self.tr("No rewards in the catalogue"))
        self.activity.clear()
        for entry in view.recent:
            self.activity.addItem(self.describe(entry))

    def hold_text(self, view: MemberView) -> str:
        """Until when the tier holds and what keeps it, under a tier policy that keeps
        tiers ("Gold until 2027-12-31; spend NT$4,000 more this year to keep it")."""
        p, c = view.progress, self.counter
        if p.holds_until is None:
            return ""
        tier, day = c.name(p.tier.names), p.holds_until.isoformat()
        if not p.keep_needed:
            return self.tr("{tier} until {date}").format(tier=tier, date=day)
        year = c.kiosk.program.tier_rule.period == "calendar_year"
        if p.basis == "points":
            text = (self.tr("{tier} until {date}; earn {n} more points this year to keep it")
                    if year else
                    self.tr("{tier} until {date}; earn {n} more points to keep it"))
            return text.format(tier=tier, date=day, n=p.keep_needed)
        text = (self.tr("{tier} until {date}; spend {n} more this year to keep it")
                if year else self.tr("{tier} until {date}; spend {n} more to keep it"))
        return text.format(tier=tier, date=day, n=c.money(p.keep_needed))

    def stamps_text(self, view: MemberView) -> str:
        """Each punch card as its stamps: "Coffee card ●●●○○○○○○ 3 of 9"."""
        parts = []
        for card, held in view.stamps:
            shown = min(max(held, 0), card.size)
            parts.append(self.tr("{card} {stamps} {held} of {size}").format(
                card=self.counter.name(card.names),
                stamps="●" * shown + "○" * (card.size - shown), held=held, size=card.size))
        return " · ".join(parts)

    def coupons_text(self, view: MemberView) -> str:
        """The member's coupons: "Coupons: A free coffee (until 2027-01-30)"; one not
        valid yet (next quarter's) says from when."""
        program, now = self.counter.kiosk.program, self.counter.kiosk.clock()
        rules = {r.id: r for r in program.coupons}
        parts = []
        for c in view.coupons:
            name = self.counter.name(rules[c.rule].names) if c.rule in rules else c.rule
            if c.valid_from > now:
                day = c.valid_from.astimezone(program.zone).date().isoformat()
                parts.append(self.tr("{coupon} (from {date})").format(coupon=name, date=day))
            else:
                day = last_day(c.expires_at, program.zone).isoformat()
                parts.append(self.tr("{coupon} (until {date})").format(coupon=name, date=day))
        return self.tr("Coupons: {coupons}").format(coupons=" · ".join(parts)) if parts else ""

    def points_text(self, view: MemberView) -> str:
        """Available, pending and expiring points, when the program has any of them."""
        points = view.points
        if points is None:
            return ""
        parts = [self.tr("{n} available now").format(n=points.available)]
        for day, n in points.pending[:2]:
            parts.append(self.tr("{n} pending until {date}").format(n=n, date=day.isoformat()))
        for day, n in points.expiring[:2]:
            parts.append(self.tr("{n} expire on {date}").format(n=n, date=day.isoformat()))
        return " · ".join(parts)

    def describe(self, e: Entry) -> str:
        kinds = {EntryKind.EARN: self.tr("Purchase"), EntryKind.BONUS: self.tr("Bonus"),
                 EntryKind.REDEEM: self.tr("Reward"), EntryKind.ADJUST: self.tr("Adjustment"),
                 EntryKind.REVERSE: self.tr("Refund"), EntryKind.EXPIRE: self.tr("Expired"),
                 EntryKind.DONATE: self.tr("Donation"),
                 # which side of a transfer this member was on, not just "Transfer"
                 EntryKind.TRANSFER: (self.tr("Points received") if e.points > 0
                                      else self.tr("Points given"))}
        if e.channel == "web":
            where = self.tr("online shop")
        elif e.channel == DERIVED_CHANNEL:
            where = self.tr("the program")
        elif e.channel == self.counter.kiosk.channel:
            where = self.tr("this store")
        else:
            where = e.channel
        when = e.occurred_at.astimezone(self.counter.kiosk.program.zone).strftime("%m-%d %H:%M")
        if e.kind is EntryKind.STAMP:  # a punch card's stamps, not points
            card = next((c for c in self.counter.kiosk.program.punch_cards
                         if card_wallet(c.id) == e.note), None)
            name = self.counter.name(card.names) if card else (e.note or "")
            stamps = self.tr("{card}  {n} stamps").format(card=name, n=f"{e.points:+d}")
            return f"{when}  {stamps}  · {where}"
        what = kinds[e.kind]
        reward = self.counter.kiosk.program.reward(e.reward_id) if e.reward_id else None
        if reward is not None and e.kind is EntryKind.REDEEM:  # which reward, not just "Reward"
            what = f"{what}: {self.counter.name(reward.names)}"
        elif e.kind is EntryKind.BONUS:
            what = self.bonus_name(e.note) or what
        return f"{when}  {what}  {e.points:+d}  · {where}"

    def bonus_name(self, note: str | None) -> str | None:
        """Which bonus: the promotion's own name, or the once-only bonus's."""
        rule = (note or "").partition(":")[0]
        if rule == "promo":
            promo = next((p for p in self.counter.kiosk.program.promotions
                          if p.rule == note), None)
            return None if promo is None else self.counter.name(promo.names)
        return {"birthday": self.tr("Birthday bonus"),
                "first_purchase": self.tr("First purchase bonus"),
                "referral": self.tr("Referral bonus"),
                "signup": self.tr("Welcome bonus")}.get(rule)
