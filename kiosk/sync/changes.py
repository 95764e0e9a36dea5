"""The centre's change feed: every item change gets the next catalog sequence number.

A node's feed is paged by sequence (never by offset): the items of its region and the
regions above it that are public now, and tombstones for items that left that scope.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, cast

from flask import Flask
from sqlalchemy import CursorResult, delete, func, insert, select, update
from sqlalchemy.orm import Session

from kiosk.catalog.elements import ITEM_FIELDS, PUBLIC_STATUSES
from kiosk.catalog.models import Item
from kiosk.db import utcnow
from kiosk.regions.services import lineage
from kiosk.sync.models import CatalogChange, CatalogSequence, CatalogTombstone

log = logging.getLogger("kiosk.sync")

FEED_FORMAT = 1
DEFAULT_PAGE = 200
MAX_PAGE = 1000


@dataclass(frozen=True)
class Scope:
    """Where an item is shown: its region, and whether it may leave the centre at all."""

    region: str
    public: bool


def scope_of(item: Item) -> Scope:
    return Scope(item.region, item.status in PUBLIC_STATUSES)


class CursorTooOld(Exception):
    """The tombstones after this cursor were purged: the node must resync in full."""


class CursorAhead(Exception):
    """The node holds a newer version than the centre (e.g. the centre was restored)."""


def _sequence_row(session: Session) -> CatalogSequence:
    # FOR UPDATE holds the row until commit on PostgreSQL; SQLite serialises writers anyway.
    row = session.scalar(select(CatalogSequence).where(CatalogSequence.id == 1).with_for_update())
    if row is None:
        row = CatalogSequence(id=1, seq=0, purged_through=0)
        session.add(row)
        session.flush()
    return row


def next_seq(session: Session) -> int:
    row = _sequence_row(session)
    row.seq += 1
    session.flush()
    return row.seq


def current_version(session: Session) -> tuple[int, int]:
    """(latest sequence, purged_through) as committed."""
    row = session.scalar(select(CatalogSequence).where(CatalogSequence.id == 1))
    return (row.seq, row.purged_through) if row is not None else (0, 0)


def note_change(session: Session, code: str, before: Scope | None, after: Scope | None) -> None:
    """Called by the catalog services for every add, update and removal of an item."""
    note_changes(session, [(code, before, after)])


Noted = tuple[str, Scope | None, Scope | None]  # code, scope before, scope after


def _leaves(before: Scope | None, after: Scope | None) -> bool:
    """Whether the item leaves the scope it was shown in (a tombstone for that region)."""
    return (
        before is not None
        and before.public
        and (after is None or not after.public or after.region != before.region)
    )


def note_changes(session: Session, noted: list[Noted]) -> None:
    """note_change for many items of distinct codes: the sequence numbers are taken in one
    step and the feed rows looked up and written together (an import notes thousands at
    once), as plain rows: no ORM object per change."""
    if not noted:
        return
    needed = sum(_leaves(before, after) + (after is not None) for _code, before, after in noted)
    row = _sequence_row(session)
    seq = row.seq
    row.seq += needed
    session.flush()
    codes = [code for code, _before, _after in noted]
    numbered = set(session.scalars(select(CatalogChange.code).where(CatalogChange.code.in_(codes))))
    leaving = [code for code, before, after in noted if _leaves(before, after)]
    tombstones = (
        {
            (code, region): tombstone_id
            for tombstone_id, code, region in session.execute(
                select(CatalogTombstone.id, CatalogTombstone.code, CatalogTombstone.region).where(
                    CatalogTombstone.code.in_(leaving)
                )
            )
        }
        if leaving
        else {}
    )
    now = utcnow()
    new_tombstones: list[dict[str, Any]] = []
    moved_tombstones: list[dict[str, Any]] = []
    new_changes: list[dict[str, Any]] = []
    moved_changes: list[dict[str, Any]] = []
    gone: list[str] = []
    for code, before, after in noted:
        if before is not None and _leaves(before, after):
            # The tombstone's number comes first, so a move within a node's scope ends present.
            seq += 1
            tombstone_id = tombstones.get((code, before.region))
            if tombstone_id is None:
                new_tombstones.append(
                    {"code": code, "region": before.region, "seq": seq, "at": now}
                )
            else:
                moved_tombstones.append({"id": tombstone_id, "seq": seq, "at": now})
        if after is None:
            gone.append(code)
            continue
        seq += 1
        (moved_changes if code in numbered else new_changes).append({"code": code, "seq": seq})
    if gone:
        session.execute(delete(CatalogChange).where(CatalogChange.code.in_(gone)))
    # Moved numbers first: a unique sequence number is never taken twice at one moment.
    for rows, statement in (
        (moved_tombstones, update(CatalogTombstone)),
        (new_tombstones, insert(CatalogTombstone)),
        (moved_changes, update(CatalogChange)),
        (new_changes, insert(CatalogChange)),
    ):
        if rows:
            session.execute(statement, rows)


def item_document(item: Item) -> dict[str, Any]:
    document: dict[str, Any] = {field: getattr(item, field) for field in ITEM_FIELDS}
    document["changed_at"] = item.changed_at.isoformat()
    document["attachments"] = [
        {"sha256": a.sha256, "name": a.name, "mime": a.mime, "size": a.size, "kind": a.kind}
        for a in item.attachments
    ]
    return document


def change_page(session: Session, region: str, cursor: int, limit: int) -> dict[str, Any]:
    """One page of a node's feed after `cursor`; the answer's `cursor` is where to go on."""
    latest, purged_through = current_version(session)
    if cursor > latest:
        raise CursorAhead(latest)
    if 0 < cursor < purged_through:
        raise CursorTooOld(purged_through)
    regions = lineage(region)
    changes: list[dict[str, Any]] = []
    # Nothing is numbered after `latest`: a node that is up to date costs no query (most
    # polls). Otherwise the sequence index leads: `|| ''` keeps SQLite, which has no
    # statistics, from starting at the status or region index and sorting every public
    # item of the region (19 ms a poll at 20,000 items, growing with the catalog).
    if cursor < latest:
        items = session.execute(
            select(Item, CatalogChange.seq)
            .join(CatalogChange, CatalogChange.code == Item.code)
            .where(
                CatalogChange.seq > cursor,
                CatalogChange.seq <= latest,
                Item.status.concat("").in_(PUBLIC_STATUSES),
                Item.region.concat("").in_(regions),
            )
            .order_by(CatalogChange.seq)
            .limit(limit + 1)
        ).all()
        changes += [
            {"seq": seq, "op": "upsert", "code": item.code, "item": item_document(item)}
            for item, seq in items
        ]
    if 0 < cursor < latest:  # a node starting from nothing holds nothing to delete
        tombstones = session.scalars(
            select(CatalogTombstone)
            .where(
                CatalogTombstone.seq > cursor,
                CatalogTombstone.seq <= latest,
                CatalogTombstone.region.concat("").in_(regions),
            )
            .order_by(CatalogTombstone.seq)
            .limit(limit + 1)
        )
        changes += [{"seq": t.seq, "op": "delete", "code": t.code} for t in tombstones]
    changes.sort(key=lambda change: change["seq"])
    more = len(changes) > limit
    changes = changes[:limit]
    return {
        "format": FEED_FORMAT,
        "since": cursor,
        # With nothing more, the node may skip to `latest`: later changes get higher numbers.
        "cursor": changes[-1]["seq"] if more else latest,
        "latest": latest,
        "more": more,
        "count": len(changes),
        "changes": changes,
    }


def purge_tombstones(session: Session, keep_days: int) -> int:
    """Drop tombstones older than `keep_days`; cursors before them must resync in full."""
    cutoff = utcnow() - timedelta(days=keep_days)
    newest = session.scalar(
        select(func.max(CatalogTombstone.seq)).where(CatalogTombstone.at < cutoff)
    )
    if newest is None:
        return 0
    row = _sequence_row(session)
    row.purged_through = max(row.purged_through, newest)
    result = cast(
        CursorResult[Any],
        session.execute(delete(CatalogTombstone).where(CatalogTombstone.seq <= newest)),
    )
    return result.rowcount


def purge_job(app: Flask) -> None:
    with app.extensions["kiosk_db"].session() as session:
        purged = purge_tombstones(session, app.config["KIOSK_TOMBSTONE_DAYS"])
    if purged:
        log.info(
            "purged %d tombstones older than %d days", purged, app.config["KIOSK_TOMBSTONE_DAYS"]
        )
