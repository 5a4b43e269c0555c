"""`kiosk` processes for the tests without paying for Python's imports each time.

Every test that runs the command (the CLI's tests, every ledger a test starts) paid about
a second of CPU for the interpreter to import the store, the engine, pydantic, SQLAlchemy
and FastAPI before ``main`` ran: most of the suite's time. A *zygote* process imports all
of that once per test worker, then forks a child for each command: a real process of its
own (its pid, its exit code, its stdout and stderr, killable with SIGKILL), running the
same ``kiosk.app.cli.main`` with the test's arguments, environment and working folder,
that starts where a fresh interpreter would be after its imports.

What a fork can't give is a fresh interpreter: the arguments are the test's strings
(never bytes the OS decoded), and what Python reads from the environment at start-up
(``PYTHON*``, the locale) is the zygote's. A command whose environment differs from the
zygote's in those, or whose arguments hold undecodable bytes, runs as a fresh process, as
do the tests that are about start-up itself (they call ``subprocess`` directly), so the
installed ``kiosk`` script is still run by the suite.

The zygote is one thread (a ``selectors`` loop, children reaped on SIGCHLD through the
wakeup fd), so a fork never copies a lock another thread holds. Ids stay unique: CPython
reseeds ``random`` in a forked child and uuid-utils its generator.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import os
import pickle
import selectors
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import traceback
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO, Any

KIOSK = str(Path(sys.executable).with_name("kiosk"))
_STARTUP_ENV = ("PYTHON", "LANG", "LC_")  # read by the interpreter as it starts
_LEN = struct.Struct("!I")


# -- the test's side ------------------------------------------------------------------------

class ZygoteProcess:
    """A command the zygote forked: enough of ``subprocess.Popen`` for the tests."""

    def __init__(self, conn: socket.socket, pid: int, args: Sequence[str]) -> None:
        self._conn, self.pid, self.args = conn, pid, list(args)
        self.returncode: int | None = None

    def _read_status(self, timeout: float | None) -> int | None:
        if self.returncode is not None:
            return self.returncode
        self._conn.settimeout(timeout)
        try:
            data = _recv_exact(self._conn, _LEN.size)
        except (TimeoutError, BlockingIOError):
            return None
        self.returncode = int.from_bytes(data, "big", signed=True)
        self._conn.close()
        return self.returncode

    def poll(self) -> int | None:
        return self._read_status(0.0)

    def wait(self, timeout: float | None = None) -> int:
        code = self._read_status(timeout)
        if code is None:
            raise subprocess.TimeoutExpired(self.args, timeout or 0.0)
        return code

    def send_signal(self, sig: int) -> None:
        if self.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, sig)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


def _recv_exact(conn: socket.socket, n: int) -> bytes:
    data = b""
    while len(data) < n:
        chunk = conn.recv(n - len(data))
        if not chunk:
            raise ConnectionError("the zygote closed the connection")
        data += chunk
    return data


class _Zygote:
    """The zygote of this test process, started on first use, ended at exit."""

    def __init__(self) -> None:
        self.folder = tempfile.mkdtemp(prefix="kiosk-zygote-")
        self.path = os.path.join(self.folder, "sock")
        self.env = dict(os.environ)
        self.proc = subprocess.Popen([sys.executable, "-m", "tests.helpers.zygote", self.path],
                                     stdout=subprocess.PIPE, stdin=subprocess.PIPE,
                                     cwd=Path(__file__).resolve().parents[2])
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if line.strip() != b"ready":
            raise RuntimeError(f"the zygote did not start: {line!r}")
        atexit.register(self.close)

    def fits(self, args: Sequence[str], env: Mapping[str, str]) -> bool:
        """Whether a fork runs this command as a fresh process would (the module's
        docstring): the same start-up environment, arguments that are plain text."""
        def startup(e: Mapping[str, str]) -> dict[str, str]:
            return {k: v for k, v in e.items() if k.startswith(_STARTUP_ENV)}
        try:
            for a in args:
                a.encode("utf-8")
        except UnicodeEncodeError:
            return False
        return startup(env) == startup(self.env)

    def spawn(self, args: Sequence[str], env: Mapping[str, str], cwd: str,
              fds: tuple[int, int, int]) -> ZygoteProcess:
        conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        conn.connect(self.path)
        body = pickle.dumps((list(args), dict(env), cwd))
        socket.send_fds(conn, [_LEN.pack(len(body)) + body], list(fds))
        pid = int.from_bytes(_recv_exact(conn, 8), "big")
        return ZygoteProcess(conn, pid, [KIOSK, *args])

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        with contextlib.suppress(OSError):
            os.unlink(self.path)
            os.rmdir(self.folder)


_zygote: _Zygote | None = None
_zygote_lock = threading.Lock()


def _the_zygote() -> _Zygote:
    global _zygote
    with _zygote_lock:
        if _zygote is None or _zygote.proc.poll() is not None:
            _zygote = _Zygote()
        return _zygote


def _fd(target: int | IO[Any] | None, default: int, mode: str) -> tuple[int, IO[Any] | None]:
    """A file descriptor for one of the child's standard streams (and a file to close)."""
    if target is None:
        return default, None
    if target == subprocess.DEVNULL:
        f = open(os.devnull, mode)  # noqa: SIM115 - closed by the caller
        return f.fileno(), f
    if isinstance(target, int):
        return target, None
    return target.fileno(), None


