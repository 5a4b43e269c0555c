"""Every counter flow, driven through the real widgets with taps and scans, against the
real store, the real embedded ledger and the real sync thread."""

from __future__ import annotations

import zxingcpp
from PIL import Image
from PySide6.QtWidgets import QPushButton
from sqlalchemy import text as sql

from devices.catalogue import load_catalogue
from devices.labels import price_text, render_label, save_label
from kiosk.app.ledger_link import ledger_client_for
from kiosk.app.qt import DEMO_PIN
from kiosk.cards import parse_card
from kiosk.services.manager import check_manager_pin, todays_figures
from sync.embedded import EmbeddedLedger
from sync.pairing import DEVICE_TOKEN
from sync.server.ledger import hash_token
from tests.helpers.cards import forge
from tests.helpers.ui import (
    WAIT,
    demo_scan_list,
    key_in,
    manager_unlock,
    message,
    on_screen,
    scan_member,
    stored_balance,
    tap,
)


def test_scan_shows_the_member_then_a_sale_awards_points_and_shows_the_new_balance(qtbot, app):
    w = app.window
    scan_member(qtbot, app, 0)
    before = w.member.balance
    assert w.member_screen.name.text() == "陳美玲"
    assert w.member_screen.balance.text() == f"{before} points"
    assert w.member_screen.tier.text() == "Silver"
    tap(qtbot, w.member_screen.sale)
    on_screen(qtbot, app, "sale")
    key_in(qtbot, w.sale.keypad, "1250")
    assert w.sale.total.text() == "Total NT$1,250"
    assert w.sale.preview.text() == "Earns 18 points"  # floor(1250 / 100 * 1.5)
    tap(qtbot, w.sale.confirm)
    assert "+18 points" in message(qtbot, app, "info")
    qtbot.waitUntil(lambda: w.member is not None and w.member.balance == before + 18,
                    timeout=WAIT)
    assert w.current == "member"
    assert w.member_screen.balance.text() == f"{before + 18} points"
    assert stored_balance(app) == before + 18
    assert "Purchase  +18" in w.member_screen.activity.item(0).text()
    # the sale leaves for the ledger at once
    qtbot.waitUntil(lambda: w.sync_status is not None and w.sync_status.online is True
                    and w.sync_status.pending_uploads == 0, timeout=WAIT)


def test_scanned_products_go_into_the_basket_beside_a_keyed_amount(qtbot, app, tmp_path):
    w = app.window
    catalogue = load_catalogue()  # the demo store's
    tea, milk_tea = catalogue.products[0], catalogue.products[1]
    codes = []  # what a scanner reads off the printed shelf labels
    for product, symbology in ((tea, "ean13"), (milk_tea, "code128")):
        path = tmp_path / f"{product.sku}.png"
        save_label(render_label(product, price_text(catalogue, product), symbology), path)
        codes += [b.text for b in zxingcpp.read_barcodes(Image.open(path))]
    assert codes == [tea.ean13, milk_tea.sku]
    scan_member(qtbot, app, 0)
    before = w.member.balance
    tap(qtbot, w.member_screen.sale)
    on_screen(qtbot, app, "sale")
    for code in (codes[0], codes[1], codes[0]):
        w.handle_scan(code, "serial")
    w.handle_scan("4006381333931", "serial")  # a real EAN-13, but not this store's
    assert message(qtbot, app, "error") == "No product has the code 4006381333931."
    assert [w.sale.basket_list.item(i).text() for i in range(w.sale.basket_list.count())] == [
        f"2 × {tea.name['en']}   {app.counter.money(2 * tea.price)}",  # noqa: RUF001
        f"1 × {milk_tea.name['en']}   {app.counter.money(milk_tea.price)}"]  # noqa: RUF001
    key_in(qtbot, w.sale.keypad, "300")
    total = 2 * tea.price + milk_tea.price + 300
    earned = total * 15 // 1000  # NT$ at silver: floor(total / 100 * 1.5)
    assert w.sale.total.text() == f"Total {app.counter.money(total)}"
    assert w.sale.preview.text() == f"Earns {earned} points"
    tap(qtbot, w.sale.confirm)
    assert f"+{earned} points" in message(qtbot, app, "info")
    qtbot.waitUntil(lambda: w.member is not None and w.member.balance == before + earned,
                    timeout=WAIT)
    assert stored_balance(app) == before + earned


