"""One running counter per data folder.

Two counters on one folder each numbered their orders from 1, so the second till's real
sales were answered "already rung up" with no points. So a running counter (``kiosk run``,
the app or the text counter) holds an exclusive ``flock`` on ``counter.lock`` in its data
folder for as long as it runs, and a second one is refused. The OS drops the lock when the
process ends, however it ends (kill -9 included), so a crashed counter never leaves a
stale lock behind; the pid in the file only serves the refusal's message. CLI commands
beside a running counter take no lock: SQLite serialises their writes and they number no
orders. (POSIX only, as ``fcntl`` is.)
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kiosk.services.errors import Refusal
from kiosk.store.disk import on_disk

LOCK_FILE = "counter.lock"


class CounterRunning(Refusal):
    code = "counter_running"


@contextmanager
def sole_counter(data_dir: Path) -> Iterator[None]:
    """Hold ``data_dir`` for this process's counter; CounterRunning if another holds it."""
    path = data_dir / LOCK_FILE
    with on_disk(path):
        data_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(fd)
            raise CounterRunning(
                f"another counter is running on {data_dir}"
                f"{f' (pid {holder})' if holder else ''}: only one `kiosk run` may use a "
                "data folder (commands such as `kiosk sale` work beside it)") from None
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        except OSError:  # a full disk: the pid is only for the message, the lock holds
            pass
        yield
    finally:
        os.close(fd)  # and with it the lock


def _holder(fd: int) -> str:
    """The pid the running counter wrote, if it has yet."""
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        return ""
    return text if text.isdigit() else ""
