"""A ledger process serving the checkout's program (points as money, a 10%-off coupon for
next time), and what the checkout's ledger tests ask of it, named once."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from kiosk.services import SaleLine
from sync.authoriser import LedgerAuthoriser
from tests.helpers.ledger_process import LedgerProcess, PairedKiosk
from tests.helpers.program import CHECKOUT, program_text
from tests.helpers.program_ledger import ledger_on_program, shared_ledger_on_program

VERSION = "2026.2-checkout"
KEYED = SaleLine("AMOUNT", 1, 1000)


def checkout_ledger(request: pytest.FixtureRequest, tmp_path: Path
                    ) -> Iterator[LedgerProcess]:
    """A fixture's body (``params=BOTH_DATABASES``)."""
    yield from ledger_on_program(request, tmp_path, program_text(CHECKOUT, version=VERSION))


def shared_checkout_ledger(request: pytest.FixtureRequest,
                           tmp_path_factory: pytest.TempPathFactory
                           ) -> Iterator[LedgerProcess]:
    """A module-scoped fixture's body (``params=BOTH_DATABASES``): one such ledger for the
    module's tests, each with devices and members of its own (a report a test reads is
    asked for its own devices: :func:`rejections`)."""
    yield from shared_ledger_on_program(request, tmp_path_factory,
                                        program_text(CHECKOUT, version=VERSION))


def rejections(ledger: LedgerProcess, *devices: str) -> list[dict[str, object]]:
    """The ledger's rejections report (``GET /v1/reports/rejections?device=``) for each of
    ``devices``, in turn: what the test's own devices had refused on a shared ledger."""
    return [row for device in devices
            for row in get(ledger, f"/v1/reports/rejections?device={device}")]


def online(k: PairedKiosk) -> None:
    """The kiosk asks the ledger first (holds, another store's coupons)."""
    k.kiosk.authoriser = LedgerAuthoriser(k.agent(timeout=(0.5, 2.0)))


def get(ledger: LedgerProcess, path: str, kind: str = "admin") -> list[dict[str, object]]:
    """``GET path`` as a new device of ``kind`` (a report is the back office's)."""
    token = ledger.add_device(f"{kind}-{uuid.uuid4().hex[:8]}", kind)
    answer = requests.get(f"{ledger.url}{path}", headers={"Authorization": f"Bearer {token}"},
                          timeout=10)
    assert answer.status_code == 200, answer.text
    return list(answer.json())
