"""What a receipt says, as plain data, and its layout as rows; no printer bytes here.

The UI fills a ``Receipt`` with text it has already formatted (amounts with their
currency, reward names in the member's language); ``layout`` turns it into ``Row``s that
``devices.printer`` writes as ESC/POS, so the wording and order of a receipt can be tested
and read without a printer.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

LANGUAGES = ("en", "zh-TW", "zh-CN")

CAPTIONS: dict[str, dict[str, str]] = {
    "en": {"order": "Order", "amount": "Purchase", "total": "Total", "points": "Points this visit",
           "balance": "Points balance", "tier": "Tier", "rewards": "Rewards within reach",
           "card": "Your member card", "thanks": "Thank you!", "earned": "Purchase",
           "birthday": "Birthday bonus", "first_purchase": "First purchase bonus",
           "available": "Available now", "pending": "Pending until {date}",
           "expiring": "Expiring on {date}", "stamps": "{card}: {held} of {size} stamps",
           "coupon": "Coupon for next time: {name}, until {date}",
           "coupon_from": "Coupon for next time: {name}, from {start} until {date}",
           "subtotal": "Subtotal", "to_pay": "To pay", "points_used": "Points used",
           "with_points": "Paid with {n} points", "gift": "{n} points",
           "gift_thanks": "Thank you for giving {n} points to {cause}!",
           "order_code": "Returns: show this code"},
    "zh-TW": {"order": "訂單", "amount": "消費", "total": "合計", "points": "本次點數",
              "balance": "點數餘額", "tier": "會員等級", "rewards": "可兌換的獎勵",
              "card": "您的會員卡", "earned": "消費點數", "birthday": "生日禮點數",
              "first_purchase": "首購禮點數", "available": "目前可用",
              "pending": "{date} 起可用", "expiring": "{date} 到期",
              "stamps": "{card}：已集 {held}/{size} 個印章",  # noqa: RUF001
              "coupon": "下次可用優惠券：{name}（至 {date}）",  # noqa: RUF001
              "coupon_from": "下次可用優惠券：{name}（{start} 起至 {date}）",  # noqa: RUF001
              "subtotal": "小計", "to_pay": "應付金額", "points_used": "使用點數",
              "with_points": "點數折抵 {n} 點", "gift": "{n} 點",
              "gift_thanks": "感謝您捐出 {n} 點給{cause}！",  # noqa: RUF001
              "order_code": "退換貨請出示此碼",
              "thanks": "謝謝惠顧！"},  # noqa: RUF001 (Chinese punctuation)
    "zh-CN": {"order": "订单", "amount": "消费", "total": "合计", "points": "本次积分",
              "balance": "积分余额", "tier": "会员等级", "rewards": "可兑换的奖励",
              "card": "您的会员卡", "earned": "消费积分", "birthday": "生日礼积分",
              "first_purchase": "首购礼积分", "available": "目前可用",
              "pending": "{date} 起可用", "expiring": "{date} 到期",
              "stamps": "{card}：已集 {held}/{size} 个印章",  # noqa: RUF001
              "coupon": "下次可用优惠券：{name}（至 {date}）",  # noqa: RUF001
              "coupon_from": "下次可用优惠券：{name}（{start} 起至 {date}）",  # noqa: RUF001
              "subtotal": "小计", "to_pay": "应付金额", "points_used": "使用积分",
              "with_points": "积分抵扣 {n} 分", "gift": "{n} 积分",
              "gift_thanks": "感谢您捐出 {n} 积分给{cause}！",  # noqa: RUF001
              "order_code": "退换货请出示此码",
              "thanks": "谢谢惠顾！"},  # noqa: RUF001 (Chinese punctuation)
}


@dataclass(frozen=True)
class Receipt:
    """One receipt. Amounts are text the UI formatted ("NT$1,250"); the total line is
    printed only when there is a total (a card slip has none), the loyalty part only for a
    member (``balance`` given), and the QR only with a card payload."""

    store: str
    lines: tuple[tuple[str, str], ...]  # (label, amount text), e.g. ("Oolong tea x2", "NT$130")
    total: str = ""
    discounts: tuple[tuple[str, str], ...] = ()  # what loyalty paid: (label, "-NT$100")
    to_pay: str = ""  # the total less the discounts, when there are any
    points_used: int | None = None  # points this visit spent (a reward's cost, as money)
    points_earned: int | None = None  # signed: a redemption prints "-120"
    points_lines: tuple[tuple[str, int], ...] = ()  # where they came from, when more than one
    available: int | None = None  # with pending days or expiry in the program
    pending: tuple[tuple[str, int], ...] = ()  # (date text, points) not yet spendable
    expiring: tuple[tuple[str, int], ...] = ()  # (last usable day, points) soon to expire
    stamps: tuple[tuple[str, int, int], ...] = ()  # (punch card, stamps held, card size)
    coupons: tuple[tuple[str, str, str, str], ...] = ()
    # (coupon name, first day or "", last day, QR text) issued this visit, each printed
    # with its QR to scan next time; the first day only when it starts later (a voucher
    # for next quarter), or the member would come back tomorrow and be refused
    balance: int | None = None
    tier: str | None = None
    rewards: tuple[str, ...] = ()  # "Free drink (120 points)", already in the language
    card_payload: str | None = None  # the member card's QR text, printed as a QR
    donated: tuple[str, int] | None = None  # (cause, points given): thanked by name at the end
    language: str = "en"
    order_ref: str | None = None
    when: str | None = None  # "2026-11-23 14:05", formatted by the caller
    order_code: str | None = None  # the order's QR text: a refund starts from a scan of it

    def __post_init__(self) -> None:
        if self.language not in LANGUAGES:
            raise ValueError(f"receipt language must be one of {', '.join(LANGUAGES)}")
        # Accept lists from callers; keep the dataclass immutable.
        object.__setattr__(self, "lines", tuple((str(a), str(b)) for a, b in self.lines))
        object.__setattr__(self, "rewards", tuple(self.rewards))
        object.__setattr__(self, "points_lines", tuple(self.points_lines))
        object.__setattr__(self, "pending", tuple(self.pending))
        object.__setattr__(self, "expiring", tuple(self.expiring))
        object.__setattr__(self, "stamps", tuple(self.stamps))
        object.__setattr__(self, "coupons", tuple(self.coupons))
        object.__setattr__(self, "discounts", tuple(self.discounts))


RowStyle = Literal["title", "pair", "bold_pair", "center", "rule", "qr", "blank"]


@dataclass(frozen=True)
class Row:
    style: RowStyle
    left: str = ""
    right: str = ""


def layout(receipt: Receipt) -> list[Row]:
    words = CAPTIONS[receipt.language]
    rows = [Row("title", receipt.store)]
    if receipt.order_ref or receipt.when:
        order = f"{words['order']} {receipt.order_ref}" if receipt.order_ref else ""
        rows.append(Row("pair", order, receipt.when or ""))
    rows.append(Row("rule"))
    rows += [Row("pair", label, amount) for label, amount in receipt.lines]
    if receipt.total and receipt.discounts:
        rows += [Row("rule"), Row("pair", words["subtotal"], receipt.total)]
        rows += [Row("pair", label, amount) for label, amount in receipt.discounts]
        rows += [Row("bold_pair", words["to_pay"], receipt.to_pay)]
    elif receipt.total:
        rows += [Row("rule"), Row("bold_pair", words["total"], receipt.total)]
    if receipt.balance is not None:
        rows.append(Row("blank"))
        if receipt.points_used:
            rows.append(Row("pair", words["points_used"], f"{-receipt.points_used:+,}"))
        if receipt.points_earned is not None:
            rows.append(Row("pair", words["points"], f"{receipt.points_earned:+,}"))
            if len(receipt.points_lines) > 1:
                rows += [Row("pair", f"  {what}", f"{n:+,}") for what, n in receipt.points_lines]
        rows.append(Row("pair", words["balance"], f"{receipt.balance:,}"))
        if receipt.available is not None and (receipt.pending or receipt.expiring):
            rows.append(Row("pair", f"  {words['available']}", f"{receipt.available:,}"))
        rows += [Row("pair", "  " + words["pending"].format(date=day), f"{n:,}")
                 for day, n in receipt.pending]
        rows += [Row("pair", "  " + words["expiring"].format(date=day), f"{n:,}")
                 for day, n in receipt.expiring]
        rows += [Row("pair", words["stamps"].format(card=card, held=held, size=size))
                 for card, held, size in receipt.stamps]
        for name, start, day, payload in receipt.coupons:
            said = (words["coupon_from"].format(name=name, start=start, date=day) if start
                    else words["coupon"].format(name=name, date=day))
            rows += [Row("pair", said), Row("qr", payload)]
        if receipt.tier:
            rows.append(Row("pair", words["tier"], receipt.tier))
        if receipt.rewards:
            rows.append(Row("pair", words["rewards"]))
            rows += [Row("pair", f"- {reward}") for reward in receipt.rewards]
    if receipt.card_payload:
        rows += [Row("blank"), Row("center", words["card"]), Row("qr", receipt.card_payload)]
    if receipt.order_code:
        rows += [Row("blank"), Row("center", words["order_code"]),
                 Row("qr", receipt.order_code)]
    thanks = words["thanks"] if receipt.donated is None else words["gift_thanks"].format(
        cause=receipt.donated[0], n=f"{receipt.donated[1]:,}")
    rows += [Row("blank"), Row("center", thanks)]
    return rows


def display_width(text: str) -> int:
    """Columns on a receipt printer: Chinese characters (and full-width forms) take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


