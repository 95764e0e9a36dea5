"""Screen groups (一楼大厅, 全部村便民服务站): a layout and a default playlist for many screens."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.audit.services import record, record_removal
from kiosk.errors import InputError
from kiosk.parsing import required_text
from kiosk.signage.models import LAYOUTS, Playlist, ScreenGroup


def check_group(session: Session, group_id: int | None) -> None:
    """InputError (on `group_id`) unless the group exists; None is "no group"."""
    if group_id is not None and session.get(ScreenGroup, group_id) is None:
        raise InputError(f"没有编号为 {group_id} 的屏幕分组。", "group_id")


def check_layout(layout: str) -> None:
    if layout not in LAYOUTS:
        raise InputError(f"没有“{layout}”这种版式。", "layout")


def list_groups(session: Session) -> list[ScreenGroup]:
    return list(session.scalars(select(ScreenGroup).order_by(ScreenGroup.name)))


def save_group(
    session: Session,
    group: ScreenGroup | None,
    name: str,
    layout: str,
    default_playlist_id: int | None,
    actor: str,
) -> ScreenGroup:
    """Create a group (`group` None) or change one; names are unique."""
    name = required_text(name, "分组名称", 100, field="name")
    check_layout(layout)
    if default_playlist_id is not None and session.get(Playlist, default_playlist_id) is None:
        raise InputError(f"没有编号为 {default_playlist_id} 的播放列表。", "default_playlist_id")
    clash = session.scalar(select(ScreenGroup).where(ScreenGroup.name == name))
    if clash is not None and clash is not group:
        raise InputError(f"已经有名为“{name}”的分组了。", "name")
    before = None
    if group is None:
        group = ScreenGroup()
        session.add(group)
    else:
        before = {
            "name": group.name,
            "layout": group.layout,
            "default_playlist_id": group.default_playlist_id,
        }
    group.name, group.layout, group.default_playlist_id = name, layout, default_playlist_id
    session.flush()
    record(
        session,
        actor,
        "signage.group.save",
        f"group:{group.id}",
        before,
        {"name": name, "layout": layout, "default_playlist_id": default_playlist_id},
    )
    return group


def remove_group(session: Session, group: ScreenGroup, actor: str) -> None:
    record_removal(
        session, actor, "signage.group.remove", f"group:{group.id}", {"name": group.name}, group
    )
