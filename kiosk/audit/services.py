from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.audit.models import AuditEntry


def record(
    session: Session,
    actor: str,
    action: str,
    target: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> AuditEntry:
    """Add an audit entry in the caller's transaction, so it lands only with the change."""
    entry = AuditEntry(actor=actor, action=action, target=target, before=before, after=after)
    session.add(entry)
    return entry


def record_removal(
    session: Session, actor: str, action: str, target: str, before: dict[str, Any], thing: object
) -> None:
    """Delete `thing`, saying in the audit log what it was, in the caller's transaction."""
    record(session, actor, action, target, before, None)
    session.delete(thing)


def recent_entries(session: Session, limit: int = 200) -> list[AuditEntry]:
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    return list(session.scalars(query))
