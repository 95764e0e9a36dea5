"""Signage services: screens, groups, playlists, reviews, schedules, programs, plays.

Views and the CLI call these; every change is audit-logged in the caller's transaction.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import hmac
import io
import json
import logging
import re
import secrets
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, time, timedelta, tzinfo
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from kiosk.audit.services import record
from kiosk.catalog.models import Item
from kiosk.catalog.qr import item_address, qr_svg
from kiosk.catalog.services import visible_items
from kiosk.db import utcnow
from kiosk.errors import InputError
from kiosk.notices.models import Notice
from kiosk.notices.services import current_notices_query
from kiosk.outbox.services import enqueue
from kiosk.parsing import (
    LARGEST,
    decimal_number,
    optional_date,
    optional_whole_number,
    required_text,
)
from kiosk.regions.services import lineage, normalise_path
from kiosk.review import services as review
from kiosk.review.models import Review
from kiosk.signage.models import (
    ENTRY_KIND_LABELS,
    ENTRY_KINDS,
    LAYOUTS,
    EmergencyNotice,
    Media,
    Playlist,
    PlaylistEntry,
    PlayRecord,
    Schedule,
    Screen,
    ScreenGroup,
)
from kiosk.signage.schedule import Slot, what_plays_now

log = logging.getLogger("kiosk.signage")


class ScreenTaken(InputError):
    """Another browser asks to be a screen that is paired already."""


SLUG = re.compile(r"^[A-Za-z0-9_-]{1,40}$")
RESERVED_SLUGS = {"attract", "media", "preview"}
MAX_UNCLAIMED = 20  # a stray script cannot fill the table with pairing requests
ONLINE_SECONDS = 75  # two and a half heartbeats
MAX_DURATION = 3600.0
TICKER_SIZE = 20


# ---------------------------------------------------------------- screens and groups


def get_screen(session: Session, slug: str) -> Screen | None:
    return session.scalar(select(Screen).where(Screen.slug == slug))


def device_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def check_screen_slug(slug: str) -> None:
    if not SLUG.match(slug) or slug in RESERVED_SLUGS:
        raise InputError("屏幕地址里的名称只能用字母、数字、- 和 _，最多 40 个字符。")


def check_screen_free(session: Session, slug: str, device: str) -> None:
    """ScreenTaken if the screen is paired with another browser (nothing is written)."""
    screen = get_screen(session, slug)
    if (
        screen is not None
        and screen.claimed_at is not None
        and screen.device_hash is not None
        and not hmac.compare_digest(screen.device_hash, device)
    ):
        raise ScreenTaken(
            f"屏幕“{slug}”已经和另一台设备配对；如需换用这台设备，请大厅管理员在后台重新配对。"
        )


def register_screen(session: Session, slug: str, device: str | None = None) -> Screen:
    """The screen at /player/<slug> for the browser whose device-cookie hash is `device`
    (None: not bound to a browser yet; the first one to register gets it).

    A new screen gets a pairing code. An unpaired screen opened in another browser moves
    to it with a fresh code, so a code is only ever shown by the browser it will claim.
    A paired screen refuses other browsers until a manager re-pairs it.
    """
    check_screen_slug(slug)
    screen = get_screen(session, slug)
    if screen is not None and device is not None:
        check_screen_free(session, slug, device)
        if screen.device_hash is None or hmac.compare_digest(screen.device_hash, device):
            screen.device_hash = device
            return screen
        screen.device_hash = device
        screen.pairing_code = _new_code(_taken_codes(session))
        return screen
    if screen is not None:
        return screen
    unclaimed = session.scalar(
        select(func.count()).select_from(Screen).where(Screen.claimed_at.is_(None))
    )
    if unclaimed >= MAX_UNCLAIMED:
        raise InputError("等待配对的屏幕太多了，请先配对或删除一些再接入新屏幕。")
    screen = Screen(slug=slug, pairing_code=_new_code(_taken_codes(session)), device_hash=device)
    session.add(screen)
    session.flush()
    return screen


def screen_for_device(session: Session, slug: str, device: str | None) -> Screen | None:
    """The screen if `device` is the browser bound to it (it registers first)."""
    screen = get_screen(session, slug)
    if screen is None or device is None or screen.device_hash is None:
        return None
    return screen if hmac.compare_digest(screen.device_hash, device) else None


def unpair_screen(session: Session, screen: Screen, actor: str) -> Screen:
    """Forget the screen's browser and show a new pairing code (a replaced screen)."""
    screen.claimed_at = None
    screen.device_hash = None
    screen.pairing_code = _new_code(_taken_codes(session))
    record(
        session,
        actor,
        "signage.screen.unpair",
        f"screen:{screen.slug}",
        {"name": screen.name},
        {"paired": False},
    )
    return screen


