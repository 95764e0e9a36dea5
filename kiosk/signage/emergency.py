"""Emergency notices over the screens (紧急通知): posted in the hall, or by the county for
the halls of a region, shown within seconds until taken down or expired."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from kiosk.audit.services import record
from kiosk.db import utcnow
from kiosk.errors import InputError
from kiosk.parsing import required_text
from kiosk.regions.services import lineage, normalise_path
from kiosk.signage.groups import check_group
from kiosk.signage.models import EmergencyNotice, Screen

COUNTY_PREFIX = "county:"
BODY_MAX = 5000


def post_emergency(
    session: Session,
    title: str,
    body: str,
    *,
    actor: str,
    group_id: int | None = None,
    expires_at: datetime | None = None,
    source: str = "local",
    external_id: str | None = None,
    region: str = "",
) -> EmergencyNotice:
    """Put a notice over every screen in scope (a group, or all); county ones are idempotent.
    At the centre `region` limits which halls receive it (that region and below)."""
    title = required_text(title, "紧急通知标题", 300, field="title")
    region = normalise_path(region) if region.strip() else ""
    check_group(session, group_id)
    if expires_at is not None and expires_at <= utcnow():
        raise InputError("结束时间已经过去了。", "minutes")
    if external_id is not None:
        existing = session.scalar(
            select(EmergencyNotice).where(EmergencyNotice.external_id == external_id)
        )
        if existing is not None:
            return existing
    notice = EmergencyNotice(
        title=title,
        body=body.strip()[:BODY_MAX],
        group_id=group_id,
        expires_at=expires_at,
        source=source,
        external_id=external_id,
        issued_by=actor,
        region=region,
    )
    session.add(notice)
    session.flush()
    record(
        session,
        actor,
        "signage.emergency.post",
        f"emergency:{notice.id}",
        None,
        {
            "title": title,
            "group_id": group_id,
            "source": source,
            "region": region,
            "expires_at": expires_at.isoformat() if expires_at else None,
        },
    )
    return notice


def post_county_emergency(
    session: Session, external_id: str, title: str, body: str, expires_at: datetime | None
) -> EmergencyNotice:
    """For catalog sync: a county-issued notice for every screen of this hall."""
    return post_emergency(
        session,
        title,
        body,
        actor="county",
        source="county",
        external_id=external_id,
        expires_at=expires_at,
    )


def clear_county_emergency(session: Session, external_id: str) -> bool:
    """For catalog sync: the county took its notice down; False if this hall never had it."""
    notice = session.scalar(
        select(EmergencyNotice).where(EmergencyNotice.external_id == external_id)
    )
    if notice is None:
        return False
    clear_emergency(session, notice, "county")
    return True


def emergencies_for_halls(session: Session, hall_region: str) -> list[dict[str, Any]]:
    """Centre: the active notices a county admin put over every screen of the halls in a
    region containing `hall_region`, for that hall's change feed."""
    above = set(lineage(hall_region)) if hall_region else set()
    return [
        {
            "id": str(notice.id),
            "title": notice.title,
            "body": notice.body,
            "expires_at": notice.expires_at.isoformat() if notice.expires_at else None,
        }
        for notice in active_emergencies(session)
        if notice.group_id is None
        and notice.source == "local"
        and (not notice.region or notice.region in above)
    ]


def reconcile_county_emergencies(session: Session, emergencies: list[dict[str, Any]]) -> None:
    """Hall: show what the county has up now, and take down what it took down."""
    now = utcnow()
    wanted = set()
    for emergency in emergencies:
        external_id = COUNTY_PREFIX + emergency["id"]
        wanted.add(external_id)
        expires_at = emergency["expires_at"]
        if expires_at is None or expires_at > now:  # a skewed clock may see it expired
            post_county_emergency(
                session, external_id, emergency["title"], emergency["body"], expires_at
            )
    for notice in active_emergencies(session, now):
        if notice.source == "county" and notice.external_id not in wanted:
            clear_emergency(session, notice, "county")


def clear_emergency(session: Session, notice: EmergencyNotice, actor: str) -> None:
    if notice.cleared_at is not None:
        return
    notice.cleared_at, notice.cleared_by = utcnow(), actor
    record(
        session,
        actor,
        "signage.emergency.clear",
        f"emergency:{notice.id}",
        {"title": notice.title},
        {"cleared": True},
    )


def active_emergencies(session: Session, now: datetime | None = None) -> list[EmergencyNotice]:
    """Notices up now, newest first."""
    now = now or utcnow()
    return list(
        session.scalars(
            select(EmergencyNotice)
            .where(
                EmergencyNotice.cleared_at.is_(None),
                or_(EmergencyNotice.expires_at.is_(None), EmergencyNotice.expires_at > now),
            )
            .order_by(EmergencyNotice.id.desc())
        )
    )


def emergency_for(
    session: Session, screen: Screen | None, now: datetime | None = None
) -> dict[str, Any] | None:
    """The newest active notice in this screen's scope (the attract loop: all-screen ones)."""
    group_id = screen.group_id if screen else None
    for notice in active_emergencies(session, now):
        if notice.group_id is None or notice.group_id == group_id:
            return {"id": notice.id, "title": notice.title, "body": notice.body}
    return None
