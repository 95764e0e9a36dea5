"""The region tree at the desk: add, rename and retire townships and villages.

A region's path is how items, halls and notices name it, so a rename moves every item
through the catalog services (the halls get the move in their feed) and every hall node.
"""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from kiosk.audit.services import record
from kiosk.catalog.desk.versions import Source, changes_from
from kiosk.catalog.models import Item
from kiosk.catalog.services import item_values, upsert_item
from kiosk.errors import InputError
from kiosk.regions.models import LEVEL_BY_DEPTH, Region
from kiosk.regions.services import (
    PART_MAX,
    check_region,
    ensure_region,
    lineage,
    normalise_path,
)
from kiosk.sync.models import SyncNode


def _name(name: str) -> str:
    clean = name.strip()
    if not clean or "/" in clean or "\\" in clean or len(clean) > PART_MAX:
        raise InputError(f"名称要填 1 到 {PART_MAX} 个字，不能有“/”。", "name")
    return normalise_path(clean)


def get_region(session: Session, path: str) -> Region:
    region = session.scalar(select(Region).where(Region.path == path))
    if region is None:
        check_region(session, path)  # raises, naming the closest regions
        raise InputError(f"没有区域“{path}”。")
    return region


def _below(path: str) -> list:
    return [Item.region == path, Item.region.startswith(path + "/")]


def add_region(session: Session, parent: str, name: str, actor: str) -> Region:
    """A county (no parent), or a township or village under an existing region."""
    clean = _name(name)
    if parent:
        above = get_region(session, check_region(session, parent, "parent"))
        if above.depth >= len(LEVEL_BY_DEPTH):
            raise InputError("村（社区）下面不能再添加区域。", "parent")
        path = f"{above.path}/{clean}"
    else:
        path = clean
    if session.scalar(select(Region).where(Region.path == path)) is not None:
        raise InputError(f"已经有区域“{path}”了。", "name")
    region = ensure_region(session, path)
    record(session, actor, "region.add", f"region:{path}", None, {"path": path})
    return region


def rename_region(session: Session, path: str, name: str, actor: str) -> Region:
    """Give a region a new name; the regions below it, its items and halls follow."""
    region = get_region(session, path)
    clean = _name(name)
    new_path = f"{region.path.rsplit('/', 1)[0]}/{clean}" if "/" in region.path else clean
    if new_path == region.path:
        return region
    if session.scalar(select(Region).where(Region.path == new_path)) is not None:
        raise InputError(f"已经有区域“{new_path}”了。", "name")
    old = region.path
    moved = [
        r for r in session.scalars(select(Region)) if r.path == old or r.path.startswith(old + "/")
    ]
    for one in moved:
        one.path = new_path + one.path[len(old) :]
    region.name = clean
    session.flush()
    with changes_from(session, Source("form", reason=f"区域“{old}”改名为“{new_path}”")):
        for item in list(session.scalars(select(Item).where(or_(*_below(old))))):
            values = item_values(item)
            values["region"] = new_path + item.region[len(old) :]
            upsert_item(session, values, actor)
    for node in session.scalars(select(SyncNode)):
        if node.region == old or node.region.startswith(old + "/"):
            node.region = new_path + node.region[len(old) :]
    record(session, actor, "region.update", f"region:{new_path}", {"path": old}, {"path": new_path})
    return region


def retire_region(session: Session, path: str, actor: str) -> Region:
    """Offer a region nowhere any more; refused while it or a region below holds items."""
    region = get_region(session, path)
    held = session.scalar(select(func.count()).select_from(Item).where(or_(*_below(path))))
    if held:
        raise InputError(f"区域“{path}”及其下级还有 {held} 个事项：请先把它们移到别的区域或删除。")
    below = session.scalars(select(Region).where(Region.path.startswith(path + "/")))
    for one in [region, *below]:
        one.retired = True
    record(session, actor, "region.retire", f"region:{path}", {"retired": False}, {"retired": True})
    return region


def restore_region(session: Session, path: str, actor: str) -> Region:
    """Offer a retired region again, and the regions above it (a village needs its town)."""
    region = get_region(session, path)
    above = session.scalars(select(Region).where(Region.path.in_(lineage(path))))
    for one in above:
        one.retired = False
    target = f"region:{path}"
    record(session, actor, "region.restore", target, {"retired": True}, {"retired": False})
    return region
