"""A camera as a scanner: frames from QtMultimedia decoded with zxing-cpp on a worker
thread, for a counter without a 2D scanner (a webcam, a tablet's camera).

It is optional. QtMultimedia is imported only when a camera is asked for, so the app runs
on a machine without a camera or without the multimedia libraries (Qt's FFmpeg backend
needs libpulse and friends); ``camera_available()`` says which, in words for the settings
screen.

Frames arrive on the UI thread at the camera's rate (30/s). ``CameraScanner`` hands one to
the ``FrameDecoder`` thread only when it has finished the last (``idle``), so a slow
decode drops frames instead of queueing them: the latest picture is always the one
decoded. A 720p frame takes ~22 ms (``bench/camera_decode.py``). A card held in front of
the lens gives one scan, not thirty a second: a code is reported again only after it has
been out of sight for ``repeat_after`` seconds.

For YUV frames (what webcams send) the decoder reads the luma plane in place, with no
colour conversion; other frames go through ``QVideoFrame.toImage()``.

Wiring::

    ok, why = camera_available()          # (False, "no camera is connected") etc.
    camera = CameraScanner(device="default")
    camera.scanned.connect(window.on_scan)
    camera.state_changed.connect(page.show_camera_state)
    camera.start()                        # opens the camera; the decoder gets a thread
    ...
    camera.shutdown()
"""

from __future__ import annotations

import functools
import logging
import operator
import threading
import time
from collections.abc import Callable
from importlib.metadata import version
from typing import Any

import zxingcpp
from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot
from PySide6.QtGui import QImage

from devices import threads
from devices.scan import ScanEvent, clean_scan

log = logging.getLogger(__name__)



def _formats() -> object:
    """What a counter sees: member cards (QR) and products (EAN/UPC, Code 128). Fewer
    formats is a faster decode of frames that hold nothing."""
    wanted = [zxingcpp.BarcodeFormat.QRCode, zxingcpp.BarcodeFormat.EAN13,
              zxingcpp.BarcodeFormat.EAN8, zxingcpp.BarcodeFormat.UPCA,
              zxingcpp.BarcodeFormat.Code128]
    if int(version("zxing-cpp").split(".")[0]) >= 3:
        return wanted  # zxing-cpp 3 takes a list (and deprecates "|")
    return functools.reduce(operator.or_, wanted)  # zxing-cpp 2 takes flags


FORMATS = _formats()

REPEAT_AFTER = 2.0
DEFAULT = "default"


def _multimedia() -> Any:
    """QtMultimedia, imported on first use: it loads FFmpeg and audio libraries."""
    from PySide6 import QtMultimedia

    return QtMultimedia


def camera_available() -> tuple[bool, str]:
    """(True, the default camera's name) or (False, why not), for the settings screen.
    Needs a QGuiApplication."""
    try:
        mm = _multimedia()
    except ImportError as exc:
        return False, f"camera support is not installed on this machine ({exc})"
    inputs = mm.QMediaDevices.videoInputs()
    if not inputs:
        return False, "no camera is connected"
    return True, str(mm.QMediaDevices.defaultVideoInput().description())


def list_cameras() -> list[str]:
    """The cameras' names, as the settings' ``camera.device`` takes them."""
    try:
        mm = _multimedia()
    except ImportError:
        return []
    return [str(d.description()) for d in mm.QMediaDevices.videoInputs()]


def decode_image(image: object) -> list[str]:
    """Texts of the codes in a QImage, PIL image or zxing-cpp ImageView, usable scans
    only (see ``clean_scan``), in the order zxing-cpp finds them."""
    # FORMATS is a list (zxing-cpp 3) or flags (2), so typed loosely
    found = zxingcpp.read_barcodes(image, formats=FORMATS)  # type: ignore[arg-type]
    return [text for b in found if (text := clean_scan(b.text)) is not None]


