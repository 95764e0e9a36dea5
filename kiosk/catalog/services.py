"""Catalog operations shared by the importer, the sync, the demo loader and the views."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from kiosk.audit.services import record
from kiosk.catalog import search_index  # noqa: F401 - its mapper events keep the index current
from kiosk.catalog.desk.versions import record_version
from kiosk.catalog.elements import ITEM_FIELDS, PUBLIC_STATUSES
from kiosk.catalog.models import Item
from kiosk.catalog.text import pinyin_forms, simplified
from kiosk.db import utcnow
from kiosk.regions.services import lineage
from kiosk.sync.changes import note_change, scope_of

# Fields whose change is a real change of the item (search forms are derived).
CONTENT_FIELDS = tuple(field for field in ITEM_FIELDS if field != "code")


def derive_code(values: Mapping[str, Any]) -> str:
    """A stable code from what identifies an item: region, domain, categories and name."""
    key = "|".join(
        simplified(str(values.get(field, "") or "")).strip()
        for field in ("region", "domain", "category1", "category2", "name")
    )
    return "D" + hashlib.sha256(key.encode()).hexdigest()[:15].upper()


def search_forms(values: Mapping[str, Any]) -> dict[str, str]:
    """Simplified text and pinyin of an item, so 繁體, 简体 and dbsq all find it."""
    name = str(values.get("name", ""))
    categories = " ".join(str(values.get(f, "")) for f in ("domain", "category1", "category2"))
    text = simplified("\n".join([name, categories, str(values.get("content", ""))]))
    initials, full = pinyin_forms(name)
    return {"search_text": text, "search_pinyin": f"{initials} {full}"}


def item_values(item: Item) -> dict[str, str]:
    return {field: getattr(item, field) for field in ITEM_FIELDS}


def _clean(values: Mapping[str, Any]) -> dict[str, str]:
    clean = {field: str(values.get(field) or "") for field in ITEM_FIELDS}
    clean["code"] = clean["code"] or derive_code(clean)
    return clean


def upsert_item(session: Session, values: Mapping[str, Any], actor: str) -> tuple[Item, str]:
    """Insert or update one item by code; returns (item, "added"|"updated"|"unchanged")."""
    clean = _clean(values)
    item = session.scalar(select(Item).where(Item.code == clean["code"]))
    return _store(session, clean, item, actor, feed=True, audit=True)


def upsert_items(
    session: Session,
    documents: Sequence[Mapping[str, Any]],
    actor: str,
    feed: bool = False,
    audit: bool = True,
) -> list[tuple[Item, str]]:
    """upsert_item for items of distinct codes with one lookup and one flush for them all.
    Left out of the change feed unless `feed`: a hall applying a page of the centre's feed
    serves no feed of its own; an import at the centre numbers its changes. Without
    `audit` no audit entry per item (a hall's sync keeps one per round)."""
    cleaned = [_clean(values) for values in documents]
    codes = [clean["code"] for clean in cleaned]
    if len(set(codes)) != len(codes):
        raise ValueError("upsert_items takes each code once")
    held = {item.code: item for item in session.scalars(select(Item).where(Item.code.in_(codes)))}
    with session.no_autoflush:
        outcomes = [
            _store(session, clean, held.get(clean["code"]), actor, feed, audit) for clean in cleaned
        ]
    session.flush()
    return outcomes


def _store(
    session: Session, clean: dict[str, str], item: Item | None, actor: str, feed: bool, audit: bool
) -> tuple[Item, str]:
    if item is None:
        item = Item(**clean, **search_forms(clean), changed_at=utcnow())
        session.add(item)
        if audit:
            record(session, actor, "item.add", f"item:{item.code}", None, clean)
        if feed:
            note_change(session, item.code, None, scope_of(item))
            record_version(session, item.code, "add", clean, actor)
        return item, "added"
    before = item_values(item)
    if all(before[field] == clean[field] for field in CONTENT_FIELDS):
        return item, "unchanged"
    before_scope = scope_of(item)
    for field, value in {**clean, **search_forms(clean)}.items():
        setattr(item, field, value)
    item.changed_at = utcnow()
    changed = [field for field in CONTENT_FIELDS if before[field] != clean[field]]
    if audit:
        record(
            session,
            actor,
            "item.update",
            f"item:{item.code}",
            {f: before[f] for f in changed},
            {f: clean[f] for f in changed},
        )
    if feed:
        note_change(session, item.code, before_scope, scope_of(item))
        action = "status" if changed == ["status"] else "update"
        record_version(session, item.code, action, clean, actor)
    return item, "updated"


def remove_item(
    session: Session, code: str, actor: str, feed: bool = True, audit: bool = True
) -> bool:
    """Remove an item; `feed=False` leaves it out of the change feed (on a hall); without
    `audit` no audit entry for it (a hall's sync keeps one per round)."""
    item = session.scalar(select(Item).where(Item.code == code))
    if item is None:
        return False
    if audit:
        record(session, actor, "item.remove", f"item:{code}", item_values(item), None)
    if feed:
        note_change(session, code, scope_of(item), None)
        record_version(session, code, "remove", item_values(item), actor)
    session.delete(item)
    return True


def visible_items(region: str = "") -> Select[Item]:
    """Query of items a resident may see at a hall in `region` (empty: every region held)."""
    query = select(Item).where(Item.status.in_(PUBLIC_STATUSES))
    if region:
        query = query.where(Item.region.in_(lineage(region)))
    return query


def get_visible_item(session: Session, code: str, region: str = "") -> Item | None:
    return session.scalar(visible_items(region).where(Item.code == code))
