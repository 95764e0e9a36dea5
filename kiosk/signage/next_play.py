"""Why a screen shows nothing, and when it will next play (in the hall's local time):
outside all schedule windows, a playlist waiting for review, or no default."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from sqlalchemy.orm import Session

from kiosk.review.services import pending_for
from kiosk.signage.models import Playlist, Screen
from kiosk.signage.schedule_rule import Slot, what_plays_now
from kiosk.signage.schedules import screen_slots

LOOK_AHEAD_DAYS = 14


@dataclass(frozen=True)
class Idle:
    reason: str
    next_at: datetime | None = None  # aware; None: nothing in the next two weeks
    next_playlist: str = ""


def _plays(playlist: Playlist | None) -> bool:
    return playlist is not None and bool(playlist.published)


def _starts(slots: list[Slot], now: datetime, tz: tzinfo) -> list[datetime]:
    """Every moment in the look-ahead when a schedule window (or an all-day slot) begins."""
    local_today = now.astimezone(tz).date()
    moments = set()
    for offset in range(LOOK_AHEAD_DAYS + 1):
        day = local_today + timedelta(days=offset)
        for slot in slots:
            for start in [start for start, _end in slot.windows] or [datetime.min.time()]:
                moment = datetime.combine(day, start).replace(tzinfo=tz)
                if moment > now:
                    moments.add(moment)
    return sorted(moments)


def why_idle(session: Session, screen: Screen, now: datetime, tz: tzinfo) -> Idle | None:
    """None while the screen has something to play; else the reason and the next start."""
    slots, default = screen_slots(session, screen)
    chosen = what_plays_now(now, tz, slots, default)
    playlist = session.get(Playlist, chosen) if chosen is not None else None
    if _plays(playlist):
        return None
    if playlist is not None:
        waiting = pending_for(session, "playlist", playlist.id)
        reason = (
            f"播放列表“{playlist.name}”正在等待审核"
            if waiting
            else f"播放列表“{playlist.name}”还没有发布"
        )
    elif slots:
        reason = "现在不在任何排期时段内，也没有默认列表"
    else:
        reason = "没有给这块屏幕排期，也没有默认列表"
    for moment in _starts(slots, now, tz):
        upcoming = what_plays_now(moment, tz, slots, default)
        found = session.get(Playlist, upcoming) if upcoming is not None else None
        if _plays(found) and found is not None:
            return Idle(reason, moment, found.name)
    return Idle(reason)


def idle_text(idle: Idle, tz: tzinfo) -> str:
    """One line for the admin and the idle screen, in the hall's local time."""
    if idle.next_at is None:
        return f"{idle.reason}；未来两周没有安排播放。"
    local = idle.next_at.astimezone(tz)
    weekday = "一二三四五六日"[local.isoweekday() - 1]
    when = f"{local.month}月{local.day}日（周{weekday}）{local:%H:%M}"
    return f"{idle.reason}；下一次播放：{when} 起播放“{idle.next_playlist}”。"
