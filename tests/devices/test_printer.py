"""Receipts as a printer reads them: the ESC/POS bytes are parsed back into text lines,
raster images, the QR code's payload and the cut, for both paper widths; then the same
bytes through a real file, pseudo-terminal and TCP socket, and clear errors when the
printer can't be reached."""

from __future__ import annotations

import os
import select
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import qrcode
import qrcode.constants

from devices.printer import PAPER, PrinterUnavailable, print_receipt, render_receipt
from devices.receipt import Receipt, display_width
from devices.settings import PrinterSettings
from tests.devices.escpos_reader import QR, Line, read

PAYLOAD = ("CP1.06BJ4XKQ3C0E9A1Y7V2NHTSM8G.100000000017.K7QX2M."
           "A3F9K2LQ7ZP0XW5RT8MN4BV6CY1DJ3HG9SE2UK7QF5LA0TR8WX4NZ6PM1YB3VC9DK2JH7GS5EU0QA4LF8RT"
           "6XW1NZ3MP9")

RECEIPT = Receipt(
    store="Counterpoint Taipei", lines=(("Oolong tea x2", "NT$130"), ("Pineapple cake", "NT$45")),
    total="NT$175", points_earned=1, balance=1234, tier="Silver",
    rewards=("Free drink (120 points)",), card_payload=PAYLOAD, language="en",
    order_ref="T-1001", when="2026-11-23 14:05")


def row(left: str, right: str, columns: int) -> str:
    return left + " " * (columns - display_width(left) - display_width(right)) + right


def test_an_english_receipt_prints_as_text_with_the_member_qr_and_a_cut():
    out = read(render_receipt(RECEIPT, paper_mm=80))
    body = [line.text for line in out.lines if line.text]
    assert body == [
        "Counterpoint Taipei",
        row("Order T-1001", "2026-11-23 14:05", 48),
        "-" * 48,
        row("Oolong tea x2", "NT$130", 48),
        row("Pineapple cake", "NT$45", 48),
        "-" * 48,
        row("Total", "NT$175", 48),
        row("Points this visit", "+1", 48),
        row("Points balance", "1,234", 48),
        row("Tier", "Silver", 48),
        "Rewards within reach",
        "- Free drink (120 points)",
        "Your member card",
        "Thank you!",
    ]
    title, total = out.lines[0], next(line for line in out.lines if line.text.startswith("Total"))
    assert (title.align, title.bold, title.size) == (1, True, 0x30)  # centred, bold, double
    assert total.bold and not out.lines[-1].bold
    assert out.images == []
    assert out.qr_codes == [QR(PAYLOAD.encode(), model=2, module=6, ec=49)]  # model 2, EC M
    items = out.items
    qr_at = next(i for i, item in enumerate(items) if isinstance(item, QR))
    assert items[qr_at - 1] == Line("Your member card", align=1)
    assert items[-1] == "cut"


@pytest.mark.parametrize("paper_mm", [58, 80])
def test_every_line_and_the_qr_fit_the_paper(paper_mm):
    long_item = ("Alishan high-mountain oolong tea, spring harvest, 150 g tin", "NT$1,480")
    receipt = Receipt(**{**RECEIPT.__dict__, "lines": (long_item, *RECEIPT.lines)})
    out = read(render_receipt(receipt, paper_mm=paper_mm))
    paper = PAPER[paper_mm]
    widths = [display_width(line.text) * (2 if line.size & 0x20 else 1) for line in out.lines]
    assert max(widths) <= paper.columns
    # The long item wraps at a space and keeps its amount at the end of its last line.
    item_lines = [t for t in out.text if "Alishan" in t or "NT$1,480" in t or "150 g" in t]
    assert item_lines[0].startswith("Alishan high-mountain")
    assert item_lines[-1].endswith("NT$1,480")
    # The printer draws the QR itself: it must fit the paper with its quiet zone.
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M)
    qr.add_data(PAYLOAD.encode())
    qr.make(fit=True)
    assert (qr.modules_count + 8) * out.qr_codes[0].module <= paper.dots