def test_redeeming_online_is_authorised_by_the_ledger(qtbot, app):
    w = app.window
    scan_member(qtbot, app, 0)
    before = w.member.balance
    tap(qtbot, w.member_screen.redeem)
    on_screen(qtbot, app, "redeem")
    assert not w.redeem.reward_buttons["pct10-off"].isEnabled()  # 250 > balance
    tap(qtbot, w.redeem.reward_buttons["coffee"])
    assert w.redeem.question.text() == "Redeem Free americano for 60 points?"
    tap(qtbot, w.redeem.confirm)
    assert "authorised online" in message(qtbot, app, "info")
    qtbot.waitUntil(lambda: w.member.balance == before - 60, timeout=WAIT)
    assert stored_balance(app) == before - 60


def test_with_the_ledger_down_a_redemption_is_taken_under_the_offline_limits(qtbot, app):
    w = app.window
    app.running.embedded.stop()  # the network to the ledger is gone
    app.sync_worker.sync_soon()
    qtbot.waitUntil(lambda: w.sync_status is not None and w.sync_status.online is False,
                    timeout=WAIT)
    assert w.sync_badge.text().startswith("Offline")
    scan_member(qtbot, app, 0)
    before = w.member.balance
    tap(qtbot, w.member_screen.redeem)
    tap(qtbot, w.redeem.reward_buttons["coffee"])
    tap(qtbot, w.redeem.confirm)
    assert "taken offline" in message(qtbot, app, "info")
    qtbot.waitUntil(lambda: w.member.balance == before - 60, timeout=WAIT)
    assert stored_balance(app) == before - 60
    qtbot.waitUntil(lambda: w.sync_status.pending_uploads >= 1, timeout=WAIT)


def test_enrolling_a_member_shows_their_new_card_then_their_sign_up_bonus(qtbot, app):
    w = app.window
    tap(qtbot, w.idle.enrol)
    on_screen(qtbot, app, "enrol")
    assert not w.enrol.submit.isEnabled()
    w.enrol.name.setFocus()
    for key in ("A", "M", "Y"):  # the on-screen keyboard types into the focused field
        tap(qtbot, next(b for b in w.enrol.keyboard.findChildren(QPushButton)
                        if b.text() == key))
    assert w.enrol.name.text() == "Amy"
    qtbot.keyClicks(w.enrol.phone, "0911222333")
    w.enrol.consent.setChecked(True)
    tap(qtbot, w.enrol.submit)
    on_screen(qtbot, app, "card")
    assert w.card.title.text().startswith("Welcome, Amy! Card ")
    assert not w.card.image.pixmap().isNull()
    payload = w.card.result.card.payload
    assert parse_card(payload).member_id == w.card.result.member.id
    tap(qtbot, w.card.done)
    on_screen(qtbot, app, "member")
    assert w.member_screen.name.text() == "Amy"
    assert w.member_screen.balance.text() == "50 points"
    # and the new card works at the counter straight away
    w.handle_scan(payload)
    qtbot.waitUntil(lambda: w.member is not None and w.member.member.name == "Amy",
                    timeout=WAIT)


def test_enrolment_needs_consent_and_a_duplicate_phone_is_refused(qtbot, app):
    w = app.window
    tap(qtbot, w.idle.enrol)
    qtbot.keyClicks(w.enrol.name, "Copy Cat")
    qtbot.keyClicks(w.enrol.phone, "0912-345-678")  # 陳美玲's number
    assert not w.enrol.submit.isEnabled()
    w.enrol.consent.setChecked(True)
    tap(qtbot, w.enrol.submit)
    assert "already exists" in message(qtbot, app, "error")
    assert w.current == "enrol"


