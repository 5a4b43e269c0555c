"""A loopback TCP proxy that injects network faults between an HTTP client and server.

Sync must survive a network that refuses, stalls, resets and replays. Mocking ``requests``
cannot show what the real client/server stack does when a socket dies between "server did the
work" and "client heard back", so this proxy breaks real sockets instead.

Each accepted connection is relayed by its own thread with a ``selectors`` loop over
non-blocking sockets; a socketpair per connection wakes that loop for ``stop()`` and
``kill_all_connections()``, so nothing polls and nothing blocks shutdown.

Manual use::

    python -m tests.helpers.chaos_proxy --target 127.0.0.1:8000 --listen 127.0.0.1:9000 \\
        --fault reset
"""

from __future__ import annotations

import argparse
import contextlib
import enum
import logging
import random
import selectors
import socket
import struct
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from types import TracebackType
from typing import Self

__all__ = ["ChaosProxy", "Fault", "frame_http_request", "main"]

log = logging.getLogger(__name__)

_CHUNK = 65536
_MAX_PENDING = 1 << 20  # stop reading a side while this much is queued for the other side
_MAX_HEADER = 64 * 1024
_STOP_BUDGET = 1.5  # seconds stop() waits for threads before giving up on them (daemons)


class Fault(enum.Enum):
    """What the proxy does to a connection (or, for DUPLICATE, to each request on it)."""

    PASS = "pass"
    """Forward faithfully."""
    REFUSE = "refuse"
    """Accept, then close the client connection at once; nothing reaches the server."""
    RESET = "reset"
    """Forward the request; reset the client (RST) as the first response byte arrives."""
    RESET_MIDWAY = "reset_midway"
    """Forward; reset the client after the first ``after_bytes`` response bytes."""
    DELAY = "delay"
    """Forward, each chunk in both directions held back ``delay`` seconds (latency)."""
    BLACKHOLE = "blackhole"
    """Accept and read the request, never forward or answer: the client must time out."""
    DUPLICATE = "duplicate"
    """Forward each request, and send a copy on a second upstream connection (discarded)."""


def _reset(sock: socket.socket) -> None:
    """Close with SO_LINGER 0 so the peer gets an RST, not an orderly FIN."""
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    with contextlib.suppress(OSError):
        sock.close()


def _close(sock: socket.socket | None, *, reset: bool = False) -> None:
    if sock is None:
        return
    if reset:
        _reset(sock)
        return
    with contextlib.suppress(OSError):
        sock.close()


def _nodelay(sock: socket.socket) -> None:
    """Small chunks must not sit in Nagle's buffer: the timing is the point of the faults."""
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def frame_http_request(buf: bytes | bytearray) -> int | None:
    """Length of the first complete HTTP/1.x request at the start of ``buf``.

    Returns None while the request is incomplete. Raises ValueError when the bytes cannot be
    framed with certainty (so DUPLICATE stops duplicating rather than replaying half a request).
    Handles Content-Length and chunked bodies; a request with neither has no body.
    """
    end = buf.find(b"\r\n\r\n")
    if end < 0:
        if len(buf) > _MAX_HEADER:
            raise ValueError("request header too large")
        return None
    lines = bytes(buf[:end]).decode("latin-1").split("\r\n")
    parts = lines[0].split(" ")
    if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
        raise ValueError(f"not an HTTP/1.x request line: {lines[0]!r}")
    if parts[0].upper() == "CONNECT":
        raise ValueError("CONNECT tunnels cannot be framed")
    length: int | None = None
    chunked = False
    for line in lines[1:]:
        name, sep, value = line.partition(":")
        if not sep:
            raise ValueError(f"malformed header line: {line!r}")
        name, value = name.strip().lower(), value.strip()
        if name == "content-length":
            if not (value.isascii() and value.isdigit()):
                raise ValueError(f"bad Content-Length: {value!r}")
            if length is not None and length != int(value):
                raise ValueError("conflicting Content-Length headers")
            length = int(value)
        elif name == "transfer-encoding":
            if value.split(",")[-1].strip().lower() != "chunked":
                raise ValueError(f"unframeable Transfer-Encoding: {value!r}")
            chunked = True
        elif name == "expect":
            raise ValueError("Expect: 100-continue is not supported")
    body = end + 4
    if chunked:
        return _frame_chunked(buf, body)
    total = body + (length or 0)
    return total if len(buf) >= total else None


