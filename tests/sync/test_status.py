"""The sync status as hall staff read it: Chinese, times in the hall's local time."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from kiosk.outbox.services import enqueue
from kiosk.sync.hall.state import get_state
from kiosk.sync.hall.status import SyncStatus, sync_status
from tests.conftest import signed_in

SHANGHAI = ZoneInfo("Asia/Shanghai")
STATUS = SyncStatus(
    cursor=40,
    latest=45,
    resyncing=False,
    items_held=1234,
    last_success_at=datetime(2026, 12, 1, 6, 3, tzinfo=UTC),
    last_error_at=datetime(2026, 12, 1, 6, 20, tzinfo=UTC),
    last_error="连不上县中心（ConnectionError）",
    outbox_waiting=3,
    outbox_sent=17,
)


def test_the_status_reads_in_chinese_in_the_halls_local_time():
    assert STATUS.lines(SHANGHAI) == [
        "目录版本 40（中心为 45，落后 5）",
        "已有事项：1234 项",
        "上次成功：2026-12-01 14:03（本地时间）",
        "上次错误：2026-12-01 14:20（本地时间），连不上县中心（ConnectionError）",
        "待发送：3 条，已送达 17 条",
    ]
    assert STATUS.lines(ZoneInfo("Asia/Urumqi"))[2] == "上次成功：2026-12-01 12:03（本地时间）"
    later = replace(
        STATUS,
        cursor=45,
        resyncing=True,
        last_success_at=datetime(2026, 12, 1, 7, 0, tzinfo=UTC),
    )
    lines = later.lines(SHANGHAI)
    assert lines[0] == "目录版本 45（中心为 45，已是最新）"
    assert lines[1] == "正在整体重新同步：完成之前照常使用原有目录"


def test_a_hall_that_never_synced_says_so_and_reading_writes_nothing(app_factory):
    hall = app_factory(name="hall", KIOSK_CENTRAL_URL="http://127.0.0.1:9")
    with hall.extensions["kiosk_db"].session() as session:
        enqueue(session, "usage.rating", {"item_code": "T1", "value": "满意"})
    with hall.extensions["kiosk_db"].session() as session:
        status = sync_status(session)
        assert not session.new and not session.dirty
    assert status.lines(SHANGHAI) == [
        "目录版本 0（尚未从县中心取得目录）",
        "已有事项：0 项",
        "上次成功：从未",
        "上次错误：无",
        "待发送：1 条，已送达 0 条",
    ]


def test_the_admin_pages_show_the_status_in_the_halls_local_time(app_factory):
    hall = app_factory(
        name="hall", KIOSK_CENTRAL_URL="http://127.0.0.1:9", KIOSK_TIMEZONE="Asia/Shanghai"
    )
    with hall.extensions["kiosk_db"].session() as session:
        state = get_state(session)
        state.cursor = state.latest = 40
        state.last_success_at = datetime(2026, 12, 1, 6, 3, tzinfo=UTC)
    client = signed_in(hall, "viewer", "viewer")
    for page in ("/admin/sync", "/admin/"):
        html = client.get(page).get_data(as_text=True)
        assert "上次成功：2026-12-01 14:03（本地时间）" in html, page
        assert "目录版本 40（中心为 40，已是最新）" in html and "UTC" not in html, page