def test_a_mistyped_enrolment_is_explained_in_the_counters_language(qtbot, app):
    w = app.window
    w.set_language("zh-TW")
    tap(qtbot, w.idle.enrol)
    w.enrol.name.setText("林小美")  # QTest types ASCII only; a cashier would use an IME
    qtbot.keyClicks(w.enrol.phone, "0912")
    w.enrol.consent.setChecked(True)
    with app.counter.kiosk.store.read() as tx:
        before = len(tx.members.ids())
    tap(qtbot, w.enrol.submit)
    assert message(qtbot, app, "error") == "這不是有效的電話號碼：需要 6 至 15 位數字。"  # noqa: RUF001
    assert w.current == "enrol"
    w.set_language("zh-CN")  # the message still on screen follows the switch
    assert w.banner.text() == "这不是有效的电话号码：需要 6 至 15 位数字。"  # noqa: RUF001
    with app.counter.kiosk.store.read() as tx:
        assert len(tx.members.ids()) == before


def test_a_manager_refund_needs_the_pin_and_takes_the_points_back(qtbot, app):
    w = app.window
    scan_member(qtbot, app, 1)
    before = w.member.balance
    day = todays_figures(app.counter.kiosk)
    tap(qtbot, w.member_screen.sale)
    key_in(qtbot, w.sale.keypad, "900")
    order = w.sale.order_ref
    tap(qtbot, w.sale.confirm)
    qtbot.waitUntil(lambda: w.member.balance == before + 9, timeout=WAIT)

    manager_unlock(qtbot, app, "9999")
    assert message(qtbot, app, "error") == "Wrong PIN."
    assert not w.manager.unlocked
    key_in(qtbot, w.manager.pin_pad, DEMO_PIN)
    tap(qtbot, w.manager.unlock)
    qtbot.waitUntil(lambda: w.manager.unlocked, timeout=WAIT)
    qtbot.keyClicks(w.manager.order_ref, order)
    qtbot.keyClicks(w.manager.refund_reason, "returned")
    tap(qtbot, w.manager.refund_button)  # asks first (tests/ui/test_refund_list.py)
    qtbot.waitUntil(lambda: w.manager.refund_tab.confirm_button.isVisible(), timeout=WAIT)
    tap(qtbot, w.manager.refund_tab.confirm_button)
    assert f"Order {order} refunded: -9 points" in message(qtbot, app, "info")
    # today's figures: one more sale, and one refunded, so net takings and points are as
    # before
    expected = (f"Sales: {day.sales + 1:,} rung up, {day.refunds + 1} refunded; "
                f"net {app.counter.money(day.sales_minor)}")
    qtbot.waitUntil(lambda: expected in w.manager.today_tab.figures.text(), timeout=WAIT)
    assert f"Points issued: {day.points_issued:,}" in w.manager.today_tab.figures.text()
    assert w.manager.today_tab.figures.text().startswith("Today at this kiosk")
    assert f"(redemptions: {day.redemptions})" in w.manager.today_tab.figures.text()
    tap(qtbot, w.manager.close_button)
    qtbot.waitUntil(lambda: w.current == "member" and w.member.balance == before,
                    timeout=WAIT)
    assert stored_balance(app) == before


def test_the_manager_pin_is_changed_on_screen_typed_twice(qtbot, app):
    w = app.window
    manager_unlock(qtbot, app)
    qtbot.waitUntil(lambda: w.manager.unlocked, timeout=WAIT)
    w.manager.tabs.setCurrentWidget(w.manager.new_pin_tab)
    pad, next_step = w.manager.new_pin_tab.pin.pad, w.manager.new_pin_tab.submit

    def type_twice(first: str, second: str) -> None:
        key_in(qtbot, pad, first[:3])
        assert not next_step.isEnabled()  # fewer than four digits
        key_in(qtbot, pad, first[3:])
        assert w.manager.new_pin_tab.pin.dots.text() == "●" * len(first)  # never the digits
        tap(qtbot, next_step)
        assert w.manager.new_pin_tab.prompt.text() == "Type the new PIN again"
        key_in(qtbot, pad, second)
        tap(qtbot, next_step)

    type_twice("2468", "2469")
    assert "not the same" in message(qtbot, app, "error")
    check_manager_pin(app.counter.kiosk, DEMO_PIN, "Grace Ho")  # unchanged: still unlocks
    w.banner.clear_message()
    type_twice("24680", "24680")
    assert message(qtbot, app, "info") == "PIN changed. Use the new PIN from now on."
    tap(qtbot, w.manager.close_button)

    manager_unlock(qtbot, app, DEMO_PIN)
    assert message(qtbot, app, "error") == "Wrong PIN."
    assert not w.manager.unlocked
    key_in(qtbot, w.manager.pin_pad, "24680")
    tap(qtbot, w.manager.unlock)
    qtbot.waitUntil(lambda: w.manager.unlocked, timeout=WAIT)