def _frame_chunked(buf: bytes | bytearray, pos: int) -> int | None:
    while True:
        eol = buf.find(b"\r\n", pos)
        if eol < 0:
            if len(buf) - pos > 4096:
                raise ValueError("chunk size line too long")
            return None
        size_text = bytes(buf[pos:eol]).split(b";")[0].strip()
        if not size_text or not all(c in b"0123456789abcdefABCDEF" for c in size_text):
            raise ValueError(f"bad chunk size: {size_text!r}")
        size = int(size_text, 16)
        pos = eol + 2
        if size == 0:
            while True:  # trailer section, ended by an empty line
                eol = buf.find(b"\r\n", pos)
                if eol < 0:
                    return None
                if eol == pos:
                    return eol + 2
                pos = eol + 2
        if len(buf) < pos + size + 2:
            return None
        if buf[pos + size : pos + size + 2] != b"\r\n":
            raise ValueError("chunk not followed by CRLF")
        pos += size + 2


def _with_connection_close(request: bytes) -> bytes:
    """The copy asks the server to close after answering, so reading to EOF discards it all."""
    end = request.find(b"\r\n\r\n")
    lines = request[:end].split(b"\r\n")
    kept = [lines[0]]
    for line in lines[1:]:
        name = line.partition(b":")[0].strip().lower()
        if name not in (b"connection", b"keep-alive"):
            kept.append(line)
    kept.append(b"Connection: close")
    return b"\r\n".join(kept) + b"\r\n\r\n" + request[end + 4 :]


class _Direction:
    """Bytes read from ``src`` waiting (until their due time) to be written to ``dst``."""

    def __init__(self) -> None:
        self.queue: deque[tuple[float, bytes]] = deque()
        self.pending = 0
        self.eof = False
        self.blocked = False  # dst refused bytes that are due: wait for it to be writable

    def push(self, due: float, data: bytes) -> None:
        self.queue.append((due, data))
        self.pending += len(data)

    def flush(self, dst: socket.socket, now: float) -> float | None:
        """Write what is due; return the due time of the next held-back chunk, if any."""
        self.blocked = False
        while self.queue:
            due, data = self.queue[0]
            if due > now:
                return due
            try:
                sent = dst.send(data)
            except (BlockingIOError, InterruptedError):
                self.blocked = True
                return None
            self.pending -= sent
            if sent < len(data):
                self.queue[0] = (due, data[sent:])
                self.blocked = True
                return None
            self.queue.popleft()
        return None


class _Abort(Exception):
    """Unwinds the relay loop; ``reset_client`` says how the client connection ends."""

    def __init__(self, reset_client: bool) -> None:
        super().__init__()
        self.reset_client = reset_client


