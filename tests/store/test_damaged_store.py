"""A damaged store is a storage error, reads included: a kiosk.db with garbage where its
pages were (SQLite: "database disk image is malformed") or that is no database at all
("file is not a database") makes every command, ``balance``, ``verify`` and ``member
find`` too, say so in one line and exit 3 (README: exit codes), never a traceback. A
constraint the store refuses is still no storage error."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from kiosk.services import Sale, identify, ring_up_sale
from kiosk.store import STORE_FILE, StorageError, open_store
from tests.helpers.cli import copy_of, kiosk, kiosk_json


@pytest.fixture(scope="module")
def enrolled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A kiosk with a member, set up once through the real command; tests damage copies."""
    folder = tmp_path_factory.mktemp("damaged") / "k1"
    kiosk(folder, "init", "--device-id", "till-1")
    joined = kiosk_json(folder, "member", "enroll", "--name", "王小明", "--phone",
                        "0987-654-321", "--consent")
    return folder, str(joined["card_payload"])


def bad_pages(db: Path) -> None:
    """A bad sector's worth of garbage in the middle of the file, its header intact."""
    with db.open("r+b") as f:
        f.seek(4096 * 3)
        f.write(b"\xde\xad\xbe\xef" * 2048)


def no_database(db: Path) -> None:
    db.write_bytes(b"\x00garbage" * 1024)


@pytest.mark.parametrize("damage", [bad_pages, no_database])
@pytest.mark.parametrize("command", [["balance", "--card", "{card}"], ["verify"],
                                     ["member", "find", "0987-654-321"],
                                     ["sale", "--card", "{card}", "--amount", "100"]],
                         ids=["balance", "verify", "member-find", "sale"])
def test_a_damaged_store_is_a_storage_error_in_one_line(
        enrolled: tuple[Path, str], tmp_path: Path, damage: Callable[[Path], None],
        command: list[str]) -> None:
    template, card = enrolled
    data = copy_of(template, tmp_path / "k1")
    damage(data / STORE_FILE)
    proc = kiosk(data, *[a.format(card=card) for a in command], expect=3)
    assert "Traceback" not in proc.stderr
    [line] = proc.stderr.strip().splitlines()
    assert line.startswith("error: the kiosk's database") and "is damaged" in line, line
    assert str(data / STORE_FILE) in line


def test_a_damaged_store_as_json(enrolled: tuple[Path, str], tmp_path: Path) -> None:
    data = copy_of(enrolled[0], tmp_path / "k1")
    no_database(data / STORE_FILE)
    error = kiosk_json(data, "verify", expect=3)["error"]
    assert error["code"] == "storage" and "is damaged" in error["message"]


def test_opening_a_damaged_store_is_a_storage_error(tmp_path: Path) -> None:
    path = tmp_path / STORE_FILE
    no_database(path)
    with pytest.raises(StorageError, match="is damaged"):
        open_store(path)


def test_a_constraint_the_store_refuses_is_no_storage_error(kiosk, member):
    """The store's own refusals (its append-only trigger here) stay what they are, and
    the store works on: only the disk and the file failing are StorageErrors."""
    with pytest.raises(IntegrityError, match="append-only"), kiosk.store.write() as tx:
        tx.conn.execute(text("DELETE FROM entries"))
    ring_up_sale(kiosk, Sale(member.member.id, 1000, "T-1"))
    assert identify(kiosk, member.card.payload).balance > 50
