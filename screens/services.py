"""What the touch pages list: domain and type tiles, category steps, item pages."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kiosk.catalog.desk.models import ItemVersion
from kiosk.catalog.elements import DISCLOSURE_TYPES, PILOT_DOMAINS, PUBLIC_STATUSES
from kiosk.catalog.models import Item
from kiosk.catalog.services import visible_items

ITEMS_PER_PAGE = 8
# Guides written as 【办理条件】... are shown as headed sections in resident order.
SECTION = re.compile(r"【([^】]{1,12})】")


@dataclass(frozen=True)
class Tile:
    label: str
    count: int


@dataclass(frozen=True)
class ItemSummary:
    """What a list row shows of an item; safe to keep beyond the request's session."""

    code: str
    name: str
    level: str
    publisher: str
    region: str

    @classmethod
    def of(cls, item: Item) -> ItemSummary:
        return cls(item.code, item.name, item.level, item.publisher, item.region)


@dataclass(frozen=True)
class Browse:
    """Where a resident is in domain > 一级分类 > 二级分类 > items (type is an optional filter)."""

    domain: str = ""
    category1: str = ""
    category2: str | None = None  # None: not chosen yet; "" is a real, empty 二级分类
    disclosure_type: str = ""

    def filtered(self, region: str):
        query = visible_items(region)
        if self.disclosure_type:
            query = query.where(Item.disclosure_type == self.disclosure_type)
        if self.domain:
            query = query.where(Item.domain == self.domain)
        if self.category1:
            query = query.where(Item.category1 == self.category1)
        if self.category2 is not None:
            query = query.where(Item.category2 == self.category2)
        return query


def _tiles(session: Session, query, column: str) -> list[Tile]:
    rows = query.subquery()
    counted = select(rows.c[column], func.count()).group_by(rows.c[column])
    return [Tile(label, count) for label, count in session.execute(counted)]


def domain_tiles(session: Session, region: str, disclosure_type: str = "") -> list[Tile]:
    """Domains held, the eight pilot domains first in their published order."""
    tiles = _tiles(session, Browse(disclosure_type=disclosure_type).filtered(region), "domain")
    order = {domain: index for index, domain in enumerate(PILOT_DOMAINS)}
    return sorted(tiles, key=lambda tile: (order.get(tile.label, len(order)), tile.label))


def type_tiles(session: Session, region: str) -> list[Tile]:
    held = {
        tile.label: tile.count for tile in _tiles(session, visible_items(region), "disclosure_type")
    }
    return [Tile(kind, held[kind]) for kind in DISCLOSURE_TYPES if kind in held]


def category_tiles(session: Session, region: str, browse: Browse) -> list[Tile]:
    column = "category1" if not browse.category1 else "category2"
    return sorted(_tiles(session, browse.filtered(region), column), key=lambda t: t.label)


def items_page(
    session: Session, region: str, browse: Browse, page: int
) -> tuple[list[Item], int, int]:
    """(items, page, pages) of the chosen step, ordered county first then by name."""
    query = browse.filtered(region)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, -(-total // ITEMS_PER_PAGE))
    page = min(max(page, 1), pages)
    ordered = query.order_by(Item.name, Item.level, Item.code)
    items = list(session.scalars(ordered.offset((page - 1) * ITEMS_PER_PAGE).limit(ITEMS_PER_PAGE)))
    return items, page, pages


def content_sections(content: str) -> list[tuple[str, str]]:
    """[(heading, text)] from a content written with 【heading】 markers; one plain section
    (heading "") when it has none."""
    pieces = SECTION.split(content)
    sections = [("", pieces[0].strip())] if pieces[0].strip() else []
    sections += [(pieces[i], pieces[i + 1].strip()) for i in range(1, len(pieces) - 1, 2)]
    return sections


def removed_domain(session: Session, code: str) -> str | None:
    """The domain of an item the catalog held and no longer shows (removed, or no longer
    public), from its last stored version; None for a code never seen."""
    held = session.scalar(select(Item.status).where(Item.code == code))
    if held in PUBLIC_STATUSES:
        return None  # still published, only not in this hall's region
    versions = session.scalars(
        select(ItemVersion).where(ItemVersion.code == code).order_by(ItemVersion.id.desc())
    ).all()
    if not any(version.values.get("status") in PUBLIC_STATUSES for version in versions):
        return None  # never published: as if it never was
    return str(versions[0].values.get("domain", ""))
