"""`kiosk init --program FILE` (and `kiosk ledger publish FILE`) with a file it can't read:
a store owner who mistypes the program's path, points at a folder or at a file saved in
Big5 gets one refusal naming the file, not a Python traceback (found at review 27)."""

from __future__ import annotations

import json

import pytest

from tests.helpers.cli import kiosk


@pytest.mark.parametrize("which", ["missing", "folder", "not-utf8"])
def test_init_with_an_unreadable_program_file_is_a_one_line_refusal(tmp_path, which):
    """A store owner setting up a kiosk mistypes the program's path (or points at a folder,
    or at a file saved in Big5): `kiosk init --json` prints a Python traceback and no
    JSON, instead of one refusal naming the file, as `--basket` and `--catalogue` do."""
    path = {"missing": tmp_path / "nope.toml", "folder": tmp_path,
            "not-utf8": tmp_path / "big5.toml"}[which]
    if which == "not-utf8":
        path.write_bytes(b'version = "1"\nname = "' + "茶".encode("big5") + b'"\n')
    proc = kiosk(tmp_path / "k", "init", "--program", str(path), "--json", expect=1)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert "error" in json.loads(proc.stdout)
    assert not (tmp_path / "k" / "kiosk.db").exists()


def test_publishing_a_program_file_that_is_not_there_is_a_one_line_refusal(tmp_path):
    """The same on the ledger: `kiosk ledger publish nope.toml --json` (a typo in the
    file name) prints a traceback, no JSON, where a script expects an error object."""
    proc = kiosk(tmp_path / "ledger", "ledger", "publish", str(tmp_path / "nope.toml"),
                 "--json", expect=1)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert "error" in json.loads(proc.stdout)
