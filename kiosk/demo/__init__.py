"""The fictional demo county (演示数据), loaded from a data file shipped in the package."""

from __future__ import annotations

import json
from datetime import datetime
from importlib import resources
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.catalog.services import upsert_item
from kiosk.notices.models import Notice
from kiosk.regions.services import ensure_region

DEMO_ACTOR = "demo"


def demo_data() -> dict[str, Any]:
    source = resources.files("kiosk.demo").joinpath("data/demo.json")
    return json.loads(source.read_text(encoding="utf-8"))


def load_demo(session: Session) -> str:
    """Load or refresh the demo county; a second run adds nothing."""
    data = demo_data()
    for path in data["regions"]:
        ensure_region(session, path)
    counts = {"added": 0, "updated": 0, "unchanged": 0}
    for values in data["items"]:
        _item, outcome = upsert_item(session, values, DEMO_ACTOR)
        counts[outcome] += 1
    existing = set(session.scalars(select(Notice.title)))
    new_notices = [notice for notice in data["notices"] if notice["title"] not in existing]
    for notice in new_notices:
        session.add(Notice(
            title=notice["title"], body=notice["body"], region=notice["region"],
            kind=notice["kind"], publisher=notice["publisher"],
            published_at=datetime.fromisoformat(notice["published_at"]),
            expires_at=(datetime.fromisoformat(notice["expires_at"])
                        if notice.get("expires_at") else None),
        ))
    return (f"{data['label']} {data['county']}: {len(data['regions'])} regions; items "
            f"{counts['added']} added, {counts['updated']} updated, {counts['unchanged']} "
            f"unchanged; {len(new_notices)} notices added")


def has_catalog(session: Session) -> bool:
    from kiosk.catalog.models import Item

    return session.scalar(select(Item.id).limit(1)) is not None
