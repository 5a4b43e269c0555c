"""The camera scanner without a camera: rendered member-card QR codes in camera-sized
frames, decoded by zxing-cpp on the decoder's thread; a card in view is one scan; frames
that arrive while the decoder is busy are dropped, not queued; and a machine without
camera support says why."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import pytest
from PIL import Image
from PySide6.QtCore import QCoreApplication, QThread
from PySide6.QtGui import QImage

from devices import camera
from devices.camera import CameraScanner, FrameDecoder, camera_available, decode_image
from devices.card_image import card_qr
from devices.scan import ScanEvent

WAIT = 5_000
PAYLOAD = ("CP1.06BJ4XKQ3C0E9A1Y7V2NHTSM8G.100000000017.K7QX2M."
           "A3F9K2LQ7ZP0XW5RT8MN4BV6CY1DJ3HG9SE2UK7QF5LA0TR8WX4NZ6PM1YB3VC9DK2JH7GS5EU0QA4LF8RT"
           "6XW1NZ3MP9")
# QtMultimedia, when it loads, tells about optional libraries it looked for and didn't find.
QT_MULTIMEDIA_CHATTER = pytest.mark.qt_log_ignore(r"Couldn't (load|resolve)", "No RHI backend",
                                                  "Using Qt multimedia")


def camera_frame(payload: str | None, size: tuple[int, int] = (640, 360)) -> Image.Image:
    """A grey, noisy frame with the card's QR code in it, held a little off-centre."""
    rng = random.Random(7)
    frame = Image.effect_noise(size, 12).point(lambda v: min(255, v + 40 + rng.randint(0, 3)))
    if payload:
        code = card_qr(payload).make_image().get_image().convert("L")
        side = min(size) * 2 // 3
        code = code.resize((side, side), Image.Resampling.NEAREST)
        frame.paste(code, (size[0] // 2 - side // 3, (size[1] - side) // 2))
    return frame


def to_qimage(image: Image.Image) -> QImage:
    w, h = image.size
    return QImage(image.tobytes(), w, h, w, QImage.Format.Format_Grayscale8).copy()


def ui_thread() -> QThread:
    app = QCoreApplication.instance()
    assert app is not None
    return app.thread()


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize("fmt", [QImage.Format.Format_Grayscale8, QImage.Format.Format_RGB32])
def test_a_card_in_a_camera_frame_decodes_to_exactly_its_payload(fmt):
    image = to_qimage(camera_frame(PAYLOAD)).convertToFormat(fmt)
    assert decode_image(image) == [PAYLOAD]


def test_a_frame_without_a_code_gives_nothing():
    assert decode_image(to_qimage(camera_frame(None))) == []


def test_a_card_held_in_view_is_one_scan_and_shown_again_later_is_another():
    clock = FakeClock()
    decoder = FrameDecoder(repeat_after=2.0, clock=clock)
    seen: list[ScanEvent] = []
    decoder.scanned.connect(seen.append)
    card, empty = to_qimage(camera_frame(PAYLOAD)), to_qimage(camera_frame(None))
    for _ in range(5):  # 5 s in view, one frame a second
        decoder.decode(card)
        clock.now += 1.0
    assert seen == [ScanEvent(PAYLOAD, "camera")]
    decoder.decode(empty)
    clock.now += 2.5  # taken away for 2.5 s, then shown again
    decoder.decode(card)
    assert len(seen) == 2 and decoder.frames == 7


@pytest.fixture
def scanner(qtbot) -> Iterator[CameraScanner]:
    s = CameraScanner()
    yield s
    s.shutdown()


@QT_MULTIMEDIA_CHATTER
def test_fed_frames_are_decoded_off_the_ui_thread_and_busy_frames_are_dropped(
        qtbot, scanner, monkeypatch):
    states: list[str] = []
    scanner.state_changed.connect(states.append)
    scanner.start()  # no camera on a test machine: it says so and still takes frames
    assert states and (states[0].startswith("unavailable: ") or states[0].startswith("on "))
    # The thread is recorded by the decode itself, before the decoder emits: the scan then
    # reaches the UI thread as a queued call, so the record is complete when waitSignal
    # returns. (A slot connected directly to decoder.scanned would run after that queued
    # post, on the decoder thread, while the test already reads its list: a race.)
    decoded_on: list[QThread] = []
    real_decode_frame = camera.decode_frame

    def recording_decode_frame(frame: object) -> list[str]:
        decoded_on.append(QThread.currentThread())
        return real_decode_frame(frame)

    monkeypatch.setattr(camera, "decode_frame", recording_decode_frame)
    frame = to_qimage(camera_frame(PAYLOAD))
    with qtbot.waitSignal(scanner.scanned, timeout=WAIT) as blocker:
        accepted = [scanner.feed(frame) for _ in range(30)]  # a second of 30 fps video
    assert accepted == [True] + [False] * 29
    assert blocker.args == [ScanEvent(PAYLOAD, "camera")]
    assert len(decoded_on) == 1  # the 29 busy frames were dropped, not queued
    assert decoded_on[0] != ui_thread() and decoded_on[0] is scanner.decoder.thread()
    qtbot.waitUntil(lambda: scanner.feed(frame), timeout=WAIT)  # ready for the next one
    qtbot.waitUntil(lambda: scanner.decoder.frames == 2, timeout=WAIT)
    assert len(decoded_on) == 2 and decoded_on[1] is scanner.decoder.thread()


def test_without_qtmultimedia_the_settings_screen_is_told_why(monkeypatch):
    def missing() -> None:
        raise ImportError("libpulse.so.0: cannot open shared object file")

    monkeypatch.setattr(camera, "_multimedia", missing)
    ok, why = camera_available()
    assert not ok
    assert why == ("camera support is not installed on this machine "
                   "(libpulse.so.0: cannot open shared object file)")
    assert camera.list_cameras() == []


def test_a_frame_is_not_decoded_before_the_scanner_starts(scanner):
    assert scanner.feed(to_qimage(camera_frame(PAYLOAD))) is False


# --- real video frames (needs QtMultimedia's libraries) --------------------------------

def multimedia_or_skip() -> Any:
    return pytest.importorskip("PySide6.QtMultimedia", exc_type=ImportError,
                               reason="QtMultimedia's libraries (libpulse...) are missing")


def yuv_frame(gray: Image.Image, fmt_name: str) -> object:
    mm = multimedia_or_skip()
    from PySide6.QtCore import QSize

    fmt = getattr(mm.QVideoFrameFormat.PixelFormat, fmt_name)
    w, h = gray.size
    luma = gray.tobytes()
    frame = mm.QVideoFrame(mm.QVideoFrameFormat(QSize(w, h), fmt))
    assert frame.map(mm.QVideoFrame.MapMode.WriteOnly)
    for plane in range(frame.planeCount()):
        bits = frame.bits(plane)
        stride = frame.bytesPerLine(plane)
        if plane > 0:  # chroma: neutral grey
            bits[:] = b"\x80" * len(bits)
            continue
        for y in range(h):
            row = luma[y * w:(y + 1) * w]
            if fmt_name == "Format_YUYV":
                row = bytes(b for px in row for b in (px, 0x80))
            elif fmt_name == "Format_UYVY":
                row = bytes(b for px in row for b in (0x80, px))
            bits[y * stride:y * stride + len(row)] = row
    frame.unmap()
    return frame


@QT_MULTIMEDIA_CHATTER
@pytest.mark.parametrize("fmt_name", ["Format_NV12", "Format_YUV420P", "Format_YUYV",
                                      "Format_UYVY", "Format_XRGB8888"])
def test_webcam_frames_decode_to_the_payload(qapp, fmt_name):
    gray = camera_frame(PAYLOAD, (320, 240))
    if fmt_name == "Format_XRGB8888":  # not YUV: goes through QVideoFrame.toImage()
        mm = multimedia_or_skip()
        frame = mm.QVideoFrame(to_qimage(gray).convertToFormat(QImage.Format.Format_RGB32))
    else:
        frame = yuv_frame(gray, fmt_name)
    assert camera.decode_frame(frame) == [PAYLOAD]


class FakeCameraFormat:
    """What ``preferred_format`` reads of a QCameraFormat (which Python can't build)."""

    def __init__(self, w: int, h: int, fmt_name: str, fps: float = 30.0) -> None:
        from PySide6.QtCore import QSize

        self._size, self._fps = QSize(w, h), fps
        self._fmt = getattr(multimedia_or_skip().QVideoFrameFormat.PixelFormat, fmt_name)

    def resolution(self) -> object:
        return self._size

    def pixelFormat(self) -> object:
        return self._fmt

    def maxFrameRate(self) -> float:
        return self._fps


@QT_MULTIMEDIA_CHATTER
def test_the_camera_is_set_to_720p_yuv_when_it_offers_it():
    offered = [FakeCameraFormat(1920, 1080, "Format_Jpeg"),
               FakeCameraFormat(1280, 720, "Format_Jpeg"),
               FakeCameraFormat(1280, 720, "Format_YUYV", 10),
               FakeCameraFormat(640, 480, "Format_YUYV"),
               FakeCameraFormat(1920, 1080, "Format_NV12")]
    assert camera.preferred_format(offered) is offered[2]
    big_only = [FakeCameraFormat(3840, 2160, "Format_NV12"),
                FakeCameraFormat(1920, 1080, "Format_NV12")]
    assert camera.preferred_format(big_only) is big_only[1]
    assert camera.preferred_format([]) is None