class _Link:
    """One accepted client connection, its fault, and (unless blackholed) its upstream."""

    def __init__(self, proxy: ChaosProxy, client: socket.socket, index: int, fault: Fault,
                 delay: float, after_bytes: int) -> None:
        self.proxy = proxy
        self.client = client
        self.fault = fault
        self.delay = delay if fault is Fault.DELAY else 0.0
        self.after_bytes = after_bytes
        self.upstream: socket.socket | None = None
        self._wake_r, self._wake_w = socket.socketpair()
        self._lock = threading.Lock()
        self._closed = False
        self._abort: str | None = None  # "stop" or "kill"
        self._dup_buf = bytearray()
        self._dup_ok = True
        self._response_bytes = 0
        self._reset_when_drained = False
        self.thread = threading.Thread(target=self._run, name=f"chaos-link-{index}",
                                       daemon=True)

    def wake(self, reason: str) -> None:
        """Ask the relay thread to end the connection ("kill": with an RST)."""
        with self._lock:
            if self._abort is None:
                self._abort = reason
            if not self._closed:
                with contextlib.suppress(OSError):
                    self._wake_w.send(b"!")

    def force_close(self) -> None:
        """Last resort from stop() for a thread that did not finish in time."""
        with self._lock:
            for sock in (self.client, self.upstream, self._wake_r, self._wake_w):
                _close(sock)
            self._closed = True

    def _run(self) -> None:
        reset_client = False
        try:
            self._serve()
        except _Abort as abort:
            reset_client = abort.reset_client
        except OSError as exc:  # a peer went away in a way the loop did not anticipate
            log.debug("chaos link error: %r", exc)
            reset_client = True
        except Exception:
            log.exception("chaos proxy link crashed")
            self.proxy._count("errors")
            reset_client = True
        finally:
            with self._lock:
                self._closed = True
                _close(self.client, reset=reset_client)
                _close(self.upstream)
                _close(self._wake_r)
                _close(self._wake_w)
            self.proxy._forget(self)

    def _check_abort(self) -> None:
        if self._abort == "kill":
            self.proxy._count("killed")
            raise _Abort(reset_client=True)
        if self._abort is not None:
            raise _Abort(reset_client=False)

    def _serve(self) -> None:
        self.client.setblocking(False)
        _nodelay(self.client)
        if self.fault is not Fault.BLACKHOLE:
            try:
                self.upstream = socket.create_connection(self.proxy.target,
                                                         timeout=self.proxy.connect_timeout)
            except OSError as exc:
                log.debug("chaos upstream connect failed: %r", exc)
                self.proxy._count("upstream_failures")
                raise _Abort(reset_client=False) from None
            self.upstream.setblocking(False)
            _nodelay(self.upstream)
        self._check_abort()
        with selectors.DefaultSelector() as sel:
            self._relay(sel)

    def _relay(self, sel: selectors.BaseSelector) -> None:
        client, upstream = self.client, self.upstream
        up, down = _Direction(), _Direction()  # client->upstream, upstream->client
        upstream_shut = False
        masks: dict[socket.socket, int] = {}
        sel.register(self._wake_r, selectors.EVENT_READ)

        def want(sock: socket.socket, mask: int) -> None:
            old = masks.get(sock, 0)
            if mask == old:
                return
            if not old:
                sel.register(sock, mask)
            elif not mask:
                sel.unregister(sock)
            else:
                sel.modify(sock, mask)
            masks[sock] = mask

        while True:
            self._check_abort()
            now = time.monotonic()
            try:
                next_due = [d for d in (up.flush(upstream, now) if upstream else None,
                                        down.flush(client, now)) if d is not None]
            except OSError:
                raise _Abort(reset_client=True) from None
            if down.eof and not down.queue:
                raise _Abort(reset_client=self.fault in (Fault.RESET, Fault.RESET_MIDWAY))
            if self._reset_when_drained and not down.queue:
                raise _Abort(reset_client=True)
            if up.eof and not up.queue:
                if upstream is None:
                    raise _Abort(reset_client=False)  # blackholed client gave up
                if not upstream_shut:
                    with contextlib.suppress(OSError):
                        upstream.shutdown(socket.SHUT_WR)
                    upstream_shut = True

            want(client, (selectors.EVENT_READ if not up.eof and up.pending < _MAX_PENDING
                          else 0) | (selectors.EVENT_WRITE if down.blocked else 0))
            if upstream is not None:
                reading = (not down.eof and down.pending < _MAX_PENDING
                           and not self._reset_when_drained)
                want(upstream, (selectors.EVENT_READ if reading else 0)
                     | (selectors.EVENT_WRITE if up.blocked else 0))
            timeout = max(0.0, min(next_due) - now) if next_due else None

            for key, events in sel.select(timeout):
                sock = key.fileobj
                if sock is self._wake_r:
                    with contextlib.suppress(OSError):
                        self._wake_r.recv(64)
                elif sock is client and events & selectors.EVENT_READ:
                    self._from_client(up)
                elif sock is upstream and events & selectors.EVENT_READ:
                    self._from_upstream(down)

    def _recv(self, sock: socket.socket, *, reset_client_on_error: bool) -> bytes | None:
        try:
            return sock.recv(_CHUNK)
        except (BlockingIOError, InterruptedError):
            return None
        except OSError:
            raise _Abort(reset_client=reset_client_on_error) from None

    def _from_client(self, up: _Direction) -> None:
        data = self._recv(self.client, reset_client_on_error=False)
        if data is None:
            return
        if not data:
            up.eof = True
            return
        if self.upstream is None:
            return  # blackhole: swallow it
        if self.fault is Fault.DUPLICATE:
            self._duplicate(data)
        up.push(time.monotonic() + self.delay, data)

    def _from_upstream(self, down: _Direction) -> None:
        assert self.upstream is not None
        data = self._recv(self.upstream, reset_client_on_error=True)
        if data is None:
            return
        if not data:
            down.eof = True
            return
        if self.fault is Fault.RESET:
            raise _Abort(reset_client=True)  # the server answered; the client never hears it
        if self.fault is Fault.RESET_MIDWAY:
            remaining = max(0, self.after_bytes - self._response_bytes)
            if len(data) >= remaining:
                data = data[:remaining]
                self._reset_when_drained = True
            self._response_bytes += len(data)
        if data:
            down.push(time.monotonic() + self.delay, data)

    def _duplicate(self, data: bytes) -> None:
        if not self._dup_ok:
            return
        self._dup_buf += data
        while True:
            try:
                size = frame_http_request(self._dup_buf)
            except ValueError as exc:
                log.warning("chaos proxy stops duplicating this connection: %s", exc)
                self.proxy._count("unframed")
                self._dup_ok = False
                self._dup_buf.clear()
                return
            if size is None:
                return
            request = bytes(self._dup_buf[:size])
            del self._dup_buf[:size]
            self.proxy._spawn_duplicate(_with_connection_close(request))