def test_a_manager_adjustment_is_recorded_with_its_reason(qtbot, app):
    w = app.window
    scan_member(qtbot, app, 2)
    before = w.member.balance
    manager_unlock(qtbot, app)
    qtbot.waitUntil(lambda: w.manager.unlocked, timeout=WAIT)
    w.manager.tabs.setCurrentIndex(1)
    qtbot.keyClicks(w.manager.adjust_tab.points, "+25")
    tap(qtbot, w.manager.adjust_tab.record)
    assert message(qtbot, app, "error") == "Please give a reason for the adjustment."
    qtbot.keyClicks(w.manager.adjust_tab.reason, "goodwill: broken cup")
    tap(qtbot, w.manager.adjust_tab.record)
    assert "+25 points" in message(qtbot, app, "info")
    tap(qtbot, w.manager.close_button)
    qtbot.waitUntil(lambda: w.member.balance == before + 25, timeout=WAIT)
    latest = w.member.recent[0]
    assert latest.kind.value == "adjust" and latest.note.startswith("goodwill: broken cup")


def test_the_manager_moves_the_ledger_address_only_to_the_same_ledger(qtbot, app, tmp_path):
    w = app.window
    embedded = app.running.embedded
    manager_unlock(qtbot, app)
    qtbot.waitUntil(lambda: w.manager.unlocked, timeout=WAIT)
    w.manager.tabs.setCurrentIndex(3)
    field = w.manager.device_tab.ledger_address
    assert field.text() == embedded.url
    field.clear()
    field.setFocus()
    for key in "HTTP:/":  # the address keyboard types lower case and the marks URLs need
        tap(qtbot, next(b for b in w.manager.device_tab.address_keyboard.findChildren(QPushButton)
                        if b.text() == key))
    assert field.text() == "http:/"
    tap(qtbot, w.manager.device_tab.move_ledger_button)
    assert message(qtbot, app, "error") == (
        "A ledger address looks like https://ledger.example.com:8470.")
    w.banner.clear_message()

    def try_address(address: str, kind: str) -> str:
        field.clear()
        qtbot.keyClicks(field, address)
        tap(qtbot, w.manager.device_tab.move_ledger_button)
        text = message(qtbot, app, kind)
        w.banner.clear_message()
        return text

    assert try_address("http://127.0.0.1:1", "error") == (
        "The central ledger cannot be reached right now.")
    # another ledger: it doesn't know this kiosk, then it accepts its token (a copy of
    # the device table, say) but has its own root key
    other = EmbeddedLedger(tmp_path / "other", app.counter.kiosk.program,
                           port=embedded.port)  # taken, so it serves on another
    other.start()
    try:
        assert try_address(other.url, "error") == (
            "The ledger did not accept this kiosk's device token. Nothing was changed.")
        with app.counter.kiosk.store.read() as tx:
            token = tx.settings.get(DEVICE_TOKEN)
        device_id, _ = other.ledger.add_device(app.counter.kiosk.device.device_id)
        with other.ledger.engine.begin() as conn:
            conn.execute(sql("UPDATE devices SET token_hash = :h WHERE id = :d"),
                         {"h": hash_token(token), "d": device_id})
        assert try_address(other.url, "error") == (
            "That address is a different ledger from the one this kiosk is paired with. "
            "Nothing was changed.")
    finally:
        other.stop()
    assert ledger_client_for(app.counter.kiosk).base_url == embedded.url  # nothing saved
    # the same ledger under another name: saved, and sync goes on through it
    moved = f"http://localhost:{embedded.port}/"
    assert try_address(moved, "info") == f"Ledger address saved: {moved.rstrip('/')}"
    assert ledger_client_for(app.counter.kiosk).base_url == moved.rstrip("/")
    assert app.running.agent.client.base_url == moved.rstrip("/")
    tap(qtbot, w.manager.close_button)
    scan_member(qtbot, app, 0)
    tap(qtbot, w.member_screen.sale)
    key_in(qtbot, w.sale.keypad, "500")
    tap(qtbot, w.sale.confirm)
    message(qtbot, app, "info")
    qtbot.waitUntil(lambda: w.sync_status is not None and w.sync_status.online is True
                    and w.sync_status.pending_uploads == 0, timeout=WAIT)


