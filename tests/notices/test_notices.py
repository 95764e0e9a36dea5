"""Hall managers post notices; with review steps another person must approve them first."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from kiosk.audit.models import AuditEntry
from kiosk.db import utcnow
from kiosk.errors import InputError
from kiosk.notices.models import Notice
from kiosk.notices.services import (
    approve_notice,
    create_notice,
    current_notices,
    reject_notice,
    update_notice,
    withdraw_notice,
)
from tests.conftest import csrf_token_of, signed_in

HALL = "示范县/城关镇/东村"
VALUES = {
    "title": "东村冬季用电安全提示",
    "body": "请村民注意用电安全，不私拉乱接电线。",
    "kind": "村务公开",
    "publisher": "东村村民委员会",
}


def titles(session) -> list[str]:
    return [notice.title for notice in current_notices(session, HALL)]


def test_without_review_a_notice_is_published_at_once_and_audited(db):
    notice = create_notice(db, VALUES, "li", HALL, review_steps=0)
    db.commit()
    assert notice.state == "published" and notice.region == HALL
    assert titles(db) == ["东村冬季用电安全提示"]
    actions = list(
        db.scalars(select(AuditEntry.action).where(AuditEntry.target == f"notice:{notice.id}"))
    )
    assert actions == ["notice.create"]


def test_with_two_steps_two_other_people_must_approve(db):
    notice = create_notice(db, VALUES, "li", HALL, review_steps=2)
    assert notice.state == "pending" and titles(db) == []
    with pytest.raises(InputError, match="someone else"):
        approve_notice(db, notice.id, "li", 2)
    approve_notice(db, notice.id, "wang", 2)
    with pytest.raises(InputError, match="someone else"):
        approve_notice(db, notice.id, "wang", 2)
    assert notice.state == "pending"
    approve_notice(db, notice.id, "zhao", 2)
    db.commit()
    assert notice.state == "published" and titles(db) == ["东村冬季用电安全提示"]
    actions = list(
        db.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.target == f"notice:{notice.id}")
            .order_by(AuditEntry.id)
        )
    )
    assert actions == ["notice.create", "notice.approve", "notice.approve", "notice.publish"]


def test_a_change_is_reviewed_again_and_rejection_keeps_it_off_screens(db):
    notice = create_notice(db, VALUES, "li", HALL, review_steps=1)
    approve_notice(db, notice.id, "wang", 1)
    update_notice(db, notice.id, {**VALUES, "body": "改过的正文"}, "li", HALL, 1)
    assert notice.state == "pending" and notice.approvals == []
    reject_notice(db, notice.id, "wang")
    db.commit()
    assert notice.state == "rejected" and titles(db) == []


def test_withdrawn_notice_leaves_the_screens_but_is_kept(db):
    notice = create_notice(db, VALUES, "li", HALL, review_steps=0)
    withdraw_notice(db, notice.id, "li")
    db.commit()
    assert titles(db) == [] and db.get(Notice, notice.id) is not None


@pytest.mark.parametrize(
    "change, message",
    [
        ({"title": ""}, "title is required"),
        ({"body": " "}, "body is required"),
        ({"kind": "八卦"}, "类别必须是"),
        ({"region": "示范县/青山乡/石桥村"}, "不属于本大厅"),
        ({"expires_at": utcnow() - timedelta(days=1)}, "expires before it is published"),
    ],
)
def test_bad_notices_are_refused_with_a_reason_and_nothing_saved(db, change, message):
    with pytest.raises(InputError, match=message):
        create_notice(db, {**VALUES, **change}, "li", HALL, review_steps=0)
    db.rollback()
    assert db.scalars(select(Notice)).all() == []


def test_admin_pages_post_review_and_show_notices(app_factory):
    app = app_factory(KIOSK_REGION=HALL, KIOSK_SIGNAGE_REVIEW_STEPS=1)
    author, reviewer = signed_in(app, "li"), signed_in(app, "wang")
    form = author.get("/admin/notices/new").get_data(as_text=True)
    page = author.post(
        "/admin/notices/new",
        data={**VALUES, "csrf_token": csrf_token_of(form)},
        follow_redirects=True,
    )
    assert "待审核" in page.get_data(as_text=True)
    resident = app.test_client()
    assert "东村冬季用电安全提示" not in resident.get("/notices?kind=村务公开").get_data(
        as_text=True
    )
    listing = reviewer.get("/admin/notices/").get_data(as_text=True)
    approve = re.search(r'action="(/admin/notices/\d+/approve)"', listing).group(1)
    reviewer.post(approve, data={"csrf_token": csrf_token_of(listing)})
    assert "东村冬季用电安全提示" in resident.get("/notices?kind=村务公开").get_data(as_text=True)


def test_admin_form_errors_and_roles(app_factory):
    app = app_factory(KIOSK_REGION=HALL, KIOSK_SIGNAGE_REVIEW_STEPS=0)
    manager = signed_in(app, "li")
    form = manager.get("/admin/notices/new").get_data(as_text=True)
    response = manager.post(
        "/admin/notices/new", data={**VALUES, "region": "别的县", "csrf_token": csrf_token_of(form)}
    )
    assert response.status_code == 400 and "不属于本大厅" in response.get_data(as_text=True)
    assert manager.post("/admin/notices/new", data=VALUES).status_code == 400  # no CSRF token
    viewer = signed_in(app, "guest", role="viewer")
    assert viewer.get("/admin/notices/").status_code == 200
    assert viewer.get("/admin/notices/new").status_code == 403
    with app.extensions["kiosk_db"].session() as session:
        assert session.scalars(select(Notice)).all() == []
