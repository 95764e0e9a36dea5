"""Review binds to what was seen: a reviewer who previewed version 3 cannot publish
version 4; a change after submission withdraws it and the playlist page says so."""

from __future__ import annotations

from playwright.sync_api import expect

from kiosk.serve import serve_in_thread
from kiosk.signage.entries import add_entry
from kiosk.signage.models import Playlist
from kiosk.signage.publishing import submit_for_review
from tests.conftest import TEST_PASSWORD
from tests.signage.conftest import ITEM_BASE, add_notice, make_playlist

VERSION_3 = ["第一条", "第二条", "第三条"]


def _sign_in(page, url: str, name: str, target: str) -> None:
    page.goto(f"{url}/admin/login?next={target}")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("button[type=submit]")


def test_approval_of_version_3_does_not_publish_version_4(signage_app, sdb, users, player_context):
    signage_app.config["KIOSK_REVIEW_STEPS"] = 1
    users(author="hall_manager", reviewer="hall_manager")
    playlist = make_playlist(sdb, "送审", [{"title": t} for t in VERSION_3], publish=False)
    submit_for_review(sdb, playlist, 1, ITEM_BASE, "author")
    sdb.commit()
    reviewer = player_context.new_page()
    other = player_context.browser.new_context(locale="zh-CN")
    author = other.new_page()
    with serve_in_thread(signage_app) as url:
        _sign_in(reviewer, url, "reviewer", "/admin/reviews/")
        # The reviewer previews the submitted version: its three entries.
        desk = reviewer.locator("section.card")
        expect(desk).to_contain_text("第三条")
        reviewer.goto(f"{url}/admin/signage/playlists/{playlist.id}/preview?what=submitted")
        frame = reviewer.frame_locator("#preview-frame")
        expect(frame.locator(".slot.showing .card-title")).to_have_text("第一条", timeout=10_000)
        reviewer.go_back()
        # Meanwhile the author adds a fourth entry: version 4.
        notice = add_notice(sdb, "第四条")
        values = {"kind": "notice", "notice_id": notice.id}
        add_entry(sdb, sdb.get(Playlist, playlist.id), values, [], "author")
        sdb.commit()
        _sign_in(author, url, "author", f"/admin/signage/playlists/{playlist.id}")
        expect(author.locator("p.notice")).to_contain_text("送审的版本已撤回：提交后内容又有修改")
        # The reviewer approves what they saw: refused, nothing reaches the screens.
        reviewer.get_by_role("button", name="批准").click()
        expect(reviewer.locator("body")).to_contain_text("不在待审核状态")
        other.close()
    sdb.expire_all()
    assert sdb.get(Playlist, playlist.id).published is None