class ChaosProxy:
    """TCP proxy on loopback whose per-connection fault a test chooses (see ``Fault``).

    The fault of a connection is fixed when it is accepted, by the current policy: a fixed
    fault (``set_fault``), a schedule over connection indexes (``set_schedule``) or a seeded
    random draw (``set_random``). Indexes count connections accepted since the policy was set,
    from 0. ``history`` lists the fault given to every connection, in accept order.
    """

    def __init__(self, target_host: str, target_port: int, *, listen_host: str = "127.0.0.1",
                 listen_port: int = 0, connect_timeout: float = 1.0) -> None:
        self.target = (target_host, target_port)
        self.listen = (listen_host, listen_port)
        self.connect_timeout = connect_timeout
        self._lock = threading.Lock()
        self._policy: Callable[[int], Fault] = lambda _i: Fault.PASS
        self._policy_index = 0
        self._delay = 0.0
        self._after_bytes = 20
        self._stats: dict[str, int] = dict.fromkeys(
            ["connections", *(f.value for f in Fault), "duplicated_requests",
             "upstream_failures", "killed", "unframed", "errors"], 0)
        self._history: list[Fault] = []
        self._links: set[_Link] = set()
        self._helpers: set[threading.Thread] = set()
        self._stop_event = threading.Event()
        self._listener: socket.socket | None = None
        self._port: int | None = None
        self._wake_r: socket.socket | None = None
        self._wake_w: socket.socket | None = None
        self._acceptor: threading.Thread | None = None
        self._started = False
        self._stopped = False

    # -- lifecycle -----------------------------------------------------------------------

    def start(self) -> None:
        """Bind and serve in a background thread (not in __init__: tests choose when)."""
        with self._lock:
            if self._started:
                raise RuntimeError("ChaosProxy can only be started once")
            self._started = True
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            listener.bind(self.listen)
            listener.listen(128)
            listener.setblocking(False)
        except OSError:
            listener.close()
            raise
        self._listener = listener
        self._port = int(listener.getsockname()[1])
        self._wake_r, self._wake_w = socket.socketpair()
        self._acceptor = threading.Thread(target=self._accept_loop, name="chaos-accept",
                                          daemon=True)
        self._acceptor.start()

    def stop(self) -> None:
        """Close the listener and every live connection, join the threads; idempotent."""
        with self._lock:
            if self._stopped:
                return
            self._stopped = True
            started = self._started
        if not started:
            return
        deadline = time.monotonic() + _STOP_BUDGET
        self._stop_event.set()
        if self._wake_w is not None:
            with contextlib.suppress(OSError):
                self._wake_w.send(b"!")
        if self._acceptor is not None:
            self._acceptor.join(max(0.0, deadline - time.monotonic()))
        _close(self._listener)
        _close(self._wake_r)
        _close(self._wake_w)
        with self._lock:
            links = list(self._links)
        for link in links:
            link.wake("stop")
        for link in links:
            link.thread.join(max(0.0, deadline - time.monotonic()))
            if link.thread.is_alive():
                link.force_close()
        with self._lock:
            helpers = list(self._helpers)
        for thread in helpers:
            thread.join(max(0.0, deadline - time.monotonic()))

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    # -- addresses and counters ----------------------------------------------------------

    @property
    def port(self) -> int:
        """The port actually bound (listen_port 0 lets the OS pick a free one)."""
        if self._port is None:
            raise RuntimeError("ChaosProxy is not started")
        return self._port

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def stats(self) -> dict[str, int]:
        """Counts: ``connections``, one per fault value (e.g. ``reset``) for connections
        given that fault, ``duplicated_requests``, ``upstream_failures``, ``killed``,
        ``unframed`` (DUPLICATE connections whose bytes could not be framed) and ``errors``."""
        with self._lock:
            return dict(self._stats)

    @property
    def history(self) -> list[Fault]:
        """The fault given to each accepted connection, in order (to check reproducibility)."""
        with self._lock:
            return list(self._history)

    # -- policy --------------------------------------------------------------------------

    def set_fault(self, fault: Fault, *, delay: float = 0.0, after_bytes: int = 20) -> None:
        """Give every new connection ``fault``; ``delay``/``after_bytes`` tune DELAY and
        RESET_MIDWAY (and are kept for later schedules and random draws)."""
        self._set_policy(lambda _i: fault, delay, after_bytes)

    def set_schedule(self, faults: Sequence[Fault] | Callable[[int], Fault], *,
                     delay: float | None = None, after_bytes: int | None = None) -> None:
        """Choose each new connection's fault by its index: cycling ``faults``, or calling it.

        E.g. ``lambda i: Fault.RESET if i % 3 == 2 else Fault.PASS``: every 3rd one resets.
        """
        if callable(faults):
            self._set_policy(faults, delay, after_bytes)
            return
        cycle = tuple(faults)
        if not cycle or not all(isinstance(f, Fault) for f in cycle):
            raise ValueError("a schedule needs at least one Fault")
        self._set_policy(lambda i: cycle[i % len(cycle)], delay, after_bytes)

    def set_random(self, seed: int, weights: Mapping[Fault, float], *,
                   delay: float | None = None, after_bytes: int | None = None) -> None:
        """Draw each new connection's fault from ``weights`` with a seeded RNG, so a failing
        run can be replayed with the same seed."""
        faults = list(weights)
        values = [float(weights[f]) for f in faults]
        if not faults or any(v < 0 for v in values) or sum(values) <= 0:
            raise ValueError("weights must be non-negative with a positive sum")
        rng = random.Random(seed)
        self._set_policy(lambda _i: rng.choices(faults, values)[0], delay, after_bytes)

    def _set_policy(self, policy: Callable[[int], Fault], delay: float | None,
                    after_bytes: int | None) -> None:
        if delay is not None and delay < 0:
            raise ValueError("delay must be >= 0")
        if after_bytes is not None and after_bytes < 0:
            raise ValueError("after_bytes must be >= 0")
        with self._lock:
            self._policy = policy
            self._policy_index = 0
            if delay is not None:
                self._delay = delay
            if after_bytes is not None:
                self._after_bytes = after_bytes

    def _choose(self) -> tuple[int, Fault, float, int]:
        with self._lock:
            index = self._stats["connections"]
            try:
                fault = self._policy(self._policy_index)
                if not isinstance(fault, Fault):
                    raise TypeError(f"schedule returned {fault!r}, not a Fault")
            except Exception:
                log.exception("chaos proxy schedule failed; passing the connection through")
                self._stats["errors"] += 1
                fault = Fault.PASS
            self._policy_index += 1
            self._stats["connections"] += 1
            self._stats[fault.value] += 1
            self._history.append(fault)
            return index, fault, self._delay, self._after_bytes

    # -- network blips -------------------------------------------------------------------

    def kill_all_connections(self) -> None:
        """Reset every live client connection now (a network blip); waits until they are."""
        with self._lock:
            links = list(self._links)
        for link in links:
            link.wake("kill")
        deadline = time.monotonic() + _STOP_BUDGET
        for link in links:
            link.thread.join(max(0.0, deadline - time.monotonic()))

    # -- internals -----------------------------------------------------------------------

    def _count(self, key: str, n: int = 1) -> None:
        with self._lock:
            self._stats[key] = self._stats.get(key, 0) + n

    def _forget(self, link: _Link) -> None:
        with self._lock:
            self._links.discard(link)

    def _accept_loop(self) -> None:
        assert self._listener is not None and self._wake_r is not None
        listener = self._listener
        with selectors.DefaultSelector() as sel:
            sel.register(listener, selectors.EVENT_READ)
            sel.register(self._wake_r, selectors.EVENT_READ)
            while not self._stop_event.is_set():
                try:
                    ready = sel.select()
                except OSError:
                    log.exception("chaos proxy accept loop failed")
                    return
                if self._stop_event.is_set():
                    return
                if any(key.fileobj is listener for key, _ in ready):
                    self._accept_all(listener)

    def _accept_all(self, listener: socket.socket) -> None:
        while not self._stop_event.is_set():
            try:
                client, _addr = listener.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError as exc:  # e.g. EMFILE: back off instead of spinning
                log.warning("chaos proxy accept failed: %r", exc)
                self._stop_event.wait(0.05)
                return
            index, fault, delay, after_bytes = self._choose()
            if fault is Fault.REFUSE:
                _close(client)
                continue
            link = _Link(self, client, index, fault, delay, after_bytes)
            with self._lock:
                self._links.add(link)
            link.thread.start()

    def _spawn_duplicate(self, request: bytes) -> None:
        thread = threading.Thread(target=self._send_duplicate, args=(request,),
                                  name="chaos-duplicate", daemon=True)
        with self._lock:
            if self._stop_event.is_set():
                return
            self._helpers.add(thread)
        thread.start()

    def _send_duplicate(self, request: bytes) -> None:
        """Replay one request on its own connection and discard the answer."""
        try:
            with socket.create_connection(self.target, timeout=self.connect_timeout) as sock:
                sock.sendall(request)
                self._count("duplicated_requests")
                sock.settimeout(0.2)
                while not self._stop_event.is_set():
                    try:
                        if not sock.recv(_CHUNK):
                            break
                    except TimeoutError:
                        continue
        except OSError as exc:
            log.debug("chaos duplicate failed: %r", exc)
            self._count("upstream_failures")
        finally:
            with self._lock:
                self._helpers.discard(threading.current_thread())


