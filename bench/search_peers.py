"""What a resident search is measured against: the raw FTS5 query for the same term (the
index alone: count and first page, in-process sqlite3, no web stack) and a peer, Datasette,
serving the same catalog table with the same FTS5 index through its JSON API.

Datasette is told that `catalog_search` indexes `catalog_item` (`fts_table`, `fts_pk`) and is
asked the very FTS5 query our search builds (`_search_mode=raw`), so both search the same
index for the same Chinese substring or pinyin; it answers JSON rows and a count, we answer a
page with ranking, highlighting and the template. Datasette pages by keyset (`_next`), so its
deep pages of the broad query are walked as a reader would, page after page.
"""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import requests

from bench.harness import free_port, summarise
from kiosk.catalog import search_index
from kiosk.catalog.search import PER_PAGE, PINYIN, clean_query
from kiosk.catalog.text import simplified

BROAD = "shenqing"
BROAD_PAGES = 200


def fts_query(raw: str) -> str | None:
    """The FTS5 MATCH expression our search uses for a one-term query, or None."""
    term = clean_query(raw)
    if PINYIN.fullmatch(term):
        column, indexed = "pinyin", term
    else:
        column, indexed = "body", simplified(term)
    phrase = search_index.phrase_query(indexed)
    return None if phrase is None else f"{column} : ({phrase})"


def raw_fts(database: Path, terms: list[str], pages: int = 1) -> dict[str, float]:
    """ms per search of the index alone: the count and one page of rowids, for each page."""
    connection = sqlite3.connect(database)
    count_sql = f"SELECT count(*) FROM {search_index.TABLE} WHERE {search_index.TABLE} MATCH ?"  # noqa: S608
    page_sql = (
        f"SELECT rowid FROM {search_index.TABLE} WHERE {search_index.TABLE} MATCH ? "  # noqa: S608
        "LIMIT ? OFFSET ?"
    )
    samples = []
    for term in terms:
        query = fts_query(term)
        if query is None:
            continue
        for page in range(pages):
            started = time.perf_counter()
            connection.execute(count_sql, (query,)).fetchone()
            connection.execute(page_sql, (query, PER_PAGE, page * PER_PAGE)).fetchall()
            samples.append((time.perf_counter() - started) * 1000)
    connection.close()
    return summarise(samples)


class Datasette:
    """`datasette serve` on the hall's database file, its FTS table declared in metadata."""

    def __init__(self, database: Path, folder: Path) -> None:
        metadata = folder / "datasette-metadata.json"
        metadata.write_text(
            json.dumps(
                {
                    "databases": {
                        database.stem: {
                            "tables": {
                                "catalog_item": {"fts_table": search_index.TABLE, "fts_pk": "id"}
                            }
                        }
                    }
                }
            )
        )
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}/{database.stem}/catalog_item.json"
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "datasette",
                "serve",
                str(database),
                "--port",
                str(self.port),
                "--metadata",
                str(metadata),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                requests.get(f"http://127.0.0.1:{self.port}/-/versions.json", timeout=1)
                return
            except requests.ConnectionError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("datasette did not start")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(30)

    def ask(self, http: requests.Session, query: str, after: str | None = None) -> dict:
        params = {
            "_search": query,
            "_search_mode": "raw",
            "_size": str(PER_PAGE),
            "_col": ["code", "name"],
            "_shape": "objects",
        }
        if after:
            params["_next"] = after
        answer = http.get(self.base, params=params, timeout=30)
        answer.raise_for_status()
        return answer.json()

    def time_terms(self, terms: list[str], warmup: int = 10) -> dict[str, float]:
        """Round trip ms of the first page (with its count) of each term."""
        queries = [query for query in map(fts_query, terms) if query is not None]
        http = requests.Session()
        for query in queries[:warmup]:
            self.ask(http, query)
        samples = []
        for query in queries:
            started = time.perf_counter()
            self.ask(http, query)
            samples.append((time.perf_counter() - started) * 1000)
        http.close()
        return summarise(samples)

    def time_broad(self) -> dict[str, float]:
        """Round trip ms of each page of the broad query, following Datasette's `next`."""
        query = fts_query(BROAD)
        assert query is not None
        http = requests.Session()
        samples, after = [], None
        for _ in range(BROAD_PAGES):
            started = time.perf_counter()
            answer = self.ask(http, query, after)
            samples.append((time.perf_counter() - started) * 1000)
            after = answer.get("next")
            if not after:
                break
        http.close()
        return summarise(samples)


def measure(database: Path, folder: Path, kinds: dict[str, list[str]]) -> dict[str, Any]:
    """Raw FTS5 and Datasette for every search kind and the broad query's pages."""
    raw = {kind: raw_fts(database, terms) for kind, terms in kinds.items()}
    raw["broad"] = raw_fts(database, [BROAD], pages=BROAD_PAGES)
    peer = Datasette(database, folder)
    try:
        datasette = {kind: peer.time_terms(terms) for kind, terms in kinds.items()}
        datasette["broad"] = peer.time_broad()
    finally:
        peer.stop()
    return {"raw_fts": raw, "datasette": datasette}
