from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kiosk.db import Base, utcnow
from kiosk.weekdays import EVERY_DAY

ENTRY_KINDS = ("notice", "item", "image", "video", "pdf", "qr", "web")
ENTRY_KIND_LABELS = {
    "notice": "公告",
    "item": "事项卡片（含二维码）",
    "image": "图片",
    "video": "视频",
    "pdf": "PDF 页",
    "qr": "二维码页",
    "web": "网页（白名单）",
}
LAYOUTS = ("standard", "no-ticker", "fullscreen")
LAYOUT_LABELS = {
    "standard": "页眉 + 主区 + 滚动字幕",
    "no-ticker": "页眉 + 主区",
    "fullscreen": "全屏主区",
}


class ScreenGroup(Base):
    __tablename__ = "signage_group"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    layout: Mapped[str] = mapped_column(String(16), default="standard")
    default_playlist_id: Mapped[int | None] = mapped_column(
        ForeignKey("signage_playlist.id", ondelete="SET NULL"), default=None
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Screen(Base):
    """A full-screen browser at /player/<slug>; unclaimed until a manager pairs it."""

    __tablename__ = "signage_screen"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    pairing_code: Mapped[str | None] = mapped_column(String(8), unique=True, default=None)
    # SHA-256 of the browser's device cookie: only that browser speaks for the screen.
    device_hash: Mapped[str | None] = mapped_column(String(64), default=None)
    name: Mapped[str] = mapped_column(String(100), default="")
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("signage_group.id", ondelete="SET NULL"), default=None, index=True
    )
    group: Mapped[ScreenGroup | None] = relationship()
    layout: Mapped[str | None] = mapped_column(String(16), default=None)  # None: group's
    claimed_at: Mapped[datetime | None] = mapped_column(default=None)
    last_seen_at: Mapped[datetime | None] = mapped_column(default=None)
    current_entry_id: Mapped[int | None] = mapped_column(Integer, default=None)
    current_title: Mapped[str] = mapped_column(String(300), default="")
    reported_version: Mapped[str] = mapped_column(String(40), default="")
    viewport: Mapped[str] = mapped_column(String(20), default="")
    # The last entry the player skipped because it could not show it, and when.
    last_error: Mapped[str] = mapped_column(String(500), default="")
    last_error_at: Mapped[datetime | None] = mapped_column(default=None)
    # The PDF page it shows (0: not a PDF), for the admin's mirror to show the same.
    current_page: Mapped[int] = mapped_column(default=0)
    # Display schedule: outside these windows on these ISO weekdays the screen stands by
    # (black). No windows: always on.
    opening_hours: Mapped[list] = mapped_column(JSON, default=list)
    opening_days: Mapped[str] = mapped_column(String(7), default=EVERY_DAY)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


COMMANDS = {
    "reload": "重新加载",
    "test_pattern": "显示测试图",
    "resume": "恢复播放",
    "standby": "待机（黑屏）",
}


