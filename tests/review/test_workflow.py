"""The one review workflow: N approvals by people other than the author, each of the exact
version they saw; rejection with a reason; withdrawal by the author; every step audited."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from kiosk.audit.models import AuditEntry
from kiosk.errors import InputError
from kiosk.review import services as review

PUBLISHED: list[tuple[str, object]] = []
REJECTED: list[str] = []


@pytest.fixture(autouse=True)
def test_kind():
    PUBLISHED.clear()
    REJECTED.clear()
    review.register_kind(
        review.ReviewKind(
            "test",
            "测试",
            publish=lambda _s, item, actor: PUBLISHED.append((actor, item.content)),
            rejected=lambda _s, item, _actor: REJECTED.append(item.subject_id),
        )
    )
    yield
    review.KINDS.pop("test")


def submit(db, content, steps=2, author="li"):
    return review.submit(db, "test", 7, "标题", content, actor=author, steps=steps)


def test_no_steps_publishes_at_once(db):
    item = submit(db, {"v": 1}, steps=0)
    assert item.status == "approved" and PUBLISHED == [("li", {"v": 1})]


def test_two_other_people_must_approve_the_version_they_saw(db):
    item = submit(db, {"v": 1})
    with pytest.raises(InputError, match="不能审核自己提交的内容"):
        review.approve(db, item, "li", item.content_hash)
    with pytest.raises(InputError, match="不是正在审核的版本"):
        review.approve(db, item, "wang", review.content_hash({"v": 2}))
    review.approve(db, item, "wang", item.content_hash)
    with pytest.raises(InputError, match="已经批准过"):
        review.approve(db, item, "wang", item.content_hash)
    assert PUBLISHED == [] and item.status == "pending"
    review.approve(db, item, "zhao", item.content_hash)
    assert item.status == "approved" and PUBLISHED == [("zhao", {"v": 1})]
    assert [step["by"] for step in item.approvals] == ["wang", "zhao"]
    assert all(step["hash"] == item.content_hash for step in item.approvals)


def test_a_new_submission_withdraws_the_waiting_one(db):
    first = submit(db, {"v": 1})
    review.approve(db, first, "wang", first.content_hash)
    second = submit(db, {"v": 2})
    assert first.status == "withdrawn" and "重新送审" in first.reason
    assert second.approvals == [] and review.pending_for(db, "test", 7) == [second]
    with pytest.raises(InputError, match="不在待审核状态"):
        review.approve(db, first, "zhao", first.content_hash)


def test_rejection_needs_a_reason_and_publishes_nothing(db):
    item = submit(db, {"v": 1})
    with pytest.raises(InputError, match="请写明退回的原因"):
        review.reject(db, item, "wang", "  ")
    with pytest.raises(InputError, match="不能退回自己提交的内容"):
        review.reject(db, item, "li", "不想发了")
    review.reject(db, item, "wang", "电话号码写错了")
    assert item.status == "rejected" and item.reason == "电话号码写错了"
    assert PUBLISHED == [] and REJECTED == ["7"]


def test_only_the_author_withdraws(db):
    item = submit(db, {"v": 1})
    with pytest.raises(InputError, match="只有提交人可以撤回"):
        review.withdraw(db, item, "wang")
    review.withdraw(db, item, "li")
    assert item.status == "withdrawn" and review.pending(db, "test") == []


def test_every_step_is_in_the_audit_log(db):
    item = submit(db, {"v": 1}, steps=1)
    review.approve(db, item, "wang", item.content_hash)
    db.flush()
    steps = db.execute(
        select(AuditEntry.actor, AuditEntry.action).where(AuditEntry.target == "test:7")
    ).all()
    assert steps == [("li", "review.submit"), ("wang", "review.approve"),
                     ("wang", "review.publish")]  # fmt: skip
