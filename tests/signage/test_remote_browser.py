"""A manager sees and steers a running screen: the admin's mirror shows the entry the
player shows, reload and standby reach the player (which acknowledges them), and an
unscheduled screen says why it is blank and when it plays next."""

from __future__ import annotations

from playwright.sync_api import expect

from kiosk.serve import serve_in_thread
from kiosk.signage.models import ScreenCommand
from tests.conftest import TEST_PASSWORD
from tests.signage.conftest import claimed_screen, make_playlist

TITLES = ["第一条", "第二条", "第三条"]
SHOWING = ".slot.showing .card-title"


def _admin_page(browser, url: str, target: str):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{url}/admin/login?next={target}")
    page.fill("input[name=name]", "manager")
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("button[type=submit]")
    return context, page


def test_mirror_follows_the_player_and_commands_reach_it(
    signage_app, sdb, users, player_context, browser
):
    make_playlist(sdb, "日常", [{"title": t, "duration": 2} for t in TITLES], default=True)
    screen = claimed_screen(sdb, "lobby", "大厅屏")
    sdb.commit()
    users(manager="hall_manager")
    player = player_context.new_page()
    with serve_in_thread(signage_app) as url:
        player.goto(url + "/player/lobby")
        expect(player.locator(SHOWING)).to_have_text(TITLES[0], timeout=10_000)
        context, admin = _admin_page(browser, url, f"/admin/signage/screens/{screen.id}")
        mirror = admin.frame_locator("#preview-frame")
        # Three changes in a row: each time the mirror shows what the player shows.
        for _ in range(3):
            before = player.locator(SHOWING).text_content()
            expect(player.locator(SHOWING)).not_to_have_text(before, timeout=5000)
            shown = player.locator(SHOWING).text_content()
            expect(mirror.locator(SHOWING)).to_have_text(shown, timeout=3000)
        admin.screenshot(path=str(signage_app.instance_path) + "/admin-mirror.png")
        # Standby: the player goes black and says it got the command.
        admin.get_by_role("button", name="待机（黑屏）").click()
        expect(player.locator("#standby")).to_be_visible(timeout=5000)
        admin.get_by_role("button", name="恢复播放").click()
        expect(player.locator("#standby")).to_be_hidden(timeout=5000)
        admin.get_by_role("button", name="显示测试图").click()
        expect(player.locator("#test-pattern")).to_be_visible(timeout=5000)
        player.screenshot(path=str(signage_app.instance_path) + "/player-test-pattern.png")
        # Reload: the page loads again (a mark left on the old page is gone).
        player.evaluate("window.beforeReload = true")
        admin.get_by_role("button", name="重新加载").click()
        player.wait_for_function("() => window.beforeReload === undefined", timeout=10_000)
        expect(player.locator(SHOWING)).to_be_visible(timeout=10_000)
        admin.reload()
        expect(admin.locator("table.commands")).not_to_contain_text("等待屏幕接收", timeout=5000)
        context.close()
        player.close()
    sdb.expire_all()
    kinds = [c.kind for c in sdb.query(ScreenCommand).filter(ScreenCommand.acked_at.is_not(None))]
    assert sorted(kinds) == ["reload", "resume", "standby", "test_pattern"]


def test_an_unscheduled_screen_says_why_and_when(signage_app, sdb, users, player_context, browser):
    screen = claimed_screen(sdb, "side", "侧屏")
    sdb.commit()
    users(manager="hall_manager")
    player = player_context.new_page()
    why = "没有给这块屏幕排期，也没有默认列表；未来两周没有安排播放。"
    with serve_in_thread(signage_app) as url:
        player.goto(url + "/player/side")
        expect(player.locator("#idle")).to_have_text(why, timeout=10_000)
        context, admin = _admin_page(browser, url, "/admin/signage/")
        expect(admin.locator(".idle-line")).to_have_text(why)
        admin.goto(f"{url}/admin/signage/screens/{screen.id}")
        expect(admin.locator(".idle-line")).to_have_text(why)
        context.close()
        player.close()
