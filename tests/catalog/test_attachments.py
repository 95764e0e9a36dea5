"""Attachments at the desk (checked by content, limited in size and pixels, audit-logged,
county admins only), in the item's document of the change feed, and at a hall: fetched
and shown, kept within the hall's limit, gone with the item's last use of them."""

from __future__ import annotations

import io

import pytest
from flask import Flask
from sqlalchemy import select

from kiosk.audit.models import AuditEntry
from kiosk.blobs.services import collect_garbage, store_of
from kiosk.catalog.models import Attachment, Item
from kiosk.catalog.services import upsert_item
from kiosk.serve import serve_in_thread
from kiosk.sync.changes import change_page
from kiosk.sync.hall.rounds import run_sync
from kiosk.sync.nodes import add_node
from kiosk.sync.validation import misfit
from screens.attachments import row_text_of
from tests.catalog.attachment_files import TABLE_HEADER, chart_png, table_xlsx
from tests.conftest import csrf_token_of, signed_in
from tests.signage.samples import bomb_png, pdf_bytes
from tests.sync.conftest import ITEM as ITEM_VALUES
from tests.sync.conftest import VILLAGE

PAGE = "/admin/catalog/items/A1"


@pytest.fixture
def centre(app_factory) -> Flask:
    app = app_factory(name="central", KIOSK_ROLE="central", KIOSK_ATTACHMENT_MAX_MB=1)
    with app.extensions["kiosk_db"].session() as session:
        document = {**ITEM_VALUES, "code": "A1", "name": "低保申请", "region": VILLAGE}
        upsert_item(session, {**document, "level": "村级"}, actor="test")
    return app


def attach(client, *files: tuple[bytes, str]) -> str:
    token = csrf_token_of(client.get(PAGE).get_data(as_text=True))
    answer = client.post(
        f"{PAGE}/attachments",
        data={"csrf_token": token, "file": [(io.BytesIO(data), name) for data, name in files]},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert answer.status_code == 200
    return answer.get_data(as_text=True)


def held(app: Flask) -> list[tuple[str, str, bool]]:
    with app.extensions["kiosk_db"].session() as session:
        rows = session.scalars(select(Attachment).order_by(Attachment.position))
        return [(a.name, a.kind, a.complete) for a in rows]


def test_files_are_checked_by_content_size_and_pixels(centre):
    amy = signed_in(centre, "amy", "county_admin")
    gbk_table = "项目,标准\n低保,620 元\n".encode("gb18030")
    page = attach(
        amy,
        (chart_png(), "流程图.png"),
        (pdf_bytes(3), "申请表.pdf"),
        (table_xlsx(), "标准.xlsx"),
        (gbk_table, "标准（GBK）.csv"),
        (b"not a picture at all", "假图片.png"),
        (bomb_png(), "炸弹.png"),
        (b"\x89PNG" + b"0" * (2 << 20), "太大.png"),
        (b"1\n00:00 --> 00:01\n", "字幕.vtt"),
    )
    assert "已附加 流程图.png、申请表.pdf、标准.xlsx、标准（GBK）.csv" in page
    assert "未附加：假图片.png：只能附加图片" in page
    assert "炸弹.png：图片有 10000×10000 像素，太大了" in page
    assert "太大.png：文件超过了 1 MB" in page
    assert "字幕.vtt：不是能读取的 .vtt 字幕文件" in page
    assert held(centre) == [
        ("流程图.png", "image", True),
        ("申请表.pdf", "pdf", True),
        ("标准.xlsx", "table", True),
        ("标准（GBK）.csv", "table", True),
    ]
    with centre.extensions["kiosk_db"].session() as session:
        pdf = session.scalar(select(Attachment).where(Attachment.kind == "pdf"))
        assert pdf is not None and len(pdf.pages) == 3
        actions = session.scalars(select(AuditEntry.action).where(AuditEntry.actor == "amy"))
        assert list(actions).count("item.attachment.add") == 4
    # Only what is kept stays in the store: the file, and the PDF's three page images.
    assert len(store_of(centre).stored()) == 4 + 3


def test_only_county_admins_attach(centre):
    bo = signed_in(centre, "bo", "hall_manager")
    token = csrf_token_of(bo.get("/admin/").get_data(as_text=True))
    answer = bo.post(f"{PAGE}/attachments", data={"csrf_token": token})
    assert answer.status_code == 403


def test_the_feed_carries_attachments_and_the_hall_keeps_them_within_its_limit(centre, app_factory):
    amy = signed_in(centre, "amy", "county_admin")
    attach(amy, (chart_png(), "流程图.png"), (pdf_bytes(2), "申请表.pdf"))
    with centre.extensions["kiosk_db"].session() as session:
        page = change_page(session, VILLAGE, 0, 100)
        token = add_node(session, "hall", VILLAGE, actor="test")[1]
    document = page["changes"][-1]["item"]
    assert [(a["name"], a["kind"]) for a in document["attachments"]] == [
        ("流程图.png", "image"),
        ("申请表.pdf", "pdf"),
    ]
    assert misfit("Item", document) is None

    with serve_in_thread(centre) as url:
        settings = {"KIOSK_CENTRAL_URL": url, "KIOSK_NODE_TOKEN": token, "KIOSK_REGION": VILLAGE}
        small = app_factory(name="small", KIOSK_ATTACHMENT_CACHE_MB=0, **settings)
        assert run_sync(small).attachment_files == 0
        assert held(small) == [("流程图.png", "image", False), ("申请表.pdf", "pdf", False)]
        assert "流程图.png" not in small.test_client().get("/items/A1").get_data(as_text=True)

        hall = app_factory(name="hall", **settings)
        assert run_sync(hall).attachment_files == 2
        shown = hall.test_client().get("/items/A1").get_data(as_text=True)
        assert "流程图.png" in shown and "申请表.pdf 第 2 页" in shown

        with centre.extensions["kiosk_db"].session() as session:
            item = session.scalar(select(Item).where(Item.code == "A1"))
            assert item is not None
            picture = item.attachments[0].id
        token = csrf_token_of(amy.get(PAGE).get_data(as_text=True))
        amy.post(f"{PAGE}/attachments/{picture}/remove", data={"csrf_token": token})
        run_sync(hall)
    assert held(hall) == [("申请表.pdf", "pdf", True)]
    with hall.extensions["kiosk_db"].session() as session:
        assert collect_garbage(session, store_of(hall)) == 1  # the picture no item uses


def test_a_table_row_is_read_aloud_with_its_header(centre):
    amy = signed_in(centre, "amy", "county_admin")
    attach(amy, (table_xlsx(), "标准.xlsx"))
    with centre.extensions["kiosk_db"].session() as session:
        table = session.scalar(select(Attachment))
        assert table is not None
    with centre.test_request_context():
        said = row_text_of(f"{table.id}-2", "")
        first, second, third = TABLE_HEADER
        assert said == f"{first}：2 人。{second}：1240 元。{third}：城关镇便民服务中心。"
        assert row_text_of(f"{table.id}-99", "") is None
        assert row_text_of("x-1", "") is None
