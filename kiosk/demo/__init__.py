"""The fictional demo county (演示数据), loaded from a data file shipped in the package."""

from __future__ import annotations

import json
from datetime import timedelta
from importlib import resources
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.catalog.services import upsert_item
from kiosk.db import utcnow
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
    # Notice dates are relative to loading, so the demo never shows only expired notices.
    now = utcnow()
    for notice in new_notices:
        published_at = now - timedelta(days=notice["published_days_ago"])
        session.add(
            Notice(
                title=notice["title"],
                body=notice["body"],
                region=notice["region"],
                kind=notice["kind"],
                publisher=notice["publisher"],
                published_at=published_at,
                expires_at=(
                    now + timedelta(days=notice["valid_days"]) if notice["valid_days"] else None
                ),
            )
        )
    return (
        f"{data['label']} {data['county']}: {len(data['regions'])} regions; items "
        f"{counts['added']} added, {counts['updated']} updated, {counts['unchanged']} "
        f"unchanged; {len(new_notices)} notices added"
    )


def has_catalog(session: Session) -> bool:
    from kiosk.catalog.models import Item

    return session.scalar(select(Item.id).limit(1)) is not None
