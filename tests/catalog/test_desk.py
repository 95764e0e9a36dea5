"""The catalog desk through its pages and services: preview writes nothing, confirm goes
through review, the audit log names uploader, approver, file and SHA-256, edits are checked
as the importer checks a row, and every change is a version."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from kiosk.audit.models import AuditEntry
from kiosk.blobs.services import collect_garbage, store_of
from kiosk.catalog.desk.models import CatalogImport
from kiosk.catalog.desk.versions import history
from kiosk.catalog.models import Item
from kiosk.regions.services import ensure_region
from kiosk.review.models import Review
from kiosk.sync.models import CatalogChange
from tests.catalog.desk_files import EXTRA, with_content, write_messy_workbook
from tests.catalog.files import LIST_TOP
from tests.conftest import csrf_token_of, signed_in


@pytest.fixture
def centre(app_factory) -> Flask:
    app = app_factory(KIOSK_ROLE="central", KIOSK_REVIEW_STEPS=1)
    with app.extensions["kiosk_db"].session() as session:
        for path in ("示范县/城关镇/东村", "示范县/河西镇"):
            ensure_region(session, path)
    return app


def count(app: Flask, model) -> int:
    with app.extensions["kiosk_db"].session() as session:
        return session.scalar(select(func.count()).select_from(model))


def upload(client: FlaskClient, *paths: Path, region: str = "示范县"):
    token = csrf_token_of(client.get("/admin/catalog/").get_data(as_text=True))
    files = [(path.open("rb"), path.name) for path in paths]
    return client.post(
        "/admin/catalog/imports", data={"csrf_token": token, "region": region, "files": files}
    )


def pending_reviews(page: str) -> list[tuple[str, str]]:
    """(review id, hash seen) of each approve button on the review desk, in page order."""
    ids = re.findall(r"/admin/reviews/(\d+)/approve", page)
    return list(zip(ids, re.findall(r'name="seen" value="([0-9a-f]{64})"', page), strict=True))


def approve(reviewer: FlaskClient, review_id: str, seen: str):
    page = reviewer.get("/admin/reviews/").get_data(as_text=True)
    return reviewer.post(
        f"/admin/reviews/{review_id}/approve",
        data={"csrf_token": csrf_token_of(page), "seen": seen},
    )


def approve_all(reviewer: FlaskClient) -> None:
    for review_id, seen in pending_reviews(reviewer.get("/admin/reviews/").get_data(as_text=True)):
        assert approve(reviewer, review_id, seen).status_code == 303


def confirm(client: FlaskClient, preview_url: str):
    page = client.get(preview_url).get_data(as_text=True)
    return client.post(preview_url + "/confirm", data={"csrf_token": csrf_token_of(page)})


def test_preview_writes_nothing_and_approval_applies_with_versions_and_audit(centre, tmp_path):
    amy = signed_in(centre, "amy", "county_admin")
    bo = signed_in(centre, "bo", "county_admin")
    workbook = write_messy_workbook(tmp_path / "示范县目录.xlsx")
    answer = upload(amy, workbook)
    assert answer.status_code == 303
    preview = amy.get(answer.headers["Location"]).get_data(as_text=True)
    assert 'data-count="added">3<' in preview and EXTRA in preview
    assert count(centre, Item) == 0 and count(centre, CatalogChange) == 0

    assert confirm(amy, answer.headers["Location"]).status_code == 303
    assert count(centre, Item) == 0  # waiting for another county admin
    # The uploader cannot approve it; the reviewer sees the same diff.
    assert "批准</button>" not in amy.get("/admin/reviews/").get_data(as_text=True)
    assert "最低生活保障 审批" in bo.get("/admin/reviews/").get_data(as_text=True)
    approve_all(bo)
    assert count(centre, Item) == 3 and count(centre, CatalogChange) == 3

    with centre.extensions["kiosk_db"].session() as session:
        imported = session.scalars(select(CatalogImport)).one()
        sha256 = imported.files[0]["sha256"]
        assert imported.state == "applied" and imported.approved_by == "bo"
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "catalog.import")
        ).one()
        assert entry.after["uploaded_by"] == "amy" and entry.after["approved_by"] == "bo"
        assert entry.after["files"] == [{"name": "示范县目录.xlsx", "sha256": sha256}]
        code = session.scalars(select(Item.code)).first()
        (version,) = history(session, code)
        assert (version.actor, version.approved_by, version.source) == ("amy", "bo", "file")
        assert (version.file_name, version.file_sha256) == ("示范县目录.xlsx", sha256)
        # The original file is kept as the record, garbage collection or not.
        store = store_of(centre)
        collect_garbage(session, store)
        assert store.path(sha256).read_bytes() == workbook.read_bytes()


def test_a_preview_gone_stale_is_refused_at_approval(centre, tmp_path):
    amy = signed_in(centre, "amy", "county_admin")
    bo = signed_in(centre, "bo", "county_admin")
    # Two previews of the same catalog, both waiting; the second is approved first.
    confirm(amy, upload(amy, write_messy_workbook(tmp_path / "一.xlsx")).headers["Location"])
    changed = write_messy_workbook(tmp_path / "二.xlsx", with_content(0, "新内容"))
    confirm(amy, upload(amy, changed).headers["Location"])
    (first, first_seen), (second, second_seen) = pending_reviews(
        bo.get("/admin/reviews/").get_data(as_text=True)
    )
    approve(bo, second, second_seen)
    assert count(centre, Item) == 3
    # The first one's diff (3 added) is no longer true: refused, nothing applied.
    assert approve(bo, first, first_seen).status_code == 303
    assert "预览之后目录又有了变化" in bo.get("/admin/reviews/").get_data(as_text=True)
    with centre.extensions["kiosk_db"].session() as session:
        assert session.get(Review, int(first)).status == "pending"
        assert (
            session.scalar(select(Item.content).where(Item.name == "最低生活保障 审批")) == "新内容"
        )


def test_errors_and_unknown_regions_block_the_import(centre, tmp_path):
    amy = signed_in(centre, "amy", "county_admin")
    answer = upload(amy, write_messy_workbook(tmp_path / "有错.xlsx", with_content(0, "")))
    page = amy.get(answer.headers["Location"]).get_data(as_text=True)
    # Structured: file, sheet, row, column and reason, each in its own cell.
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", page)
    where = cells.index("有错.xlsx")
    assert cells[where + 1 : where + 3] == ["目录", "第 5 行"]
    assert "事项内容" in cells[where + 3] and "事项内容是必填项" in cells[where + 4]
    assert "确认导入" not in page
    rows = with_content(0, "内容")
    for row in rows:  # a township that does not exist; 城关镇 does
        row[LIST_TOP.index("层级")], row[LIST_TOP.index("区域")] = "乡级", "示范县/城关"
    elsewhere = upload(amy, write_messy_workbook(tmp_path / "区域.xlsx", rows))
    page = amy.get(elsewhere.headers["Location"]).get_data(as_text=True)
    assert "没有区域“示范县/城关”。您要找的是不是：示范县/城关镇" in page
    refused = amy.post(
        answer.headers["Location"] + "/confirm", data={"csrf_token": csrf_token_of(page)}
    )
    assert refused.status_code == 303 and count(centre, Review) == 0


def test_only_county_admins_use_the_desk_and_decide_catalog_reviews(centre, tmp_path):
    manager = signed_in(centre, "manager", "hall_manager")
    for path in ("/admin/catalog/", "/admin/catalog/items/", "/admin/catalog/regions/"):
        assert manager.get(path).status_code == 403
    amy = signed_in(centre, "amy", "county_admin")
    confirm(amy, upload(amy, write_messy_workbook(tmp_path / "目录.xlsx")).headers["Location"])
    desk = manager.get("/admin/reviews/").get_data(as_text=True)
    assert "目录导入" in desk and "批准</button>" not in desk
    review_id = re.search(r"review-(\d+)", desk).group(1)
    with centre.extensions["kiosk_db"].session() as session:
        seen = session.get(Review, int(review_id)).content_hash
    answer = manager.post(
        f"/admin/reviews/{review_id}/approve",
        data={"csrf_token": csrf_token_of(desk), "seen": seen},
    )
    assert answer.status_code == 403 and count(centre, Item) == 0
