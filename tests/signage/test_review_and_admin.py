"""Review before publication, playlist editing, schedules, emergency and play records."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from kiosk.audit.models import AuditEntry
from kiosk.blobs.services import store_of
from kiosk.catalog.services import visible_items
from kiosk.db import utcnow
from kiosk.errors import InputError
from kiosk.review.models import Review
from kiosk.signage.emergency import (
    clear_county_emergency,
    emergency_for,
    post_county_emergency,
    post_emergency,
)
from kiosk.signage.entries import add_entry
from kiosk.signage.groups import save_group
from kiosk.signage.media import save_upload
from kiosk.signage.models import Playlist, Screen
from kiosk.signage.playlists import create_playlist
from kiosk.signage.plays import record_plays
from kiosk.signage.program import layout_of, program
from kiosk.signage.publishing import snapshot, submit_for_review
from kiosk.signage.schedules import create_schedule, playlist_for
from kiosk.signage.screens import record_heartbeat, register_screen
from tests.signage.conftest import add_notice, claimed_screen, make_playlist, open_player
from tests.signage.samples import png_bytes


@pytest.fixture
def two_step_app(signage_app):
    signage_app.config["KIOSK_REVIEW_STEPS"] = 2
    return signage_app


def _post(client, path: str, **data):
    return client.post(path, data={"csrf_token": client.csrf, **data}, follow_redirects=True)


def _draft(sdb) -> Playlist:
    playlist = make_playlist(
        sdb, "大厅", [{"title": "办事须知", "duration": 8}], publish=False, default=True
    )
    sdb.commit()
    return playlist


def _approve(client, sdb, review):
    sdb.refresh(review)
    return _post(client, f"/admin/reviews/{review.id}/approve", seen=review.content_hash)


def test_playlist_goes_on_screens_only_after_two_other_people_approve(two_step_app, sdb, signed_in):
    playlist = _draft(sdb)
    claimed_screen(sdb, "lobby")
    sdb.commit()
    author, first, second = signed_in("author"), signed_in("li"), signed_in("wang")
    player = two_step_app.test_client()
    open_player(player, "lobby")
    assert player.get("/player/lobby/program.json").get_json()["entries"] == []

    page = _post(author, f"/admin/signage/playlists/{playlist.id}/submit")
    assert "需要另外 2 人批准" in page.get_data(as_text=True)
    review = sdb.scalar(select(Review))
    own = _approve(author, sdb, review)
    assert "不能审核自己提交的内容" in own.get_data(as_text=True)

    assert "还需要另外 1 人批准" in _approve(first, sdb, review).get_data(as_text=True)
    again = _approve(first, sdb, review)
    assert "您已经批准过这一项" in again.get_data(as_text=True)
    assert player.get("/player/lobby/program.json").get_json()["entries"] == []

    assert "已批准并发布：大厅" in _approve(second, sdb, review).get_data(as_text=True)
    entries = player.get("/player/lobby/program.json").get_json()["entries"]
    assert [e["title"] for e in entries] == ["办事须知"]
    publish = sdb.scalar(select(AuditEntry).where(AuditEntry.action == "review.publish"))
    assert publish.actor == "wang" and publish.after["approved_by"] == ["li", "wang"]
    approvals = sdb.scalars(
        select(AuditEntry.actor).where(AuditEntry.action == "review.approve")
    ).all()
    assert approvals == ["li", "wang"]


def test_viewer_cannot_approve_and_rejected_never_plays(two_step_app, sdb, signed_in):
    playlist = _draft(sdb)
    _post(signed_in("author"), f"/admin/signage/playlists/{playlist.id}/submit")
    review = sdb.scalar(select(Review))
    viewer = signed_in("watcher", "viewer")
    refused = viewer.post(
        f"/admin/reviews/{review.id}/approve",
        data={"csrf_token": viewer.csrf, "seen": review.content_hash},
    )
    assert refused.status_code == 403
    assert "办事须知" in viewer.get("/admin/reviews/").get_data(as_text=True)
    reviewer = signed_in("li")
    no_reason = _post(reviewer, f"/admin/reviews/{review.id}/reject", reason=" ")
    assert "请写明退回的原因" in no_reason.get_data(as_text=True)
    _post(reviewer, f"/admin/reviews/{review.id}/reject", reason="错别字")
    sdb.expire_all()
    assert review.status == "rejected" and review.reason == "错别字"
    assert playlist.published is None


def test_changes_after_publication_wait_for_the_next_review(signage_app, sdb):
    playlist = make_playlist(sdb, "日常", [{"title": "旧公告", "duration": 5}])
    add_entry(
        sdb,
        playlist,
        {"kind": "notice", "title": "新公告", "notice_id": add_notice(sdb, "新公告").id},
        [],
        "manager",
    )
    assert [e["title"] for e in playlist.published] == ["旧公告"]
    submit_for_review(sdb, playlist, 0, "http://hall", "manager")
    assert [e["title"] for e in playlist.published] == ["旧公告", "新公告"]
    assert playlist.published_revision == 2


def test_manager_edits_and_reorders_a_playlist(signage_app, sdb, signed_in):
    manager = signed_in()
    page = _post(manager, "/admin/signage/playlists", name="窗口指南")
    assert "播放列表：窗口指南" in page.get_data(as_text=True)
    playlist = sdb.scalar(select(Playlist))
    notices = [add_notice(sdb, title).id for title in ("甲", "乙", "丙")]
    sdb.commit()
    for notice_id in notices:
        _post(
            manager,
            f"/admin/signage/playlists/{playlist.id}/entries",
            kind="notice",
            notice_id=str(notice_id),
            duration="10",
        )
    bad = _post(
        manager,
        f"/admin/signage/playlists/{playlist.id}/entries",
        kind="notice",
        notice_id="",
        duration="10",
    )
    assert "请选择一条已有的公告" in bad.get_data(as_text=True)
    bad = _post(
        manager,
        f"/admin/signage/playlists/{playlist.id}/entries",
        kind="web",
        url="https://evil.example/",
        duration="10",
    )
    assert "https://evil.example 不在允许显示的网站名单里" in bad.get_data(as_text=True)
    sdb.expire_all()
    third = playlist.entries[2]
    _post(
        manager, f"/admin/signage/playlists/{playlist.id}/entries/{third.id}/move", direction="up"
    )
    _post(manager, f"/admin/signage/playlists/{playlist.id}/entries/{third.id}/move", to="0")
    sdb.expire_all()
    assert [e.notice_id for e in playlist.entries] == [notices[2], notices[0], notices[1]]
    assert [e.position for e in playlist.entries] == [0, 1, 2]
    _post(
        manager, f"/admin/signage/playlists/{playlist.id}/entries/{third.id}/enabled", enabled="0"
    )
    _post(manager, f"/admin/signage/playlists/{playlist.id}/submit")
    sdb.expire_all()
    assert playlist.published_revision == 1
    assert [e["enabled"] for e in playlist.published] == [False, True, True]


def test_item_card_and_qr_slide_carry_a_qr_code(demo_app):
    with demo_app.extensions["kiosk_db"].session() as session:
        item = session.scalars(visible_items()).first()
        playlist = create_playlist(session, "事项", "manager")
        add_entry(session, playlist, {"kind": "item", "item_code": item.code}, [], "manager")
        add_entry(
            session,
            playlist,
            {"kind": "qr", "url": "https://zwfw.example/x", "title": "扫码办理"},
            [],
            "manager",
        )
        frozen = snapshot(session, playlist, "http://hall.example/")
    card, slide = frozen
    assert card["title"] == item.name and card["qr"].startswith("data:image/svg+xml;base64,")
    assert card["qr_target"] == (item.online_url or f"http://hall.example/items/{item.code}")
    assert slide["qr_target"] == "https://zwfw.example/x"


def test_schedule_from_the_admin_decides_what_plays(signage_app, sdb, signed_in):
    make_playlist(sdb, "白天", [{"title": "白天节目"}], default=True)
    allday = make_playlist(sdb, "专题", [{"title": "专题节目"}])
    screen = claimed_screen(sdb, "lobby")
    sdb.commit()
    player = signage_app.test_client()
    open_player(player, "lobby")
    before = player.get("/player/lobby/program.json").get_json()
    assert before["playlist"]["name"] == "白天"  # the default fills the gap
    manager = signed_in()
    bad = _post(
        manager,
        "/admin/signage/schedules",
        playlist_id=str(allday.id),
        windows="8点-12点",
        weekdays="1",
    )
    assert "时段“8点-12点”要写成 08:30-12:00 这样" in bad.get_data(as_text=True)
    manager.post(
        "/admin/signage/schedules",
        data={
            "csrf_token": manager.csrf,
            "playlist_id": str(allday.id),
            "screen_id": str(screen.id),
            "weekdays": list("1234567"),
            "windows": "00:00-00:00",
            "priority": "5",
        },
    )
    program = player.get("/player/lobby/program.json").get_json()
    assert program["playlist"]["name"] == "专题"
    assert "专题" in signed_in("watcher", "viewer").get("/admin/signage/schedules").get_data(
        as_text=True
    )


def test_emergency_from_the_admin_reaches_the_poll_of_screens_in_scope(signage_app, sdb, signed_in):
    group = save_group(sdb, None, "一楼", "standard", None, "manager")
    claimed_screen(sdb, "first", group_id=group.id)
    claimed_screen(sdb, "second")
    sdb.commit()
    manager = signed_in()
    page = _post(
        manager,
        "/admin/signage/emergency",
        title="临时停水",
        body="今日下午停水",
        group_id=str(group.id),
        minutes="30",
    )
    assert "紧急通知已发布到屏幕" in page.get_data(as_text=True)
    player = signage_app.test_client()
    open_player(player, "first")
    open_player(player, "second")
    assert player.get("/player/first/poll").get_json()["emergency"]["title"] == "临时停水"
    assert player.get("/player/second/poll").get_json()["emergency"] is None
    notice_id = player.get("/player/first/poll").get_json()["emergency"]["id"]
    _post(manager, f"/admin/signage/emergency/{notice_id}/clear")
    assert player.get("/player/first/poll").get_json()["emergency"] is None


def test_county_emergency_is_idempotent_and_expires(sdb):
    first = post_county_emergency(sdb, "county-1", "地震预警", "", utcnow() + timedelta(minutes=5))
    again = post_county_emergency(sdb, "county-1", "地震预警", "", None)
    assert first.id == again.id
    assert emergency_for(sdb, None)["title"] == "地震预警"
    assert emergency_for(sdb, None, utcnow() + timedelta(minutes=6)) is None
    assert clear_county_emergency(sdb, "county-1") is True
    assert emergency_for(sdb, None) is None
    assert clear_county_emergency(sdb, "never-sent") is False


def test_plays_are_recorded_once_listed_and_exported(signage_app, sdb, signed_in):
    claimed_screen(sdb, "lobby", "=大厅屏")
    sdb.commit()
    player = signage_app.test_client()
    open_player(player, "lobby")
    plays = [
        {
            "key": "k1",
            "entry": 3,
            "playlist": 1,
            "title": "=cmd()",
            "start": 1_790_000_000_000,
            "end": 1_790_000_010_000,
        }
    ]
    assert player.post("/player/lobby/plays", json={"plays": plays}).get_json() == {"added": 1}
    assert player.post("/player/lobby/plays", json={"plays": plays}).get_json() == {"added": 0}
    bad = player.post("/player/lobby/plays", json={"plays": [{**plays[0], "key": "k2", "end": 1}]})
    assert bad.status_code == 400 and "结束时间要在开始之后一天以内" in bad.get_json()["message"]
    viewer = signed_in("watcher", "viewer")
    page = viewer.get("/admin/signage/plays").get_data(as_text=True)
    # 1_790_000_000_000 ms is 14:13:20 UTC: the hall (Asia/Shanghai) says 22:13:20.
    assert "=大厅屏" in page and "2026-09-21 22:13:20" in page and "UTC" not in page
    export = viewer.get("/admin/signage/plays.csv")
    assert export.mimetype == "text/csv" and "attachment" in export.headers["Content-Disposition"]
    text = export.get_data(as_text=True)
    assert text.startswith("\ufeff")  # Excel on a Chinese PC opens UTF-8 with a BOM right
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == ["屏幕", "播放列表", "条目", "标题", "开始时间", "结束时间", "秒数"]
    # Every text cell is formula-safe: the screen's name as much as the entry's title.
    assert rows[1][0] == "'=大厅屏" and rows[1][3] == "'=cmd()"
    assert rows[1][4:] == ["2026-09-21 22:13:20", "2026-09-21 22:13:30", "10.000"]


def test_viewer_reads_every_page_but_changes_nothing(signage_app, sdb, signed_in):
    playlist = make_playlist(sdb, "日常", [{"title": "公告"}])
    screen = claimed_screen(sdb, "lobby")
    sdb.commit()
    viewer = signed_in("watcher", "viewer")
    for path in [
        "/admin/signage/",
        f"/admin/signage/screens/{screen.id}",
        "/admin/signage/groups",
        "/admin/signage/playlists",
        f"/admin/signage/playlists/{playlist.id}",
        "/admin/signage/media",
        "/admin/signage/schedules",
        "/admin/reviews/",
        "/admin/signage/emergency",
        "/admin/signage/plays",
        f"/admin/signage/playlists/{playlist.id}/preview",
        f"/admin/signage/playlists/{playlist.id}/preview?what=published&layout=fullscreen",
        f"/player/preview/{playlist.id}/draft/standard",
        f"/player/preview/{playlist.id}/published/no-ticker/program.json",
    ]:
        reply = viewer.get(path)
        assert reply.status_code == 200, path
        assert (
            'name="csrf_token"'
            not in reply.get_data(as_text=True)
            .replace('action="/admin/logout"', "")
            .split("</header>", 1)[-1]
        ), path
    for path in [
        "/admin/signage/playlists",
        "/admin/signage/groups",
        f"/admin/signage/playlists/{playlist.id}/remove",
        f"/admin/signage/screens/{screen.id}",
        "/admin/signage/emergency",
    ]:
        assert (
            viewer.post(
                path, data={"csrf_token": viewer.csrf, "name": "x", "title": "x"}
            ).status_code
            == 403
        ), path
    signed_out = signage_app.test_client()
    for asset in ["/admin/static/admin/signage.js", "/admin/static/admin/admin.css"]:
        with signed_out.get(asset) as reply:
            assert reply.status_code == 200, asset
    assert signed_out.get("/admin/signage/").status_code == 302
    assert signed_out.get(f"/player/preview/{playlist.id}/draft/standard").status_code == 302


def test_attract_loop_needs_a_marked_published_playlist(signage_app, sdb):
    client = signage_app.test_client()
    assert client.get("/player/attract").status_code == 404
    assert client.get("/player/attract/program.json").status_code == 404
    make_playlist(sdb, "待机", [{"title": "欢迎"}], attract=True)
    sdb.commit()
    page = client.get("/player/attract")
    assert page.status_code == 200 and 'data-mode="attract"' in page.get_data(as_text=True)
    program = client.get("/player/attract/program.json").get_json()
    assert program["layout"] == "fullscreen" and program["entries"][0]["title"] == "欢迎"
    assert sdb.scalar(select(Screen)) is None  # no pairing, no screen row


def test_player_page_has_no_inline_script_or_style(signage_app):
    reply = signage_app.test_client().get("/player/lobby")
    html = reply.get_data(as_text=True)
    assert "<script>" not in html and "<style" not in html and " style=" not in html
    assert reply.headers["Content-Security-Policy"].startswith("default-src 'self'")


def test_which_playlist_a_screen_plays_from_the_database(signage_app, sdb):
    shanghai = ZoneInfo("Asia/Shanghai")
    monday_10 = datetime(2026, 11, 23, 10, tzinfo=shanghai)
    node_default = make_playlist(sdb, "全局默认", [{"title": "甲"}], default=True)
    hall_default = make_playlist(sdb, "一楼默认", [{"title": "乙"}])
    group = save_group(sdb, None, "一楼", "no-ticker", hall_default.id, "manager")
    in_group = claimed_screen(sdb, "in-group", group_id=group.id)
    alone = claimed_screen(sdb, "alone")
    assert playlist_for(sdb, alone, monday_10, shanghai) is node_default
    assert playlist_for(sdb, in_group, monday_10, shanghai) is hall_default
    assert layout_of(in_group) == "no-ticker" and layout_of(alone) == "standard"

    everyone = make_playlist(sdb, "全体", [{"title": "丙"}])
    mine = make_playlist(sdb, "本屏", [{"title": "丁"}])
    create_schedule(
        sdb, {"playlist_id": everyone.id, "weekdays": "12345", "windows": "09:00-12:00"}, "manager"
    )
    create_schedule(
        sdb,
        {
            "playlist_id": mine.id,
            "screen_id": in_group.id,
            "weekdays": "1",
            "windows": "09:30-10:30",
        },
        "manager",
    )
    assert playlist_for(sdb, alone, monday_10, shanghai) is everyone
    assert playlist_for(sdb, in_group, monday_10, shanghai) is mine
    saturday = datetime(2026, 11, 28, 10, tzinfo=shanghai)
    assert playlist_for(sdb, in_group, saturday, shanghai) is hall_default
    with pytest.raises(InputError, match="只能给一块屏幕或一个分组"):
        create_schedule(
            sdb,
            {"playlist_id": mine.id, "screen_id": alone.id, "group_id": group.id, "weekdays": "1"},
            "manager",
        )
    with pytest.raises(InputError, match="请至少选择一天"):
        create_schedule(sdb, {"playlist_id": mine.id, "weekdays": ""}, "manager")


def test_entry_date_range_limits_what_the_program_carries(signage_app, sdb):
    shanghai = ZoneInfo("Asia/Shanghai")
    playlist = make_playlist(
        sdb,
        "日期",
        [
            {"title": "常驻"},
            {"title": "十二月", "starts_on": "2026-12-01", "ends_on": "2026-12-31"},
        ],
    )
    november = program(
        sdb,
        None,
        playlist,
        now=datetime(2026, 11, 30, 23, 59, tzinfo=shanghai),
        tz=shanghai,
        hall_name="厅",
        region="",
    )
    december = program(
        sdb,
        None,
        playlist,
        now=datetime(2026, 12, 1, 0, 0, tzinfo=shanghai),
        tz=shanghai,
        hall_name="厅",
        region="",
    )
    assert [e["title"] for e in november["entries"]] == ["常驻"]
    assert [e["title"] for e in december["entries"]] == ["常驻", "十二月"]
    assert november["version"] != december["version"]
    with pytest.raises(InputError, match="结束日期不能早于开始日期"):
        add_entry(
            sdb,
            playlist,
            {"kind": "qr", "url": "x", "starts_on": "2026-12-02", "ends_on": "2026-12-01"},
            [],
            "manager",
        )


def test_every_page_renders_with_content_for_editors_and_viewers(signage_app, sdb, signed_in):
    group = save_group(sdb, None, "一楼", "standard", None, "manager")
    screen = claimed_screen(sdb, "lobby", "大屏", group_id=group.id)
    register_screen(sdb, "waiting")
    published = make_playlist(sdb, "已发布", [{"title": "公告甲"}], default=True)
    add_entry(
        sdb, published, {"kind": "qr", "url": "https://x.example/", "title": "扫码"}, [], "manager"
    )  # unpublished change
    store = store_of(signage_app)
    picture = save_upload(sdb, store, io.BytesIO(png_bytes()), "图.png", 10**6, "manager")
    add_entry(sdb, published, {"kind": "image", "media_id": picture.id}, [], "manager")
    submit_for_review(sdb, published, 1, "http://hall", "manager")
    create_schedule(
        sdb,
        {
            "playlist_id": published.id,
            "screen_id": screen.id,
            "weekdays": "17",
            "windows": "22:00-02:00",
        },
        "manager",
    )
    create_schedule(
        sdb, {"playlist_id": published.id, "group_id": group.id, "weekdays": "1"}, "manager"
    )
    post_emergency(sdb, "停电", "", actor="manager", group_id=group.id)
    record_heartbeat(sdb, screen, {"entry": 1, "title": "公告甲", "viewport": "1080x1920"})
    record_plays(sdb, screen, [{"key": "a", "start": 0, "end": 1000, "title": "公告甲"}])
    sdb.commit()
    pages = {
        "/admin/signage/": ["大屏", "待配对", "1080x1920"],
        "/admin/signage/groups": ["一楼"],
        "/admin/signage/playlists": ["有未发布的修改"],
        f"/admin/signage/playlists/{published.id}": ["扫码", "待审核"],
        "/admin/signage/media": ["图.png"],
        "/admin/signage/schedules": ["22:00-02:00", "分组 一楼", "屏幕 大屏"],
        "/admin/reviews/": ["已批准 0 / 1"],
        "/admin/signage/emergency": ["停电"],
        "/admin/signage/plays": ["公告甲"],
    }
    for client in (signed_in("boss"), signed_in("watcher", "viewer")):
        for path, texts in pages.items():
            reply = client.get(path)
            assert reply.status_code == 200, path
            html = reply.get_data(as_text=True)
            for text in texts:
                assert text in html, (path, text)
