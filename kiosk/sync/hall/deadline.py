"""An overall deadline for each request and download of the sync, not only per read.

requests' timeout bounds each wait for bytes: a centre (or a proxy) answering one byte a
second never trips it and held `kiosk sync --once` for hours. Here every socket the sync's
HTTP session opens is noted; when a request's deadline passes, a timer shuts them down, so
whatever read is blocked (status line, headers or body) ends at once and the request fails.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

from requests.adapters import HTTPAdapter
from urllib3 import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.connection import HTTPConnection, HTTPSConnection


class Sockets:
    """The sockets of one HTTP session, and a deadline that cuts them."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        self.expired = False

    def add(self, sock: socket.socket | None) -> None:
        if sock is not None:
            with self._lock:
                self._open.add(sock)

    def _cut(self) -> None:
        with self._lock:
            self.expired = True
            sockets, self._open = list(self._open), set()
        for sock in sockets:
            with suppress(OSError):  # already closed by its connection
                sock.shutdown(socket.SHUT_RDWR)

    @contextmanager
    def deadline(self, seconds: float) -> Iterator[None]:
        """Within the block, every socket of the session is shut once `seconds` pass;
        `expired` then says why what was reading failed."""
        self.expired = False
        timer = threading.Timer(seconds, self._cut)
        timer.daemon = True
        timer.start()
        try:
            yield
        finally:
            timer.cancel()


def deadline_adapter(sockets: Sockets) -> HTTPAdapter:
    """A requests adapter whose connections note their sockets in `sockets`."""

    class Watched(HTTPConnection):
        def connect(self) -> None:
            super().connect()
            sockets.add(self.sock)

    class WatchedTLS(HTTPSConnection):
        def connect(self) -> None:
            super().connect()
            sockets.add(self.sock)

    class Pool(HTTPConnectionPool):
        ConnectionCls = Watched

    class TLSPool(HTTPSConnectionPool):
        ConnectionCls = WatchedTLS

    class Adapter(HTTPAdapter):
        def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
            super().init_poolmanager(*args, **kwargs)
            self.poolmanager.pool_classes_by_scheme = {"http": Pool, "https": TLSPool}

    return Adapter()
