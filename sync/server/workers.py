"""The event loop of each of ``kiosk ledger serve --workers N``'s processes: it spreads the
connections of one listening socket over the workers, as a least-connections balancer would.

The workers share one listening socket, and asyncio accepts every connection waiting on it
in one go: a kiosk's two keep-alive connections, opened together, then often both landed
on one worker, which served both uploads on one core while the other worker idled (in one
bench run 2.7 s of upload CPU on one worker and almost none on the other). Here a worker
that holds no connection accepts one at a time, and a worker that holds some waits a
moment (more, the more it holds) before it accepts, so an idle worker, woken by the same
connection, takes it first. SO_REUSEPORT sockets per worker were the other way: the
kernel spreads by a hash of the addresses, so two connections share a worker half the time.

It reads how many connections a server holds from asyncio's ``Server`` and overrides the
selector loop's accept handler, private parts of asyncio (the same in Python 3.11 to 3.13);
``tests/sync/test_workers.py`` checks the spreading itself.
"""

from __future__ import annotations

import asyncio
import socket
from typing import Any

WAIT_PER_CONNECTION = 0.01  # seconds a worker waits, per connection it holds...
MOST_WAIT = 0.05  # ...up to this, before it accepts (kiosks keep their connections open)


def _held(server: Any) -> int:
    """How many connections ``server`` (an ``asyncio.Server``) has open."""
    count = getattr(server, "_active_count", 0)
    return count if isinstance(count, int) else 0


class SpreadingLoop(asyncio.SelectorEventLoop):
    """uvicorn's ``loop`` for the workers (``loop="sync.server.workers:SpreadingLoop"``)."""

    def _accept_connection(self, protocol_factory: Any, sock: socket.socket,
                           sslcontext: Any = None, server: Any = None, backlog: int = 100,
                           *args: Any) -> None:
        held = _held(server)
        if held == 0:  # idle: take one, and leave the next to a worker as idle
            super()._accept_connection(  # type: ignore[misc]
                protocol_factory, sock, sslcontext, server, 1, *args)
            return
        # Busy: step back while an idle worker, woken by the same connection, takes it;
        # then take what is still waiting, as asyncio would.
        self._remove_reader(sock.fileno())  # type: ignore[attr-defined]
        self.call_later(min(held * WAIT_PER_CONNECTION, MOST_WAIT), self._after_waiting,
                        protocol_factory, sock, sslcontext, server, backlog, *args)

    def _after_waiting(self, protocol_factory: Any, sock: socket.socket, sslcontext: Any,
                       server: Any, backlog: int, *args: Any) -> None:
        if sock.fileno() == -1 or (server is not None and not server.is_serving()):
            return  # closed while waiting: the server is shutting down
        super()._accept_connection(  # type: ignore[misc]
            protocol_factory, sock, sslcontext, server, backlog, *args)
        self._start_serving(  # type: ignore[attr-defined]
            protocol_factory, sock, sslcontext, server, backlog, *args)
