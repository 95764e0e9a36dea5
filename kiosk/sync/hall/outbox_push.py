"""Delivery of the hall's outbox (ratings, questions, play logs) to the centre."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import CursorResult, update
from sqlalchemy.orm import Session

from kiosk.applications.hall import flush_wal, wipe_acknowledged
from kiosk.db import Database, utcnow
from kiosk.outbox.models import OutboxEntry
from kiosk.outbox.services import pending
from kiosk.sync.hall.checks import check_acknowledgement, error_message
from kiosk.sync.hall.errors import SyncError
from kiosk.sync.hall.http import Central
from kiosk.sync.hall.result import SyncResult
from kiosk.sync.hall.state import get_state

OUTBOX_BATCH = 200


def pending_batch(session: Session) -> list[dict[str, Any]]:
    """The next records to send, as the entries of an OutboxBatch."""
    return [
        {
            "key": entry.key,
            "kind": entry.kind,
            "payload": entry.payload,
            "created_at": entry.created_at.isoformat(),
        }
        for entry in pending(session, OUTBOX_BATCH)
    ]


def deliver_outbox(database: Database, central: Central, result: SyncResult) -> None:
    """Send pending records in batches; each is marked sent only once the centre holds it."""
    while True:
        with database.session() as session:
            batch = pending_batch(session)
        if not batch:
            return
        keys = [entry["key"] for entry in batch]
        try:
            response = central.request("POST", "/outbox", json={"entries": batch})
            if response.status_code != 200:
                raise SyncError(
                    f"县中心没有收下本站上报的记录（HTTP {response.status_code}）："
                    f"{error_message(response)}；这些记录留在本站，下一轮再发"
                )
            check_acknowledgement(Central.json_of(response), keys)
        except SyncError as failure:
            with database.session() as session:
                session.execute(
                    update(OutboxEntry)
                    .where(OutboxEntry.key.in_(keys))
                    .values(attempts=OutboxEntry.attempts + 1, last_error=str(failure)[:500])
                )
            raise
        with database.session() as session:
            marked = cast(
                CursorResult[Any],
                session.execute(
                    update(OutboxEntry)
                    .where(OutboxEntry.key.in_(keys), OutboxEntry.sent_at.is_(None))
                    .values(sent_at=utcnow(), attempts=OutboxEntry.attempts + 1, last_error="")
                ),
            ).rowcount
            get_state(session).outbox_sent += marked
            wiped = wipe_acknowledged(session)
        if wiped:
            flush_wal(database.engine)
        result.outbox_sent += marked
