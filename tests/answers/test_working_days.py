"""Working days by the county's holiday calendar, and questions flagged when overdue."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from kiosk.db import utcnow
from kiosk.errors import InputError
from kiosk.holidays import parse_calendar, working_calendar
from kiosk.sync.inbox import store_batch, validate_batch
from kiosk.sync.nodes import add_node
from tests.conftest import csrf_token_of, signed_in

NATIONAL_DAY = """日期,安排,说明
2026-09-20,班,国庆节调休上班（周日）
2026-10-01,休,国庆节
2026-10-02,休,国庆节
2026-10-05,休,国庆节
2026-10-06,休,国庆节
2026-10-07,休,国庆节
2026-10-10,班,国庆节调休上班（周六）
"""


def test_holidays_skipped_and_official_working_weekends_counted():
    calendar = parse_calendar(NATIONAL_DAY)
    assert calendar.is_working(date(2026, 9, 20))  # a Sunday worked
    assert not calendar.is_working(date(2026, 10, 1))  # a Thursday off
    assert not calendar.is_working(date(2026, 10, 11))  # an ordinary Sunday
    # Asked on Wednesday 30 September: 8, 9, 10 (Saturday, worked), 12, 13 October.
    assert calendar.add_working_days(date(2026, 9, 30), 5) == date(2026, 10, 13)
    # Asked on Friday 18 September: 20 (Sunday, worked), 21, 22, 23, 24.
    assert calendar.add_working_days(date(2026, 9, 18), 5) == date(2026, 9, 24)
    assert calendar.working_days_between(date(2026, 9, 30), date(2026, 10, 13)) == 5


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("2026-10-32,休,国庆节", "日期“2026-10-32”不对"),
        ("2026-10-01,放假,国庆节", "只能填“休”或“班”"),
        ("2026-10-01", "应为“日期,安排,说明”"),
    ],
)
def test_a_bad_calendar_line_is_named_in_chinese(line, message):
    with pytest.raises(InputError, match=message) as refused:
        parse_calendar("日期,安排,说明\n" + line)
    assert "第 2 行" in str(refused.value)


def test_the_county_file_replaces_the_shipped_calendar(app_factory, tmp_path):
    own = tmp_path / "county.csv"
    own.write_text("日期,安排,说明\n2027-01-01,休,元旦\n", encoding="utf-8")
    app = app_factory(KIOSK_HOLIDAYS_FILE=str(own))
    assert not working_calendar(app.config).is_working(date(2027, 1, 1))
    shipped = app_factory(name="shipped")
    assert working_calendar(shipped.config).is_working(date(2026, 10, 10))  # 调休上班


def test_questions_older_than_the_answer_days_are_flagged(app_factory):
    central = app_factory(name="central", KIOSK_ROLE="central", KIOSK_ANSWER_DAYS=5)
    old, recent = utcnow() - timedelta(days=20), utcnow()
    with central.extensions["kiosk_db"].session() as session:
        node, _token = add_node(session, "东村服务站", "示范县/城关镇/东村", "test")
        entries = [
            {
                "key": key,
                "kind": "usage.question",
                "created_at": moment.isoformat(),
                "payload": {"item_code": "C1", "value": "材料不清楚", "reply_code": key * 10},
            }
            for key, moment in (("1", old), ("2", recent))
        ]
        store_batch(session, node, validate_batch({"entries": entries}))
    viewer = signed_in(central, "viewer", "viewer")
    dashboard = viewer.get("/admin/").get_data(as_text=True)
    assert "有 <strong>1</strong> 条群众咨询超过 5 个工作日还没有答复" in dashboard
    queue = viewer.get("/admin/questions/").get_data(as_text=True)
    assert queue.count("已超期") == 1


def test_a_county_admin_replaces_the_calendar_in_the_admin(app_factory):
    central = app_factory(name="central", KIOSK_ROLE="central")
    admin = signed_in(central, "county", "county_admin")
    page = admin.get("/admin/calendar/").get_data(as_text=True)
    assert "软件自带的日历" in page and "2026-10-10" in page
    bad = admin.post(
        "/admin/calendar/", data={"text": "2027-02-30,休,春节", "csrf_token": csrf_token_of(page)}
    )
    assert "日期“2027-02-30”不对" in bad.get_data(as_text=True)
    good = admin.post(
        "/admin/calendar/",
        data={
            "text": "日期,安排,说明\n2027-02-06,班,春节调休上班",
            "csrf_token": csrf_token_of(page),
        },
    )
    assert good.status_code == 303
    assert working_calendar(central.config).is_working(date(2027, 2, 6))
    assert "本县更新过的日历" in admin.get("/admin/calendar/").get_data(as_text=True)
    manager = signed_in(central, "manager", "hall_manager")
    assert manager.get("/admin/calendar/").status_code == 403