class ScreenCommand(Base):
    """Sent from the admin, fetched by the player's poll, acknowledged in its heartbeat."""

    __tablename__ = "signage_command"

    id: Mapped[int] = mapped_column(primary_key=True)
    screen_id: Mapped[int] = mapped_column(
        ForeignKey("signage_screen.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    issued_by: Mapped[str] = mapped_column(String(64))
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    acked_at: Mapped[datetime | None] = mapped_column(default=None)


class Media(Base):
    """An uploaded file, kept in the blob store by its SHA-256, labelled by its file name."""

    __tablename__ = "signage_media"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    original_name: Mapped[str] = mapped_column(String(255))
    mime: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    thumbnail: Mapped[str | None] = mapped_column(String(64), default=None)  # a JPEG's SHA-256
    # A PDF's pages rendered as PNG images (SHA-256 each): what screens show of it.
    pages: Mapped[list[str]] = mapped_column(JSON, default=list)
    # False while a county file is still on its way to this hall: entries using it wait.
    complete: Mapped[bool] = mapped_column(default=True)
    uploaded_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class WebOrigin(Base):
    """A site whose pages web-page entries may show, managed by a county admin."""

    __tablename__ = "signage_web_origin"

    id: Mapped[int] = mapped_column(primary_key=True)
    origin: Mapped[str] = mapped_column(String(200), unique=True)  # https://www.gov.cn
    added_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Playlist(Base):
    """Entries are the draft; screens play `published`, a snapshot taken on approval."""

    __tablename__ = "signage_playlist"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    is_default: Mapped[bool] = mapped_column(default=False)
    is_attract: Mapped[bool] = mapped_column(default=False)
    published: Mapped[list | None] = mapped_column(JSON, default=None)
    published_revision: Mapped[int] = mapped_column(default=0)
    published_at: Mapped[datetime | None] = mapped_column(default=None)
    # At a hall: the centre's id of a county playlist (read-only here); None: the hall's own.
    county_ref: Mapped[str | None] = mapped_column(
        String(40), unique=True, index=True, default=None
    )
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    entries: Mapped[list[PlaylistEntry]] = relationship(
        order_by="PlaylistEntry.position", cascade="all, delete-orphan", back_populates="playlist"
    )


class PlaylistEntry(Base):
    __tablename__ = "signage_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    playlist_id: Mapped[int] = mapped_column(
        ForeignKey("signage_playlist.id", ondelete="CASCADE"), index=True
    )
    playlist: Mapped[Playlist] = relationship(back_populates="entries")
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(300), default="")
    duration: Mapped[float] = mapped_column(default=10.0)  # seconds; video 0: its own length
    enabled: Mapped[bool] = mapped_column(default=True)
    starts_on: Mapped[date | None] = mapped_column(Date, default=None)
    ends_on: Mapped[date | None] = mapped_column(Date, default=None)
    notice_id: Mapped[int | None] = mapped_column(
        ForeignKey("notice.id", ondelete="SET NULL"), default=None
    )
    item_code: Mapped[str] = mapped_column(String(64), default="")
    media_id: Mapped[int | None] = mapped_column(
        ForeignKey("signage_media.id", ondelete="SET NULL"), default=None
    )
    media: Mapped[Media | None] = relationship()
    url: Mapped[str] = mapped_column(String(1000), default="")  # QR data or web page
    text: Mapped[str] = mapped_column(Text, default="")  # caption
    page_from: Mapped[int] = mapped_column(default=1)
    page_to: Mapped[int] = mapped_column(default=1)


class Schedule(Base):
    """Plays a playlist on one screen, one group, or every screen (both empty)."""

    __tablename__ = "signage_schedule"

    id: Mapped[int] = mapped_column(primary_key=True)
    playlist_id: Mapped[int] = mapped_column(
        ForeignKey("signage_playlist.id", ondelete="CASCADE"), index=True
    )
    playlist: Mapped[Playlist] = relationship()
    screen_id: Mapped[int | None] = mapped_column(
        ForeignKey("signage_screen.id", ondelete="CASCADE"), default=None
    )
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("signage_group.id", ondelete="CASCADE"), default=None
    )
    starts_on: Mapped[date | None] = mapped_column(Date, default=None)
    ends_on: Mapped[date | None] = mapped_column(Date, default=None)
    # ISO weekdays (kiosk.weekdays): "12345" is Monday to Friday.
    weekdays: Mapped[str] = mapped_column(String(7), default=EVERY_DAY)
    windows: Mapped[list] = mapped_column(JSON, default=list)  # [["22:00", "02:00"], ...]
    priority: Mapped[int] = mapped_column(default=0)
    # At the centre: the region whose halls (it and every place below) play it; None: a
    # hall's own schedule. At a hall: the centre's id of a county schedule (read-only).
    region: Mapped[str | None] = mapped_column(String(200), default=None)
    county_ref: Mapped[str | None] = mapped_column(
        String(40), unique=True, index=True, default=None
    )
    created_by: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class EmergencyNotice(Base):
    __tablename__ = "signage_emergency"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("signage_group.id", ondelete="CASCADE"), default=None
    )  # None: all
    source: Mapped[str] = mapped_column(String(16), default="local")  # local | county
    # At the centre: the region whose halls (it and every place below it) receive it; "" all.
    region: Mapped[str] = mapped_column(String(200), default="")
    external_id: Mapped[str | None] = mapped_column(String(64), unique=True, default=None)
    issued_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(default=None)
    cleared_at: Mapped[datetime | None] = mapped_column(default=None)
    cleared_by: Mapped[str] = mapped_column(String(64), default="")


class PlayRecord(Base):
    """Proof of play: one entry shown on one screen, from start to end."""

    __tablename__ = "signage_play"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)  # from the player: idempotent
    screen_id: Mapped[int | None] = mapped_column(
        ForeignKey("signage_screen.id", ondelete="SET NULL"), index=True
    )
    screen_name: Mapped[str] = mapped_column(String(100))
    playlist_id: Mapped[int | None] = mapped_column(Integer, default=None)
    entry_id: Mapped[int | None] = mapped_column(Integer, default=None)
    title: Mapped[str] = mapped_column(String(300), default="")
    started_at: Mapped[datetime] = mapped_column(index=True)
    ended_at: Mapped[datetime]
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
