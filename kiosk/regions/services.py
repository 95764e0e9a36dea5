from __future__ import annotations

import difflib

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.errors import InputError
from kiosk.regions.models import LEVEL_BY_DEPTH, Region

PART_MAX = 60


def normalise_path(path: str) -> str:
    parts = [part.strip() for part in path.replace("\\", "/").split("/")]
    parts = [part for part in parts if part]
    if not parts:
        raise InputError("没有填写区域。")
    for part in parts:
        if part in (".", "..") or not part.isprintable() or len(part) > PART_MAX:
            raise InputError(f"“{path[:100]}”不是区域的写法：请写成 示范县/城关镇/东村 这样。")
    if len(parts) > len(LEVEL_BY_DEPTH):
        raise InputError(f"区域“{path}”的层级超过了县、乡（镇）、村三级。")
    return "/".join(parts)


def lineage(path: str) -> list[str]:
    """The path and every path above it, county first: a hall sees all of these."""
    parts = normalise_path(path).split("/")
    return ["/".join(parts[: i + 1]) for i in range(len(parts))]


def level_of(path: str) -> str:
    return LEVEL_BY_DEPTH[len(normalise_path(path).split("/"))]


def ensure_region(session: Session, path: str) -> Region:
    """Get the region at path, creating it and any missing parents."""
    parent: Region | None = None
    for current in lineage(path):
        region = session.scalar(select(Region).where(Region.path == current))
        if region is None:
            region = Region(path=current, name=current.rsplit("/", 1)[-1], parent=parent)
            session.add(region)
            session.flush()
        parent = region
    assert parent is not None  # noqa: S101 - lineage() never returns an empty list
    return parent


def list_regions(session: Session) -> list[Region]:
    return list(session.scalars(select(Region).order_by(Region.path)))


def active_regions(session: Session) -> list[Region]:
    """The region tree as it is offered to pick from: retired regions left out."""
    return [region for region in list_regions(session) if not region.retired]


def closest_regions(session: Session, written: str, limit: int = 3) -> list[str]:
    """The existing region paths nearest to what was written (by path, then by last name)."""
    regions = active_regions(session)
    paths = [region.path for region in regions]
    found = difflib.get_close_matches(written, paths, n=limit, cutoff=0.4)
    by_name = {region.name: region.path for region in regions}
    last = written.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
    for name in difflib.get_close_matches(last, list(by_name), n=limit, cutoff=0.4):
        if by_name[name] not in found:
            found.append(by_name[name])
    return found[:limit]


def check_region(session: Session, path: str, field: str | None = None) -> str:
    """The normalised path of an existing, not retired region; otherwise an InputError that
    names the closest existing regions. An empty tree (first start) takes any region."""
    clean = normalise_path(path)
    if not list_regions(session):
        return clean
    region = session.scalar(select(Region).where(Region.path == clean))
    if region is not None and not region.retired:
        return clean
    problem = f"区域“{clean}”已停用。" if region is not None else f"没有区域“{clean}”。"
    closest = closest_regions(session, clean)
    hint = "您要找的是不是：" + "、".join(closest) + "？" if closest else "请先在“区域”页面添加它。"
    raise InputError(problem + hint, field)
