"""Playlist entries, the draft a review freezes: a notice, an item card, an uploaded
image, video or PDF pages, a QR page or an allow-listed web page, each for some seconds."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from kiosk.audit.services import record
from kiosk.catalog.models import Item
from kiosk.catalog.services import visible_items
from kiosk.errors import InputError
from kiosk.notices.models import Notice
from kiosk.parsing import decimal_number, optional_date, optional_whole_number, required_text
from kiosk.signage.models import ENTRY_KINDS, Media, Playlist, PlaylistEntry
from kiosk.signage.playlists import touch

MAX_DURATION = 3600.0
MAX_PAGE = 999
MEDIA_FAMILIES = {"image": "image/", "video": "video/", "pdf": "application/pdf"}
MEDIA_LABELS = {"image": "图片", "video": "视频", "pdf": " PDF "}


def add_entry(
    session: Session,
    playlist: Playlist,
    values: Mapping[str, Any],
    allowed_origins: Iterable[str],
    actor: str,
) -> PlaylistEntry:
    """A new entry at the end of the draft (screens get it with the next publication)."""
    entry = PlaylistEntry(position=max((e.position for e in playlist.entries), default=-1) + 1)
    _fill_entry(session, entry, values, allowed_origins)
    playlist.entries.append(entry)
    touch(session, playlist, actor)
    session.flush()
    record(
        session, actor, "signage.entry.add", f"playlist:{playlist.id}", None, entry_values(entry)
    )
    return entry


def update_entry(
    session: Session,
    entry: PlaylistEntry,
    values: Mapping[str, Any],
    allowed_origins: Iterable[str],
    actor: str,
) -> PlaylistEntry:
    """Change an entry's content and timing; its type stays."""
    before = entry_values(entry)
    _fill_entry(session, entry, {**values, "kind": entry.kind}, allowed_origins)
    touch(session, entry.playlist, actor)
    record(
        session,
        actor,
        "signage.entry.update",
        f"playlist:{entry.playlist_id}",
        before,
        entry_values(entry),
    )
    return entry


def set_entry_enabled(session: Session, entry: PlaylistEntry, enabled: bool, actor: str) -> None:
    entry.enabled = enabled
    touch(session, entry.playlist, actor)
    record(
        session,
        actor,
        "signage.entry.enable",
        f"playlist:{entry.playlist_id}",
        {"entry": entry.id, "enabled": not enabled},
        {"entry": entry.id, "enabled": enabled},
    )


def move_entry(session: Session, entry: PlaylistEntry, to_index: int, actor: str) -> None:
    """Put `entry` at `to_index` (0-based, clamped) and renumber the playlist."""
    entries = [e for e in entry.playlist.entries if e is not entry]
    before = [e.id for e in entry.playlist.entries]
    to_index = max(0, min(to_index, len(entries)))
    entries.insert(to_index, entry)
    for position, item in enumerate(entries):
        item.position = position
    entry.playlist.entries.sort(key=lambda e: e.position)
    touch(session, entry.playlist, actor)
    record(
        session,
        actor,
        "signage.entry.move",
        f"playlist:{entry.playlist_id}",
        {"order": before},
        {"order": [e.id for e in entries]},
    )


def remove_entry(session: Session, entry: PlaylistEntry, actor: str) -> None:
    playlist = entry.playlist
    record(
        session, actor, "signage.entry.remove", f"playlist:{playlist.id}", entry_values(entry), None
    )
    playlist.entries.remove(entry)
    for position, item in enumerate(playlist.entries):
        item.position = position
    touch(session, playlist, actor)


def entry_name(session: Session, entry: PlaylistEntry) -> str:
    """What people read for an entry: its own title, else the title of what it shows."""
    if entry.title:
        return entry.title
    if entry.kind == "notice" and entry.notice_id:
        notice = session.get(Notice, entry.notice_id)
        return notice.title if notice else "（公告已删除）"
    if entry.kind == "item":
        item = session.scalar(visible_items().where(Item.code == entry.item_code))
        return item.name if item else f"事项 {entry.item_code}（已不再公开）"
    if entry.kind in MEDIA_FAMILIES:
        return entry.media.original_name if entry.media else "（文件已删除）"
    return entry.url


def timing_values(entry: PlaylistEntry) -> dict[str, Any]:
    """What every entry has, whatever it shows: its title, caption, seconds and dates."""
    return {
        "id": entry.id,
        "kind": entry.kind,
        "title": entry.title,
        "text": entry.text,
        "duration": entry.duration,
        "enabled": entry.enabled,
        "starts_on": entry.starts_on.isoformat() if entry.starts_on else None,
        "ends_on": entry.ends_on.isoformat() if entry.ends_on else None,
    }


