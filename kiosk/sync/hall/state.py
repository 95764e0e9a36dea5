"""The hall's one sync-state row, and the lock that lets one sync run at a time."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.db import utcnow
from kiosk.sync.hall.errors import SyncBusy
from kiosk.sync.models import SyncState


@contextmanager
def sync_lock(instance_path: str) -> Iterator[None]:
    """One sync per node, across threads and processes; the OS drops it if we die."""
    path = Path(instance_path) / "sync.lock"
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise SyncBusy("本站已有另一次目录同步在进行，这一次不再重复") from None
        yield
    finally:
        os.close(descriptor)


def get_state(session: Session, for_update: bool = False) -> SyncState:
    query = select(SyncState).where(SyncState.id == 1)
    state = session.scalar(query.with_for_update() if for_update else query)
    if state is None:
        state = SyncState(
            id=1,
            cursor=0,
            latest=0,
            etag="",
            resyncing=False,
            items_held=0,
            last_error="",
            outbox_sent=0,
            answers_cursor=0,
            applications_cursor=0,
        )
        session.add(state)
        session.flush()
    return state


def succeeded(state: SyncState) -> SyncState:
    """A round (or a snapshot file) went through: now, and no error stands."""
    state.last_success_at = utcnow()
    state.last_error, state.last_error_at = "", None
    return state
