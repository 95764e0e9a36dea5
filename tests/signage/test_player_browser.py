"""The player in headless Chromium: node restarts, proof of play, pairing, attract loop."""

from __future__ import annotations

import io
import time
from collections import defaultdict
from urllib.parse import urlsplit

from playwright.sync_api import expect
from sqlalchemy import select

from bench.player_heap import long_run, long_run_screen
from kiosk.blobs.services import store_of
from kiosk.outbox.models import OutboxEntry
from kiosk.serve import serve_in_thread
from kiosk.signage.emergency import clear_emergency, post_emergency
from kiosk.signage.entries import add_entry
from kiosk.signage.media import save_upload
from kiosk.signage.models import PlayRecord
from kiosk.signage.publishing import submit_for_review
from tests.signage.conftest import ITEM_BASE, add_notice, claimed_screen, make_playlist
from tests.signage.samples import png_bytes

TITLES = ["第一条", "第二条", "第三条"]
SHOWING = ".slot.showing .card-title"


def _plays(session) -> list[PlayRecord]:
    session.expire_all()
    return list(session.scalars(select(PlayRecord).order_by(PlayRecord.started_at)))


def _wait_for_plays(session, count: int, seconds: float = 30) -> list[PlayRecord]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        plays = _plays(session)
        if len(plays) >= count:
            return plays
        time.sleep(0.2)
    raise AssertionError(f"only {len(_plays(session))} plays arrived, wanted {count}")


def _titles_seen(page, count: int) -> set[str]:
    """Distinct entry titles the player shows over its next `count` changes."""
    seen = set()
    for _ in range(count):
        before = page.locator(SHOWING).text_content()
        expect(page.locator(SHOWING)).not_to_have_text(before, timeout=5000)
        seen.add(page.locator(SHOWING).text_content())
    return seen


def _entries_seen(page, count: int) -> set[int]:
    """Entry ids the player shows over its next `count` changes."""
    seen = set()
    for _ in range(count):
        before = page.evaluate("document.body.dataset.entry")
        page.wait_for_function(
            "(before) => document.body.dataset.entry !== before", arg=before, timeout=5000
        )
        seen.add(int(page.evaluate("document.body.dataset.entry")))
    return seen


def test_player_keeps_playing_through_a_node_restart(signage_app, sdb, player_context):
    store = store_of(signage_app)
    picture = save_upload(sdb, store, io.BytesIO(png_bytes()), "poster.png", 10**6, "manager")
    playlist = make_playlist(
        sdb, "日常", [{"title": t, "duration": 0.5} for t in TITLES], publish=False, default=True
    )
    add_entry(
        sdb, playlist, {"kind": "image", "media_id": picture.id, "duration": 0.5}, [], "manager"
    )
    submit_for_review(sdb, playlist, 0, ITEM_BASE, "manager")
    claimed_screen(sdb, "hall", "大厅")
    sdb.commit()
    every_entry = {entry.id for entry in playlist.entries}
    page = player_context.new_page()
    with serve_in_thread(signage_app) as url:
        port = urlsplit(url).port
        page.goto(url + "/player/hall")
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        expect(page.locator(SHOWING)).to_have_text(TITLES[0], timeout=10_000)
        # Reload once under the service worker so the page and program are in its cache.
        page.reload()
        page.wait_for_function("() => navigator.serviceWorker.controller !== null")
        expect(page.locator(".slot.showing img.media")).to_be_visible(timeout=10_000)
    # The node is down: the player goes on rotating every entry, the image too...
    assert _entries_seen(page, 5) == every_entry
    # ...and a reload (the screen restarting) still plays all of them from the cache.
    page.reload()
    assert _entries_seen(page, 5) == every_entry
    played_offline = len(_plays(sdb))
    with serve_in_thread(signage_app, port=port):
        # Back online: the plays kept while away arrive, and live state works again.
        _wait_for_plays(sdb, played_offline + 4)
        post_emergency(sdb, "停电通知", "", actor="manager")
        sdb.commit()
        expect(page.locator("#emergency")).to_be_visible(timeout=3000)
        page.close()


