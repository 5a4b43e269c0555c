"""The `kiosk` command run as a real process, for the tests of every module that drive
it: exit code checked, output as text or parsed JSON."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

KIOSK = str(Path(sys.executable).with_name("kiosk"))


def kiosk(data: Path, *args: str, expect: int = 0, env: dict[str, str] | None = None):
    proc = subprocess.run([KIOSK, "--data-dir", str(data), *args], capture_output=True,
                          text=True, timeout=60, env=env)
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
