"""Proof of play (播放记录): what each screen showed, from when to when, as the player
reports it; kept once per report key, sent up to the centre, exported for staff."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.errors import InputError
from kiosk.outbox.services import enqueue
from kiosk.parsing import optional_whole_number
from kiosk.signage.models import Playlist, PlayRecord, Screen

MAX_BATCH = 500
PLAY_COLUMNS = ("屏幕", "播放列表", "条目", "标题", "开始时间", "结束时间", "秒数")
SHOWN_TIME = "%Y-%m-%d %H:%M:%S"


def record_plays(session: Session, screen: Screen, plays: Iterable[Mapping[str, Any]]) -> int:
    """Store what the player says it showed; a repeated key is ignored (retries)."""
    added = 0
    rows = list(plays)
    if len(rows) > MAX_BATCH:
        raise InputError(f"一次最多上报 {MAX_BATCH} 条播放记录。")
    keys = [f"{screen.slug}:{str(row.get('key'))[:36]}" for row in rows]
    known = set(session.scalars(select(PlayRecord.key).where(PlayRecord.key.in_(keys))))
    # The centre counts plays of its county playlists by its own ids.
    county_refs = {
        playlist_id: ref
        for playlist_id, ref in session.execute(
            select(Playlist.id, Playlist.county_ref).where(Playlist.county_ref.is_not(None))
        )
    }
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
                "county_playlist": county_refs.get(play.playlist_id or 0),
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
    """Newest first."""
    query = select(PlayRecord).order_by(PlayRecord.started_at.desc())
    if screen_id is not None:
        query = query.where(PlayRecord.screen_id == screen_id)
    return list(session.scalars(query.limit(limit)))


def seconds_of(play: PlayRecord) -> float:
    return (play.ended_at - play.started_at).total_seconds()


def play_rows(plays: Iterable[PlayRecord], zone: tzinfo) -> list[list[object]]:
    """The export's rows under PLAY_COLUMNS, times in the hall's local time."""
    return [
        [
            play.screen_name,
            play.playlist_id,
            play.entry_id,
            play.title,
            play.started_at.astimezone(zone).strftime(SHOWN_TIME),
            play.ended_at.astimezone(zone).strftime(SHOWN_TIME),
            f"{seconds_of(play):.3f}",
        ]
        for play in plays
    ]
