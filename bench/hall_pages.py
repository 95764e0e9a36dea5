"""Hall node at county scale: server time of the touch pages against a constant page,
and the resident size of the serving process idle and under load."""

from __future__ import annotations

import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import requests
from sqlalchemy import select

from bench import catalog_gen, harness, search_peers
from bench.harness import free_port, rss_mb, table, time_requests, write_result
from kiosk.catalog.models import Item
from kiosk.catalog.text import pinyin_forms, traditional
from kiosk.db import Database

BROAD_LABEL = (
    f"search: broad full pinyin ({search_peers.BROAD}, pages 1-{search_peers.BROAD_PAGES})"
)


def bulk_load(url: str, count: int) -> float:
    """Fill a hall database with `count` synthetic items; returns seconds taken."""
    return catalog_gen.load(url, count)


def start_server(instance: Path, port: int) -> subprocess.Popen:
    return harness.start_server(
        ["bench.floor_server", str(port)],
        port,
        KIOSK_INSTANCE_PATH=str(instance),
        KIOSK_THREADS="4",
    )


def sample_code(url: str) -> str:
    database = Database(url)
    with database.session() as session:
        code = session.scalar(select(Item.code).where(Item.status == "已公开").limit(1))
    database.dispose()
    return code


def search_terms() -> dict[str, list[str]]:
    """Distinct realistic queries per kind, so that no measured search is a repeat: the
    node keeps result pages for 30 s, and a repeat would time the memo, not the search."""
    phrases = [
        category[:2] + action[:2]
        for categories in catalog_gen.CATEGORIES.values()
        for category in categories
        for action in catalog_gen.ACTIONS
    ]
    phrases += [
        category[i : i + 3]
        for categories in catalog_gen.CATEGORIES.values()
        for category in categories
        for i in range(len(category) - 2)
    ]
    unique = list(dict.fromkeys(phrases))
    return {
        "Chinese substring": unique,
        "pinyin initials": list(dict.fromkeys(pinyin_forms(p)[0] for p in unique)),
        "full pinyin": list(dict.fromkeys(pinyin_forms(p)[1] for p in unique)),
        "traditional": [traditional(p) for p in unique if traditional(p) != p],
        "nothing found": [f"火星移民{n}号" for n in range(len(unique))],
    }


def pages(code: str) -> list[tuple[str, str | list[str]]]:
    searches = [
        (f"search: {kind} ({len(terms)} distinct)", [f"/search?q={term}" for term in terms])
        for kind, terms in search_terms().items()
    ]
    return [
        ("floor (constant page)", "/_floor"),
        ("home", "/"),
        ("browse (domain)", "/browse?domain=社会救助"),
        ("browse (items)", "/browse?domain=社会救助&c1=最低生活保障"),
        ("item page", f"/items/{code}"),
        *searches,
        # A broad word matches ~1,600 items: every page of it is a distinct, unmemoised ask.
        (
            BROAD_LABEL,
            [
                f"/search?q={search_peers.BROAD}&page={number}"
                for number in range(1, search_peers.BROAD_PAGES + 1)
            ],
        ),
        ("search: one query repeated (memo)", "/search?q=生活保障"),
    ]


def run(count: int = 20_000, requests_per_page: int = 300) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        instance = Path(tmp)
        url = f"sqlite:///{instance / 'kiosk.db'}"
        load_seconds = bulk_load(url, count)
        code = sample_code(url)
        port = free_port()
        server = start_server(instance, port)
        try:
            base = f"http://127.0.0.1:{port}"
            rss_idle = rss_mb(server.pid)
            http = requests.Session()
            results = {
                label: time_requests(http, _absolute(base, path), requests_per_page)
                for label, path in pages(code)
            }
            rss_load = _rss_under_load(server.pid, base, code)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(30)
        peers = search_peers.measure(instance / "kiosk.db", instance, search_terms())
    floor = results["floor (constant page)"]
    for timing in results.values():
        # Server time leaves out what every page pays alike (HTTP, waitress, the client);
        # the round trip includes it, so its ratio is the smaller, kinder one.
        timing["ratio_p95_to_floor"] = timing["server"]["p95"] / floor["server"]["p95"]
        timing["ratio_client_p95_to_floor"] = timing["client"]["p95"] / floor["client"]["p95"]
    return {
        "items": count,
        "load_seconds": load_seconds,
        "pages": results,
        "rss_mb": {"idle": rss_idle, "under_load": rss_load},
        "search_peers": peers,
    }


def _absolute(base: str, path: str | list[str]) -> str | list[str]:
    return base + path if isinstance(path, str) else [base + one for one in path]


def _rss_under_load(pid: int, base: str, code: str) -> float:
    """Peak RSS while eight clients hit every page at once."""
    paths = [path if isinstance(path, str) else path[0] for _, path in pages(code)] * 40

    def fetch(path: str) -> None:
        requests.get(base + path, timeout=30)

    peak = 0.0
    with ThreadPoolExecutor(8) as pool:
        futures = [pool.submit(fetch, path) for path in paths]
        while not all(future.done() for future in futures):
            peak = max(peak, rss_mb(pid))
            time.sleep(0.05)
    return max(peak, rss_mb(pid))


def report(result: dict[str, Any]) -> str:
    rows = [
        (
            label,
            t["server"]["p50"],
            t["server"]["p95"],
            t["server"]["p99"],
            t["ratio_p95_to_floor"],
            t["client"]["p95"],
            t["ratio_client_p95_to_floor"],
        )
        for label, t in result["pages"].items()
    ]
    return table(
        [
            "page",
            "server p50 ms",
            "server p95 ms",
            "server p99 ms",
            "p95 / floor",
            "round trip p95 ms",
            "round trip p95 / floor",
        ],
        rows,
    )


def peer_report(result: dict[str, Any]) -> str:
    """Each kind of search beside the raw FTS5 query of the same terms and Datasette's."""
    peers = result["search_peers"]
    rows = []
    for kind in [*search_terms(), "broad"]:
        label = BROAD_LABEL if kind == "broad" else _label_of(result, kind)
        ours = result["pages"][label]
        raw = peers["raw_fts"][kind]["p95"]
        theirs = peers["datasette"][kind]["p95"]
        rows.append(
            (
                label.removeprefix("search: "),
                ours["server"]["p95"],
                raw,
                ours["server"]["p95"] / raw,
                ours["client"]["p95"],
                theirs,
                "yes" if ours["client"]["p95"] <= theirs else "no",
            )
        )
    return table(
        [
            "search",
            "ours: server p95 ms",
            "raw FTS5 p95 ms",
            "ours / raw",
            "ours: round trip p95 ms",
            "Datasette round trip p95 ms",
            "ours ≤ Datasette",
        ],
        rows,
    )


def _label_of(result: dict[str, Any], kind: str) -> str:
    return next(label for label in result["pages"] if label.startswith(f"search: {kind} ("))


def main(count: int = 20_000) -> dict[str, Any]:
    outcome = run(count)
    print(f"\n## Hall node, {outcome['items']} items (loaded in {outcome['load_seconds']:.1f} s)")
    print(report(outcome))
    print(
        f"kiosk serve RSS: idle {outcome['rss_mb']['idle']:.0f} MB, "
        f"under load {outcome['rss_mb']['under_load']:.0f} MB"
    )
    print("\nSearch beside the index alone and a peer (Datasette, same table and FTS5 index)")
    print(peer_report(outcome))
    write_result("hall_pages", outcome)
    return outcome


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20_000)
