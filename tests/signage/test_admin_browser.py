"""Admin pages in Chromium: drag to reorder; the attract loop hands a touch back home."""

from __future__ import annotations

from playwright.sync_api import expect

from kiosk.serve import serve_in_thread
from kiosk.signage.models import Playlist
from tests.conftest import TEST_PASSWORD
from tests.signage.conftest import make_playlist


def test_drag_reorders_entries(signage_app, sdb, users, player_context):
    playlist = make_playlist(sdb, "拖动", [{"title": t} for t in ("甲", "乙", "丙")], publish=False)
    sdb.commit()
    users(manager="hall_manager")
    page = player_context.new_page()
    with serve_in_thread(signage_app) as url:
        page.goto(f"{url}/admin/login?next=/admin/signage/playlists/{playlist.id}")
        page.fill("input[name=name]", "manager")
        page.fill("input[name=password]", TEST_PASSWORD)
        page.click("button[type=submit]")
        handle = page.locator("table.entries tbody tr").nth(2).locator(".drag-handle")
        target = page.locator("table.entries tbody tr").nth(0).bounding_box()
        box = handle.bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.mouse.down()
        page.mouse.move(box["x"] + 5, target["y"] + 2, steps=8)
        with page.expect_navigation():
            page.mouse.up()
        expect(page.locator("table.entries tbody tr").first).to_contain_text("丙")
        # The buttons do the same without dragging: the last entry one step up.
        page.get_by_role("button", name="上移第 3 条").click()
        expect(page.locator("table.entries tbody tr").nth(1)).to_contain_text("乙")
        expect(page.get_by_role("button", name="上移第 1 条")).to_be_disabled()
        expect(page.get_by_role("button", name="下移第 3 条")).to_be_disabled()
        # The draft previewed at a portrait screen's resolution, scaled into the page.
        page.goto(f"{url}/admin/signage/playlists/{playlist.id}/preview?size=1080x1920")
        frame = page.frame_locator("#preview-frame")
        expect(frame.locator(".slot.showing .card-title")).to_have_text("丙", timeout=10_000)
        assert page.locator("#preview-frame").evaluate("f => f.contentWindow.innerWidth") == 1080
        page.close()
    sdb.expire_all()
    assert [e.title for e in sdb.get(Playlist, playlist.id).entries] == ["丙", "乙", "甲"]


def test_attract_loop_plays_and_a_touch_goes_home(signage_app, sdb, player_context):
    make_playlist(sdb, "待机", [{"title": "欢迎使用自助查询", "duration": 1}], attract=True)
    sdb.commit()
    page = player_context.new_page()
    with serve_in_thread(signage_app) as url:
        page.goto(url + "/player/attract")
        expect(page.locator(".slot.showing .card-title")).to_have_text(
            "欢迎使用自助查询", timeout=10_000
        )
        expect(page.locator(".zone-header")).to_be_hidden()
        with page.expect_navigation():
            page.mouse.click(300, 300)
        assert page.url == url + "/"
        page.close()
