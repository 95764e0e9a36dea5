"""County signage across a real centre and two halls on loopback: a county playlist with a
video reaches both halls' players, plays only once its file is complete and verified
(fetched with Range from where a cut left it, within the hall's cache limit), stays
read-only at the halls, and stops at both when the county ends it."""

from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from kiosk.blobs.services import store_of
from kiosk.errors import InputError
from kiosk.review import services as review
from kiosk.serve import serve_in_thread
from kiosk.signage.entries import add_entry
from kiosk.signage.media import save_upload
from kiosk.signage.models import Media, Playlist, Schedule
from kiosk.signage.playlists import create_playlist
from kiosk.signage.plays import record_plays
from kiosk.signage.program import program
from kiosk.signage.publishing import submit_for_review
from kiosk.signage.reports import county_plays, hall_screens, queue_screen_report
from kiosk.signage.schedules import create_schedule, playlist_for, remove_schedule
from kiosk.signage.screens import get_screen, record_heartbeat
from kiosk.sync.hall.rounds import run_sync
from tests.signage.conftest import claimed_screen
from tests.signage.samples import video_bytes
from tests.sync.conftest import TOWN, VILLAGE

ZONE = ZoneInfo("Asia/Shanghai")
MONDAY_NOON = datetime(2026, 12, 7, 12, 0, tzinfo=ZONE)


def _county_playlist(central, tmp_path) -> tuple[int, str, bytes]:
    video = video_bytes(tmp_path)
    with central.database.session() as session:
        media = save_upload(
            session, store_of(central.app), io.BytesIO(video), "政策解读.webm", 10**8, "county"
        )
        playlist = create_playlist(session, "政策解读", "county")
        add_entry(session, playlist, {"kind": "video", "media_id": media.id}, [], "county")
        submitted = submit_for_review(session, playlist, 1, "http://centre", "county")
        review.approve(session, submitted, "checker", submitted.content_hash)
        values = {
            "playlist_id": playlist.id,
            "region": TOWN,
            "weekdays": "12345",
            "windows": "08:00-18:00",
        }
        schedule = create_schedule(session, values, "county")
        return schedule.id, media.sha256, video


def _shown(hall) -> list[str]:
    """What the hall's screen `lobby` plays on a Monday at noon."""
    with hall.extensions["kiosk_db"].session() as session:
        screen = get_screen(session, "lobby") or claimed_screen(session, "lobby")
        playlist = playlist_for(session, screen, MONDAY_NOON, ZONE)
        body = program(
            session, screen, playlist, now=MONDAY_NOON, tz=ZONE, hall_name="厅", region=VILLAGE
        )
        return [entry["title"] for entry in body["entries"]]


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_county_video_reaches_two_halls_and_stops_when_the_county_ends_it(
    central, make_hall, tmp_path, browser
):
    schedule_id, sha256, video = _county_playlist(central, tmp_path)
    village = make_hall(central.node("village", VILLAGE), "village", KIOSK_SIGNAGE_CACHE_MB=0)
    town = make_hall(central.node("town", TOWN), "town", KIOSK_REGION=TOWN)
    # The village's cache is full: the playlist arrives, the video waits and is not played.
    run_sync(village)
    assert _shown(village) == []
    with village.extensions["kiosk_db"].session() as session:
        [media] = session.query(Media).all()
        assert (media.complete, media.original_name) == (False, "政策解读.webm")
    # A download cut half-way goes on from where it stopped.
    store = store_of(village)
    (store.staging / f"{sha256}.download").write_bytes(video[: len(video) // 2])
    village.config["KIOSK_SIGNAGE_CACHE_MB"] = 100
    assert run_sync(village).signage_files == 1
    assert store.has(sha256) and store.path(sha256).read_bytes() == video
    assert _shown(village) == ["政策解读.webm"]
    run_sync(town)
    assert _shown(town) == ["政策解读.webm"]
    # At the hall it is read-only; the hall manager may still schedule it.
    with village.extensions["kiosk_db"].session() as session:
        county = session.query(Playlist).filter(Playlist.county_ref.is_not(None)).one()
        assert county.name == "县级·政策解读"
        with pytest.raises(InputError, match="县级播放列表"):
            add_entry(session, county, {"kind": "qr", "url": "x"}, [], "manager")
        with pytest.raises(InputError, match="县级播放列表"):
            submit_for_review(session, county, 0, "http://hall", "manager")
        county_schedule = session.query(Schedule).filter(Schedule.county_ref.is_not(None)).one()
        with pytest.raises(InputError, match="县级排期"):
            remove_schedule(session, county_schedule, "manager")
        # All day, every day: whenever the county's own schedule is not in force.
        create_schedule(session, {"playlist_id": county.id, "weekdays": "1234567"}, "manager")
    # The hall's running player plays the county video (now, by the hall's schedule).
    with serve_in_thread(village) as url:
        page = browser.new_page()
        page.goto(url + "/player/lobby")
        expect(page.locator(".slot.showing video.media")).to_be_visible(timeout=15_000)
        page.close()
    # Screens report upward, and the county's plays are counted per hall at the centre.
    with village.extensions["kiosk_db"].session() as session:
        screen = get_screen(session, "lobby")
        record_heartbeat(session, screen, {"title": "政策解读.webm", "entry": 1})
        start = int(MONDAY_NOON.timestamp() * 1000)
        play = {"key": "p1", "playlist": county.id, "title": "政策解读.webm"}
        record_plays(session, screen, [{**play, "start": start, "end": start + 5000}])
        queue_screen_report(session)
    run_sync(village)
    with central.database.session() as session:
        [hall] = hall_screens(session)
        assert (hall["hall"], hall["online"]) == ("village", 1)
        assert hall["screens"][0]["showing"] == "政策解读.webm"
        assert county_plays(session) == [{"playlist": "政策解读", "hall": "village", "plays": 1}]
    # The county ends it: both halls stop playing it.
    with central.database.session() as session:
        remove_schedule(session, session.get(Schedule, schedule_id), "county")
    run_sync(village)
    run_sync(town)
    assert _shown(village) == [] and _shown(town) == []
    with village.extensions["kiosk_db"].session() as session:
        assert session.query(Playlist).filter(Playlist.county_ref.is_not(None)).count() == 0