def popen(args: Sequence[str], *, stdout: int | IO[Any] | None = None,
          stderr: int | IO[Any] | None = None, env: Mapping[str, str] | None = None,
          cwd: str | Path | None = None) -> ZygoteProcess | subprocess.Popen[bytes]:
    """``kiosk *args`` started (``subprocess.Popen``'s meaning for ``stdout``, ``stderr``
    as files or fds, ``env`` and ``cwd``); stdin is empty."""
    env = dict(os.environ if env is None else env)
    zygote = _the_zygote()
    if not zygote.fits(args, env):
        return subprocess.Popen([KIOSK, *args], stdout=stdout, stderr=stderr, env=env,
                                cwd=cwd, stdin=subprocess.DEVNULL)
    opened: list[IO[Any]] = []
    fds = []
    for target, default, mode in ((subprocess.DEVNULL, 0, "rb"), (stdout, 1, "wb"),
                                  (stderr, 2, "wb")):
        fd, f = _fd(target, default, mode)
        fds.append(fd)
        if f is not None:
            opened.append(f)
    try:
        return zygote.spawn(args, env, str(cwd or os.getcwd()), (fds[0], fds[1], fds[2]))
    finally:
        for f in opened:
            f.close()


def run(args: Sequence[str], *, env: Mapping[str, str] | None = None,
        timeout: float = 60, input: str | None = None) -> subprocess.CompletedProcess[str]:
    """``subprocess.run([kiosk, *args], capture_output=True, text=True, ...)``, forked from
    the zygote where it can be (``input`` runs it fresh)."""
    env = dict(os.environ if env is None else env)
    if input is not None or not _the_zygote().fits(args, env):
        return subprocess.run([KIOSK, *args], capture_output=True, text=True,
                              timeout=timeout, env=env, input=input)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = popen(args, stdout=out, stderr=err, env=env)
        try:
            code = proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            raise
        out.seek(0)
        err.seek(0)
        return subprocess.CompletedProcess(
            [KIOSK, *args], code, out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"))


# -- the zygote's side ----------------------------------------------------------------------

class _ChildExit(Exception):
    def __init__(self, code: int) -> None:
        self.code = code


def _serve(path: str) -> None:
    import uvicorn  # noqa: F401

    import kiosk.app.cli
    import kiosk.app.cli_ledger  # noqa: F401
    import sync.server.app  # noqa: F401 - what `kiosk ledger serve` adds

    assert threading.active_count() == 1, "a thread in the zygote: forking would copy its locks"
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(64)
    listener.setblocking(False)
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_w, False)
    os.set_blocking(wake_r, False)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    children: dict[int, socket.socket] = {}
    sel = selectors.DefaultSelector()
    sel.register(listener, selectors.EVENT_READ, "accept")
    sel.register(wake_r, selectors.EVENT_READ, "reap")
    sel.register(sys.stdin.fileno(), selectors.EVENT_READ, "parent")  # EOF: the tests ended
    gc.freeze()  # what the zygote made is never collected: a child's collections pass over it
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    while True:
        for key, _ in sel.select():
            if key.data == "parent" and not os.read(sys.stdin.fileno(), 4096):
                return
            if key.data == "accept":
                with contextlib.suppress(BlockingIOError):
                    conn, _addr = listener.accept()
                    _fork(conn, (listener, sel, wake_r, wake_w), children)
            elif key.data == "reap":
                with contextlib.suppress(BlockingIOError):
                    os.read(wake_r, 4096)
                _reap(children)


def _fork(conn: socket.socket, own: tuple[socket.socket, selectors.BaseSelector, int, int],
          children: dict[int, socket.socket]) -> None:
    """Fork a child for the command ``conn`` sends; tell the sender its pid."""
    conn.setblocking(True)
    size = _LEN.size
    msg, fds, _flags, _addr = socket.recv_fds(conn, 1 << 20, 3)
    while len(msg) < size or len(msg) < size + _LEN.unpack(msg[:size])[0]:
        msg += conn.recv(1 << 20)
    args, env, cwd = pickle.loads(msg[size:])
    pid = os.fork()
    if pid == 0:
        listener, sel, wake_r, wake_w = own
        sel.close()
        listener.close()
        os.close(wake_r)
        os.close(wake_w)
        for other in children.values():
            other.close()
        conn.close()
        signal.set_wakeup_fd(-1)
        for sig in (signal.SIGCHLD, signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
            os.close(fd)
        os.chdir(cwd)
        os.environ.clear()
        os.environ.update(env)
        sys.argv = ["kiosk", *args]
        raise _ChildExit(_main())
    for fd in fds:
        os.close(fd)
    children[pid] = conn
    conn.sendall(pid.to_bytes(8, "big"))
    _reap(children)


def _main() -> int:
    """``kiosk``'s ``main``, its end as the interpreter would make it: an uncaught
    exception printed and 1."""
    from kiosk.app.cli import main

    try:
        return int(main() or 0)
    except SystemExit as exc:
        code = exc.code
        if code is None or isinstance(code, int):
            return int(code or 0)
        print(code, file=sys.stderr)
        return 1
    except BaseException:
        traceback.print_exc()
        return 1


def _reap(children: dict[int, socket.socket]) -> None:
    while children:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        conn = children.pop(pid, None)
        if conn is not None:
            with contextlib.suppress(OSError):
                conn.sendall(os.waitstatus_to_exitcode(status).to_bytes(
                    _LEN.size, "big", signed=True))
            conn.close()


def _exit(code: int) -> None:
    """Leave the child as ``sys.exit`` would, less the interpreter's teardown: that walks
    every object the zygote imported, so it copies the whole shared heap page by page
    (about two seconds of a command's three under load). The atexit functions run."""
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(code)


if __name__ == "__main__":
    try:
        _serve(sys.argv[1])
    except _ChildExit as exit_:
        _exit(exit_.code)
