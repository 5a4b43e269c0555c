"""The real app on a real (offscreen) Qt event loop: a demo kiosk in a temporary folder with
its embedded ledger on loopback, the real store, the real sync thread."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from devices import settings as device_settings
from devices.settings import DeviceSettings, PrinterSettings, WedgeSettings
from kiosk.app.qt import CounterApp, demo_scans
from kiosk.app.runtime import counter_session
from kiosk.services.staff import sign_in, staff_named
from tests.helpers.program import CHECKOUT, PLAIN_PROGRAM, program_text

pytestmark = pytest.mark.gui


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Seed a demo kiosk once; each test copies it (seeding renders cards and is slow)."""
    folder = tmp_path_factory.mktemp("demo-template") / "kiosk"
    with counter_session(folder, demo=True, program_path=PLAIN_PROGRAM,
                         background_sync=False):
        pass
    return folder


@pytest.fixture
def devices() -> DeviceSettings:
    """No hardware scanners: the flow tests type into fields with synthetic key events at
    machine speed, which a keyboard-wedge filter would rightly take for a scanner."""
    return DeviceSettings(wedge=WedgeSettings(enabled=False))


@pytest.fixture
def cashier() -> bool:
    """A cashier (Mei Lin) is signed in when the app starts; override to start with none."""
    return True


@pytest.fixture
def app(qtbot, qapp, demo_template: Path, tmp_path: Path,
        devices: DeviceSettings, cashier: bool) -> Iterator[CounterApp]:
    folder = tmp_path / "kiosk"
    shutil.copytree(demo_template, folder)
    device_settings.save(folder, devices)
    with counter_session(folder, demo=True, program_path=PLAIN_PROGRAM,
                         background_sync=False) as running:
        if cashier:  # most tests are about a flow, not about who signs in
            mei = staff_named(running.kiosk, "Mei Lin")
            sign_in(running.kiosk, mei.id, "1111")
        counter_app = CounterApp(running, qapp, idle_ms=60_000,
                                 simulated_scans=demo_scans(running))
        qtbot.addWidget(counter_app.window)
        counter_app.start()
        yield counter_app
        counter_app.shutdown()
        counter_app.languages.switch("en")
        qapp.setStyleSheet("")  # the app's style is app-wide: leave other tests Qt's own


def program_template(tmp_path_factory: pytest.TempPathFactory, name: str,
                     text: str) -> tuple[Path, Path]:
    """A demo counter's folder set up once under the program ``text`` (and the document)."""
    folder = tmp_path_factory.mktemp(name) / "kiosk"
    document = folder.parent / f"{name}.toml"
    document.write_text(text, encoding="utf-8")
    with counter_session(folder, demo=True, program_path=document, background_sync=False):
        pass
    return folder, document


def program_app(qtbot, qapp, template: tuple[Path, Path],
                tmp_path: Path) -> Iterator[CounterApp]:
    """A fixture's body: the counter app on a copy of ``template``, Mei Lin signed in and a
    (file) printer set up, so receipts are offered."""
    folder = tmp_path / "kiosk"
    shutil.copytree(template[0], folder)
    device_settings.save(folder, DeviceSettings(
        wedge=WedgeSettings(enabled=False),
        printer=PrinterSettings(kind="file", target=str(tmp_path / "paper.bin"))))
    with counter_session(folder, demo=True, program_path=template[1],
                         background_sync=False) as running:
        sign_in(running.kiosk, staff_named(running.kiosk, "Mei Lin").id, "1111")
        app = CounterApp(running, qapp, idle_ms=60_000, simulated_scans=demo_scans(running))
        qtbot.addWidget(app.window)
        app.start()
        yield app
        app.shutdown()
        app.languages.switch("en")
        qapp.setStyleSheet("")


# The checkout's counter (issue 15): the plain program with points as money and a coupon.
@pytest.fixture(scope="module")
def checkout_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return program_template(tmp_path_factory, "checkout",
                            program_text(CHECKOUT, version="2026.2-checkout"))


@pytest.fixture
def checkout_app(qtbot, qapp, checkout_template: tuple[Path, Path],
                 tmp_path: Path) -> Iterator[CounterApp]:
    yield from program_app(qtbot, qapp, checkout_template, tmp_path)


# Transfers at the counter (issue 15, a family pool): the checkout's program with
# ``[transfers]`` (10 to 100 points at a time), its embedded ledger on loopback.
TRANSFERS = "\n[transfers]\nmin_points = 10\nmax_points = 100\n"


@pytest.fixture(scope="module")
def transfer_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return program_template(tmp_path_factory, "transfers",
                            program_text(CHECKOUT + TRANSFERS, version="2026.2-transfers"))


@pytest.fixture
def transfer_app(qtbot, qapp, transfer_template: tuple[Path, Path],
                 tmp_path: Path) -> Iterator[CounterApp]:
    yield from program_app(qtbot, qapp, transfer_template, tmp_path)
