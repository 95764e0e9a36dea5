"""`kiosk sync --once` killed with SIGKILL mid-way, then resumed: nothing lost, nothing twice."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

import pytest
from flask import Flask
from sqlalchemy import select, text

from kiosk.audit.models import AuditEntry
from kiosk.catalog.models import Item
from kiosk.serve import serve_in_thread
from kiosk.sync.hall.state import get_state
from kiosk.sync.hall.status import sync_status
from kiosk.sync.models import CatalogChange

PAGE = 4
ITEMS = 10


class Gate:
    """In front of the centre: holds the second change-feed request until released."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.requests = 0
        self.reached = threading.Event()
        self.release = threading.Event()
        self.answered = threading.Event()

    def __call__(self, environ, start_response):
        if environ["PATH_INFO"] == "/api/v1/snapshot":
            # As a centre from before snapshots: the first sync pages the feed.
            start_response("404 Not Found", [("Content-Type", "application/json")])
            return [b'{"error": "not_found", "message": "no snapshots here"}']
        if environ["PATH_INFO"] != "/api/v1/changes":
            return self.app(environ, start_response)
        self.requests += 1
        if self.requests == 2:
            self.reached.set()
            self.release.wait(60)
        body = b"".join(self.app(environ, start_response))
        if self.requests == 2:
            self.answered.set()
        return [body]


@contextmanager
def write_lock(hall: Flask) -> Iterator[None]:
    """Hold the hall database so the sync blocks inside its apply transaction."""
    url = hall.config["KIOSK_DATABASE_URL"]
    if url.startswith("sqlite"):
        connection = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
        connection.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            connection.execute("ROLLBACK")
            connection.close()
        return
    with hall.extensions["kiosk_db"].engine.connect() as connection:
        connection.execute(text("LOCK TABLE sync_state IN ACCESS EXCLUSIVE MODE"))
        try:
            yield
        finally:
            connection.rollback()


def kiosk_sync(
    hall: Flask, central_url: str, *args: str, log: IO[str] | None = None, **settings: str
) -> subprocess.Popen:
    """`kiosk sync ARGS` for this hall; its output is piped, or all of it goes to `log`."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("KIOSK_")}
    env.update(
        {
            "KIOSK_INSTANCE_PATH": hall.instance_path,
            "KIOSK_DATABASE_URL": hall.config["KIOSK_DATABASE_URL"],
            "KIOSK_CENTRAL_URL": central_url,
            "KIOSK_NODE_TOKEN": hall.config["KIOSK_NODE_TOKEN"],
            **settings,
        }
    )
    return subprocess.Popen(
        [sys.executable, "-m", "kiosk", "sync", *args],
        env=env,
        stdout=log or subprocess.PIPE,
        stderr=subprocess.STDOUT if log else subprocess.PIPE,
        text=True,
        stdin=subprocess.DEVNULL,
    )


def held_codes(hall: Flask) -> list[str]:
    with hall.extensions["kiosk_db"].session() as session:
        return sorted(session.scalars(select(Item.code)))


@pytest.mark.parametrize("moment", ["between pages", "during apply"])
def test_a_sync_killed_mid_way_resumes_without_duplicates_or_gaps(central, make_hall, moment):
    codes = [f"K{number:02d}" for number in range(ITEMS)]
    for code in codes:
        central.put(code)
    hall = make_hall(central.node())
    gate = Gate(central.app)
    with serve_in_thread(gate) as gate_url:
        process = kiosk_sync(hall, gate_url, "--once", KIOSK_SYNC_PAGE_SIZE=str(PAGE))
        try:
            assert gate.reached.wait(60), process.communicate(timeout=5)
            if moment == "during apply":
                with write_lock(hall):
                    gate.release.set()
                    assert gate.answered.wait(30)
                    time.sleep(0.5)  # let it enter the blocked write; the kill is what counts
                    process.send_signal(signal.SIGKILL)
                    process.wait(30)
            else:
                process.send_signal(signal.SIGKILL)
                process.wait(30)
        finally:
            gate.release.set()
            if process.poll() is None:
                process.kill()
            process.communicate(timeout=30)
    assert process.returncode == -signal.SIGKILL

    # The first page and its cursor landed together; nothing of the second page did.
    assert held_codes(hall) == codes[:PAGE]
    with central.database.session() as session:
        page_end = session.scalar(
            select(CatalogChange.seq).where(CatalogChange.code == codes[PAGE - 1])
        )
    with hall.extensions["kiosk_db"].session() as session:
        assert get_state(session).cursor == page_end

    resumed = kiosk_sync(hall, central.url, "--once", KIOSK_SYNC_PAGE_SIZE=str(PAGE))
    out, err = resumed.communicate(timeout=60)
    assert resumed.returncode == 0, err
    assert f"已有事项：{ITEMS} 项" in out
    assert "目录版本" in out and "上次成功" in out
    assert held_codes(hall) == codes
    with hall.extensions["kiosk_db"].session() as session:
        rounds = list(session.scalars(select(AuditEntry)))
    # One audit entry per round; across the killed round and its resumption every item
    # arrived once. (The killed round kept none: it died before the round's end.)
    assert {entry.action for entry in rounds} == {"sync.apply"}
    assert sum(entry.after["upserted"] for entry in rounds) <= ITEMS


class Switch:
    """In front of the centre: answers 503 while `down`, as a centre under maintenance."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.down = True

    def __call__(self, environ, start_response):
        if self.down:
            start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
            return [b"maintenance"]
        return self.app(environ, start_response)


def test_kiosk_sync_without_once_polls_through_failures_until_sigterm(central, make_hall, tmp_path):
    central.put("L1")
    hall = make_hall(central.node())
    switch = Switch(central.app)
    log = tmp_path / "sync.log"
    with serve_in_thread(switch) as url, log.open("w") as output:
        process = kiosk_sync(hall, url, log=output, KIOSK_SYNC_INTERVAL="1")
        try:
            deadline = time.monotonic() + 60
            while last_error_at(hall) is None and time.monotonic() < deadline:
                time.sleep(0.2)
            assert last_error_at(hall) is not None and process.poll() is None
            switch.down = False  # the centre is back: the next round, after its back-off
            for code in ("L1", "L2"):
                if code == "L2":
                    central.put("L2")
                deadline = time.monotonic() + 60
                while code not in held_codes(hall) and time.monotonic() < deadline:
                    time.sleep(0.2)
                assert code in held_codes(hall)
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(30)
    assert process.returncode == 0
    text = log.read_text()
    assert "job catalog-sync failed (1 in a row)" in text
    assert "县中心在给出目录快照清单时回答 HTTP 503" in text
    assert "received SIGTERM, stopping" in text and "stopped jobs" in text


def last_error_at(hall: Flask):
    with hall.extensions["kiosk_db"].session() as session:
        return sync_status(session).last_error_at
