"""Notices a hall shows (its own region's and the levels above, while current), and how hall
managers post them: with review steps, a notice goes on the screens only after other staff
approve it (审核把关)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from kiosk.audit.services import record
from kiosk.db import utcnow
from kiosk.errors import InputError
from kiosk.notices.models import Notice
from kiosk.regions.services import lineage, normalise_path
from kiosk.review import services as review
from kiosk.review.models import Review

NOTICE_KINDS = ("通知公告", "村务公开")
TITLE_MAX = 300
BODY_MAX = 10_000
EDITABLE = ("title", "body", "kind", "region", "publisher", "published_at", "expires_at")


def current_notices_query(
    region: str = "", kind: str | None = None, now: datetime | None = None
) -> Select[Notice]:
    now = now or utcnow()
    query = select(Notice).where(
        Notice.state == "published",
        Notice.published_at <= now,
        or_(Notice.expires_at.is_(None), Notice.expires_at > now),
    )
    if region:
        query = query.where(Notice.region.in_(lineage(region)))
    if kind:
        query = query.where(Notice.kind == kind)
    return query.order_by(Notice.published_at.desc(), Notice.id.desc())


def current_notices(
    session: Session, region: str = "", kind: str | None = None, limit: int | None = None
) -> list[Notice]:
    query = current_notices_query(region, kind)
    if limit:
        query = query.limit(limit)
    return list(session.scalars(query))


def get_current_notice(session: Session, notice_id: int, region: str = "") -> Notice | None:
    return session.scalar(current_notices_query(region).where(Notice.id == notice_id))


def all_notices(session: Session, region: str = "") -> list[Notice]:
    """Every notice of the hall, whatever its state (the admin's list), newest first."""
    query = select(Notice)
    if region:
        query = query.where(Notice.region.in_(lineage(region)))
    return list(session.scalars(query.order_by(Notice.published_at.desc(), Notice.id.desc())))


def get_notice(session: Session, notice_id: int) -> Notice:
    notice = session.get(Notice, notice_id)
    if notice is None:
        raise InputError(f"没有编号为 {notice_id} 的通知。")
    return notice


def _clean(values: Mapping[str, Any], hall_region: str) -> dict[str, Any]:
    title = str(values.get("title") or "").strip()
    body = str(values.get("body") or "").strip()
    if not 0 < len(title) <= TITLE_MAX:
        raise InputError(f"请填写标题（最多 {TITLE_MAX} 个字）。", field="title")
    if not 0 < len(body) <= BODY_MAX:
        raise InputError(f"请填写正文（最多 {BODY_MAX} 个字）。", field="body")
    kind = values.get("kind") or "通知公告"
    if kind not in NOTICE_KINDS:
        raise InputError(f"类别只能是 {'、'.join(NOTICE_KINDS)}，不能是“{kind}”。", field="kind")
    region = normalise_path(str(values.get("region") or hall_region))
    if hall_region and region not in lineage(hall_region):
        raise InputError(f"区域“{region}”不是本大厅（{hall_region}）或它的上级。", field="region")
    published_at: datetime = values.get("published_at") or utcnow()
    expires_at: datetime | None = values.get("expires_at")
    if expires_at is not None and expires_at <= published_at:
        raise InputError("公示截止时间必须晚于发布时间。", field="expires_at")
    return {
        "title": title,
        "body": body,
        "kind": kind,
        "region": region,
        "publisher": str(values.get("publisher") or "").strip()[:200],
        "published_at": published_at,
        "expires_at": expires_at,
    }


def _snapshot(notice: Notice) -> dict[str, Any]:
    return {
        field: (value.isoformat() if isinstance(value, datetime) else value)
        for field in EDITABLE
        for value in [getattr(notice, field)]
    }


def create_notice(
    session: Session, values: Mapping[str, Any], actor: str, hall_region: str, review_steps: int
) -> Notice:
    notice = Notice(**_clean(values, hall_region), created_by=actor, state="pending")
    session.add(notice)
    session.flush()
    record(session, actor, "notice.create", f"notice:{notice.id}", None, _snapshot(notice))
    _submit(session, notice, actor, review_steps)
    return notice


def _submit(session: Session, notice: Notice, actor: str, review_steps: int) -> None:
    """Off the screens until approved (or at once with no review steps)."""
    notice.state = "pending"
    review.submit(
        session,
        "notice",
        notice.id,
        notice.title,
        _snapshot(notice),
        actor=actor,
        steps=review_steps,
    )


def update_notice(
    session: Session,
    notice_id: int,
    values: Mapping[str, Any],
    actor: str,
    hall_region: str,
    review_steps: int,
) -> Notice:
    """A changed notice is reviewed again: its earlier approvals were for other words."""
    notice = get_notice(session, notice_id)
    before = {**_snapshot(notice), "state": notice.state}
    for field, value in _clean(values, hall_region).items():
        setattr(notice, field, value)
    notice.created_by = actor
    record(session, actor, "notice.update", f"notice:{notice.id}", before, _snapshot(notice))
    _submit(session, notice, actor, review_steps)
    return notice


def _published(session: Session, item: Review, _actor: str) -> None:
    get_notice(session, int(item.subject_id)).state = "published"


def _rejected(session: Session, item: Review, _actor: str) -> None:
    get_notice(session, int(item.subject_id)).state = "rejected"


def _withdrawn(session: Session, item: Review, _actor: str) -> None:
    get_notice(session, int(item.subject_id)).state = "draft"


review.register_kind(
    review.ReviewKind(
        "notice", "通知公告", publish=_published, rejected=_rejected, withdrawn=_withdrawn
    )
)


def take_down_notice(session: Session, notice_id: int, actor: str) -> Notice:
    """Take a notice down now; it is kept (broadcast logs and playlists refer to it)."""
    notice = get_notice(session, notice_id)
    before = notice.expires_at.isoformat() if notice.expires_at else None
    notice.expires_at = utcnow()
    record(
        session,
        actor,
        "notice.withdraw",
        f"notice:{notice.id}",
        {"expires_at": before},
        {"expires_at": notice.expires_at.isoformat()},
    )
    return notice
