from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kiosk.catalog.models import Item
from kiosk.catalog.services import visible_items


def domain_counts(session: Session, region: str) -> list[tuple[str, int]]:
    items = visible_items(region).subquery()
    query = select(items.c.domain, func.count()).group_by(items.c.domain).order_by(items.c.domain)
    return [(domain, count) for domain, count in session.execute(query)]


def items_in_domain(session: Session, region: str, domain: str) -> list[Item]:
    query = visible_items(region).where(Item.domain == domain).order_by(Item.category1, Item.name)
    return list(session.scalars(query))
