"""A full resync of a few thousand items while residents use the hall: every item page
answers within a second (the snapshot is applied in batches that commit), and a resync
killed mid-apply goes on next time from where it stopped."""

from __future__ import annotations

import random
import signal
import threading
import time

import pytest
import requests
from sqlalchemy import func, select

from kiosk.catalog.services import upsert_items
from kiosk.serve import serve_in_thread
from kiosk.sync.hall.rounds import run_sync
from kiosk.sync.hall.state import get_state
from kiosk.sync.models import ResyncSeen
from tests.sync.conftest import ITEM, LEVEL, TOWN
from tests.sync.test_kill import kiosk_sync

ITEMS = 3000
SQLITE = pytest.mark.parametrize("backend", ["sqlite"])


def _put_all(central, content: str) -> list[str]:
    codes = [f"L{number:05d}" for number in range(ITEMS)]
    documents = [
        {**ITEM, "code": code, "name": f"事项{code}", "region": TOWN, "level": LEVEL[TOWN],
         "content": content}
        for code in codes
    ]  # fmt: skip
    with central.database.session() as session:
        for start in range(0, ITEMS, 500):
            upsert_items(session, documents[start : start + 500], "test", feed=True)
    return codes


def _start_over(hall) -> None:
    """As after a long outage: the next round fetches and applies the whole snapshot."""
    with hall.extensions["kiosk_db"].session() as session:
        get_state(session).cursor = 0


@SQLITE
def test_item_pages_answer_within_a_second_during_a_full_resync(central, make_hall):
    codes = _put_all(central, "第一版办理流程。")
    hall = make_hall(central.node())
    run_sync(hall)
    _put_all(central, "第二版办理流程，材料清单有变。")
    _start_over(hall)
    slowest: list[float] = []
    syncing = threading.Event()
    with serve_in_thread(hall) as url:

        def resident() -> None:
            with requests.Session() as browser:
                while syncing.is_set():
                    started = time.monotonic()
                    code = random.choice(codes)  # noqa: S311 - which page, not a secret
                    page = browser.get(f"{url}/items/{code}", timeout=30)
                    slowest.append(time.monotonic() - started)
                    assert page.status_code == 200

        syncing.set()
        residents = [threading.Thread(target=resident) for _ in range(3)]
        for thread in residents:
            thread.start()
        try:
            result = run_sync(hall)
        finally:
            syncing.clear()
            for thread in residents:
                thread.join()
    assert result.upserted == ITEMS
    assert len(slowest) > 10
    assert max(slowest) < 1.0, sorted(slowest)[-5:]


@SQLITE
def test_a_resync_killed_mid_apply_goes_on_where_it_stopped(central, make_hall):
    _put_all(central, "第一版办理流程。")
    hall = make_hall(central.node())
    database = hall.extensions["kiosk_db"]

    def done() -> int:
        with database.session() as session:
            return session.scalar(select(func.count()).select_from(ResyncSeen)) or 0

    process = kiosk_sync(hall, central.url, "--once")
    try:
        deadline = time.monotonic() + 240
        while done() == 0 and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.02)
        process.send_signal(signal.SIGKILL)
    finally:
        process.communicate()
    before = done()
    assert 0 < before < ITEMS, "the kill came too late to land mid-apply"
    with database.session() as session:
        assert get_state(session).cursor == 0  # the cursor moves only at the end
    result = run_sync(hall)
    assert result.upserted == ITEMS - before  # the batches done before were not done again
    with database.session() as session:
        assert get_state(session).items_held == ITEMS
        assert done() == 0