@pytest.mark.parametrize("paper_mm", [58, 80])
def test_chinese_lines_print_as_raster_images_the_width_of_the_paper(paper_mm):
    receipt = Receipt(**{**RECEIPT.__dict__, "language": "zh-TW", "store": "好茶 信義店",
                         "lines": (("珍珠奶茶 x2", "NT$150"), ("Oolong tea", "NT$65"))})
    out = read(render_receipt(receipt, paper_mm=paper_mm))
    dots = PAPER[paper_mm].dots
    assert out.images and all(image.width == dots for image in out.images)
    # ASCII stays text (rules, the English item); nothing garbled reaches the printer.
    assert "-" * PAPER[paper_mm].columns in out.text
    assert row("Oolong tea", "NT$65", PAPER[paper_mm].columns) in out.text
    assert all(line.text.isascii() for line in out.lines)
    # Each row with Chinese became one image: title, order, item, total, points, balance,
    # tier, rewards heading, card caption, thanks (the reward itself is English here).
    assert len(out.images) == 10
    for image in out.images:
        assert image.getbbox() is not None  # ink on it
    # The item row: label at the left edge, amount at the right edge.
    item = out.images[2].convert("L")
    ink = [x for x in range(dots) if any(item.getpixel((x, y)) == 0 for y in range(item.height))]
    assert ink[0] < 8 and ink[-1] > dots - 8
    assert out.qr_codes[0].payload == PAYLOAD.encode()


def test_a_printer_with_big5_firmware_gets_chinese_as_text_in_big5():
    receipt = Receipt(**{**RECEIPT.__dict__, "language": "zh-TW",
                         "lines": (("珍珠奶茶 x2", "NT$150"),)})
    out = read(render_receipt(receipt, paper_mm=80, cjk="big5"), chinese_encoding="big5")
    assert out.images == []
    assert row("珍珠奶茶 x2", "NT$150", 48) in out.text
    assert row("合計", "NT$175", 48) in out.text
    assert "謝謝惠顧！" in out.text  # noqa: RUF001 (Chinese punctuation)


def test_text_big5_cannot_hold_falls_back_to_raster():
    receipt = Receipt(**{**RECEIPT.__dict__, "language": "zh-CN"})  # simplified characters
    out = read(render_receipt(receipt, paper_mm=58, cjk="big5"), chinese_encoding="big5")
    # order, total, points, balance, tier, rewards heading, card caption, thanks
    assert len(out.images) == 8
    assert all(line.text.isascii() for line in out.lines)


def test_gb18030_firmware_gets_simplified_chinese_as_text():
    receipt = Receipt(**{**RECEIPT.__dict__, "language": "zh-CN"})
    out = read(render_receipt(receipt, paper_mm=58, cjk="gb18030"))
    assert out.images == []
    assert row("积分余额", "1,234", 32) in out.text


# --- real outputs ----------------------------------------------------------------------

def test_a_file_printer_gets_exactly_the_rendered_bytes(tmp_path: Path):
    target = tmp_path / "lp0"
    print_receipt(RECEIPT, PrinterSettings(kind="file", target=str(target), paper_mm=58))
    assert target.read_bytes() == render_receipt(RECEIPT, paper_mm=58)


def read_until_cut(fd: int) -> bytes:
    data = b""
    while not data.endswith(b"\x1dV\x00"):
        ready, _, _ = select.select([fd], [], [], 5)
        assert ready, f"printer output stopped after {len(data)} bytes"
        data += os.read(fd, 65536)
    return data


def test_a_serial_printer_on_a_pseudo_terminal_prints_the_receipt():
    master, slave = os.openpty()  # the slave stays open: a port that is there
    path = os.ttyname(slave)
    try:
        receipt = Receipt(**{**RECEIPT.__dict__, "language": "zh-TW"})  # ~20 kB of raster
        settings = PrinterSettings(kind="serial", target=path, baudrate=115200)
        with ThreadPoolExecutor(1) as pool:
            job = pool.submit(print_receipt, receipt, settings)
            data = read_until_cut(master)
            job.result(timeout=10)
        assert data == render_receipt(receipt)
        assert read(data).qr_codes[0].payload == PAYLOAD.encode()
    finally:
        os.close(master)
        os.close(slave)


