"""A full disk, for real: a small tmpfs filled to the last byte under a kiosk's data folder.

Every `kiosk` command, reads included, then says so in one line and exits 3, and nothing
is changed; once space is freed every command works again and `kiosk verify` passes. The
background sync loop lives through it too, and catches up once there is room again.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from kiosk.services import Enrolment, Sale, enrol, ring_up_sale
from sync.client import LedgerClient
from sync.status import SyncStatus
from tests.helpers.cli import kiosk, kiosk_json
from tests.helpers.ledger_process import LedgerProcess, paired, start_ledger
from tests.helpers.program import PLAIN_PROGRAM

pytestmark = pytest.mark.slow  # about 40 `kiosk` processes


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 4 MB tmpfs of its own (CI runs as root; mounting needs it)."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root (CI runs the tests as root)")
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.fail(f"could not mount a tmpfs on {mount} as root: {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[LedgerProcess]:
    running = start_ledger(f"sqlite:///{tmp_path / 'ledger' / 'ledger.db'}",
                           tmp_path / "ledger")
    yield running
    running.kill()


def fill(disk: Path) -> Path:
    """Write a filler file until the disk refuses even one more byte."""
    filler = disk / "filler"
    with filler.open("wb", buffering=0) as out:
        for size in (1 << 16, 1 << 12, 1):
            chunk = b"\0" * size
            while True:
                try:
                    out.write(chunk)
                except OSError as exc:
                    assert exc.errno == errno.ENOSPC, exc
                    break
    assert shutil.disk_usage(disk).free == 0
    return filler


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def refused_for_storage(data: Path, *args: str) -> str:
    """Run a command on the full disk: exit 3 and one line, as text and as JSON."""
    text = kiosk(data, *args, expect=3)
    assert text.stdout == "", (args, text.stdout)
    assert text.stderr.count("\n") == 1 and text.stderr.startswith("error: "), (
        args, text.stderr)
    as_json = kiosk(data, *args, "--json", expect=3)
    assert as_json.stderr == "", (args, as_json.stderr)
    assert as_json.stdout.count("\n") == 1, (args, as_json.stdout)
    error = json.loads(as_json.stdout)["error"]
    assert error["code"] == "storage", (args, error)
    return text.stderr


def test_every_command_on_a_full_disk_exits_3_in_one_line_and_changes_nothing(
        small_disk: Path, ledger: LedgerProcess, tmp_path: Path) -> None:
    data = small_disk / "kiosk"
    kiosk(data, "init", "--store-name", "Full disk", "--ledger-url", ledger.url,
          "--device-token", ledger.add_device("till-full"))
    card = kiosk_json(data, "member", "enroll", "--name", "陳美玲", "--phone", "0912345678",
                      "--consent")["card_payload"]
    kiosk(data, "sale", "--card", card, "--amount", "2000", "--order-ref", "S-1")
    kiosk(data, "sync", "--once")
    elsewhere = tmp_path / "elsewhere"  # a kiosk on a disk with room, writing onto the full one
    kiosk(elsewhere, "init", "--store-name", "Elsewhere", "--program", str(PLAIN_PROGRAM))
    other_card = kiosk_json(elsewhere, "member", "enroll", "--name", "Ann", "--phone",
                            "0912000111", "--consent")["card_payload"]
    balance = kiosk_json(data, "balance", "--card", card)
    assert balance["balance"] == 70
    verified = kiosk_json(data, "verify")
    store = data / "kiosk.db"
    before = digest(store)

    filler = fill(small_disk)
    fresh = data / "fresh"
    commands: list[tuple[Path, tuple[str, ...]]] = [
        (fresh, ("init", "--store-name", "Second", "--program", str(PLAIN_PROGRAM))),
        (data, ("member", "enroll", "--name", "王小明", "--phone", "0987654321",
                "--consent")),
        (data, ("sale", "--card", card, "--amount", "100", "--order-ref", "F-1")),
        (data, ("redeem", "--card", card, "--reward", "coffee")),
        (data, ("refund", "--order-ref", "S-1")),
        (data, ("balance", "--card", card)),
        (data, ("verify",)),
        (data, ("card", "render", card, "--out", str(data / "card.png"))),
        (data, ("manager-pin", "4321")),
        (data, ("sync", "--once")),
        (elsewhere, ("card", "render", other_card, "--out", str(small_disk / "other.png"))),
        (elsewhere, ("label", "render", "--out", str(small_disk / "labels"))),
    ]
    for folder, args in commands:
        message = refused_for_storage(folder, *args)
        assert "Traceback" not in message
    assert "full" in refused_for_storage(data, "balance", "--card", card)

    assert digest(store) == before
    assert not (data / "card.png").exists() and not (small_disk / "other.png").exists()
    assert not list((small_disk / "labels").glob("*.png"))

    filler.unlink()
    assert digest(store) == before
    assert kiosk_json(data, "balance", "--card", card) == balance
    assert kiosk_json(data, "verify") == verified
    assert kiosk_json(fresh, "verify", expect=1)["error"]["code"] == "not_initialised"
    kiosk(fresh, "init", "--store-name", "Second", "--program", str(PLAIN_PROGRAM))
    kiosk(data, "member", "enroll", "--name", "王小明", "--phone", "0987654321", "--consent")
    assert kiosk_json(data, "sale", "--card", card, "--amount", "100",
                      "--order-ref", "F-1")["balance"] == 71
    assert kiosk_json(data, "redeem", "--card", card, "--reward", "coffee")["balance"] == 11
    assert kiosk_json(data, "refund", "--order-ref", "S-1")["balance"] == -9
    assert kiosk_json(data, "balance", "--card", card)["balance"] == -9
    kiosk(data, "card", "render", card, "--out", str(data / "card.png"))
    assert Image.open(data / "card.png").size[0] > 0
    kiosk(data, "manager-pin", "4321")
    kiosk(data, "sync", "--once")
    kiosk(elsewhere, "card", "render", other_card, "--out", str(small_disk / "other.png"))
    kiosk(elsewhere, "label", "render", "--out", str(small_disk / "labels"))
    assert list((small_disk / "labels").glob("*.png"))
    assert kiosk_json(data, "verify") == {"ok": True, "problems": [], "pending_uploads": 0}


def test_the_background_sync_lives_through_a_full_disk_and_catches_up(
        small_disk: Path, ledger: LedgerProcess) -> None:
    till = paired(ledger, small_disk, "till-bg")
    member = enrol(till.kiosk, Enrolment("Background", "0912000222", consent=True)).member.id
    ring_up_sale(till.kiosk, Sale(member, 2000, "B-1"))
    with sqlite3.connect(till.data_dir / "kiosk.db") as conn:  # an empty WAL: the next
        conn.execute("PRAGMA busy_timeout=10000")              # write needs new space
        assert conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0] == 0
    filler = fill(small_disk)

    agent = till.agent()
    statuses: list[SyncStatus] = []
    failed_thrice, caught_up = threading.Event(), threading.Event()

    def seen(status: SyncStatus) -> None:
        statuses.append(status)
        if sum("full" in (s.last_error or "") for s in statuses) >= 3:
            failed_thrice.set()
        if status.last_error is None and status.online and status.pending_uploads == 0:
            caught_up.set()

    agent.on_status = seen
    stop = threading.Event()
    loop = threading.Thread(target=agent.run_forever, args=(stop, 0.05, 0.5))
    loop.start()
    try:
        assert failed_thrice.wait(30), statuses[-1:] or "no status at all"
        assert loop.is_alive() and not caught_up.is_set()
        filler.unlink()
        assert caught_up.wait(30), statuses[-1:]
    finally:
        stop.set()
        agent.wake()
        loop.join(30)
    assert not loop.is_alive()
    with till.kiosk.store.read() as tx:
        here = tx.entries.balance(member)
    online = LedgerClient(ledger.url, till.token)
    try:
        assert online.balance(member) == here == 70
    finally:
        online.close()
        till.kiosk.store.close()
