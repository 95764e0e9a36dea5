"""Writes a page wants kept but must not wait for: views, searches, a node's last poll.

A resident's page never waits behind a sync's or an import's write lock: it hands the
write to this buffer and answers. A background job of `kiosk serve` applies what has
gathered every few seconds, in one transaction, and once more when the node stops. What
is buffered is counting data; a node killed outright loses at most the last few seconds.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable

from flask import Flask, current_app
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from kiosk.db import Database

log = logging.getLogger("kiosk.writebehind")

Write = Callable[[Session], object]
FLUSH_SECONDS = 5.0
# A database that stays locked must not let the buffer eat the node's memory.
MAX_PENDING = 50_000


class WriteBehind:
    def __init__(self) -> None:
        self._pending: deque[Write] = deque(maxlen=MAX_PENDING)
        self._lock = threading.Lock()

    def add(self, write: Write) -> None:
        with self._lock:
            if len(self._pending) == MAX_PENDING:
                log.warning("write-behind buffer full: the oldest write is dropped")
            self._pending.append(write)

    def __len__(self) -> int:
        return len(self._pending)

    def flush(self, database: Database) -> int:
        """Apply everything gathered so far; on failure it is kept for the next round."""
        with self._lock:
            writes = list(self._pending)
            self._pending.clear()
        if not writes:
            return 0
        try:
            with database.session() as session:
                for write in writes:
                    write(session)
        except SQLAlchemyError:
            with self._lock:
                self._pending.extendleft(reversed(writes))
            raise
        return len(writes)


def init_app(app: Flask) -> None:
    buffer = WriteBehind()
    app.extensions["kiosk_writes"] = buffer
    app.extensions["kiosk_jobs"].register(
        "write-behind", flush_job, FLUSH_SECONDS, jitter=0.0, on_stop=flush_job
    )


def later(write: Write) -> None:
    """Keep `write` without making the current request wait for the database."""
    current_app.extensions["kiosk_writes"].add(write)


def flush_job(app: Flask) -> None:
    app.extensions["kiosk_writes"].flush(app.extensions["kiosk_db"])


def flush_now(app: Flask) -> int:
    """Apply the buffer in the caller's thread (tests, the CLI)."""
    return app.extensions["kiosk_writes"].flush(app.extensions["kiosk_db"])
