"""Playlists: named, ordered entries that screens play once a review publishes them; one
may be the node-wide default (fills schedule gaps), one the touch screens' attract loop."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.audit.services import record, record_removal
from kiosk.db import utcnow
from kiosk.errors import InputError
from kiosk.parsing import required_text
from kiosk.review import services as review
from kiosk.signage.county import check_local
from kiosk.signage.models import Playlist

ROLES = {"default": "全局默认列表", "attract": "触摸屏待机列表"}


def list_playlists(session: Session) -> list[Playlist]:
    return list(session.scalars(select(Playlist).order_by(Playlist.name)))


def create_playlist(session: Session, name: str, actor: str) -> Playlist:
    name = required_text(name, "播放列表名称", 100, field="name")
    if session.scalar(select(Playlist).where(Playlist.name == name)) is not None:
        raise InputError(f"已经有名为“{name}”的播放列表了。", "name")
    playlist = Playlist(name=name)
    session.add(playlist)
    session.flush()
    record(
        session, actor, "signage.playlist.create", f"playlist:{playlist.id}", None, {"name": name}
    )
    return playlist


def remove_playlist(session: Session, playlist: Playlist, actor: str) -> None:
    check_local(playlist)
    record_removal(
        session,
        actor,
        "signage.playlist.remove",
        f"playlist:{playlist.id}",
        {"name": playlist.name},
        playlist,
    )


def set_playlist_role(
    session: Session, playlist: Playlist, role: str, on: bool, actor: str
) -> None:
    """Mark the node-wide default (fills schedule gaps) or the touch screens' attract loop."""
    check_local(playlist)
    column = {"default": Playlist.is_default, "attract": Playlist.is_attract}.get(role)
    if column is None:
        raise InputError(f"没有“{role}”这种播放列表用途。", "role")
    if on:  # only one playlist holds each role
        for other in session.scalars(select(Playlist).where(column.is_(True))):
            setattr(other, column.key, False)
    setattr(playlist, column.key, on)
    record(session, actor, f"signage.playlist.{role}", f"playlist:{playlist.id}", None, {role: on})


def attract_playlist(session: Session) -> Playlist | None:
    """The published playlist the touch screens play while nobody uses them."""
    return session.scalar(
        select(Playlist).where(Playlist.is_attract.is_(True), Playlist.published.is_not(None))
    )


CHANGED_AFTER_SUBMISSION = "提交后内容又有修改，已自动撤回；请改好后重新提交审核。"


def touch(session: Session, playlist: Playlist, actor: str) -> None:
    """The draft changed: the playlist page says so until the next publication, and a
    submission still waiting is withdrawn (its reviewers would approve other content)."""
    check_local(playlist)
    playlist.changed_at = utcnow()
    review.withdraw_changed(session, "playlist", playlist.id, actor, CHANGED_AFTER_SUBMISSION)
