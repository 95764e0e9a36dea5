"""Submit, approve, reject, withdraw: the review workflow every kind of content shares.

A kind (notice, playlist, ...) registers what approval publishes. A submission freezes the
content its reviewers see; each approval names the hash of the version its reviewer saw,
so a change after submission can never be published by an approval of the older words.
Authors never approve their own submission; every step is in the audit log.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.audit.services import record
from kiosk.db import utcnow
from kiosk.errors import InputError
from kiosk.review.models import STATE_LABELS, Review

Step = Callable[[Session, Review, str], None]


def _nothing(_session: Session, _review: Review, _actor: str) -> None:
    return None


@dataclass(frozen=True)
class ReviewKind:
    name: str
    label: str  # what a reviewer reads: 通知公告, 播放列表…
    publish: Step  # apply the approved content
    rejected: Step = _nothing
    withdrawn: Step = _nothing
    role: str = "hall_manager"  # the least role that may approve or reject it


KINDS: dict[str, ReviewKind] = {}
REASON_MAX = 500


def register_kind(kind: ReviewKind) -> None:
    KINDS[kind.name] = kind


def kind_of(review: Review) -> ReviewKind:
    return KINDS[review.subject]


def content_hash(content: Any) -> str:
    canonical = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _audit(session: Session, actor: str, action: str, review: Review, **after: Any) -> None:
    record(
        session,
        actor,
        f"review.{action}",
        f"{review.subject}:{review.subject_id}",
        None,
        {"review": review.id, "hash": review.content_hash, **after},
    )


def submit(
    session: Session,
    kind: str,
    subject_id: str | int,
    title: str,
    content: Any,
    *,
    actor: str,
    steps: int,
) -> Review:
    """Put `content` up for `steps` approvals; with 0 steps it is published at once.
    A submission still waiting for the same subject is withdrawn: its words changed."""
    if kind not in KINDS:
        raise ValueError(f"review kind {kind!r} is not registered")
    withdraw_changed(session, kind, subject_id, actor, "提交后内容又有修改，已按新版本重新送审")
    review = Review(
        subject=kind,
        subject_id=str(subject_id),
        title=title[:300],
        content=content,
        content_hash=content_hash(content),
        submitted_by=actor,
        required=max(steps, 0),
        approvals=[],
    )
    session.add(review)
    session.flush()
    _audit(session, actor, "submit", review, required=review.required)
    if review.required == 0:
        _close(review, "approved", actor, "")
        KINDS[kind].publish(session, review, actor)
        _audit(session, actor, "publish", review, approved_by=[])
    return review


def withdraw_changed(
    session: Session, kind: str, subject_id: str | int, actor: str, reason: str
) -> list[Review]:
    """The subject changed after it was submitted: what waits for review is withdrawn,
    saying why, so no approval of the older version can publish the newer one."""
    changed = pending_for(session, kind, subject_id)
    for older in changed:
        _close(older, "withdrawn", "system", reason)
        _audit(session, actor, "supersede", older)
    return changed


def may_approve(review: Review, reviewer: str) -> bool:
    return (
        review.status == "pending"
        and reviewer != review.submitted_by
        and all(step["by"] != reviewer for step in review.approvals)
    )


def approve(session: Session, review: Review, reviewer: str, seen_hash: str) -> Review:
    """One approval of the version the reviewer saw (`seen_hash`); the last one publishes."""
    _check_pending(review)
    if seen_hash != review.content_hash:
        raise InputError("您看到的不是正在审核的版本（提交后内容已修改），请重新打开再审核。")
    if reviewer == review.submitted_by:
        raise InputError("不能审核自己提交的内容，须由其他工作人员审核。")
    if not may_approve(review, reviewer):
        raise InputError("您已经批准过这一项，还需要其他工作人员批准。")
    review.approvals = [
        *review.approvals,
        {"by": reviewer, "at": utcnow().isoformat(), "hash": seen_hash},
    ]
    _audit(session, reviewer, "approve", review, step=len(review.approvals), of=review.required)
    if len(review.approvals) >= review.required:
        _close(review, "approved", reviewer, "")
        KINDS[review.subject].publish(session, review, reviewer)
        _audit(
            session,
            reviewer,
            "publish",
            review,
            approved_by=[step["by"] for step in review.approvals],
        )
    return review


def reject(session: Session, review: Review, reviewer: str, reason: str) -> Review:
    """Send it back to its author, saying why; nothing of it is published."""
    _check_pending(review)
    reason = reason.strip()
    if not reason:
        raise InputError("请写明退回的原因，方便提交人修改。", field="reason")
    if len(reason) > REASON_MAX:
        raise InputError(f"退回原因最多 {REASON_MAX} 个字。", field="reason")
    if reviewer == review.submitted_by:
        raise InputError("不能退回自己提交的内容；不想发布了请用“撤回”。")
    _close(review, "rejected", reviewer, reason)
    KINDS[review.subject].rejected(session, review, reviewer)
    _audit(session, reviewer, "reject", review, reason=reason)
    return review


def withdraw(session: Session, review: Review, actor: str) -> Review:
    """The author takes a submission back before it is decided."""
    _check_pending(review)
    if actor != review.submitted_by:
        raise InputError("只有提交人可以撤回；其他人请用“退回”并写明原因。")
    _close(review, "withdrawn", actor, "提交人撤回")
    KINDS[review.subject].withdrawn(session, review, actor)
    _audit(session, actor, "withdraw", review)
    return review


def _check_pending(review: Review) -> None:
    if review.status != "pending":
        raise InputError(f"这一项{STATE_LABELS[review.status]}，不在待审核状态。")


def _close(review: Review, status: str, actor: str, reason: str) -> None:
    review.status, review.reason = status, reason
    review.decided_by, review.decided_at = actor, utcnow()


def get_review(session: Session, review_id: int) -> Review:
    review = session.get(Review, review_id)
    if review is None:
        raise InputError(f"没有编号为 {review_id} 的审核。")
    return review


def pending(session: Session, kind: str | None = None) -> list[Review]:
    query = select(Review).where(Review.status == "pending")
    if kind is not None:
        query = query.where(Review.subject == kind)
    return list(session.scalars(query.order_by(Review.submitted_at, Review.id)))


def pending_for(session: Session, kind: str, subject_id: str | int) -> list[Review]:
    return list(
        session.scalars(
            select(Review).where(
                Review.subject == kind,
                Review.subject_id == str(subject_id),
                Review.status == "pending",
            )
        )
    )


def history(session: Session, kind: str, subject_id: str | int, limit: int = 10) -> list[Review]:
    """The subject's latest submissions, newest first."""
    query = (
        select(Review)
        .where(Review.subject == kind, Review.subject_id == str(subject_id))
        .order_by(Review.id.desc())
        .limit(limit)
    )
    return list(session.scalars(query))
