"""Catalog sync over real HTTP on loopback: a centre (`kiosk serve`, its own process) with a
synthetic county, and a hall node (its own SQLite database) pulling from it.

Measured, with the centre on SQLite and on PostgreSQL: the hall's first full sync (beside its
floor: plain sqlite3 taking the same snapshot file, with the same search forms and FTS5
index, no ORM, no web stack), an
incremental sync of 50 changes, and a poll with nothing new (time, and bytes on the wire
both ways, HTTP headers included, counted by a relay between hall and centre).

The county puts every item in one hall's lineage (one township, one village), so the
village hall receives the whole public catalog: the worst first sync a county can cause.
"""

from __future__ import annotations

import gzip
import json
import selectors
import signal
import socket
import sqlite3
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import requests
from flask import Flask
from sqlalchemy import select

from bench import catalog_gen
from bench.harness import free_port, start_server, summarise, table, write_result
from bench.postgres import postgres_server
from kiosk.app import create_app
from kiosk.catalog.elements import ITEM_FIELDS
from kiosk.catalog.models import Item
from kiosk.catalog.search_index import pairs
from kiosk.catalog.services import search_forms, upsert_item
from kiosk.db import Database
from kiosk.regions.services import lineage
from kiosk.sync.hall.result import SyncResult
from kiosk.sync.hall.rounds import run_sync
from kiosk.sync.nodes import add_node

COUNTY = "基准县"
VILLAGE = f"{COUNTY}/第1镇/第1村"
GEOGRAPHY = {"county": COUNTY, "townships": 1, "villages_per_township": 1}
ACTOR = "bench"


class CountingRelay:
    """A TCP relay on loopback that counts the bytes each way (what the wire carries)."""

    def __init__(self, target_port: int) -> None:
        self.target = ("127.0.0.1", target_port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.sent = self.received = 0  # by the client, to the server / from it
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def reset(self) -> None:
        with self.lock:
            self.sent = self.received = 0

    def close(self) -> None:
        self.listener.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._pipe, args=(client,), daemon=True).start()

    def _pipe(self, client: socket.socket) -> None:
        server = socket.create_connection(self.target)
        peer = {client: server, server: client}
        with selectors.DefaultSelector() as selector, client, server:
            for end in peer:
                selector.register(end, selectors.EVENT_READ)
            while True:
                for key, _ in selector.select():
                    data = key.fileobj.recv(65536)
                    if not data:
                        return
                    peer[key.fileobj].sendall(data)
                    with self.lock:
                        if key.fileobj is client:
                            self.sent += len(data)
                        else:
                            self.received += len(data)


@contextmanager
def centre(backend: str, count: int, root: Path) -> Iterator[tuple[str, Database, float]]:
    """A loaded centre served by `kiosk serve`; yields its URL, its database, load seconds."""
    with ExitStack() as stack:
        if backend == "postgresql":
            url = stack.enter_context(postgres_server()).create_database()
        else:
            url = f"sqlite:///{root / 'centre' / 'kiosk.db'}"
        (root / "centre").mkdir()
        load_seconds = catalog_gen.load(url, count, **GEOGRAPHY)
        port = free_port()
        server = start_server(
            ["kiosk", "serve", "--port", str(port)],
            port,
            KIOSK_INSTANCE_PATH=str(root / "centre"),
            KIOSK_DATABASE_URL=url,
            KIOSK_ROLE="central",
        )
        database = Database(url)
        try:
            yield f"http://127.0.0.1:{port}", database, load_seconds
        finally:
            database.dispose()
            server.send_signal(signal.SIGTERM)
            server.wait(30)


def change_fifty(database: Database, region: str = VILLAGE) -> None:
    """50 changes as the importer makes them, all within the hall at `region`'s scope: 40
    edits, 5 new items, 5 withdrawn."""
    county = region.split("/")[0]
    with database.session() as session:
        items = list(
            session.scalars(
                select(Item)
                .where(Item.status == "已公开", Item.region.in_(lineage(region)))
                .order_by(Item.id)
                .limit(45)
            )
        )
        for number, item in enumerate(items[:40]):
            values = {field: getattr(item, field) for field in ITEM_FIELDS}
            upsert_item(
                session, {**values, "content": values["content"] + f"（修订{number}）"}, ACTOR
            )
        for item in items[40:]:
            values = {field: getattr(item, field) for field in ITEM_FIELDS}
            upsert_item(session, {**values, "status": "近期不公开"}, ACTOR)
        new = catalog_gen.items(5, county, seed=99, townships=1, villages_per_township=1)
        for number, values in enumerate(new):
            upsert_item(
                session, {**values, "code": f"{county}-new-{number}", "status": "已公开"}, ACTOR
            )


def snapshot_bytes(url: str, token: str) -> bytes:
    """The snapshot file the centre serves this node (the one its first sync took)."""
    headers = {"Authorization": f"Bearer {token}"}
    manifest = requests.get(f"{url}/api/v1/snapshot", headers=headers, timeout=60)
    manifest.raise_for_status()
    answer = requests.get(f"{url}/api/v1/{manifest.json()['url']}", headers=headers, timeout=300)
    answer.raise_for_status()
    return answer.content


