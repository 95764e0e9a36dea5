"""The assessment report checked against a generated month of events with known totals."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from kiosk.answers.centre import submit_answer
from kiosk.answers.models import Answer
from kiosk.applications.models import Application
from kiosk.assessment.report import assessment, parse_period
from kiosk.catalog.services import upsert_item
from kiosk.errors import InputError
from kiosk.holidays import parse_calendar
from kiosk.sync.inbox import store_batch, validate_batch
from kiosk.sync.models import ReceivedRecord
from kiosk.sync.nodes import add_node
from tests.conftest import signed_in

ZONE = ZoneInfo("Asia/Shanghai")
ITEM = {
    "disclosure_type": "服务",
    "category1": "一级",
    "category2": "",
    "content": "内容。",
    "disclosure_form": "主动公开",
    "status": "已公开",
    "region": "示范县",
    "level": "县级",
}


def at(day: int, hour: int = 10) -> str:
    return datetime(2026, 11, day, hour, tzinfo=ZONE).isoformat()


def month_of_events() -> list[dict]:
    events = []

    def add(kind: str, when: str, **payload) -> None:
        events.append(
            {"key": str(len(events)), "kind": kind, "created_at": when, "payload": payload}
        )

    for n in range(30):
        add("usage.view", at(1 + n % 28), item_code="A1")
    for _ in range(12):
        add("usage.view", at(3), item_code="B1")
    add("usage.view", datetime(2026, 12, 1, 9, tzinfo=ZONE).isoformat(), item_code="A1")
    add("usage.view", datetime(2026, 10, 31, 23, 59, tzinfo=ZONE).isoformat(), item_code="A1")
    for value, count in (("满意", 5), ("基本满意", 3), ("不满意", 2)):
        for _ in range(count):
            add("usage.rating", at(5), item_code="A1", value=value)
    add("usage.rating", at(6), item_code="B1", value="不满意")
    for words, hits in (("低保", 0), ("低保", 0), ("低保", 0), ("残疾证", 0), ("医保", 4)):
        add("usage.search", at(7), query=words, hits=hits)
    add("usage.question", at(2), item_code="A1", value="材料不清楚", reply_code="1" * 10)
    add("usage.question", at(2), item_code="A1", value="时限不清楚", reply_code="2" * 10)
    add("usage.question", at(20), item_code="B1", value="流程不清楚", reply_code="3" * 10)
    return events


@pytest.fixture
def centre(app_factory):
    central = app_factory(name="central", KIOSK_ROLE="central")
    with central.extensions["kiosk_db"].session() as session:
        upsert_item(
            session,
            {**ITEM, "code": "A1", "name": "低保", "domain": "社会救助", "publisher": "民政局"},
            "t",
        )
        upsert_item(
            session,
            {**ITEM, "code": "B1", "name": "医保", "domain": "社会保险", "publisher": "医保局"},
            "t",
        )
        upsert_item(
            session,
            {**ITEM, "code": "A2", "name": "临时救助", "domain": "社会救助", "publisher": "民政局"},
            "t",
        )
        upsert_item(
            session,
            {
                **ITEM,
                "code": "S1",
                "name": "内部",
                "domain": "社会救助",
                "publisher": "民政局",
                "status": "涉密不予公开",
            },
            "t",
        )
        node, _token = add_node(session, "东村服务站", "示范县/城关镇/东村", "t")
        store_batch(session, node, validate_batch({"entries": month_of_events()}))
        questions = session.scalars(
            select(ReceivedRecord)
            .where(ReceivedRecord.kind == "usage.question")
            .order_by(ReceivedRecord.id)
        ).all()
        # Asked Monday 2 November: due by Monday 9 November (5 working days).
        for record, answered in (
            (questions[0], date(2026, 11, 9)),
            (questions[2], date(2026, 11, 30)),
        ):
            submit_answer(
                session,
                record.id,
                {"question": "问", "body": "答", "department": "民政局", "public": True},
                "writer",
                0,
            )
            answer = session.scalar(select(Answer).where(Answer.record_id == record.id))
            answer.answered_at = datetime.combine(answered, datetime.min.time(), ZONE) + timedelta(
                hours=15
            )
        for number, item, due, answered in (
            ("20261103000001", "A1", date(2026, 12, 1), date(2026, 11, 30)),
            ("20261104000002", "A1", date(2026, 12, 2), date(2026, 12, 3)),
            ("20261105000003", "B1", date(2026, 12, 3), None),
        ):
            session.add(
                Application(
                    number=number,
                    node_id=node.id,
                    applicant="某",
                    applicant_kind="公民",
                    id_kind="居民身份证",
                    id_cipher="x",
                    id_masked="x",
                    phone="",
                    description="d",
                    item_code=item,
                    delivery="纸质",
                    submitted_at=datetime(2026, 11, 3, 9, tzinfo=ZONE),
                    clock_from=date(2026, 11, 3),
                    due_on=due,
                    answered_on=answered,
                    state="answered" if answered else "registered",
                    seq=1000 + int(number[-1]),
                )
            )
    return central


def test_the_month_adds_up(centre):
    with centre.extensions["kiosk_db"].session() as session:
        report = assessment(session, parse_period("2026-11"), ZONE, parse_calendar(""), 5)
    departments = {row.name: row for row in report.departments}
    civil, health = departments["民政局"], departments["医保局"]
    assert (civil.items, civil.views, civil.rated) == (2, 30, 10)
    assert civil.satisfaction == pytest.approx(0.8)
    assert (civil.questions, civil.answered, civil.answered_in_time) == (2, 1, 1)
    assert (civil.applications, civil.applications_in_time) == (2, 1)
    assert (health.items, health.views, health.rated, health.satisfaction) == (1, 12, 1, 0.0)
    # Asked Friday 20 November, answered Monday 30 November: the 6th working day.
    assert (health.questions, health.answered, health.answered_in_time) == (1, 1, 0)
    assert (health.applications, health.applications_in_time) == (1, 0)
    domains = {row.name: row.views for row in report.domains}
    assert domains == {"社会救助": 30, "社会保险": 12}
    assert report.total.views == 42 and report.total.questions == 3
    assert report.unfound == [("低保", 3), ("残疾证", 1)]
    quarter = parse_period("2026-Q4")
    assert (quarter.start, quarter.end) == (date(2026, 10, 1), date(2027, 1, 1))
    with pytest.raises(InputError, match="2026-Q4"):
        parse_period("2026-13")


def test_the_page_charts_and_the_xlsx(centre):
    viewer = signed_in(centre, "viewer", "viewer")
    page = viewer.get("/admin/assessment/?period=2026-11").get_data(as_text=True)
    assert "2026年11月" in page and 'role="img"' in page
    assert "<desc" in page and "民政局：80.0%" in page and "民政局：30" in page
    exported = viewer.get("/admin/assessment/export.xlsx?period=2026-11")
    assert exported.status_code == 200
    workbook = load_workbook(io.BytesIO(exported.data))
    rows = list(workbook["按公开主体"].iter_rows(values_only=True))
    assert rows[1][0] == "名称" and rows[-1][:3] == ("合计", 3, 42)
    assert ("低保", 3) in list(workbook["没有找到结果的搜索"].iter_rows(values_only=True))
