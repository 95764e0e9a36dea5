"""The centre's side of the halls' outboxes: each record stored once, by its key."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kiosk.errors import InputError
from kiosk.sync.models import ReceivedRecord, SyncNode

MAX_BATCH = 500
MAX_KEY = 64
MAX_KIND = 32


def _valid_entry(index: int, entry: Any) -> dict[str, Any]:
    where = f"entries[{index}]"
    if not isinstance(entry, dict):
        raise InputError(f"{where} must be an object")
    key, kind, payload = entry.get("key"), entry.get("kind"), entry.get("payload")
    if not isinstance(key, str) or not 0 < len(key) <= MAX_KEY:
        raise InputError(f"{where}.key must be a string of 1 to {MAX_KEY} characters")
    if not isinstance(kind, str) or not 0 < len(kind) <= MAX_KIND:
        raise InputError(f"{where}.kind must be a string of 1 to {MAX_KIND} characters")
    if not isinstance(payload, dict):
        raise InputError(f"{where}.payload must be an object")
    created = entry.get("created_at")
    try:
        created_at = datetime.fromisoformat(created) if created else None
    except (TypeError, ValueError):
        raise InputError(f"{where}.created_at must be an ISO 8601 time") from None
    if created_at is not None and created_at.tzinfo is None:
        raise InputError(f"{where}.created_at must carry its UTC offset")
    return {"key": key, "kind": kind, "payload": payload, "created_at": created_at}


def validate_batch(document: Any) -> list[dict[str, Any]]:
    """The entries of a batch, or InputError naming the first thing wrong (nothing stored)."""
    if not isinstance(document, dict) or not isinstance(document.get("entries"), list):
        raise InputError("body must be a JSON object with an `entries` list")
    entries = document["entries"]
    if len(entries) > MAX_BATCH:
        raise InputError(f"at most {MAX_BATCH} entries per batch, got {len(entries)}")
    return [_valid_entry(index, entry) for index, entry in enumerate(entries)]


def store_batch(session: Session, node: SyncNode, entries: list[dict[str, Any]]) -> int:
    """Store the entries not stored before; returns how many were new."""
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
