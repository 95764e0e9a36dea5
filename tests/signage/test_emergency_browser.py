"""Emergency notice end to end: posted on the node, shown by a real player within 3 s."""

from __future__ import annotations

from playwright.sync_api import expect

from kiosk.serve import serve_in_thread
from kiosk.signage.emergency import clear_emergency, post_emergency
from tests.signage.conftest import claimed_screen, make_playlist


def test_emergency_notice_shows_within_3_seconds_and_clears(signage_app, sdb, page):
    make_playlist(
        sdb,
        "日常",
        [{"title": "公告一", "duration": 2}, {"title": "公告二", "duration": 2}],
        default=True,
    )
    claimed_screen(sdb, "lobby", "一楼大屏")
    sdb.commit()
    with serve_in_thread(signage_app) as url:
        page.goto(url + "/player/lobby")
        expect(page.locator(".slot.showing .card-title")).to_have_text("公告一", timeout=10_000)
        # The standard layout: header with the hall's name and clock, ticker of notices.
        expect(page.locator("#hall")).to_have_text("示范县政务公开")
        expect(page.locator("#clock")).to_contain_text("年")
        expect(page.locator("#ticker-track")).to_contain_text("公告二")
        notice = post_emergency(sdb, "暴雨红色预警", "请勿外出，远离河道。", actor="manager")
        sdb.commit()
        emergency = page.locator("#emergency")
        expect(emergency).to_be_visible(timeout=3000)
        expect(page.locator("#emergency-title")).to_have_text("暴雨红色预警")
        covered = emergency.bounding_box()
        assert (covered["width"], covered["height"]) == (
            page.viewport_size["width"],
            page.viewport_size["height"],
        )
        clear_emergency(sdb, notice, "manager")
        sdb.commit()
        expect(emergency).to_be_hidden(timeout=3000)