def _taken_codes(session: Session) -> set[str]:
    return set(session.scalars(select(Screen.pairing_code).where(Screen.pairing_code.is_not(None))))


def _new_code(taken: set[str]) -> str:
    while True:
        code = f"{secrets.randbelow(1_000_000):06d}"
        if code not in taken:
            return code


def claim_screen(
    session: Session, code: str, name: str, group_id: int | None, actor: str
) -> Screen:
    code = code.strip()
    name = required_text(name, "屏幕名称", 100, field="name")
    screen = (
        session.scalar(
            select(Screen).where(Screen.pairing_code == code, Screen.claimed_at.is_(None))
        )
        if code
        else None
    )
    if screen is None:
        raise InputError(f"没有正在等待配对码“{code}”的屏幕：请核对屏幕上显示的 6 位数字。", "code")
    _check_group(session, group_id)
    screen.pairing_code = None
    screen.name = name
    screen.group_id = group_id
    screen.claimed_at = utcnow()
    record(
        session,
        actor,
        "signage.screen.claim",
        f"screen:{screen.slug}",
        None,
        {"name": name, "group_id": group_id},
    )
    return screen


def update_screen(
    session: Session,
    screen: Screen,
    name: str,
    group_id: int | None,
    layout: str | None,
    actor: str,
) -> Screen:
    before = {"name": screen.name, "group_id": screen.group_id, "layout": screen.layout}
    _check_group(session, group_id)
    if layout is not None and layout not in LAYOUTS:
        raise InputError(f"没有“{layout}”这种版式。", "layout")
    screen.name = required_text(name, "屏幕名称", 100, field="name")
    screen.group_id = group_id
    screen.layout = layout
    record(
        session,
        actor,
        "signage.screen.update",
        f"screen:{screen.slug}",
        before,
        {"name": screen.name, "group_id": group_id, "layout": layout},
    )
    return screen


def remove_screen(session: Session, screen: Screen, actor: str) -> None:
    record(
        session,
        actor,
        "signage.screen.remove",
        f"screen:{screen.slug}",
        {"name": screen.name},
        None,
    )
    session.delete(screen)


def list_screens(session: Session) -> list[Screen]:
    return list(
        session.scalars(
            select(Screen).order_by(Screen.claimed_at.is_(None).desc(), Screen.name, Screen.slug)
        )
    )


def is_online(screen: Screen, now: datetime | None = None) -> bool:
    now = now or utcnow()
    return screen.last_seen_at is not None and now - screen.last_seen_at <= timedelta(
        seconds=ONLINE_SECONDS
    )


def heartbeat(session: Session, screen: Screen, report: Mapping[str, Any]) -> None:
    """What the player says it shows now (every 30 s); no audit: it is not a change."""
    screen.last_seen_at = utcnow()
    entry = report.get("entry")
    # A number past 64 bits cannot be stored: the report is then of no entry we know.
    known = isinstance(entry, int) and not isinstance(entry, bool) and 0 <= entry <= LARGEST
    screen.current_entry_id = entry if known else None
    screen.current_title = str(report.get("title") or "")[:300]
    screen.reported_version = str(report.get("version") or "")[:40]
    screen.viewport = str(report.get("viewport") or "")[:20]


def report_failure(screen: Screen, entry: Any, reason: Any) -> None:
    """An entry the player could not show and skipped: the admin shows the last one."""
    log.warning("screen %s skipped entry %s: %s", screen.slug, entry, str(reason)[:200])
    screen.last_error = f"{utcnow():%Y-%m-%d %H:%M:%S}Z entry {entry}: {str(reason)[:200]}"


