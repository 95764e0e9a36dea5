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
from kiosk.notices.services import create_notice, current_notices, take_down_notice, update_notice
from kiosk.review import services as review
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


def pending_review(session, notice):
    (waiting,) = review.pending_for(session, "notice", notice.id)
    return waiting


def approve(session, notice, reviewer):
    waiting = pending_review(session, notice)
    return review.approve(session, waiting, reviewer, waiting.content_hash)


def test_without_review_a_notice_is_published_at_once_and_audited(db):
    notice = create_notice(db, VALUES, "li", HALL, review_steps=0)
    db.commit()
    assert notice.state == "published" and notice.region == HALL
    assert titles(db) == ["东村冬季用电安全提示"]
    actions = list(
        db.scalars(select(AuditEntry.action).where(AuditEntry.target == f"notice:{notice.id}"))
    )
    assert actions == ["notice.create", "review.submit", "review.publish"]


def test_with_two_steps_two_other_people_must_approve(db):
    notice = create_notice(db, VALUES, "li", HALL, review_steps=2)
    assert notice.state == "pending" and titles(db) == []
    with pytest.raises(InputError, match="不能审核自己提交的内容"):
        approve(db, notice, "li")
    approve(db, notice, "wang")
    with pytest.raises(InputError, match="您已经批准过"):
        approve(db, notice, "wang")
    assert notice.state == "pending"
    approve(db, notice, "zhao")
    db.commit()
    assert notice.state == "published" and titles(db) == ["东村冬季用电安全提示"]
    actions = list(
        db.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.target == f"notice:{notice.id}")
            .order_by(AuditEntry.id)
        )
    )
    assert actions == [
        "notice.create",
        "review.submit",
        "review.approve",
        "review.approve",
        "review.publish",
    ]


def test_a_change_is_reviewed_again_and_rejection_keeps_it_off_screens(db):
    notice = create_notice(db, VALUES, "li", HALL, review_steps=1)
    approve(db, notice, "wang")
    update_notice(db, notice.id, {**VALUES, "body": "改过的正文"}, "li", HALL, 1)
    waiting = pending_review(db, notice)
    assert notice.state == "pending" and waiting.approvals == []
    assert waiting.content["body"] == "改过的正文"
    review.reject(db, waiting, "wang", "正文要写明停电时间")
    db.commit()
    assert notice.state == "rejected" and titles(db) == []


def test_an_approval_of_words_that_changed_since_is_refused(db):
    notice = create_notice(db, VALUES, "li", HALL, review_steps=1)
    seen = pending_review(db, notice)
    update_notice(db, notice.id, {**VALUES, "body": "改过的正文"}, "li", HALL, 1)
    assert seen.status == "withdrawn"
    with pytest.raises(InputError, match="不在待审核状态"):
        review.approve(db, seen, "wang", seen.content_hash)
    current = pending_review(db, notice)
    with pytest.raises(InputError, match="不是正在审核的版本"):
        review.approve(db, current, "wang", seen.content_hash)
    assert notice.state == "pending" and titles(db) == []


def test_the_author_may_withdraw_a_notice_from_review(db):
    notice = create_notice(db, VALUES, "li", HALL, review_steps=1)
    with pytest.raises(InputError, match="只有提交人可以撤回"):
        review.withdraw(db, pending_review(db, notice), "wang")
    review.withdraw(db, pending_review(db, notice), "li")
    assert notice.state == "draft" and titles(db) == []


def test_a_notice_taken_down_leaves_the_screens_but_is_kept(db):
    notice = create_notice(db, VALUES, "li", HALL, review_steps=0)
    take_down_notice(db, notice.id, "li")
    db.commit()
    assert titles(db) == [] and db.get(Notice, notice.id) is not None


@pytest.mark.parametrize(
    "change, message",
    [
        ({"title": ""}, "请填写标题"),
        ({"body": " "}, "请填写正文"),
        ({"kind": "八卦"}, "类别只能是"),
        ({"region": "示范县/青山乡/石桥村"}, "不是本大厅"),
        ({"expires_at": utcnow() - timedelta(days=1)}, "必须晚于发布时间"),
    ],
)
def test_bad_notices_are_refused_with_a_reason_and_nothing_saved(db, change, message):
    with pytest.raises(InputError, match=message):
        create_notice(db, {**VALUES, **change}, "li", HALL, review_steps=0)
    db.rollback()
    assert db.scalars(select(Notice)).all() == []


def test_admin_pages_post_review_and_show_notices(app_factory):
    app = app_factory(KIOSK_REGION=HALL, KIOSK_REVIEW_STEPS=1)
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
    listing = reviewer.get("/admin/reviews/").get_data(as_text=True)
    assert "通知公告：东村冬季用电安全提示" in listing
    approve = re.search(r'action="(/admin/reviews/\d+/approve)"', listing).group(1)
    seen = re.search(r'name="seen" value="([0-9a-f]{64})"', listing).group(1)
    reviewer.post(approve, data={"csrf_token": csrf_token_of(listing), "seen": seen})
    assert "东村冬季用电安全提示" in resident.get("/notices?kind=村务公开").get_data(as_text=True)


def test_admin_form_errors_and_roles(app_factory):
    app = app_factory(KIOSK_REGION=HALL, KIOSK_REVIEW_STEPS=0)
    manager = signed_in(app, "li")
    form = manager.get("/admin/notices/new").get_data(as_text=True)
    response = manager.post(
        "/admin/notices/new", data={**VALUES, "region": "别的县", "csrf_token": csrf_token_of(form)}
    )
    assert response.status_code == 400 and "不是本大厅" in response.get_data(as_text=True)
    assert manager.post("/admin/notices/new", data=VALUES).status_code == 400  # no CSRF token
    viewer = signed_in(app, "guest", role="viewer")
    assert viewer.get("/admin/notices/").status_code == 200
    assert viewer.get("/admin/notices/new").status_code == 403
    with app.extensions["kiosk_db"].session() as session:
        assert session.scalars(select(Notice)).all() == []
