"""The `kiosk` command run as a real process, for the tests of every module that drive
it: exit code checked, output as text or parsed JSON."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

from tests.helpers import zygote

KIOSK = str(Path(sys.executable).with_name("kiosk"))


def kiosk(data: Path, *args: str, expect: int = 0, env: dict[str, str] | None = None):
    """``kiosk --data-dir DATA *args`` as its own process (forked from a zygote that has
    the imports done: tests/helpers/zygote.py)."""
    proc = zygote.run(["--data-dir", str(data), *args], env=env, timeout=60)
    assert proc.returncode == expect, (proc.stdout, proc.stderr)
    return proc


def kiosk_json(data: Path, *args: str, expect: int = 0):
    proc = kiosk(data, *args, "--json", expect=expect)
    return json.loads(proc.stdout)


def copy_of(template: Path, folder: Path) -> Path:
    """``folder``, a copy of the kiosk folder ``template`` that a module's fixture set up
    once through this same command (a kiosk's folder is its database and nothing that
    names the folder), so each test starts from it without paying for the processes."""
    shutil.copytree(template, folder)
    return folder