def _check_group(session: Session, group_id: int | None) -> None:
    if group_id is not None and session.get(ScreenGroup, group_id) is None:
        raise InputError(f"没有编号为 {group_id} 的屏幕分组。", "group_id")


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
    name = required_text(name, "分组名称", 100, field="name")
    if layout not in LAYOUTS:
        raise InputError(f"没有“{layout}”这种版式。", "layout")
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
    record(session, actor, "signage.group.remove", f"group:{group.id}", {"name": group.name}, None)
    session.delete(group)


# ---------------------------------------------------------------- playlists and entries


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
    record(
        session,
        actor,
        "signage.playlist.remove",
        f"playlist:{playlist.id}",
        {"name": playlist.name},
        None,
    )
    session.delete(playlist)


def set_playlist_role(
    session: Session, playlist: Playlist, role: str, on: bool, actor: str
) -> None:
    """Mark the node-wide default (fills schedule gaps) or the touch screens' attract loop."""
    column = {"default": Playlist.is_default, "attract": Playlist.is_attract}.get(role)
    if column is None:
        raise InputError(f"没有“{role}”这种播放列表用途。")
    if on:  # only one playlist holds each role
        for other in session.scalars(select(Playlist).where(column.is_(True))):
            setattr(other, column.key, False)
    setattr(playlist, column.key, on)
    record(session, actor, f"signage.playlist.{role}", f"playlist:{playlist.id}", None, {role: on})


def add_entry(
    session: Session,
    playlist: Playlist,
    values: Mapping[str, Any],
    allowed_origins: Iterable[str],
    actor: str,
) -> PlaylistEntry:
    entry = PlaylistEntry(position=max((e.position for e in playlist.entries), default=-1) + 1)
    _fill_entry(session, entry, values, allowed_origins)
    playlist.entries.append(entry)
    _touch(playlist)
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
    before = entry_values(entry)
    _fill_entry(session, entry, {**values, "kind": entry.kind}, allowed_origins)
    _touch(entry.playlist)
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
    _touch(entry.playlist)
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
    _touch(entry.playlist)
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
    _touch(playlist)


def entry_values(entry: PlaylistEntry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "kind": entry.kind,
        "title": entry.title,
        "duration": entry.duration,
        "enabled": entry.enabled,
        "starts_on": entry.starts_on.isoformat() if entry.starts_on else None,
        "ends_on": entry.ends_on.isoformat() if entry.ends_on else None,
        "notice_id": entry.notice_id,
        "item_code": entry.item_code,
        "media_id": entry.media_id,
        "url": entry.url,
        "text": entry.text,
        "page_from": entry.page_from,
        "page_to": entry.page_to,
    }


