"""The items list, its export, the item form (checked as an import row) and 公开状态 with a
reason, at a centre without review (KIOSK_REVIEW_STEPS=0): changes apply at once."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from flask import Flask
from openpyxl import load_workbook
from sqlalchemy import select, update

from kiosk.catalog.desk.versions import history
from kiosk.catalog.models import Item
from kiosk.catalog.services import item_values, upsert_item
from kiosk.db import utcnow
from kiosk.regions.services import ensure_region
from kiosk.sync.changes import change_page
from tests.conftest import csrf_token_of, signed_in
from tests.sync.conftest import ITEM

TOWN, VILLAGE = "示范县/城关镇", "示范县/城关镇/东村"


@pytest.fixture
def centre(app_factory) -> Flask:
    app = app_factory(KIOSK_ROLE="central", KIOSK_REVIEW_STEPS=0)
    with app.extensions["kiosk_db"].session() as session:
        ensure_region(session, VILLAGE)
        ensure_region(session, "示范县/河西镇")
        for code, region, level, values in (
            ("A1", TOWN, "乡级", {"name": "低保申请", "item_type": "行政给付"}),
            ("A2", VILLAGE, "村级", {"name": "村务公开", "domain": "村务"}),
            ("A3", "示范县/河西镇", "乡级", {"name": "临时救助", "status": "待公开"}),
        ):
            document = {**ITEM, "code": code, "region": region, "level": level, **values}
            upsert_item(session, document, actor="test")
        # A3 changed long ago: the "changed since" filter leaves it out.
        session.execute(
            update(Item).where(Item.code == "A3").values(changed_at=utcnow() - timedelta(days=30))
        )
    return app


def listed(client, query: str = "") -> list[str]:
    page = client.get(f"/admin/catalog/items/?{query}").get_data(as_text=True)
    return [code for code in ("A1", "A2", "A3") if f"<code>{code}</code>" in page]


def test_filters_and_search(centre):
    amy = signed_in(centre, "amy", "county_admin")
    assert listed(amy) == ["A1", "A2", "A3"]
    assert listed(amy, f"region={TOWN}") == ["A1", "A2"]  # the township and its villages
    assert listed(amy, "domain=村务") == ["A2"]
    assert listed(amy, "status=待公开") == ["A3"]
    assert listed(amy, "item_type=行政给付") == ["A1"]
    since = (utcnow() - timedelta(days=1)).date().isoformat()
    assert listed(amy, f"since={since}") == ["A1", "A2"]
    assert listed(amy, "q=低保") == ["A1"]
    assert listed(amy, "q=A3") == ["A3"]


def test_export_of_the_filtered_list(centre):
    amy = signed_in(centre, "amy", "county_admin")
    answer = amy.get(f"/admin/catalog/items/export.csv?region={TOWN}")
    text = answer.get_data(as_text=True)
    assert "attachment" in answer.headers["Content-Disposition"]
    assert text.startswith("\ufeff事项编码,公开类型") and "A1" in text and "A3" not in text
    answer = amy.get("/admin/catalog/items/export.xlsx?status=待公开")
    sheet = load_workbook(io.BytesIO(answer.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "事项编码" and [row[0] for row in rows[1:]] == ["A3"]


def form_of(client, code: str) -> dict[str, str]:
    with client.application.extensions["kiosk_db"].session() as session:
        values = item_values(session.scalar(select(Item).where(Item.code == code)))
    page = client.get(f"/admin/catalog/items/{code}").get_data(as_text=True)
    return {**values, "csrf_token": csrf_token_of(page)}


def test_form_edit_is_checked_like_an_import_row_and_kept_as_a_version(centre):
    amy = signed_in(centre, "amy", "county_admin")
    wrong = {**form_of(amy, "A1"), "content": "", "level": "村级", "item_type": "审批"}
    answer = amy.post("/admin/catalog/items/A1", data=wrong)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 400
    assert "事项内容：事项内容是必填项，不能为空" in page
    assert "层级“村级”与区域“示范县/城关镇”（乡级）不符" in page
    fine = {**form_of(amy, "A1"), "disclosure_type": "决策", "content": "新的申请条件。"}
    assert amy.post("/admin/catalog/items/A1", data=fine).status_code == 303
    with centre.extensions["kiosk_db"].session() as session:
        item = session.scalar(select(Item).where(Item.code == "A1"))
        assert (item.content, item.disclosure_type) == ("新的申请条件。", "决策")
        latest = history(session, "A1")[0]
        assert (latest.action, latest.source, latest.actor) == ("update", "form", "amy")
        assert latest.values["content"] == "新的申请条件。"


def test_withdrawal_needs_a_reason_and_leaves_every_hall(centre):
    amy = signed_in(centre, "amy", "county_admin")
    with centre.extensions["kiosk_db"].session() as session:
        cursor = change_page(session, VILLAGE, 0, 100)["cursor"]
    token = csrf_token_of(amy.get("/admin/catalog/items/A1").get_data(as_text=True))
    no_reason = amy.post(
        "/admin/catalog/items/A1/status", data={"csrf_token": token, "new-status": "近期不公开"}
    )
    assert no_reason.status_code == 303
    assert "请选择新的公开状态并写明原因" in amy.get("/admin/catalog/items/A1").get_data(
        as_text=True
    )
    form = {"csrf_token": token, "new-status": "近期不公开", "new-reason": "政策调整"}
    assert amy.post("/admin/catalog/items/A1/status", data=form).status_code == 303
    with centre.extensions["kiosk_db"].session() as session:
        feed = change_page(session, VILLAGE, cursor, 100)["changes"]
        assert [(c["op"], c["code"]) for c in feed] == [("delete", "A1")]
        latest = history(session, "A1")[0]
        assert (latest.action, latest.reason) == ("status", "政策调整")
    history_page = amy.get("/admin/catalog/items/A1/history").get_data(as_text=True)
    assert "公开状态变更" in history_page and "政策调整" in history_page


def test_the_desk_is_not_offered_on_a_hall_that_pulls_from_a_centre(app_factory):
    hall = app_factory(KIOSK_CENTRAL_URL="http://127.0.0.1:9", KIOSK_NODE_TOKEN="x" * 43)
    amy = signed_in(hall, "amy", "county_admin")
    answer = amy.get("/admin/catalog/")
    assert answer.status_code == 404 and "目录由县里统一管理" in answer.get_data(as_text=True)
