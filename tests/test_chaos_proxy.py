"""The chaos proxy itself: each fault does to a real `requests` client and a real HTTP server
exactly what the sync fault tests will rely on it doing."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from tests.helpers.chaos_proxy import ChaosProxy, Fault, frame_http_request

TIMEOUT = 3.0


class EchoServer:
    """HTTP/1.1 keep-alive server on loopback that counts the POSTs it handled."""

    def __init__(self) -> None:
        self.posts = 0
        self._lock = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            timeout = 5

            def do_POST(self) -> None:
                if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                    body = b""
                    while size := int(self.rfile.readline().split(b";")[0], 16):
                        body += self.rfile.read(size)
                        self.rfile.readline()
                    while self.rfile.readline() not in (b"\r\n", b""):
                        pass
                else:
                    body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with owner._lock:
                    owner.posts += 1
                self._reply(body)

            def do_GET(self) -> None:
                self._reply(b"hello")

            def _reply(self, body: bytes) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "application/octet-stream")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

            def handle(self) -> None:
                # the proxy resetting or dropping the connection is expected here
                with contextlib.suppress(OSError):
                    super().handle()

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = int(self.httpd.server_address[1])
        self._thread = threading.Thread(target=self.httpd.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self._thread.join(2)


@pytest.fixture
def server() -> Iterator[EchoServer]:
    s = EchoServer()
    yield s
    s.stop()


@pytest.fixture
def proxy(server: EchoServer) -> Iterator[ChaosProxy]:
    with ChaosProxy("127.0.0.1", server.port) as p:
        yield p


def wait_for(predicate: Callable[[], bool], deadline: float = 3.0) -> bool:
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.01)
    return predicate()


def post(proxy: ChaosProxy, body: bytes = b'{"points": 5}', timeout: float = TIMEOUT,
         session: requests.Session | None = None) -> requests.Response:
    sender = session if session is not None else requests
    return sender.post(f"{proxy.url}/entries", data=body, timeout=timeout,
                       headers={"Content-Type": "application/json"})


def test_pass_forwards_faithfully(proxy: ChaosProxy, server: EchoServer) -> None:
    body = b"x" * 300_000
    r = post(proxy, body)
    assert r.status_code == 200 and r.content == body
    assert server.posts == 1
    assert proxy.stats["connections"] == 1 and proxy.stats["pass"] == 1


def test_refuse_never_reaches_the_server(proxy: ChaosProxy, server: EchoServer) -> None:
    proxy.set_fault(Fault.REFUSE)
    with pytest.raises(requests.ConnectionError):
        post(proxy)
    time.sleep(0.1)
    assert server.posts == 0
    assert proxy.stats["refuse"] == 1


def test_reset_after_the_server_did_the_work(proxy: ChaosProxy, server: EchoServer) -> None:
    proxy.set_fault(Fault.RESET)
    with pytest.raises(requests.ConnectionError):
        post(proxy)
    assert server.posts == 1


def test_reset_midway_through_the_response(proxy: ChaosProxy, server: EchoServer) -> None:
    proxy.set_fault(Fault.RESET_MIDWAY, after_bytes=20)
    with pytest.raises(requests.RequestException):
        post(proxy)
    assert server.posts == 1


def test_reset_midway_inside_the_body(proxy: ChaosProxy, server: EchoServer) -> None:
    proxy.set_fault(Fault.RESET_MIDWAY, after_bytes=400)
    with pytest.raises(requests.RequestException):
        post(proxy, b"y" * 2000)
    assert server.posts == 1


def test_blackhole_makes_the_client_time_out(proxy: ChaosProxy, server: EchoServer) -> None:
    proxy.set_fault(Fault.BLACKHOLE)
    with pytest.raises(requests.ReadTimeout):
        post(proxy, timeout=0.5)
    assert server.posts == 0


def test_delay_slows_but_delivers(proxy: ChaosProxy, server: EchoServer) -> None:
    proxy.set_fault(Fault.DELAY, delay=0.3)
    started = time.monotonic()
    r = post(proxy, b"slow")
    assert time.monotonic() - started >= 0.3
    assert r.content == b"slow"


def test_delay_beyond_the_client_timeout(proxy: ChaosProxy, server: EchoServer) -> None:
    proxy.set_fault(Fault.DELAY, delay=0.3)
    with pytest.raises(requests.Timeout):
        post(proxy, timeout=0.1)


def test_duplicate_replays_the_request(proxy: ChaosProxy, server: EchoServer) -> None:
    proxy.set_fault(Fault.DUPLICATE)
    r = post(proxy, b'{"once": true}')
    assert r.content == b'{"once": true}'
    assert wait_for(lambda: server.posts == 2)
    assert wait_for(lambda: proxy.stats["duplicated_requests"] == 1)


def test_duplicate_each_request_on_a_keep_alive_session(proxy: ChaosProxy,
                                                         server: EchoServer) -> None:
    proxy.set_fault(Fault.DUPLICATE)
    with requests.Session() as session:
        for i in range(3):
            assert post(proxy, f"n={i}".encode(), session=session).content == f"n={i}".encode()
    assert proxy.stats["connections"] == 1, "the session should have reused its connection"
    assert wait_for(lambda: server.posts == 6)
    time.sleep(0.1)
    assert server.posts == 6


def test_schedule_alternates(proxy: ChaosProxy, server: EchoServer) -> None:
    proxy.set_schedule([Fault.PASS, Fault.RESET])
    outcomes = []
    for _ in range(4):
        try:
            post(proxy)
            outcomes.append("ok")
        except requests.ConnectionError:
            outcomes.append("error")
    assert outcomes == ["ok", "error", "ok", "error"]
    assert server.posts == 4
    assert proxy.history == [Fault.PASS, Fault.RESET] * 2


def test_schedule_function_every_third_resets(proxy: ChaosProxy, server: EchoServer) -> None:
    proxy.set_schedule(lambda i: Fault.REFUSE if i % 3 == 2 else Fault.PASS)
    failures = 0
    for _ in range(6):
        try:
            post(proxy)
        except requests.ConnectionError:
            failures += 1
    assert failures == 2 and server.posts == 4


def draw(server: EchoServer, seed: int) -> list[Fault]:
    with ChaosProxy("127.0.0.1", server.port) as p:
        p.set_random(seed, {Fault.PASS: 1, Fault.REFUSE: 1, Fault.RESET: 1})
        for _ in range(8):
            with contextlib.suppress(requests.ConnectionError):
                post(p)
        return p.history


def test_random_is_reproducible(server: EchoServer) -> None:
    first = draw(server, seed=7)
    assert first == draw(server, seed=7)
    assert len(set(first)) > 1


def test_upstream_down(server: EchoServer) -> None:
    with ChaosProxy("127.0.0.1", server.port) as p:
        server.stop()
        with pytest.raises(requests.ConnectionError):
            post(p)
        assert wait_for(lambda: p.stats["upstream_failures"] == 1)
        started = time.monotonic()
        p.stop()
        assert time.monotonic() - started < 2


def test_proxy_survives_a_dead_upstream_and_keeps_serving(server: EchoServer) -> None:
    with ChaosProxy("127.0.0.1", 1) as p:  # port 1: nothing listens there
        with pytest.raises(requests.ConnectionError):
            post(p)
        p.target = ("127.0.0.1", server.port)
        assert post(p).status_code == 200


def test_stop_with_live_keep_alive_connections(server: EchoServer) -> None:
    p = ChaosProxy("127.0.0.1", server.port)
    p.start()
    sessions = [requests.Session() for _ in range(3)]
    unstarted = ChaosProxy("127.0.0.1", server.port)
    try:
        for s in sessions:
            assert s.get(p.url, timeout=TIMEOUT).content == b"hello"
        p.set_fault(Fault.DELAY, delay=5)
        threading.Thread(target=lambda: _swallow(lambda: post(p, timeout=10)),
                         daemon=True).start()
        assert wait_for(lambda: p.stats["delay"] == 1)
        started = time.monotonic()
        p.stop()
        assert time.monotonic() - started < 2
        p.stop()  # idempotent
        assert not [t for t in threading.enumerate() if t.name.startswith("chaos-link")]
        with pytest.raises(requests.ConnectionError):
            sessions[0].get(p.url, timeout=TIMEOUT)
    finally:
        for s in sessions:
            s.close()
        unstarted.stop()  # never started: stop is still fine


def _swallow(call: Callable[[], object]) -> None:
    with contextlib.suppress(requests.RequestException):
        call()


def test_kill_all_connections(proxy: ChaosProxy, server: EchoServer) -> None:
    with requests.Session() as session:
        assert session.get(proxy.url, timeout=TIMEOUT).status_code == 200
        proxy.kill_all_connections()
        assert proxy.stats["killed"] == 1
        # urllib3 notices the dead pooled connection and reconnects, or reports it
        with contextlib.suppress(requests.ConnectionError):
            session.get(proxy.url, timeout=TIMEOUT)
        assert session.get(proxy.url, timeout=TIMEOUT).status_code == 200
        assert proxy.stats["connections"] >= 2


def test_frame_http_request() -> None:
    head = b"POST /e HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\n"
    assert frame_http_request(head + b"ab") is None
    assert frame_http_request(head + b"abcGET") == len(head) + 3
    get = b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"
    assert frame_http_request(get + get) == len(get)
    chunked = (b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
               b"3;ext\r\nabc\r\n0\r\nX-T: 1\r\n\r\n")
    assert frame_http_request(chunked) == len(chunked)
    assert frame_http_request(chunked[:-1]) is None
    with pytest.raises(ValueError):
        frame_http_request(b"\x16\x03\x01 binary\r\n\r\n")
    with pytest.raises(ValueError):
        frame_http_request(b"POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n")


def test_duplicate_of_a_chunked_body(proxy: ChaosProxy, server: EchoServer) -> None:
    proxy.set_fault(Fault.DUPLICATE)
    r = requests.post(proxy.url, data=iter([b"ab", b"cd"]), timeout=TIMEOUT)
    assert r.content == b"abcd"
    assert wait_for(lambda: server.posts == 2)
    assert wait_for(lambda: proxy.stats["duplicated_requests"] == 1)