def _touch(playlist: Playlist) -> None:
    playlist.changed_at = utcnow()


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
    duration = decimal_number(
        values.get("duration", 10), "播放秒数", low=0, high=MAX_DURATION, field="duration"
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
        notice_id = optional_whole_number(values.get("notice_id"), "公告", low=1)
        if notice_id is None or session.get(Notice, notice_id) is None:
            raise InputError("请选择一条已有的公告。", "notice_id")
        entry.notice_id = notice_id
    elif kind == "item":
        code = str(values.get("item_code") or "").strip()
        if not code or session.scalar(visible_items().where(Item.code == code)) is None:
            raise InputError(f"没有事项编码为“{code}”的公开事项。", "item_code")
        entry.item_code = code
    elif kind in ("image", "video", "pdf"):
        media_id = optional_whole_number(values.get("media_id"), "文件", low=1)
        media = session.get(Media, media_id) if media_id is not None else None
        family = {"image": "image/", "video": "video/", "pdf": "application/pdf"}[kind]
        if media is None or not media.mime.startswith(family):
            raise InputError(f"请选择一个已上传的{ENTRY_KIND_LABELS[kind]}文件。", "media_id")
        entry.media_id = media.id
        if kind == "pdf":
            entry.page_from = (
                optional_whole_number(values.get("page_from"), "起始页", low=1, high=999) or 1
            )
            entry.page_to = (
                optional_whole_number(values.get("page_to"), "结束页", low=1, high=999)
                or entry.page_from
            )
            if entry.page_to < entry.page_from:
                raise InputError("PDF 的结束页不能小于起始页（例如第 1 页到第 3 页）。", "page_to")
    elif kind == "qr":
        entry.url = required_text(values.get("url"), "二维码内容", 1000, field="url")
    elif kind == "web":
        entry.url = check_web_url(str(values.get("url") or ""), allowed_origins)


def check_web_url(url: str, allowed_origins: Iterable[str]) -> str:
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InputError(f"网页地址要以 http:// 或 https:// 开头，不能是“{url[:100]}”。", "url")
    origin = f"{parts.scheme}://{parts.netloc}".lower()
    if origin not in {o.strip().rstrip("/").lower() for o in allowed_origins if o.strip()}:
        raise InputError(f"{origin} 不在允许显示的网站名单里（KIOSK_SIGNAGE_WEB_ORIGINS）。", "url")
    return url[:1000]


# ---------------------------------------------------------------- review and publication


def qr_data_uri(data: str) -> str:
    """A QR code as an SVG data: URI, so it plays from the player's cache offline."""
    return "data:image/svg+xml;base64," + base64.b64encode(qr_svg(data)).decode()


def snapshot(session: Session, playlist: Playlist, item_base_url: str) -> list[dict[str, Any]]:
    """The entries as they will play, with their content frozen for review."""
    frozen: list[dict[str, Any]] = []
    for entry in playlist.entries:
        shown: dict[str, Any] = {
            "id": entry.id,
            "kind": entry.kind,
            "title": entry.title,
            "text": entry.text,
            "duration": entry.duration,
            "enabled": entry.enabled,
            "starts_on": entry.starts_on.isoformat() if entry.starts_on else None,
            "ends_on": entry.ends_on.isoformat() if entry.ends_on else None,
        }
        if entry.kind == "notice":
            notice = session.get(Notice, entry.notice_id) if entry.notice_id else None
            if notice is None:
                raise InputError(f"第 {entry.position + 1} 条：它用的公告已被删除。")
            shown.update(
                title=entry.title or notice.title, body=notice.body, publisher=notice.publisher
            )
        elif entry.kind == "item":
            item = session.scalar(visible_items().where(Item.code == entry.item_code))
            if item is None:
                raise InputError(f"第 {entry.position + 1} 条：事项 {entry.item_code} 已不再公开。")
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
            if entry.media_id is None:
                raise InputError(f"第 {entry.position + 1} 条：它用的文件已被删除。")
            shown.update(media=entry.media_id, pages=[entry.page_from, entry.page_to])
        elif entry.kind == "qr":
            shown.update(qr=qr_data_uri(entry.url), qr_target=entry.url)
        else:
            shown.update(url=entry.url)
        frozen.append(shown)
    return frozen


def submit_for_review(
    session: Session, playlist: Playlist, steps: int, item_base_url: str, actor: str
) -> Review:
    """Freeze the playlist as it will play; with 0 review steps it is published at once."""
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


# ---------------------------------------------------------------- schedules


def parse_windows(text: str) -> list[list[str]]:
    """'08:30-12:00, 22:00-02:00' -> [["08:30", "12:00"], ["22:00", "02:00"]]; empty: all day."""
    windows = []
    for part in re.split(r"[,，;；\s]+", text.strip()):
        if not part:
            continue
        pieces = re.split(r"[-–~～至]", part)
        try:
            start, end = (time.fromisoformat(p.strip()) for p in pieces)
        except ValueError:
            raise InputError(f"时段“{part}”要写成 08:30-12:00 这样。", "windows") from None
        windows.append([start.strftime("%H:%M"), end.strftime("%H:%M")])
    return windows


def create_schedule(session: Session, values: Mapping[str, Any], actor: str) -> Schedule:
    playlist_id = optional_whole_number(values.get("playlist_id"), "播放列表", low=1)
    if playlist_id is None or session.get(Playlist, playlist_id) is None:
        raise InputError("请选择播放列表。", "playlist_id")
    screen_id = optional_whole_number(values.get("screen_id"), "屏幕", low=1)
    group_id = optional_whole_number(values.get("group_id"), "分组", low=1)
    if screen_id is not None and group_id is not None:
        raise InputError("一条排期只能给一块屏幕或一个分组，不能两个都选。", "group_id")
    if screen_id is not None and session.get(Screen, screen_id) is None:
        raise InputError(f"没有编号为 {screen_id} 的屏幕。", "screen_id")
    _check_group(session, group_id)
    weekdays = "".join(sorted(set(str(values.get("weekdays") or "")) & set("0123456")))
    if not weekdays:
        raise InputError("请至少选一天（星期几）。", "weekdays")
    starts_on = optional_date(values.get("starts_on"), "开始日期", "starts_on")
    ends_on = optional_date(values.get("ends_on"), "结束日期", "ends_on")
    if starts_on and ends_on and ends_on < starts_on:
        raise InputError("结束日期不能早于开始日期。", "ends_on")
    schedule = Schedule(
        playlist_id=playlist_id,
        screen_id=screen_id,
        group_id=group_id,
        starts_on=starts_on,
        ends_on=ends_on,
        weekdays=weekdays,
        priority=optional_whole_number(
            values.get("priority"), "优先级", low=-1000, high=1000, field="priority"
        )
        or 0,
        windows=parse_windows(str(values.get("windows") or "")),
        created_by=actor,
    )
    session.add(schedule)
    session.flush()
    record(
        session,
        actor,
        "signage.schedule.create",
        f"schedule:{schedule.id}",
        None,
        {
            "playlist_id": playlist_id,
            "screen_id": screen_id,
            "group_id": group_id,
            "weekdays": weekdays,
            "windows": schedule.windows,
            "priority": schedule.priority,
            "starts_on": values.get("starts_on") or None,
            "ends_on": values.get("ends_on") or None,
        },
    )
    return schedule


def remove_schedule(session: Session, schedule: Schedule, actor: str) -> None:
    record(
        session,
        actor,
        "signage.schedule.remove",
        f"schedule:{schedule.id}",
        {"playlist_id": schedule.playlist_id},
        None,
    )
    session.delete(schedule)


def list_schedules(session: Session) -> list[Schedule]:
    return list(session.scalars(select(Schedule).order_by(Schedule.priority.desc(), Schedule.id)))


def slot_of(schedule: Schedule) -> Slot:
    specificity = 2 if schedule.screen_id else 1 if schedule.group_id else 0
    return Slot(
        playlist_id=schedule.playlist_id,
        priority=schedule.priority,
        starts_on=schedule.starts_on,
        ends_on=schedule.ends_on,
        weekdays=frozenset(int(d) for d in schedule.weekdays),
        windows=tuple((time.fromisoformat(a), time.fromisoformat(b)) for a, b in schedule.windows),
        specificity=specificity,
        schedule_id=schedule.id,
    )


def playlist_for(session: Session, screen: Screen, now: datetime, tz: tzinfo) -> Playlist | None:
    """The playlist this screen plays at `now`, by the schedule rule."""
    targets = [
        Schedule.screen_id == screen.id,
        Schedule.screen_id.is_(None) & Schedule.group_id.is_(None),
    ]
    if screen.group_id is not None:
        targets.append(Schedule.group_id == screen.group_id)
    schedules = session.scalars(select(Schedule).where(or_(*targets)))
    default = screen.group.default_playlist_id if screen.group else None
    if default is None:
        default = session.scalar(select(Playlist.id).where(Playlist.is_default.is_(True)))
    chosen = what_plays_now(now, tz, [slot_of(s) for s in schedules], default)
    return session.get(Playlist, chosen) if chosen is not None else None


# ---------------------------------------------------------------- what a player receives


def layout_of(screen: Screen) -> str:
    return screen.layout or (screen.group.layout if screen.group else "standard")


def ticker(session: Session, region: str, now: datetime) -> list[str]:
    """Titles of the current notices for the scrolling line (滚动字幕)."""
    query = current_notices_query(region, now=now).limit(TICKER_SIZE)
    return [notice.title for notice in session.scalars(query)]


def program(
    session: Session,
    screen: Screen | None,
    playlist: Playlist | None,
    *,
    now: datetime,
    tz: tzinfo,
    hall_name: str,
    region: str,
    layout: str = "standard",
) -> dict[str, Any]:
    """Everything one player needs to play offline; its hash is the version it polls."""
    today = now.astimezone(tz).date().isoformat()
    entries = []
    if playlist is not None and playlist.published:
        entries = [
            e
            for e in playlist.published
            if e["enabled"]
            and (e["starts_on"] is None or e["starts_on"] <= today)
            and (e["ends_on"] is None or e["ends_on"] >= today)
        ]
    body = {
        "screen": {"slug": screen.slug, "name": screen.name} if screen else None,
        "hall": hall_name,
        "layout": layout,
        "ticker": ticker(session, region, now),
        "playlist": (
            {"id": playlist.id, "name": playlist.name, "revision": playlist.published_revision}
            if playlist
            else None
        ),
        "entries": entries,
    }
    body["version"] = version_of(body)
    return body


def version_of(body: Mapping[str, Any]) -> str:
    text = json.dumps(
        {k: v for k, v in body.items() if k != "version"}, sort_keys=True, ensure_ascii=False
    )
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def media_on_screens(session: Session, media_id: int) -> bool:
    """Whether a published playlist shows this file (drafts stay private until approved)."""
    for published in session.scalars(
        select(Playlist.published).where(Playlist.published.is_not(None))
    ):
        if any(entry.get("media") == media_id for entry in published):
            return True
    return False


def attract_playlist(session: Session) -> Playlist | None:
    return session.scalar(
        select(Playlist).where(Playlist.is_attract.is_(True), Playlist.published.is_not(None))
    )


# ---------------------------------------------------------------- emergency notices


def post_emergency(
    session: Session,
    title: str,
    body: str,
    *,
    actor: str,
    group_id: int | None = None,
    expires_at: datetime | None = None,
    source: str = "local",
    external_id: str | None = None,
    region: str = "",
) -> EmergencyNotice:
    """Put a notice over every screen in scope (a group, or all); county ones are idempotent.
    At the centre `region` limits which halls receive it (that region and below)."""
    title = required_text(title, "紧急通知标题", 300, field="title")
    region = normalise_path(region) if region.strip() else ""
    _check_group(session, group_id)
    if expires_at is not None and expires_at <= utcnow():
        raise InputError("结束时间已经过去了。", "minutes")
    if external_id is not None:
        existing = session.scalar(
            select(EmergencyNotice).where(EmergencyNotice.external_id == external_id)
        )
        if existing is not None:
            return existing
    notice = EmergencyNotice(
        title=title,
        body=body.strip()[:5000],
        group_id=group_id,
        expires_at=expires_at,
        source=source,
        external_id=external_id,
        issued_by=actor,
        region=region,
    )
    session.add(notice)
    session.flush()
    record(
        session,
        actor,
        "signage.emergency.post",
        f"emergency:{notice.id}",
        None,
        {
            "title": title,
            "group_id": group_id,
            "source": source,
            "region": region,
            "expires_at": expires_at.isoformat() if expires_at else None,
        },
    )
    return notice


def post_county_emergency(
    session: Session, external_id: str, title: str, body: str, expires_at: datetime | None
) -> EmergencyNotice:
    """For catalog sync: a county-issued notice for every screen of this hall."""
    return post_emergency(
        session,
        title,
        body,
        actor="county",
        source="county",
        external_id=external_id,
        expires_at=expires_at,
    )


def clear_county_emergency(session: Session, external_id: str) -> bool:
    """For catalog sync: the county took its notice down; False if this hall never had it."""
    notice = session.scalar(
        select(EmergencyNotice).where(EmergencyNotice.external_id == external_id)
    )
    if notice is None:
        return False
    clear_emergency(session, notice, "county")
    return True


COUNTY_PREFIX = "county:"


def emergencies_for_halls(session: Session, hall_region: str) -> list[dict[str, Any]]:
    """Centre: the active notices a county admin put over every screen of the halls in a
    region containing `hall_region`, for that hall's change feed."""
    above = set(lineage(hall_region)) if hall_region else set()
    return [
        {
            "id": str(notice.id),
            "title": notice.title,
            "body": notice.body,
            "expires_at": notice.expires_at.isoformat() if notice.expires_at else None,
        }
        for notice in active_emergencies(session)
        if notice.group_id is None
        and notice.source == "local"
        and (not notice.region or notice.region in above)
    ]


def reconcile_county_emergencies(session: Session, emergencies: list[dict[str, Any]]) -> None:
    """Hall: show what the county has up now, and take down what it took down."""
    now = utcnow()
    wanted = set()
    for emergency in emergencies:
        external_id = COUNTY_PREFIX + emergency["id"]
        wanted.add(external_id)
        expires_at = emergency["expires_at"]
        if expires_at is None or expires_at > now:  # a skewed clock may see it expired
            post_county_emergency(
                session, external_id, emergency["title"], emergency["body"], expires_at
            )
    for notice in active_emergencies(session, now):
        if notice.source == "county" and notice.external_id not in wanted:
            clear_emergency(session, notice, "county")


def clear_emergency(session: Session, notice: EmergencyNotice, actor: str) -> None:
    if notice.cleared_at is not None:
        return
    notice.cleared_at, notice.cleared_by = utcnow(), actor
    record(
        session,
        actor,
        "signage.emergency.clear",
        f"emergency:{notice.id}",
        {"title": notice.title},
        {"cleared": True},
    )


def active_emergencies(session: Session, now: datetime | None = None) -> list[EmergencyNotice]:
    now = now or utcnow()
    return list(
        session.scalars(
            select(EmergencyNotice)
            .where(
                EmergencyNotice.cleared_at.is_(None),
                or_(EmergencyNotice.expires_at.is_(None), EmergencyNotice.expires_at > now),
            )
            .order_by(EmergencyNotice.id.desc())
        )
    )


def emergency_for(
    session: Session, screen: Screen | None, now: datetime | None = None
) -> dict[str, Any] | None:
    """The newest active notice in this screen's scope (the attract loop: all-screen ones)."""
    group_id = screen.group_id if screen else None
    for notice in active_emergencies(session, now):
        if notice.group_id is None or notice.group_id == group_id:
            return {"id": notice.id, "title": notice.title, "body": notice.body}
    return None


# ---------------------------------------------------------------- proof of play


def record_plays(session: Session, screen: Screen, plays: Iterable[Mapping[str, Any]]) -> int:
    """Store what the player says it showed; a repeated key is ignored (retries)."""
    added = 0
    rows = list(plays)
    if len(rows) > 500:
        raise InputError("一次最多上报 500 条播放记录。")
    keys = [f"{screen.slug}:{str(row.get('key'))[:36]}" for row in rows]
    known = set(session.scalars(select(PlayRecord.key).where(PlayRecord.key.in_(keys))))
    for key, row in zip(keys, rows, strict=True):
        if key in known:
            continue
        started, ended = _epoch_ms(row.get("start"), "开始"), _epoch_ms(row.get("end"), "结束")
        if ended < started or ended - started > timedelta(hours=24):
            raise InputError(f"播放记录 {key}：结束时间要在开始之后一天以内。")
        play = PlayRecord(
            key=key,
            screen_id=screen.id,
            screen_name=screen.name or screen.slug,
            playlist_id=optional_whole_number(row.get("playlist"), "播放列表", low=0),
            entry_id=optional_whole_number(row.get("entry"), "条目", low=0),
            title=str(row.get("title") or "")[:300],
            started_at=started,
            ended_at=ended,
        )
        session.add(play)
        known.add(key)
        enqueue(
            session,
            "play",
            {
                "key": key,
                "screen": play.screen_name,
                "playlist": play.playlist_id,
                "entry": play.entry_id,
                "title": play.title,
                "start": started.isoformat(),
                "end": ended.isoformat(),
            },
        )
        added += 1
    return added


def _epoch_ms(value: Any, what: str) -> datetime:
    try:
        return datetime.fromtimestamp(float(value) / 1000, UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        raise InputError(f"播放记录的{what}时间不对：{str(value)[:40]}") from None


def list_plays(
    session: Session, limit: int | None = 500, screen_id: int | None = None
) -> list[PlayRecord]:
    query = select(PlayRecord).order_by(PlayRecord.started_at.desc())
    if screen_id is not None:
        query = query.where(PlayRecord.screen_id == screen_id)
    return list(session.scalars(query.limit(limit)))


def plays_csv(plays: Iterable[PlayRecord]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["screen", "playlist", "entry", "title", "start_utc", "end_utc", "seconds"])
    for play in plays:
        writer.writerow(
            [
                play.screen_name,
                play.playlist_id,
                play.entry_id,
                _csv_safe(play.title),
                play.started_at.isoformat(),
                play.ended_at.isoformat(),
                f"{(play.ended_at - play.started_at).total_seconds():.3f}",
            ]
        )
    return out.getvalue()


def _csv_safe(text: str) -> str:
    # A title starting with = + - @ would run as a formula in a spreadsheet.
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