# A wide character is a token of its own; other text breaks after spaces.
_TOKENS = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]|[^\s\u2e80-\u9fff"
                     r"\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]+\s*|\s+")


def wrap(text: str, width: float, measure: Callable[[str], float]) -> list[str]:
    """Greedy line breaking by ``measure`` (columns or pixels): at spaces for Latin
    text, between any two Chinese characters, and inside a word too long for a line."""
    lines: list[str] = []
    line = ""
    for token in _TOKENS.findall(text):
        if measure((line + token).rstrip()) <= width:
            line += token
            continue
        if line.strip():
            lines.append(line.rstrip())
        line = token.lstrip()
        while measure(line.rstrip()) > width:  # a word longer than a line
            cut = max(1, max(i for i in range(len(line) + 1) if measure(line[:i]) <= width))
            lines.append(line[:cut])
            line = line[cut:]
    if line.strip() or not lines:
        lines.append(line.rstrip())
    return lines


def pair_lines(left: str, right: str, width: float, measure: Callable[[str], float],
               gap: float) -> list[tuple[str, str]]:
    """``left`` wrapped to ``width``, with ``right`` at the end of its last line, or on a
    line of its own when it doesn't fit there."""
    lines = wrap(left, width, measure) if left else [""]
    if right and lines[-1] and measure(lines[-1]) + gap + measure(right) > width:
        lines.append("")
    pairs = [(line, "") for line in lines]
    pairs[-1] = (lines[-1], right)
    return pairs


def sample_receipt(language: str = "en", card_payload: str | None = None) -> Receipt:
    """A test page for the settings screen: every kind of row, in ``language``."""
    items: dict[str, Sequence[tuple[str, str]]] = {
        "en": [("Oolong tea x2", "NT$130"), ("Pineapple cake", "NT$45")],
        "zh-TW": [("烏龍茶 x2", "NT$130"), ("鳳梨酥", "NT$45")],
        "zh-CN": [("乌龙茶 x2", "NT$130"), ("凤梨酥", "NT$45")],
    }
    reward = {"en": "Free drink (120 points)", "zh-TW": "免費飲品（120 點）",  # noqa: RUF001 (Chinese punctuation)
              "zh-CN": "免费饮品（120 积分）"}  # noqa: RUF001 (Chinese punctuation)
    return Receipt(store="Counterpoint", lines=tuple(items[language]), total="NT$175",
                   points_earned=1, balance=101, tier={"en": "Silver", "zh-TW": "銀卡",
                                                       "zh-CN": "银卡"}[language],
                   rewards=(reward[language],), card_payload=card_payload, language=language,
                   order_ref="TEST", when="")
