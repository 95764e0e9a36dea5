"""Notices a hall shows: its own region's and those of the levels above it, while current."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from kiosk.db import utcnow
from kiosk.notices.models import Notice
from kiosk.regions.services import lineage

NOTICE_KINDS = ("通知公告", "村务公开")


def current_notices_query(region: str = "", kind: str | None = None):
    now = utcnow()
    query = select(Notice).where(Notice.published_at <= now,
                                 or_(Notice.expires_at.is_(None), Notice.expires_at > now))
    if region:
        query = query.where(Notice.region.in_(lineage(region)))
    if kind:
        query = query.where(Notice.kind == kind)
    return query.order_by(Notice.published_at.desc(), Notice.id.desc())


def current_notices(session: Session, region: str = "", kind: str | None = None,
                    limit: int | None = None) -> list[Notice]:
    query = current_notices_query(region, kind)
    if limit:
        query = query.limit(limit)
    return list(session.scalars(query))


def get_current_notice(session: Session, notice_id: int, region: str = "") -> Notice | None:
    return session.scalar(current_notices_query(region).where(Notice.id == notice_id))
