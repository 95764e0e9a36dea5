"""Review before a playlist reaches the screens (审核把关): a submission freezes the entries as
they will play; the approval publishes that frozen version, which is what screens play."""

from __future__ import annotations

import base64
from typing import Any

from sqlalchemy.orm import Session

from kiosk.audit.services import record
from kiosk.catalog.models import Item
from kiosk.catalog.qr import item_address, qr_svg
from kiosk.catalog.services import visible_items
from kiosk.db import utcnow
from kiosk.errors import InputError
from kiosk.notices.models import Notice
from kiosk.review import services as review
from kiosk.review.models import Review
from kiosk.signage.county import check_local
from kiosk.signage.entries import timing_values
from kiosk.signage.models import Playlist, PlaylistEntry


def qr_data_uri(data: str) -> str:
    """A QR code as an SVG data: URI, so it plays from the player's cache offline."""
    return "data:image/svg+xml;base64," + base64.b64encode(qr_svg(data)).decode()


def snapshot(session: Session, playlist: Playlist, item_base_url: str) -> list[dict[str, Any]]:
    """The entries as they will play, with their content frozen for review."""
    return [_frozen(session, entry, item_base_url) for entry in playlist.entries]


def _frozen(session: Session, entry: PlaylistEntry, item_base_url: str) -> dict[str, Any]:
    shown = timing_values(entry)
    number = entry.position + 1
    if entry.kind == "notice":
        notice = session.get(Notice, entry.notice_id) if entry.notice_id else None
        if notice is None:
            raise InputError(f"第 {number} 条：它用的公告已被删除。")
        shown.update(
            title=entry.title or notice.title, body=notice.body, publisher=notice.publisher
        )
    elif entry.kind == "item":
        item = session.scalar(visible_items().where(Item.code == entry.item_code))
        if item is None:
            raise InputError(f"第 {number} 条：事项 {entry.item_code} 已不再公开。")
        target = item_address(item, item_base_url)
        shown.update(
            title=entry.title or item.name,
            body=item.content[:400],
            publisher=item.publisher,
            code=item.code,
            qr=qr_data_uri(target),
            qr_target=target,
        )
    elif entry.kind in ("image", "video", "pdf"):
        media = entry.media
        if media is None:
            raise InputError(f"第 {number} 条：它用的文件已被删除。")
        shown.update(
            title=entry.title or media.original_name,
            media=media.id,
            file=media.original_name,
            sha256=media.sha256,
        )
        if entry.kind == "pdf":
            if entry.page_from > len(media.pages):
                raise InputError(
                    f"第 {number} 条：{media.original_name} 只有 {len(media.pages)} 页，"
                    f"没有第 {entry.page_from} 页。"
                )
            shown.update(pages=[entry.page_from, min(entry.page_to, len(media.pages))])
    elif entry.kind == "qr":
        shown.update(qr=qr_data_uri(entry.url), qr_target=entry.url)
    else:
        shown.update(url=entry.url)
    return shown


def submit_for_review(
    session: Session, playlist: Playlist, steps: int, item_base_url: str, actor: str
) -> Review:
    """Freeze the playlist as it will play; with 0 review steps it is published at once."""
    check_local(playlist)
    frozen = snapshot(session, playlist, item_base_url)
    return review.submit(
        session, "playlist", playlist.id, playlist.name, frozen, actor=actor, steps=steps
    )


def _publish(session: Session, approved: Review, actor: str) -> None:
    playlist = session.get(Playlist, int(approved.subject_id))
    if playlist is None:
        raise InputError("这个播放列表已被删除，不能发布。")
    playlist.published = approved.content
    playlist.published_revision += 1
    playlist.published_at = utcnow()
    record(
        session,
        actor,
        "signage.playlist.publish",
        f"playlist:{playlist.id}",
        None,
        {"review": approved.id, "revision": playlist.published_revision},
    )


review.register_kind(review.ReviewKind("playlist", "播放列表", publish=_publish))
