"""An idle home page shows the hall's attract loop; a touch on it brings the home page back."""

from __future__ import annotations

from playwright.sync_api import expect

from kiosk.serve import serve_in_thread
from tests.signage.conftest import make_playlist


def idle_hall(app_factory, with_loop: bool):
    app = app_factory(demo=True, name="idle-home", KIOSK_IDLE_SECONDS=1, KIOSK_REVIEW_STEPS=0)
    if with_loop:
        with app.extensions["kiosk_db"].session() as session:
            make_playlist(
                session, "待机", [{"title": "欢迎使用自助查询", "duration": 2}], attract=True
            )
    return app


def test_idle_home_plays_the_attract_loop_until_touched(page, app_factory):
    with serve_in_thread(idle_hall(app_factory, with_loop=True)) as url:
        page.goto(url + "/")
        loop = page.locator("iframe.attract")
        expect(loop).to_be_visible(timeout=5000)
        expect(page.frame_locator("iframe.attract").locator("body")).to_contain_text(
            "欢迎使用自助查询", timeout=5000
        )
        box = loop.bounding_box()
        assert box["width"] == page.viewport_size["width"]
        card = page.frame_locator("iframe.attract").locator(".slot.showing .card")
        assert card.bounding_box()["height"] > 100, "the loop's main zone fills the screen"
        page.mouse.click(box["width"] / 2, box["height"] / 2)
        expect(loop).to_have_count(0)
        expect(page.locator("h1")).to_contain_text("政务公开")


def test_idle_home_without_a_loop_stays_on_the_home_page(page, app_factory):
    with serve_in_thread(idle_hall(app_factory, with_loop=False)) as url:
        page.goto(url + "/")
        with page.expect_response("**/player/attract/program.json") as answer:
            pass
        assert answer.value.status == 404
        expect(page.locator("iframe.attract")).to_have_count(0)
        expect(page.locator("#idle-warning")).to_be_hidden()
