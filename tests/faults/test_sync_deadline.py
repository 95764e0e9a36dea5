"""A centre answering one byte a second (a real proxy process on loopback) cannot hold the
hall's sync: each request and download ends at its deadline, the lock is released, the
outbox still gets its turn and the status says why."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import select

from kiosk.outbox.models import OutboxEntry
from kiosk.outbox.services import enqueue
from kiosk.sync.hall.errors import SyncError
from kiosk.sync.hall.rounds import run_sync
from kiosk.sync.hall.state import sync_lock
from kiosk.sync.hall.status import sync_status

DEADLINE = 2.0
pytestmark = pytest.mark.parametrize("backend", ["sqlite"])


@contextmanager
def dripping(upstream: str, *how: str) -> Iterator[str]:
    """The drip proxy (tests/faults/drip.py) as its own process; its URL."""
    proxy = subprocess.Popen(
        [sys.executable, "-m", "tests.faults.drip", upstream, *how],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).parents[2],
    )
    try:
        assert proxy.stdout is not None
        yield f"http://127.0.0.1:{proxy.stdout.readline().strip()}"
    finally:
        proxy.kill()
        proxy.wait()
        proxy.stdout.close()


def _sync(hall, url: str) -> tuple[float, str]:
    """One round against `url` with a short deadline: (seconds it took, its error)."""
    hall.config.update(KIOSK_CENTRAL_URL=url, KIOSK_SYNC_PAGE_TIMEOUT=DEADLINE)
    started = time.monotonic()
    with pytest.raises(SyncError) as failed:
        run_sync(hall)
    return time.monotonic() - started, str(failed.value)


def test_a_dripping_centre_ends_the_pull_at_its_deadline_and_the_outbox_still_goes(
    central, make_hall
):
    central.put("T1")
    hall = make_hall(central.node())
    database = hall.extensions["kiosk_db"]
    with database.session() as session:
        enqueue(session, "rating", {"item": "T1", "stars": 5})
    with dripping(central.url, "/api/v1/") as url:
        elapsed, error = _sync(hall, url)
    assert elapsed < DEADLINE + 8, error  # a generous bound on a loaded machine; hours before
    assert error.startswith("县中心回答太慢：GET /snapshot 在 2 秒内没有答完")
    with database.session() as session:
        assert sync_status(session).last_error.startswith("县中心回答太慢")
        assert all(entry.sent_at for entry in session.scalars(select(OutboxEntry)))
    with sync_lock(hall.instance_path):
        pass  # released


def test_a_dripping_snapshot_download_is_cut_and_resumed_later(central, make_hall):
    for number in range(20):
        central.put(f"T{number}")
    hall = make_hall(central.node())
    with dripping(central.url, "/api/v1/snapshots/", "body") as url:
        elapsed, error = _sync(hall, url)
    assert elapsed < DEADLINE + 8, error
    assert error.startswith("目录快照下载太慢：2 秒内没有下完")
    part = next((Path(hall.instance_path) / "sync-download").iterdir())
    assert 0 < part.stat().st_size  # kept for the next round
    hall.config["KIOSK_CENTRAL_URL"] = central.url
    assert run_sync(hall).snapshot_cursor