def entry_values(entry: PlaylistEntry) -> dict[str, Any]:
    """An entry as the audit log keeps it (JSON-friendly)."""
    return {
        **timing_values(entry),
        "notice_id": entry.notice_id,
        "item_code": entry.item_code,
        "media_id": entry.media_id,
        "url": entry.url,
        "page_from": entry.page_from,
        "page_to": entry.page_to,
    }


def _fill_entry(
    session: Session,
    entry: PlaylistEntry,
    values: Mapping[str, Any],
    allowed_origins: Iterable[str],
) -> None:
    kind = str(values.get("kind") or "")
    if kind not in ENTRY_KINDS:
        raise InputError(f"没有“{kind}”这种条目类型。", "kind")
    entry.kind = kind
    entry.title = str(values.get("title") or "").strip()[:300]
    entry.text = str(values.get("text") or "").strip()[:2000]
    duration = values.get("duration")
    duration = decimal_number(
        10 if duration is None else duration,
        "播放秒数",
        low=0,
        high=MAX_DURATION,
        field="duration",
    )
    if duration == 0 and kind != "video":
        raise InputError("播放秒数要大于 0（只有视频可以填 0，表示按视频本身的长度）。", "duration")
    entry.duration = duration
    entry.starts_on = optional_date(values.get("starts_on"), "开始日期", "starts_on")
    entry.ends_on = optional_date(values.get("ends_on"), "结束日期", "ends_on")
    if entry.starts_on and entry.ends_on and entry.ends_on < entry.starts_on:
        raise InputError("结束日期不能早于开始日期。", "ends_on")
    entry.notice_id, entry.item_code, entry.media_id, entry.url = None, "", None, ""
    entry.page_from = entry.page_to = 1
    if kind == "notice":
        notice_id = optional_whole_number(values.get("notice_id"), "公告", low=1, field="notice_id")
        if notice_id is None or session.get(Notice, notice_id) is None:
            raise InputError("请选择一条已有的公告。", "notice_id")
        entry.notice_id = notice_id
    elif kind == "item":
        code = str(values.get("item_code") or "").strip()
        if not code or session.scalar(visible_items().where(Item.code == code)) is None:
            raise InputError(f"没有事项编码为“{code}”的公开事项。", "item_code")
        entry.item_code = code
    elif kind in MEDIA_FAMILIES:
        _fill_media(session, entry, values)
    elif kind == "qr":
        entry.url = required_text(values.get("url"), "二维码内容", 1000, field="url")
    elif kind == "web":
        entry.url = check_web_url(str(values.get("url") or ""), allowed_origins)


def _fill_media(session: Session, entry: PlaylistEntry, values: Mapping[str, Any]) -> None:
    media_id = optional_whole_number(values.get("media_id"), "素材", low=1, field="media_id")
    media = session.get(Media, media_id) if media_id is not None else None
    if media is None or not media.mime.startswith(MEDIA_FAMILIES[entry.kind]):
        raise InputError(f"请选择一个已上传的{MEDIA_LABELS[entry.kind]}文件。", "media_id")
    entry.media_id = media.id
    if entry.kind != "pdf":
        return
    first = optional_whole_number(
        values.get("page_from"), "起始页", low=1, high=MAX_PAGE, field="page_from"
    )
    last = optional_whole_number(
        values.get("page_to"), "结束页", low=1, high=MAX_PAGE, field="page_to"
    )
    entry.page_from = first or 1
    entry.page_to = last or entry.page_from
    if entry.page_to < entry.page_from:
        raise InputError("PDF 的结束页不能小于起始页（例如第 1 页到第 3 页）。", "page_to")


def check_web_url(url: str, allowed_origins: Iterable[str]) -> str:
    """`url` if it is an http(s) page of an allow-listed origin (网页白名单)."""
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:  # a malformed host such as "http://[::1"
        parts = urlsplit("")
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InputError(f"网页地址要以 http:// 或 https:// 开头，不能是“{url[:100]}”。", "url")
    origin = f"{parts.scheme}://{parts.netloc}".lower()
    if origin not in {o.strip().rstrip("/").lower() for o in allowed_origins if o.strip()}:
        raise InputError(
            f"{origin} 不在允许显示的网站名单里，请县级管理员在“信息发布 → 网页白名单”里加入它。",
            "url",
        )
    return url[:1000]
