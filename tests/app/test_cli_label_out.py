"""`kiosk label render --out FOLDER` where FOLDER can't be a folder (an existing file, or a
path under one): the store owner printing shelf labels gets one line naming the path, as
`card render --out` gives, not a traceback (found at review 27)."""

from __future__ import annotations

import json
import subprocess

import pytest

from tests.helpers.cli import KIOSK


@pytest.mark.parametrize("where", ["a file", "under a file"])
def test_labels_to_an_out_that_is_a_file_is_a_one_line_refusal(tmp_path, where):
    """A store owner printing shelf labels types the name of an existing file (say the
    catalogue itself) as `--out`, or a folder under it: `kiosk label render --json`
    prints a FileExistsError / NotADirectoryError traceback and no JSON, where `card
    render --out` on the same mistake says what is wrong in one line."""
    afile = tmp_path / "catalogue.toml"
    afile.write_text("# not a folder\n", encoding="utf-8")
    out = afile if where == "a file" else afile / "labels"
    proc = subprocess.run([KIOSK, "--data-dir", str(tmp_path / "k"), "label", "render",
                           "--out", str(out), "--json"], capture_output=True, text=True,
                          timeout=60)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode in (1, 2, 3)
    assert "error" in json.loads(proc.stdout)
    assert afile.read_text(encoding="utf-8") == "# not a folder\n"