def test_proof_of_play_totals_match_durations(signage_app, sdb, player_context):
    make_playlist(sdb, "快速", [{"title": t, "duration": 1} for t in TITLES], default=True)
    claimed_screen(sdb, "fast", "快速屏")
    sdb.commit()
    page = player_context.new_page()
    with serve_in_thread(signage_app) as url:
        page.goto(url + "/player/fast")
        plays = _wait_for_plays(sdb, 9)
        page.close()
    seconds = defaultdict(float)
    counts = defaultdict(int)
    for play in plays:
        length = (play.ended_at - play.started_at).total_seconds()
        # Never shorter than set; a busy test machine may only make a timer late.
        assert 0.95 <= length <= 2.0, (play.title, length)
        seconds[play.title] += length
        counts[play.title] += 1
    assert set(seconds) == set(TITLES)
    for title in TITLES:
        assert counts[title] * 0.95 <= seconds[title] <= counts[title] * 1.5, title
    # One after the other without gaps, and every play is queued once for the centre.
    for earlier, later in zip(plays, plays[1:], strict=False):
        assert abs((later.started_at - earlier.ended_at).total_seconds()) < 0.2
    queued = list(sdb.scalars(select(OutboxEntry).where(OutboxEntry.kind == "play")))
    assert sorted(e.payload["key"] for e in queued) == sorted(p.key for p in plays)


def test_failed_entry_is_skipped_and_reported_and_changes_arrive(signage_app, sdb, player_context):
    store = store_of(signage_app)
    picture = save_upload(sdb, store, io.BytesIO(png_bytes()), "poster.png", 10**6, "manager")
    playlist = make_playlist(
        sdb, "混合", [{"title": "甲", "duration": 0.5}], publish=False, default=True
    )
    add_entry(  # an image whose file will be gone
        sdb, playlist, {"kind": "image", "media_id": picture.id, "duration": 0.5}, [], "manager"
    )
    add_entry(
        sdb,
        playlist,
        {"kind": "notice", "title": "乙", "duration": 0.5, "notice_id": add_notice(sdb, "乙").id},
        [],
        "manager",
    )
    submit_for_review(sdb, playlist, 0, ITEM_BASE, "manager")
    screen = claimed_screen(sdb, "hall")
    sdb.commit()
    store.path(picture.sha256).unlink()  # the file is gone: the player must skip it
    page = player_context.new_page()
    with serve_in_thread(signage_app) as url:
        page.goto(url + "/player/hall")
        expect(page.locator(SHOWING)).to_be_visible(timeout=10_000)
        assert _titles_seen(page, 4) == {"甲", "乙"}
        deadline = time.monotonic() + 10
        while not screen.last_error and time.monotonic() < deadline:
            time.sleep(0.2)
            sdb.refresh(screen)
        # Told in words a hall manager reads, naming the entry (an untitled image).
        assert screen.last_error == "“poster.png”未能播放，已跳过：图片无法显示（文件损坏或已删除）"
        assert screen.last_error_at is not None
        # A change published on the node reaches the screen within 10 s.
        add_entry(
            sdb,
            playlist,
            {
                "kind": "notice",
                "title": "丙",
                "duration": 0.5,
                "notice_id": add_notice(sdb, "丙").id,
            },
            [],
            "manager",
        )
        submit_for_review(sdb, playlist, 0, ITEM_BASE, "manager")
        sdb.commit()
        expect(page.locator(SHOWING)).to_have_text("丙", timeout=10_000)
        page.close()


def test_heap_stays_within_ten_percent_over_2000_entry_changes(signage_app, sdb, player_context):
    long_run_screen(sdb)
    sdb.commit()
    page = player_context.new_page()
    with serve_in_thread(signage_app) as url:
        start, end = long_run(
            page, signage_app.extensions["kiosk_db"], url, changes=2000, samples=1, seconds=120
        )
        page.close()
    assert end["heap_bytes"] <= start["heap_bytes"] * 1.10, (start, end)


def test_proof_of_play_leaves_out_what_an_emergency_notice_covered(
    signage_app, sdb, player_context
):
    make_playlist(sdb, "慢速", [{"title": t, "duration": 4} for t in TITLES], default=True)
    claimed_screen(sdb, "slow", "慢速屏")
    sdb.commit()
    page = player_context.new_page()
    with serve_in_thread(signage_app) as url:
        page.goto(url + "/player/slow")
        expect(page.locator(".slot.showing")).to_contain_text(TITLES[0], timeout=10000)
        notice = post_emergency(sdb, "停电通知", "", actor="manager")
        sdb.commit()
        expect(page.locator("#emergency")).to_be_visible(timeout=3000)
        covered_from = time.time()
        page.wait_for_timeout(6000)
        clear_emergency(sdb, notice, "manager")
        sdb.commit()
        expect(page.locator("#emergency")).to_be_hidden(timeout=3000)
        covered_until = time.time()
        plays = _wait_for_plays(sdb, 2)
        page.close()
    for play in plays:
        start, end = play.started_at.timestamp(), play.ended_at.timestamp()
        # No record claims a moment well inside the covered time (a poll's second of slack).
        assert end <= covered_from + 1.5 or start >= covered_until - 1.5, (play.title, start, end)
