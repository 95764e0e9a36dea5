"""The centre's side of the halls' outboxes: each record stored once, by its key."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kiosk.errors import InputError
from kiosk.sync.models import ReceivedRecord, SyncNode
from kiosk.sync.validation import misfit


def validate_batch(document: Any) -> list[dict[str, Any]]:
    """The entries of a batch (the OutboxBatch schema of the API), or InputError naming the
    first thing wrong, in Chinese; nothing is stored."""
    problem = misfit("OutboxBatch", document)
    if problem is not None:
        raise InputError(f"上报记录不合格：{problem}")
    entries = []
    for index, entry in enumerate(document["entries"]):
        created = entry.get("created_at")
        try:
            created_at = datetime.fromisoformat(created) if created else None
        except ValueError:
            where = f"entries[{index}].created_at（记录时间）"
            raise InputError(f"上报记录不合格：{where}不是有效的时间") from None
        if created_at is not None and created_at.tzinfo is None:
            raise InputError(f"上报记录不合格：entries[{index}].created_at（记录时间）没有时区")
        # Only the fields the document names; others (a newer hall's) are let go.
        entries.append(
            {
                "key": entry["key"],
                "kind": entry["kind"],
                "payload": entry["payload"],
                "created_at": created_at,
            }
        )
    return entries


# A kind whose records the centre files elsewhere (information applications: identity
# numbers encrypted) registers a receiver: it stores what it needs and returns the
# payload to keep in the received record.
Receiver = Callable[[Session, SyncNode, dict[str, Any], Mapping[str, Any]], dict[str, Any]]
RECEIVERS: dict[str, Receiver] = {}


def store_batch(
    session: Session,
    node: SyncNode,
    entries: list[dict[str, Any]],
    config: Mapping[str, Any] | None = None,
) -> int:
    """Store the entries not stored before; returns how many were new. `config`: the app's
    settings, for the receivers of kinds filed elsewhere."""
    keys = [entry["key"] for entry in entries]
    known = set(
        session.scalars(
            select(ReceivedRecord.key).where(
                ReceivedRecord.node_id == node.id, ReceivedRecord.key.in_(keys)
            )
        )
    )
    new = 0
    for entry in entries:
        if entry["key"] in known:
            continue
        known.add(entry["key"])
        try:
            # A concurrent delivery of the same key may win: then this one is a duplicate.
            with session.begin_nested():
                receiver = RECEIVERS.get(entry["kind"])
                if receiver is not None:
                    entry = {**entry, "payload": receiver(session, node, entry, config or {})}
                session.add(ReceivedRecord(node_id=node.id, **entry))
            new += 1
        except IntegrityError:
            continue
    return new


def received_counts(session: Session) -> list[tuple[str, str, int]]:
    """(node name, kind, records) over everything the halls have sent."""
    query = (
        select(SyncNode.name, ReceivedRecord.kind, func.count(ReceivedRecord.id))
        .join(SyncNode, SyncNode.id == ReceivedRecord.node_id)
        .group_by(SyncNode.name, ReceivedRecord.kind)
        .order_by(SyncNode.name, ReceivedRecord.kind)
    )
    return [(name, kind, count) for name, kind, count in session.execute(query)]


def recent_received(
    session: Session, kinds: tuple[str, ...], limit: int = 200
) -> list[tuple[str, ReceivedRecord]]:
    """The latest records of these kinds with the name of the hall that sent them."""
    query = (
        select(SyncNode.name, ReceivedRecord)
        .join(SyncNode, SyncNode.id == ReceivedRecord.node_id)
        .where(ReceivedRecord.kind.in_(kinds))
        .order_by(ReceivedRecord.received_at.desc(), ReceivedRecord.id.desc())
        .limit(limit)
    )
    return [(name, record) for name, record in session.execute(query)]
