"""Write many items at once, as an import does: plain rows in, plain rows out.

The one-item services (kiosk.catalog.services) go through ORM objects and mapper events:
right for a form, but at thousands of rows the objects, the per-row events and the unit
of work cost far more than the database does. Here one batch is one lookup, one
multi-row INSERT (its ids come back with RETURNING), one UPDATE by primary key, the
search index's rows, the change feed's numbers, a version and an audit entry per item,
each written with executemany. What is written is what `upsert_item` writes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.orm import Session

from kiosk.audit.models import AuditEntry
from kiosk.catalog import search_index
from kiosk.catalog.desk.models import ItemVersion
from kiosk.catalog.desk.versions import version_row
from kiosk.catalog.elements import ITEM_FIELDS, PUBLIC_STATUSES
from kiosk.catalog.models import Item
from kiosk.catalog.services import CONTENT_FIELDS, search_forms
from kiosk.db import utcnow
from kiosk.sync.changes import Noted, Scope, note_changes

# Bound parameters per IN (...) lookup; SQLite allows a few thousand at most.
LOOKUP_CHUNK = 500
COLUMNS = (Item.id, *(getattr(Item, field) for field in ITEM_FIELDS))
ITEMS = cast(Table, Item.__table__)
WRITTEN = (*ITEM_FIELDS, "search_text", "search_pinyin", "changed_at")
UPDATE_ITEM = (
    update(ITEMS)
    .where(ITEMS.c.id == bindparam("item_id"))
    .values({name: bindparam(name) for name in WRITTEN})
)


def held_rows(session: Session, codes: Sequence[str]) -> dict[str, dict[str, Any]]:
    """code -> the catalog's values of each held item, with its "id"."""
    held: dict[str, dict[str, Any]] = {}
    for start in range(0, len(codes), LOOKUP_CHUNK):
        chunk = codes[start : start + LOOKUP_CHUNK]
        for row in session.execute(select(*COLUMNS).where(Item.code.in_(chunk))):
            held[row.code] = row._asdict()
    return held


def _scope(values: dict[str, Any]) -> Scope:
    return Scope(values["region"], values["status"] in PUBLIC_STATUSES)


def write_batch(session: Session, items: Sequence[dict[str, str]], actor: str) -> Counter:
    """Add or update items of distinct codes (clean values, every field, code given), in
    the change feed with a version and an audit entry each; counts added/changed/unchanged."""
    held = held_rows(session, [values["code"] for values in items])
    now = utcnow()
    added: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    versions: list[dict[str, Any]] = []
    audits: list[dict[str, Any]] = []
    noted: list[Noted] = []
    counts: Counter = Counter()
    for values in items:
        before = held.get(values["code"])
        target = f"item:{values['code']}"
        if before is None:
            added.append({**values, **search_forms(values), "changed_at": now})
            audits.append(_audit(actor, "item.add", target, None, values))
            versions.append(version_row(session, values["code"], "add", values, actor))
            noted.append((values["code"], None, _scope(values)))
            continue
        diff = [field for field in CONTENT_FIELDS if before[field] != values[field]]
        if not diff:
            counts["unchanged"] += 1
            continue
        changed.append(
            {**values, **search_forms(values), "item_id": before["id"], "changed_at": now}
        )
        old = {field: before[field] for field in diff}
        new = {field: values[field] for field in diff}
        audits.append(_audit(actor, "item.update", target, old, new))
        action = "status" if diff == ["status"] else "update"
        versions.append(version_row(session, values["code"], action, values, actor))
        noted.append((values["code"], _scope(before), _scope(values)))
    # Core statements on the tables: the ORM's bulk forms cost as much again in Python.
    if added:
        returned = session.execute(
            insert(ITEMS).returning(ITEMS.c.id, sort_by_parameter_order=True), added
        ).scalars()
        for row, item_id in zip(added, returned, strict=True):
            row["id"] = item_id
    if changed:
        session.execute(UPDATE_ITEM, changed)
    search_index.index_rows(
        session.connection(),
        [(row["id"], row["search_text"], row["search_pinyin"]) for row in added]
        + [(row["item_id"], row["search_text"], row["search_pinyin"]) for row in changed],
        replacing=bool(changed),
    )
    note_changes(session, noted)
    if versions:
        session.execute(insert(cast(Table, ItemVersion.__table__)), versions)
    if audits:
        session.execute(insert(cast(Table, AuditEntry.__table__)), audits)
    counts["added"] += len(added)
    counts["changed"] += len(changed)
    return counts


def _audit(
    actor: str, action: str, target: str, before: dict | None, after: dict | None
) -> dict[str, Any]:
    return {"actor": actor, "action": action, "target": target, "before": before, "after": after}