def test_a_network_printer_on_port_9100_style_socket_prints_the_receipt():
    server = socket.create_server(("127.0.0.1", 0))
    received = bytearray()

    def serve() -> None:
        conn, _ = server.accept()
        with conn:
            while chunk := conn.recv(65536):
                received.extend(chunk)

    thread = threading.Thread(target=serve)
    thread.start()
    try:
        port = server.getsockname()[1]
        print_receipt(RECEIPT, PrinterSettings(kind="network", target=f"127.0.0.1:{port}"))
        thread.join(timeout=10)
    finally:
        server.close()
    assert read(bytes(received)).text == read(render_receipt(RECEIPT)).text
    assert bytes(received) == render_receipt(RECEIPT)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.parametrize(("settings", "where"), [
    (PrinterSettings(kind="network", target=f"127.0.0.1:{free_port()}", timeout_s=2),
     "on the network"),
    (PrinterSettings(kind="serial", target="/dev/nonexistent-printer"), "on the serial port"),
    (PrinterSettings(kind="file", target="/nonexistent-dir/lp0"), "on the printer file"),
])
def test_a_printer_that_cannot_be_reached_is_a_clear_error_for_the_cashier(settings, where):
    with pytest.raises(PrinterUnavailable) as err:
        print_receipt(RECEIPT, settings)
    assert where in err.value.message
    assert "switched on" in err.value.message
    assert err.value.detail  # the driver's own words, for the log


def test_a_usb_printer_that_is_not_there_is_a_clear_error():
    with pytest.raises(PrinterUnavailable) as err:
        print_receipt(RECEIPT, PrinterSettings(kind="usb", target="04b8:0e28"))
    # Either the printer is not plugged in, or this machine has no libusb at all.
    assert ("on USB (04b8:0e28) is not answering" in err.value.message
            or "libusb library is missing" in err.value.message)


def test_no_printer_set_up_says_so():
    with pytest.raises(PrinterUnavailable, match="No receipt printer is set up"):
        print_receipt(RECEIPT, PrinterSettings())


def test_a_serial_printer_that_stops_taking_data_fails_within_its_timeout():
    """Paper out or flow control held: the sale must not hang on the receipt."""
    master, slave = os.openpty()  # nobody reads the master: the port fills up
    try:
        receipt = Receipt(**{**RECEIPT.__dict__, "language": "zh-TW"})
        settings = PrinterSettings(kind="serial", target=os.ttyname(slave), timeout_s=0.3)
        began = time.monotonic()
        with pytest.raises(PrinterUnavailable, match="not answering"):
            print_receipt(receipt, settings)
        assert time.monotonic() - began < 3
    finally:
        os.close(master)
        os.close(slave)


def test_a_slow_printer_that_keeps_taking_data_is_not_cut_off():
    """A timeout means the printer stopped, not that the receipt is long: ~44 kB of
    Chinese raster, taken 4 kB every 20 ms, takes longer than the 0.1 s timeout."""
    master, slave = os.openpty()  # a pseudo-terminal buffers ~20 kB; the rest must wait
    try:
        items = tuple((f"珍珠奶茶 第 {i} 杯", "NT$75") for i in range(12))
        receipt = Receipt(**{**RECEIPT.__dict__, "language": "zh-TW", "lines": items})
        expected = render_receipt(receipt)
        settings = PrinterSettings(kind="serial", target=os.ttyname(slave), timeout_s=0.1)
        with ThreadPoolExecutor(1) as pool:
            job = pool.submit(print_receipt, receipt, settings)
            data = b""
            began = time.monotonic()
            while not data.endswith(b"\x1dV\x00"):
                ready, _, _ = select.select([master], [], [], 2)
                if not ready:
                    job.result(timeout=0)  # raises what stopped the printing
                    pytest.fail(f"printing stopped after {len(data)} bytes")
                data += os.read(master, 4096)
                time.sleep(0.02)  # the printer's pace
            took = time.monotonic() - began
            job.result(timeout=10)
        assert len(expected) > 40_000 and took > 2 * settings.timeout_s
        assert data == expected
    finally:
        os.close(master)
        os.close(slave)
