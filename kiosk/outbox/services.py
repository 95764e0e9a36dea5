from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.outbox.models import OutboxEntry


def enqueue(session: Session, kind: str, payload: dict[str, Any]) -> OutboxEntry:
    """Queue one record for the centre in the caller's transaction."""
    entry = OutboxEntry(key=uuid.uuid4().hex, kind=kind, payload=payload)
    session.add(entry)
    return entry


def pending(session: Session, limit: int = 500) -> list[OutboxEntry]:
    query = select(OutboxEntry).where(OutboxEntry.sent_at.is_(None)).order_by(OutboxEntry.id)
    return list(session.scalars(query.limit(limit)))
