"""The signage admin's forms take what Chinese users type (全角 digits, Chinese dashes in
time windows), refuse what is not a number in Chinese beside the field that names it, and
answer hostile numbers with that field's message, never a server error."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from kiosk.db import utcnow
from kiosk.signage.groups import save_group
from kiosk.signage.models import EmergencyNotice, PlaylistEntry, Schedule, Screen
from kiosk.signage.schedules import playlist_for
from kiosk.signage.screens import register_screen
from tests.signage.conftest import add_notice, claimed_screen, make_playlist

SHANGHAI = ZoneInfo("Asia/Shanghai")
FIELD = re.compile(r'<(?:p|fieldset) class="field">(.*?)</(?:p|fieldset)>', re.S)
ERROR = re.compile(r'<span class="error" role="alert">(.*?)</span>', re.S)


def field_errors(html: str, name: str) -> list[str]:
    """The messages shown beside the form field called `name` (in its own block)."""
    for block in FIELD.findall(html):
        if f'name="{name}"' in block:
            return [unescape(message) for message in ERROR.findall(block)]
    raise AssertionError(f"no field {name} in the page")


def _post(client, path: str, **data):
    return client.post(path, data={"csrf_token": client.csrf, **data})


def _count(sdb, model) -> int:
    sdb.expire_all()
    return sdb.scalar(select(func.count()).select_from(model))


@pytest.fixture
def draft(sdb):
    playlist = make_playlist(sdb, "窗口", [], publish=False)
    notice = add_notice(sdb, "办事须知")
    sdb.commit()
    return playlist, notice


def test_full_width_digits_are_read_as_digits(signage_app, sdb, signed_in, draft):
    playlist, notice = draft
    manager = signed_in()
    added = _post(
        manager,
        f"/admin/signage/playlists/{playlist.id}/entries",
        kind="notice",
        notice_id=str(notice.id),
        duration="１２．５",
    )
    assert added.status_code == 302
    assert sdb.scalar(select(PlaylistEntry)).duration == 12.5
    posted = _post(manager, "/admin/signage/emergency", title="临时停电", minutes="３０")
    assert posted.status_code == 302
    expires = sdb.scalar(select(EmergencyNotice)).expires_at
    assert timedelta(minutes=29) < expires - utcnow() <= timedelta(minutes=30)
    code = register_screen(sdb, "lobby").pairing_code
    sdb.commit()
    wide = code.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    claimed = _post(
        manager, "/admin/signage/screens/claim", code=f" {wide[:3]} {wide[3:]}", name="屏"
    )
    assert claimed.status_code == 302
    sdb.expire_all()
    assert sdb.scalar(select(Screen)).claimed_at is not None


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("8:00—12:00", [["08:00", "12:00"]]),  # the dash a Chinese input method types
        ("8:00——12:00", [["08:00", "12:00"]]),
        ("8:00－12:00", [["08:00", "12:00"]]),  # full-width hyphen
        ("８：００至１２：００", [["08:00", "12:00"]]),
        ("8:00 到 12:00，14:00～17:30", [["08:00", "12:00"], ["14:00", "17:30"]]),
        ("22:00 – 02:00、08:30-9:00", [["22:00", "02:00"], ["08:30", "09:00"]]),
    ],
)
def test_time_windows_take_chinese_dashes(signage_app, sdb, signed_in, draft, typed, stored):
    playlist, _ = draft
    reply = _post(
        signed_in(),
        "/admin/signage/schedules",
        playlist_id=str(playlist.id),
        weekdays=["1", "2"],
        windows=typed,
        priority="５",
    )
    assert reply.status_code == 302, reply.get_data(as_text=True)
    schedule = sdb.scalar(select(Schedule))
    assert schedule.windows == stored and schedule.priority == 5


def test_ten_seconds_in_characters_is_refused_beside_the_field(signage_app, sdb, signed_in, draft):
    playlist, notice = draft
    reply = _post(
        signed_in(),
        f"/admin/signage/playlists/{playlist.id}/entries",
        kind="notice",
        notice_id=str(notice.id),
        duration="十秒",
    )
    assert reply.status_code == 400
    html = reply.get_data(as_text=True)
    assert field_errors(html, "duration") == [
        "播放秒数要填写阿拉伯数字（如 10 或 7.5），不能是“十秒”。"
    ]
    assert 'value="十秒"' in html  # what was typed stays, to be corrected
    assert _count(sdb, PlaylistEntry) == 0


def test_a_refusal_by_the_service_is_shown_beside_its_field(signage_app, sdb, signed_in, draft):
    playlist, _ = draft
    manager = signed_in()
    reply = _post(
        manager,
        f"/admin/signage/playlists/{playlist.id}/entries",
        kind="pdf",
        duration="10",
        page_from="3",
        page_to="1",
    )
    assert reply.status_code == 400
    assert field_errors(reply.get_data(as_text=True), "media_id") == [
        "请选择一个已上传的 PDF 文件。"
    ]
    group = save_group(sdb, None, "一楼", "standard", None, "manager")
    sdb.commit()
    taken = _post(manager, "/admin/signage/groups", name="一楼", layout="standard")
    assert field_errors(taken.get_data(as_text=True), "name") == ["已经有名为“一楼”的分组了。"]
    schedule = _post(
        manager,
        "/admin/signage/schedules",
        playlist_id=str(playlist.id),
        group_id=str(group.id),
        weekdays=[],
        windows="8点-12点",
    )
    html = schedule.get_data(as_text=True)
    assert field_errors(html, "weekdays") == ["请至少选择一天（周一至周日）。"]
    assert _count(sdb, Schedule) == 0


# Each: the form, the field, what is typed, the message beside the field.
HOSTILE = [
    ("emergency", "minutes", "99999999999", "有效分钟数要在 1 到 527040 之间。"),
    ("emergency", "minutes", str(10**30), "有效分钟数要填写整数（如 10），不能是“1000000000"),
    ("emergency", "minutes", "²", "有效分钟数要填写整数（如 10），不能是“²”。"),
    ("emergency", "minutes", "-5", "有效分钟数要在 1 到 527040 之间。"),
    ("emergency", "group_id", "99999999999999999999999", "请从列表里选择范围。"),
    ("emergency", "group_id", "9" * 18, "请从列表里选择范围。"),
    ("schedule", "priority", str(10**30), "优先级要填写整数（如 10），不能是“1000000000"),
    ("schedule", "priority", "1e9", "优先级要填写整数（如 10），不能是“1e9”。"),
    ("schedule", "screen_id", "²", "请从列表里选择屏幕。"),
    ("schedule", "playlist_id", "١٢", "请从列表里选择播放列表。"),
    ("schedule", "playlist_id", str(10**30), "请从列表里选择播放列表。"),
    ("schedule", "group_id", "①", "请从列表里选择分组。"),
    ("schedule", "weekdays", "8", "没有“8”这一项，请从星期里勾选。"),
    ("schedule", "weekdays", "0", "没有“0”这一项，请从星期里勾选。"),
    ("schedule", "weekdays", "²", "请从列表里选择星期。"),
    (
        "schedule",
        "starts_on",
        "2026-02-30",
        "开始日期要写成 2026-12-01 这样的日期，不能是“2026-02-30”。",
    ),
    ("entry", "duration", "1e308", "播放秒数要填写阿拉伯数字（如 10 或 7.5），不能是“1e308”。"),
    ("entry", "duration", "99999", "播放秒数要在 0 到 3600 之间。"),
    ("entry", "duration", "nan", "播放秒数要填写阿拉伯数字（如 10 或 7.5），不能是“nan”。"),
    ("entry", "page_from", "²", "起始页要填写整数（如 10），不能是“²”。"),
    ("entry", "page_to", str(10**30), "结束页要填写整数（如 10），不能是“1000000000"),
    ("entry", "notice_id", str(2**64), "请从列表里选择公告。"),
    ("claim", "group_id", str(2**63), "请从列表里选择分组。"),
]


@pytest.mark.parametrize(("form", "name", "typed", "message"), HOSTILE)
def test_hostile_numbers_get_the_fields_message_never_a_500(
    signage_app, sdb, signed_in, draft, form, name, typed, message
):
    playlist, notice = draft
    register_screen(sdb, "waiting")
    sdb.commit()
    valid = {
        "emergency": ("/admin/signage/emergency", {"title": "停水"}),
        "schedule": (
            "/admin/signage/schedules",
            {"playlist_id": str(playlist.id), "weekdays": ["1"]},
        ),
        "entry": (
            f"/admin/signage/playlists/{playlist.id}/entries",
            {"kind": "notice", "notice_id": str(notice.id), "duration": "10"},
        ),
        "claim": (
            "/admin/signage/screens/claim",
            {"code": sdb.scalar(select(Screen.pairing_code)), "name": "屏"},
        ),
    }
    path, data = valid[form]
    reply = _post(signed_in(), path, **{**data, name: typed})
    assert reply.status_code == 400
    [shown] = field_errors(reply.get_data(as_text=True), name)
    assert shown.startswith(message), shown
    for model in (EmergencyNotice, Schedule, PlaylistEntry):
        assert _count(sdb, model) == 0
    assert sdb.scalar(select(Screen)).claimed_at is None


def test_a_sunday_schedule_made_in_the_admin_plays_on_sunday(signage_app, sdb, signed_in):
    make_playlist(sdb, "平日", [{"title": "平日节目"}], default=True)
    sunday = make_playlist(sdb, "周日", [{"title": "周日节目"}])
    screen = claimed_screen(sdb, "lobby")
    sdb.commit()
    manager = signed_in()
    page = manager.get("/admin/signage/schedules").get_data(as_text=True)
    assert re.search(r'value="7"[^>]*>\s*<label for="weekdays-6">周日</label>', page)
    reply = _post(manager, "/admin/signage/schedules", playlist_id=str(sunday.id), weekdays=["7"])
    assert reply.status_code == 302
    assert sdb.scalar(select(Schedule)).weekdays == "7"  # ISO, as broadcast: Sunday = 7
    on_sunday = datetime(2026, 11, 29, 10, tzinfo=SHANGHAI)  # a Sunday
    assert playlist_for(sdb, screen, on_sunday, SHANGHAI).name == "周日"
    assert playlist_for(sdb, screen, on_sunday + timedelta(days=1), SHANGHAI).name == "平日"
    assert playlist_for(sdb, screen, on_sunday - timedelta(days=1), SHANGHAI).name == "平日"
    listed = manager.get("/admin/signage/schedules").get_data(as_text=True)
    assert "<td>周日</td>" in listed


def test_every_signage_form_puts_the_csrf_token_in_one_way(signage_app, sdb, signed_in, draft):
    playlist, _ = draft
    entry = make_playlist(sdb, "有条目", [{"title": "甲"}], publish=False).entries[0]
    group = save_group(sdb, None, "一楼", "standard", None, "manager")
    screen = claimed_screen(sdb, "lobby")
    sdb.commit()
    manager = signed_in()
    for path in [
        "/admin/signage/",
        f"/admin/signage/screens/{screen.id}",
        "/admin/signage/groups",
        f"/admin/signage/groups/{group.id}",
        "/admin/signage/playlists",
        f"/admin/signage/playlists/{playlist.id}",
        f"/admin/signage/playlists/{entry.playlist_id}/entries/{entry.id}",
        "/admin/signage/media",
        "/admin/signage/schedules",
        "/admin/signage/emergency",
    ]:
        html = manager.get(path).get_data(as_text=True)
        forms = re.findall(r'<form method="post".*?</form>', html, re.S)
        assert forms, path
        for form in forms:
            assert form.count('name="csrf_token"') == 1, (path, form[:200])
        assert html.count('id="csrf_token"') == 0, path  # never WTForms' own hidden field


def test_the_entry_page_changes_an_entry_and_shows_only_its_fields(
    signage_app, sdb, signed_in, draft
):
    playlist, notice = draft
    manager = signed_in()
    _post(
        manager,
        f"/admin/signage/playlists/{playlist.id}/entries",
        kind="qr",
        url="https://zwfw.example/x",
        duration="10",
    )
    entry = sdb.scalar(select(PlaylistEntry))
    path = f"/admin/signage/playlists/{playlist.id}/entries/{entry.id}"
    page = manager.get(path).get_data(as_text=True)
    assert 'value="https://zwfw.example/x"' in page and 'name="media_id"' not in page
    refused = _post(manager, path, url=" ", duration="10")
    assert field_errors(refused.get_data(as_text=True), "url") == ["请填写二维码内容。"]
    saved = _post(manager, path, url="https://zwfw.example/y", duration="２０", title="扫码")
    assert saved.status_code == 302
    sdb.expire_all()
    assert (entry.url, entry.duration, entry.title, entry.kind) == (
        "https://zwfw.example/y",
        20.0,
        "扫码",
        "qr",
    )
    other = make_playlist(sdb, "别的", [], publish=False)
    sdb.commit()
    assert manager.get(f"/admin/signage/playlists/{other.id}/entries/{entry.id}").status_code == 404
