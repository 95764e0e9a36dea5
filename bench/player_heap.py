"""The signage player's JS heap over a long run, in Debian's headless Chromium.

A screen plays four notices of 5 ms each, so entries change as fast as the player can change
them (every change builds the next slot, keeps a play and later posts it). The heap is read
over the DevTools protocol right after a forced garbage collection, so it counts what the page
still holds; the DOM counters count nodes and listeners, detached ones included. The entry
changes are counted as the node receives their plays.

The signage browser test runs the same long run, shorter, with an assertion on the figures.
Run with `python -m bench.player_heap [CHANGES]` (or `make bench`).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from typing import Any

from playwright.sync_api import sync_playwright
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bench.harness import table, write_result
from kiosk.app import create_app
from kiosk.db import Database
from kiosk.notices.models import Notice
from kiosk.serve import serve_in_thread
from kiosk.signage.entries import add_entry
from kiosk.signage.models import PlayRecord
from kiosk.signage.playlists import create_playlist, set_playlist_role
from kiosk.signage.publishing import submit_for_review
from kiosk.signage.screens import claim_screen, register_screen

SLUG = "long"
REGION = "示范县"
ENTRY_SECONDS = 0.005
ACTOR = "bench"


def long_run_screen(session: Session, slug: str = SLUG) -> None:
    """A claimed screen whose default program is four 5 ms notices (review steps: 0)."""
    playlist = create_playlist(session, "长跑", ACTOR)
    for number in range(4):
        notice = Notice(
            title=f"条目{number}", body="正文", region=REGION, publisher=f"{REGION}政务服务中心"
        )
        session.add(notice)
        session.flush()
        add_entry(
            session,
            playlist,
            {
                "kind": "notice",
                "title": notice.title,
                "duration": ENTRY_SECONDS,
                "notice_id": notice.id,
            },
            [],
            ACTOR,
        )
    set_playlist_role(session, playlist, "default", True, ACTOR)
    submit_for_review(session, playlist, 0, "http://hall.example", ACTOR)
    screen = register_screen(session, slug)
    claim_screen(session, screen.pairing_code, slug, None, ACTOR)


def plays(database: Database) -> int:
    with database.session() as session:
        return session.scalar(select(func.count(PlayRecord.id)))


def wait_for_plays(database: Database, count: int, deadline: float) -> int:
    while (played := plays(database)) < count:
        if time.monotonic() > deadline:
            raise RuntimeError(f"only {played} plays arrived, wanted {count}")
        time.sleep(0.2)
    return played


def measure(cdp: Any) -> dict[str, float]:
    """Heap in use after a full garbage collection, and the DOM counters."""
    cdp.send("HeapProfiler.collectGarbage")
    used = cdp.send("Runtime.getHeapUsage")["usedSize"]
    counters = cdp.send("Memory.getDOMCounters")
    return {
        "heap_bytes": used,
        "dom_nodes": counters["nodes"],
        "listeners": counters["jsEventListeners"],
    }


def long_run(
    page: Any,
    database: Database,
    url: str,
    changes: int,
    samples: int,
    seconds: float,
    warmup: int = 200,
) -> list[dict[str, float]]:
    """Open the player at `url` (the node) and, after `warmup` changes, measure it at the
    start and after every `changes / samples` entry changes; all within `seconds`."""
    deadline = time.monotonic() + seconds
    cdp = page.context.new_cdp_session(page)
    page.goto(f"{url}/player/{SLUG}")
    begun = wait_for_plays(database, warmup, deadline)
    started = time.monotonic()
    rows = [{"changes": 0, "seconds": 0.0, **measure(cdp)}]
    for step in range(1, samples + 1):
        played = wait_for_plays(database, begun + changes * step // samples, deadline)
        rows.append(
            {"changes": played - begun, "seconds": time.monotonic() - started, **measure(cdp)}
        )
    return rows


def run(
    changes: int = 10_000,
    samples: int = 10,
    seconds: float = 240,
    warmup: int = 200,
    browser: Any = None,
) -> dict[str, Any]:
    """The long run in `browser` (a Playwright browser), or in a Chromium of its own."""
    if browser is None:
        with sync_playwright() as playwright:
            chromium = shutil.which("chromium")
            own = playwright.chromium.launch(executable_path=chromium, headless=True)
            try:
                return run(changes, samples, seconds, warmup, own)
            finally:
                own.close()
    with tempfile.TemporaryDirectory() as instance:
        app = create_app(
            {"KIOSK_INSTANCE_PATH": instance, "KIOSK_REGION": REGION, "KIOSK_LOG_LEVEL": "WARNING"}
        )
        database = app.extensions["kiosk_db"]
        with database.session() as session:
            long_run_screen(session)
        context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
        try:
            page = context.new_page()
            with serve_in_thread(app) as url:
                rows = long_run(page, database, url, changes, samples, seconds, warmup)
                page.close()
            version = browser.version
        finally:
            context.close()
            database.dispose()
    start = rows[0]["heap_bytes"]
    for row in rows:
        row["heap_mb"] = row["heap_bytes"] / 2**20
        row["heap_change"] = row["heap_bytes"] / start - 1
    return {
        "changes": rows[-1]["changes"],
        "seconds": rows[-1]["seconds"],
        "entry_seconds": ENTRY_SECONDS,
        "warmup_changes": warmup,
        "chromium": version,
        "samples": rows,
    }


def report(outcome: dict[str, Any]) -> str:
    return table(
        [
            "entry changes",
            "seconds",
            "JS heap used MB",
            "change from start",
            "DOM nodes",
            "event listeners",
        ],
        [
            [
                row["changes"],
                f"{row['seconds']:.0f}",
                f"{row['heap_mb']:.2f}",
                f"{row['heap_change']:+.1%}",
                row["dom_nodes"],
                row["listeners"],
            ]
            for row in outcome["samples"]
        ],
    )


def main(changes: int = 10_000) -> dict[str, Any]:
    outcome = run(changes)
    print(
        f"\n## Signage player, {outcome['changes']} entry changes in "
        f"{outcome['seconds']:.0f} s (Chromium {outcome['chromium']})"
    )
    print(report(outcome))
    write_result("player_heap", outcome)
    return outcome


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
