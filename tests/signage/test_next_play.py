"""Why a screen plays nothing and when it next plays, in the hall's local time."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from kiosk.signage.commands import in_standby, send_command, set_display_schedule
from kiosk.signage.display import DisplaySink
from kiosk.signage.next_play import idle_text, why_idle
from kiosk.signage.playlists import set_playlist_role
from kiosk.signage.publishing import submit_for_review
from kiosk.signage.schedules import create_schedule
from tests.signage.conftest import ITEM_BASE, claimed_screen, make_playlist

ZONE = ZoneInfo("Asia/Shanghai")
SATURDAY_10 = datetime(2026, 12, 5, 10, 0, tzinfo=ZONE)


def test_no_schedule_and_no_default(sdb):
    screen = claimed_screen(sdb, "lobby")
    idle = why_idle(sdb, screen, SATURDAY_10, ZONE)
    assert idle is not None and idle.next_at is None
    assert idle_text(idle, ZONE) == "没有给这块屏幕排期，也没有默认列表；未来两周没有安排播放。"


def test_outside_every_window_says_when_it_plays_next(sdb):
    screen = claimed_screen(sdb, "lobby")
    playlist = make_playlist(sdb, "工作日上午", [{"title": "甲"}])
    values = {"playlist_id": playlist.id, "weekdays": "12345", "windows": "8:00—12:00"}
    create_schedule(sdb, values, "manager")
    idle = why_idle(sdb, screen, SATURDAY_10, ZONE)
    assert idle is not None
    assert idle_text(idle, ZONE) == (
        "现在不在任何排期时段内，也没有默认列表；"
        "下一次播放：12月7日（周一）08:00 起播放“工作日上午”。"
    )
    monday = datetime(2026, 12, 7, 9, 0, tzinfo=ZONE)
    assert why_idle(sdb, screen, monday, ZONE) is None


def test_a_default_waiting_for_review(sdb):
    screen = claimed_screen(sdb, "lobby")
    playlist = make_playlist(sdb, "日常", [{"title": "甲"}], publish=False)
    set_playlist_role(sdb, playlist, "default", True, "manager")
    submit_for_review(sdb, playlist, 1, ITEM_BASE, "manager")
    idle = why_idle(sdb, screen, SATURDAY_10, ZONE)
    assert idle is not None and idle.reason == "播放列表“日常”正在等待审核"


def test_standby_outside_opening_hours(sdb):
    screen = claimed_screen(sdb, "lobby")
    assert not in_standby(screen, SATURDAY_10, ZONE)
    set_display_schedule(sdb, screen, {"hours": "８:００—１２:００", "days": "123456"}, "m")
    assert screen.opening_hours == [["08:00", "12:00"]]
    assert not in_standby(screen, SATURDAY_10, ZONE)
    assert in_standby(screen, SATURDAY_10.replace(hour=13), ZONE)
    assert in_standby(screen, SATURDAY_10.replace(day=6), ZONE)  # Sunday: closed


def test_the_attached_display_is_switched_off_and_on(signage_app, sdb, tmp_path):
    signage_app.config.update(
        KIOSK_SIGNAGE_DISPLAY_SCREEN="lobby",
        KIOSK_SIGNAGE_STANDBY_COMMAND=f"touch {tmp_path / 'off'}",
        KIOSK_SIGNAGE_WAKE_COMMAND=f"touch {tmp_path / 'on'}",
    )
    screen = claimed_screen(sdb, "lobby")
    sdb.commit()
    sink = DisplaySink()
    sink(signage_app)
    assert (tmp_path / "on").exists() and not (tmp_path / "off").exists()
    send_command(sdb, screen, "standby", "manager")
    sdb.commit()
    sink(signage_app)
    assert (tmp_path / "off").exists()


def test_opening_hours_as_people_type_them(signage_app, sdb, signed_in):
    manager = signed_in()
    screen = claimed_screen(sdb, "lobby")
    sdb.commit()
    path = f"/admin/signage/screens/{screen.id}/display"
    data = {
        "csrf_token": manager.csrf,
        "hours": "８:００—１２:００，14:00至18:00",
        "days": ["1", "5"],
    }
    saved = manager.post(path, data=data, follow_redirects=True)
    assert "已保存 lobby 的开放时间" in saved.get_data(as_text=True)
    sdb.expire_all()
    assert screen.opening_hours == [["08:00", "12:00"], ["14:00", "18:00"]]
    assert screen.opening_days == "15"
    refused = manager.post(path, data={**data, "hours": "十点到十二点"})
    assert refused.status_code == 400
    assert "要写成 08:30-12:00 这样" in refused.get_data(as_text=True)