def test_bad_cards_get_a_clear_message_and_change_nothing(qtbot, app):
    w = app.window
    real = next(text for title, text in demo_scan_list(app) if title == "陳美玲")
    cases = [
        (forge(real), "failed the security check"),
        ("HELLO-WORLD-123", "not a Counterpoint membership card"),
        (real[: len(real) // 2], "could not be read"),
        ("\x00\x1b[2J" + "Z" * 5000, "not a Counterpoint membership card"),
    ]
    for text, expected in cases:
        w.handle_scan(text)
        assert expected in message(qtbot, app, "error")
        assert w.current == "idle" and w.member is None
        w.banner.clear_message()
    with app.counter.kiosk.store.write() as tx:
        tx.trust.revoke_card(parse_card(real).card_no, app.counter.kiosk.clock())
    app.counter.kiosk.reload()
    w.handle_scan(real)
    assert "reported lost" in message(qtbot, app, "error")
    assert w.current == "idle"


def test_switching_language_retranslates_every_screen_at_once(qtbot, app):
    w = app.window
    tap(qtbot, w.language_buttons["zh-TW"])
    assert w.idle.prompt.text() == "請掃描您的會員卡"
    assert w.manager_button.text() == "店長"
    scan_member(qtbot, app, 0)
    assert w.member_screen.tier.text() == "銀卡"
    assert w.member_screen.sale.text() == "結帳集點"
    tap(qtbot, w.language_buttons["zh-CN"])
    assert w.member_screen.tier.text() == "银卡"
    assert w.member_screen.sale.text() == "结账积分"
    assert w.idle.prompt.text() == "请扫描您的会员卡"
    tap(qtbot, w.language_buttons["en"])
    assert w.member_screen.sale.text() == "Ring up a sale"
    assert w.idle.prompt.text() == "Please scan your membership card"


def test_the_counter_returns_to_the_attract_screen_when_left_alone(qtbot, app):
    w = app.window
    w.idle_timer.setInterval(300)
    scan_member(qtbot, app, 0)
    tap(qtbot, w.member_screen.sale)
    on_screen(qtbot, app, "sale")
    on_screen(qtbot, app, "idle")
    assert w.member is None
    assert not w.banner.isVisible()


def test_the_sync_badge_shows_the_detail_and_online_shop_activity_reaches_the_counter(
        qtbot, app):
    from sync.client import LedgerClient

    w = app.window
    qtbot.waitUntil(lambda: w.sync_status is not None and w.sync_status.online is True,
                    timeout=WAIT)
    tap(qtbot, w.sync_badge)
    detail = message(qtbot, app, "info")
    assert detail.startswith("Online · 0 waiting") and "Last successful sync: 20" in detail
    scan_member(qtbot, app, 2)
    member, before = w.member.member.id, w.member.balance
    ledger = app.running.embedded
    _, token = ledger.ledger.add_device("web", "shop")
    shop = LedgerClient(ledger.url, token)
    points = shop.order(member, 48_000, "WEB-1001").points
    shop.close()
    app.sync_worker.sync_soon()
    qtbot.waitUntil(lambda: stored_balance(app) == before + points, timeout=WAIT)
    tap(qtbot, w.member_screen.finish)
    scan_member(qtbot, app, 2)
    assert w.member.balance == before + points
    assert f"Purchase  +{points}  · online shop" in w.member_screen.activity.item(0).text()