def floor_load(data: bytes, path: Path) -> float:
    """Seconds for plain sqlite3 to take the same snapshot: unpack and parse it, make each
    item's search forms and pairs as the hall does, and bulk-insert items and FTS5 index."""
    started = time.perf_counter()
    lines = gzip.decompress(data).splitlines()[1:]  # the header line first
    items = [json.loads(line) for line in lines]
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=WAL")
    columns = ", ".join(f"{field} TEXT" for field in ITEM_FIELDS if field != "code")
    connection.execute(f"CREATE TABLE item (id INTEGER PRIMARY KEY, code TEXT UNIQUE, {columns})")
    connection.execute(
        "CREATE VIRTUAL TABLE item_search USING fts5(body, pinyin, "
        "tokenize = 'unicode61 remove_diacritics 0')"
    )
    fields = ["code", *(field for field in ITEM_FIELDS if field != "code")]
    rows, index = [], []
    for number, item in enumerate(items, 1):
        forms = search_forms(item)
        rows.append([number, *(item.get(field, "") for field in fields)])
        index.append((number, pairs(forms["search_text"]), pairs(forms["search_pinyin"])))
    marks = ", ".join("?" * (len(fields) + 1))
    with connection:
        connection.executemany(
            f"INSERT INTO item (id, {', '.join(fields)}) VALUES ({marks})",  # noqa: S608
            rows,
        )
        connection.executemany(
            "INSERT INTO item_search (rowid, body, pinyin) VALUES (?, ?, ?)", index
        )
    connection.close()
    return time.perf_counter() - started


def timed_sync(hall, relay: CountingRelay) -> tuple[float, int, int, SyncResult]:
    relay.reset()
    started = time.perf_counter()
    result = run_sync(hall)
    seconds = time.perf_counter() - started
    with relay.lock:
        return seconds, relay.sent, relay.received, result


def hall_app(root: Path, port: int, token: str, region: str = VILLAGE) -> Flask:
    """A hall node at `region` (its own SQLite database under root/hall) syncing from the
    centre at this loopback port."""
    return create_app(
        {
            "KIOSK_INSTANCE_PATH": str(root / "hall"),
            "KIOSK_ROLE": "hall",
            "KIOSK_CENTRAL_URL": f"http://127.0.0.1:{port}",
            "KIOSK_NODE_TOKEN": token,
            "KIOSK_REGION": region,
            "KIOSK_DATABASE_URL": f"sqlite:///{root / 'hall' / 'kiosk.db'}",
        }
    )


def first_and_fifty(
    hall: Flask,
    relay: CountingRelay,
    url: str,
    database: Database,
    token: str,
    root: Path,
    region: str = VILLAGE,
) -> dict[str, Any]:
    """The hall's first full sync beside its floor, then its sync of 50 changes."""
    phases: dict[str, Any] = {}
    seconds, sent, received, result = timed_sync(hall, relay)
    floor = floor_load(snapshot_bytes(url, token), root / "floor.db")
    phases["first full sync"] = {
        "seconds": seconds,
        "floor_seconds": floor,
        "sent": sent,
        "received": received,
        "items": result.upserted,
        "pages": result.pages,
    }
    change_fifty(database, region)
    seconds, sent, received, result = timed_sync(hall, relay)
    phases["incremental, 50 changes"] = {
        "seconds": seconds,
        "sent": sent,
        "received": received,
        "items": result.upserted + result.deleted,
        "pages": result.pages,
    }
    return phases


def run_backend(backend: str, count: int, polls: int = 20) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        root = Path(tmp)
        url, database, load_seconds = stack.enter_context(centre(backend, count, root))
        with database.session() as session:
            token = add_node(session, "bench-hall", VILLAGE, ACTOR)[1]
        relay = CountingRelay(int(url.rsplit(":", 1)[1]))
        stack.callback(relay.close)
        hall = hall_app(root, relay.port, token)
        stack.callback(hall.extensions["kiosk_db"].dispose)
        phases = first_and_fifty(hall, relay, url, database, token, root)
        # The hall keeps an ETag only for an answer that left its cursor where it was.
        run_sync(hall)
        times, wire = [], []
        for _ in range(polls):
            seconds, sent, received, result = timed_sync(hall, relay)
            if not result.not_modified:
                raise RuntimeError("a poll with no change was not answered 304")
            times.append(seconds * 1000)
            wire.append(sent + received)
        phases["no-change poll"] = {
            "seconds": summarise(times)["p50"] / 1000,
            "sent": sent,
            "received": received,
            "items": 0,
            "pages": 0,
            "poll_ms": summarise(times),
            "wire_bytes_max": max(wire),
        }
        return {
            "backend": backend,
            "centre_items": count,
            "centre_load_seconds": load_seconds,
            "phases": phases,
        }


def run(count: int = 20_000, polls: int = 20) -> dict[str, Any]:
    return {
        "items": count,
        "backends": [run_backend(backend, count, polls) for backend in ("sqlite", "postgresql")],
    }


TARGETS = {
    "first full sync": "≤ 1.5x the floor",
    "incremental, 50 changes": "≤ 1 s",
    "no-change poll": "≤ 1 KB on the wire",
}


def report(outcome: dict[str, Any]) -> str:
    rows = []
    for backend in outcome["backends"]:
        for phase, figures in backend["phases"].items():
            rows.append(
                [
                    f"centre on {backend['backend']}",
                    phase,
                    figures["items"],
                    f"{figures['seconds']:.3f}",
                    f"{figures['floor_seconds']:.3f}" if "floor_seconds" in figures else "",
                    f"{figures['seconds'] / figures['floor_seconds']:.2f}x"
                    if "floor_seconds" in figures
                    else "",
                    figures["sent"],
                    figures["received"],
                    figures["sent"] + figures["received"],
                    TARGETS[phase],
                ]
            )
    return table(
        [
            "centre",
            "sync",
            "items",
            "seconds",
            "floor s (plain sqlite3)",
            "/ floor",
            "bytes up",
            "bytes down",
            "bytes total",
            "target",
        ],
        rows,
    )


def main(count: int = 20_000) -> dict[str, Any]:
    outcome = run(count)
    print(f"\n## Catalog sync: centre with {outcome['items']} items, one village hall")
    print(report(outcome))
    write_result("sync", outcome)
    return outcome


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20_000)
