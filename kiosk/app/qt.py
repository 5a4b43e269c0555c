"""``kiosk run``: the Qt application around a running counter (kiosk, embedded ledger in
demo mode, sync agent), assembled in one place and taken down in order on close."""

from __future__ import annotations

import gc
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QTimer
from PySide6.QtWidgets import QApplication

from devices import settings as device_settings
from devices.catalogue import Catalogue, CatalogueError, store_catalogue
from devices.receipt import Receipt, sample_receipt
from devices.serial_scanner import SerialScanner, SerialSettings
from devices.wedge import WedgeScanFilter
from kiosk.app.demo import seed_demo_staff
from kiosk.app.runtime import RunningCounter as Running
from kiosk.app.runtime import counter_session
from kiosk.engine.doc import Names
from kiosk.services.manager import store_language
from ui.context import Product, ScreenContext
from ui.devices_page import DevicesPage
from ui.i18n import LANGUAGES, Languages, load_cjk_font
from ui.stop_signals import quit_on_stop_signals
from ui.sync_worker import SyncWorker
from ui.tasks import Tasks
from ui.theme import STYLE
from ui.window import DEFAULT_IDLE_MS, CounterWindow

if TYPE_CHECKING:
    from devices.camera import CameraScanner

log = logging.getLogger(__name__)

DEMO_PIN = "1234"  # the demo manager's (kiosk/app/demo.py DEMO_STAFF)
SYNC_START_DELAY_MS = 300


def demo_scans(running: Running) -> list[tuple[str, str]]:
    """Buttons that play a scanner in demo mode: each demo member's card, a forged copy of
    one, and something that is not a card at all (the app adds two products' barcodes
    from the catalogue it loads). Titles in English: the window translates them."""
    kiosk = running.kiosk
    with kiosk.store.read() as tx:
        members = {m.id: m for m in tx.members.by_ids(tx.members.ids())}
        cards = tx.cards.of_members(list(members))
    scans = [(members[c.member_id].name, c.payload) for c in cards]
    if cards:
        real = cards[0].payload
        forged = real[:-2] + ("AA" if not real.endswith("AA") else "BB")
        scans.append((str(QT_TRANSLATE_NOOP("DemoScans", "Forged card")), forged))
    scans.append((str(QT_TRANSLATE_NOOP("DemoScans", "Not a card")), "HELLO-WORLD-123"))
    return scans


def product_finder(catalogue: Catalogue | None) -> Callable[[str], Product | None]:
    """What the sale screen looks a scanned code up with (an EAN-13, UPC-A or shop code)."""
    if catalogue is None:
        return lambda _code: None
    products = {p.sku: Product(p.sku, Names.model_validate(
        {lang: p.name_in(lang) for lang in LANGUAGES}), p.price, p.category)
        for p in catalogue.products}

    def find(code: str) -> Product | None:
        found = catalogue.find(code)
        return None if found is None else products[found.sku]

    return find


def receipt_printer(settings: device_settings.PrinterSettings
                    ) -> Callable[[Receipt], None] | None:
    """What prints a receipt on the configured printer (blocking), or None without one."""
    if settings.kind == "none":
        return None

    def print_on_configured_printer(receipt: Receipt) -> None:
        from devices.printer import print_receipt  # python-escpos: only once printing

        print_receipt(receipt, settings)

    return print_on_configured_printer