def _address(text: str) -> tuple[str, int]:
    host, sep, port = text.rpartition(":")
    if not sep or not port.isdigit():
        raise argparse.ArgumentTypeError(f"expected HOST:PORT, got {text!r}")
    return host or "127.0.0.1", int(port)


def main(argv: Sequence[str] | None = None) -> int:
    """Run a proxy until Ctrl-C, printing its stats on the way out."""
    parser = argparse.ArgumentParser(prog="python -m tests.helpers.chaos_proxy",
                                     description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--target", type=_address, required=True, help="upstream HOST:PORT")
    parser.add_argument("--listen", type=_address, default=("127.0.0.1", 0),
                        help="HOST:PORT to listen on (default 127.0.0.1, any free port)")
    parser.add_argument("--fault", choices=[f.value for f in Fault], default="pass")
    parser.add_argument("--delay", type=float, default=0.5, help="seconds, for --fault delay")
    parser.add_argument("--after-bytes", type=int, default=20,
                        help="response bytes let through, for --fault reset_midway")
    args = parser.parse_args(argv)
    proxy = ChaosProxy(*args.target, listen_host=args.listen[0], listen_port=args.listen[1])
    proxy.set_fault(Fault(args.fault), delay=args.delay, after_bytes=args.after_bytes)
    with proxy:
        print(f"chaos proxy {args.listen[0]}:{proxy.port} -> {args.target[0]}:{args.target[1]}"
              f" fault={args.fault}", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()
    print(" ".join(f"{k}={v}" for k, v in proxy.stats.items() if v), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