def decode_frame(frame: Any) -> list[str]:
    """Codes in a QVideoFrame (or a QImage): YUV frames straight from their luma plane."""
    if isinstance(frame, QImage):
        return decode_image(frame)
    mm = _multimedia()
    pf = mm.QVideoFrameFormat.PixelFormat
    fmt = frame.pixelFormat()
    planar = fmt in (pf.Format_NV12, pf.Format_NV21, pf.Format_YUV420P, pf.Format_YV12,
                     pf.Format_YUV422P, pf.Format_IMC1, pf.Format_IMC2, pf.Format_IMC3,
                     pf.Format_IMC4, pf.Format_Y8)
    packed = {pf.Format_YUYV: 0, pf.Format_UYVY: 1}.get(fmt)
    if not planar and packed is None:
        return decode_image(frame.toImage())
    if not frame.map(mm.QVideoFrame.MapMode.ReadOnly):
        log.warning("a camera frame could not be read")
        return []
    try:
        width, height, stride = frame.width(), frame.height(), frame.bytesPerLine(0)
        bits = frame.bits(0)
        lum = zxingcpp.ImageFormat.Lum
        if planar:
            view = zxingcpp.ImageView(bits, width, height, lum, stride, 1)
        elif packed == 0:  # YUYV: Y in every other byte, read in place
            view = zxingcpp.ImageView(bits, width, height, lum, stride, 2)
        else:  # UYVY: Y in the odd bytes; copy them out (kept referenced: the view
            bits = bytes(bits)[1::2]  # doesn't own its buffer)
            view = zxingcpp.ImageView(bits, width, height, lum, stride // 2, 1)
        return decode_image(view)
    finally:
        frame.unmap()


def preferred_format(formats: list[Any]) -> Any | None:
    """Of a camera's QCameraFormats, the one to scan with: YUV (read in place, no
    conversion) over anything else, and the largest picture up to 1280 x 720, which reads
    a card's QR at arm's length while decoding in ~20 ms; larger only if nothing fits."""
    if not formats:
        return None
    pf = _multimedia().QVideoFrameFormat.PixelFormat
    yuv = {pf.Format_NV12, pf.Format_NV21, pf.Format_YUV420P, pf.Format_YV12,
           pf.Format_YUYV, pf.Format_UYVY, pf.Format_YUV422P}

    def rank(f: Any) -> tuple[bool, bool, int, float]:
        pixels = f.resolution().width() * f.resolution().height()
        fits = pixels <= 1280 * 720
        return (fits, f.pixelFormat() in yuv, pixels if fits else -pixels, f.maxFrameRate())

    return max(formats, key=rank)


class FrameDecoder(QObject):
    """Lives on a worker thread; ``decode`` takes a QVideoFrame or QImage and emits
    ``scanned`` for each new code. ``idle`` is set while it can take the next frame."""

    scanned = Signal(object)  # ScanEvent

    def __init__(self, repeat_after: float = REPEAT_AFTER,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self.repeat_after = repeat_after
        self.clock = clock
        self.frames = 0
        self.idle = threading.Event()
        self.idle.set()
        self._last_seen: dict[str, float] = {}

    @Slot(object)
    def decode(self, frame: object) -> None:
        try:
            texts = decode_frame(frame)
        finally:
            self.frames += 1
            self.idle.set()
        now = self.clock()
        for text in texts:
            last = self._last_seen.get(text)
            self._last_seen[text] = now
            if last is None or now - last > self.repeat_after:
                self.scanned.emit(ScanEvent(text, "camera"))
        self._last_seen = {t: s for t, s in self._last_seen.items()
                           if now - s <= self.repeat_after}


class CameraScanner(QObject):
    """The camera on the UI thread and its decoder on another. ``state_changed`` says
    "on <camera>", "unavailable: <why>" or "error: <what Qt said>"."""

    scanned = Signal(object)  # ScanEvent
    state_changed = Signal(str)

    def __init__(self, device: str = DEFAULT, repeat_after: float = REPEAT_AFTER,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.device = device
        self.state = "off"
        self.decoder = FrameDecoder(repeat_after)
        self.decoder.scanned.connect(self.scanned)
        self._thread: QThread | None = None
        self._camera: Any = None
        self._session: Any = None
        self._sink: Any = None

    def _report(self, state: str) -> None:
        self.state = state
        log.info("camera: %s", state)
        self.state_changed.emit(state)

    def start(self) -> None:
        """Start the decoder thread and open the camera (a visible, explicit step); if
        there is no camera, say so and stay ready for frames given to ``feed``."""
        if self._thread is None:
            self._thread = threads.start_worker(self.decoder, "camera-decoder")
        ok, why = camera_available()
        if not ok:
            self._report(f"unavailable: {why}")
            return
        mm = _multimedia()
        devices = mm.QMediaDevices.videoInputs()
        chosen = next((d for d in devices if d.description() == self.device),
                      mm.QMediaDevices.defaultVideoInput())
        self._camera = mm.QCamera(chosen)
        preferred = preferred_format(chosen.videoFormats())
        if preferred is not None:
            self._camera.setCameraFormat(preferred)
        self._camera.errorOccurred.connect(lambda _e, text: self._report(f"error: {text}"))
        self._session = mm.QMediaCaptureSession()
        self._sink = mm.QVideoSink()
        self._session.setCamera(self._camera)
        self._session.setVideoSink(self._sink)
        self._sink.videoFrameChanged.connect(self.feed)
        self._camera.start()
        self._report(f"on {chosen.description()}")

    @Slot(object)
    def feed(self, frame: object) -> bool:
        """Give the decoder a frame (QVideoFrame or QImage); False if it was dropped
        because the decoder is still on the previous one."""
        if self._thread is None or not self.decoder.idle.is_set():
            return False
        self.decoder.idle.clear()
        # A queued call on the decoder's thread. Not a signal: per-frame traffic stays
        # off PySide's emit path (6.12.0 drops a reference to True on every emit).
        QTimer.singleShot(0, self.decoder, functools.partial(self.decoder.decode, frame))
        return True

    def shutdown(self) -> None:
        if self._camera is not None:
            self._camera.stop()
            self._sink.videoFrameChanged.disconnect(self.feed)
            self._camera = self._session = self._sink = None
        if self._thread is not None and not threads.shutdown(self._thread):
            log.error("camera decoder thread did not stop")
        self._thread = None
        if self.state != "off":
            self._report("off")