class CounterApp:
    """The window, the task runner and the sync thread for one running counter."""

    def __init__(self, running: Running, app: QApplication, *, language: str | None = None,
                 idle_ms: int = DEFAULT_IDLE_MS,
                 simulated_scans: Sequence[tuple[str, str]] = ()) -> None:
        self.running, self.app = running, app
        load_cjk_font()
        app.setStyleSheet(STYLE)
        # The store's language unless told otherwise (kiosk language zh-TW).
        home = store_language(running.kiosk)
        self.languages = Languages(app, language or home)
        self.tasks = Tasks()
        self.counter = ScreenContext(running.kiosk, self.tasks, self.languages,
                               cards_dir=running.data_dir / "cards", home_language=home)
        program = running.kiosk.program
        catalogue_error = None
        try:
            catalogue = store_catalogue(running.data_dir, demo=running.embedded is not None,
                                        currency=program.currency,
                                        minor_units=program.minor_units)
        except CatalogueError as exc:
            catalogue, catalogue_error = None, str(exc)
        self.counter.find_product = product_finder(catalogue)
        if simulated_scans and catalogue is not None:  # demo mode: products to scan too
            simulated_scans = [*simulated_scans, *(
                (f"Product: {p.name_in('en')}", p.ean13) for p in catalogue.products[:2])]
        if running.agent is not None:
            self.counter.ledger_url = running.agent.client.base_url
            self.counter.move_ledger = running.move_ledger
        settings_error = None
        try:
            settings = device_settings.load(running.data_dir)
        except device_settings.SettingsError as exc:
            settings, settings_error = device_settings.DeviceSettings(), str(exc)
        self.devices_page = DevicesPage(settings, self.apply_device_settings,
                                        self.print_test_page)
        self.sync_worker: SyncWorker | None = None
        if running.agent is not None:
            self.sync_worker = SyncWorker(running.agent, interval=5.0)
        self.window = CounterWindow(
            self.counter, idle_ms=idle_ms, simulated_scans=simulated_scans,
            settings_page=self.devices_page,
            sync_soon=None if self.sync_worker is None else self.sync_worker.sync_soon)
        for error in (catalogue_error, settings_error):
            if error:
                self.window.show_error_text(error)
        self.wedge: WedgeScanFilter | None = None
        self.serial: SerialScanner | None = None
        self.camera: CameraScanner | None = None
        self._sync_start = QTimer(singleShot=True, interval=SYNC_START_DELAY_MS)
        if self.sync_worker is not None and running.agent is not None:
            self.sync_worker.status_changed.connect(self.window.show_sync_status)
            self.window.show_sync_status(running.agent.status)

    def apply_device_settings(self, settings: device_settings.DeviceSettings) -> None:
        """Save and (re)start the scanners as configured; the manager screen calls this."""
        device_settings.save(self.running.data_dir, settings)
        self._stop_scanners()
        self._start_scanners(settings)

    def print_test_page(self) -> None:
        """The manager's test page, in the counter's language, on the saved printer."""
        self.window.print_page(sample_receipt(self.languages.current))

    def _start_scanners(self, settings: device_settings.DeviceSettings) -> None:
        self.counter.print_receipt = receipt_printer(settings.printer)
        printer = settings.printer
        self.devices_page.show_state(
            "printer", f"{printer.kind} {printer.target}".strip())
        if settings.wedge.enabled:
            self.wedge = WedgeScanFilter(settings.wedge.max_gap_ms / 1000,
                                         settings.wedge.min_length)
            self.wedge.scanned.connect(self.window.on_scan)
            self.wedge.install(self.app)
        self.devices_page.show_state("wedge", "on" if settings.wedge.enabled else "off")
        serial = settings.serial_scanner
        if serial.enabled:
            self.serial = SerialScanner(SerialSettings(serial.port, serial.baudrate,
                                                       serial.suffix))
            self.serial.scanned.connect(self.window.on_scan)
            self.serial.state_changed.connect(self.devices_page.show_serial_state)
            self.serial.start()
        else:
            self.devices_page.show_state("serial", "off")
        self._start_camera(settings.camera)

    def _start_camera(self, settings: device_settings.CameraSettings) -> None:
        if not settings.enabled:
            self.devices_page.show_state("camera", "off")
            return
        from devices.camera import CameraScanner, camera_available

        ok, why = camera_available()
        if not ok:
            self.devices_page.show_state("camera", why)
            return
        self.camera = CameraScanner(device=settings.device)
        self.camera.scanned.connect(self.window.on_scan)
        self.camera.state_changed.connect(self.devices_page.show_camera_state)
        self.camera.start()

    def _stop_scanners(self) -> None:
        if self.camera is not None:
            self.camera.shutdown()
            self.camera = None
        if self.serial is not None:
            self.serial.shutdown()
            self.serial = None
        if self.wedge is not None:
            self.wedge.uninstall(self.app)
            self.wedge = None

    def start(self, *, fullscreen: bool = False) -> None:
        # Everything built so far (Qt wrappers, SQLAlchemy and pydantic classes) lives as
        # long as the app: move it out of the cyclic collector's reach, or each full
        # collection, run on whichever thread allocates, holds the GIL ~150 ms and the UI
        # thread stalls (measured by bench/ui.py stall).
        gc.freeze()
        self._start_scanners(self.devices_page.settings)
        if self.sync_worker is not None:
            # Once the counter is on screen: the first round (importing the HTTP client,
            # connecting, the outbox's first queries) would compete with the first paint.
            # (A plain callable, so it runs here: the worker's own slots run on its thread,
            # which isn't started yet.)
            self._sync_start.timeout.connect(lambda: self._start_sync())
            self._sync_start.start()
        if fullscreen:
            self.window.showFullScreen()
        else:
            self.window.show()

    def _start_sync(self) -> None:
        if self.sync_worker is not None:
            self.sync_worker.start()

    def shutdown(self) -> None:
        """Threads first (quit + wait), then the window: nothing may outlive the store."""
        self._sync_start.stop()
        self._stop_scanners()
        if self.sync_worker is not None:
            self.sync_worker.shutdown()
        self.tasks.wait_done()
        self.window.close()


def run_app(data_dir: Path, *, demo: bool, program_path: Path, fullscreen: bool = False,
            idle_ms: int = DEFAULT_IDLE_MS,
            on_started: Callable[[CounterApp], None] | None = None) -> int:
    """Run until the window closes. ``on_started`` sees the app once it is shown and before
    the event loop runs (the start-up benchmark hooks in there)."""
    with counter_session(data_dir, demo=demo, program_path=program_path,
                         background_sync=False) as running:
        if demo:  # a demo folder with no staff (from before staff had names) gets them
            seed_demo_staff(running.kiosk)
        app = QApplication.instance() or QApplication(sys.argv[:1])
        assert isinstance(app, QApplication)
        counter_app = CounterApp(running, app, idle_ms=idle_ms,
                                 simulated_scans=demo_scans(running) if demo else ())
        with quit_on_stop_signals(app):
            counter_app.start(fullscreen=fullscreen)
            if on_started is not None:
                on_started(counter_app)
            try:
                return app.exec()
            finally:
                counter_app.shutdown()
