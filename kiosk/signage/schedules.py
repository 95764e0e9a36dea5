"""Schedules kept in the database: which playlist plays on which screens, on which dates,
weekdays and time windows. `schedule_rule` decides from them what plays now."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime, time, tzinfo
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from kiosk.audit.services import record, record_removal
from kiosk.errors import InputError
from kiosk.parsing import optional_date, optional_whole_number, time_of_day
from kiosk.regions.services import normalise_path
from kiosk.signage.groups import check_group
from kiosk.signage.models import Playlist, Schedule, Screen
from kiosk.signage.schedule_rule import Slot, what_plays_now
from kiosk.weekdays import weekdays_text

# What people put between the two ends of a window: 8:00-12:00, 8:00—12:00 (the Chinese
# dash an input method types), 8:00－12:00, 8:00～12:00, 8:00至12:00, 8:00到12:00.
RANGE = re.compile(r"\s*(?:[-‐‑‒–—―－~～〜]+|至|到)\s*")
WINDOW_SEPARATORS = re.compile(r"[,，;；、\s]+")
MAX_WINDOWS = 24
PRIORITY_LIMIT = 1000


def parse_windows(text: str) -> list[list[str]]:
    """'08:30-12:00, 22:00—02:00' -> [["08:30", "12:00"], ["22:00", "02:00"]]; empty: all day."""
    windows = []
    for part in WINDOW_SEPARATORS.split(RANGE.sub("-", text.strip())):
        if not part:
            continue
        try:
            start, end = (time_of_day(piece, "时段") for piece in part.split("-"))
        except ValueError:  # not two times of day (InputError is one)
            raise InputError(
                f"时段“{part[:40]}”要写成 08:30-12:00 这样（时:分-时:分）。", "windows"
            ) from None
        windows.append([start.strftime("%H:%M"), end.strftime("%H:%M")])
    if len(windows) > MAX_WINDOWS:
        raise InputError(f"一条排期最多 {MAX_WINDOWS} 个时段。", "windows")
    return windows


def create_schedule(session: Session, values: Mapping[str, Any], actor: str) -> Schedule:
    """A schedule from typed form data or JSON; weekdays are ISO (Monday = 1)."""
    playlist_id = optional_whole_number(
        values.get("playlist_id"), "播放列表", low=1, field="playlist_id"
    )
    if playlist_id is None or session.get(Playlist, playlist_id) is None:
        raise InputError("请选择播放列表。", "playlist_id")
    screen_id = optional_whole_number(values.get("screen_id"), "屏幕", low=1, field="screen_id")
    group_id = optional_whole_number(values.get("group_id"), "分组", low=1, field="group_id")
    if screen_id is not None and group_id is not None:
        raise InputError("一条排期只能给一块屏幕或一个分组，不能两个都选。", "group_id")
    if screen_id is not None and session.get(Screen, screen_id) is None:
        raise InputError(f"没有编号为 {screen_id} 的屏幕。", "screen_id")
    check_group(session, group_id)
    region = _county_region(values.get("region"), screen_id, group_id)
    weekdays = weekdays_text(values.get("weekdays") or "")
    starts_on = optional_date(values.get("starts_on"), "开始日期", "starts_on")
    ends_on = optional_date(values.get("ends_on"), "结束日期", "ends_on")
    if starts_on and ends_on and ends_on < starts_on:
        raise InputError("结束日期不能早于开始日期。", "ends_on")
    priority = optional_whole_number(
        values.get("priority"),
        "优先级",
        low=-PRIORITY_LIMIT,
        high=PRIORITY_LIMIT,
        field="priority",
    )
    schedule = Schedule(
        playlist_id=playlist_id,
        screen_id=screen_id,
        group_id=group_id,
        starts_on=starts_on,
        ends_on=ends_on,
        weekdays=weekdays,
        priority=priority or 0,
        windows=parse_windows(str(values.get("windows") or "")),
        region=region,
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
            "region": region,
            "weekdays": weekdays,
            "windows": schedule.windows,
            "priority": schedule.priority,
            "starts_on": starts_on.isoformat() if starts_on else None,
            "ends_on": ends_on.isoformat() if ends_on else None,
        },
    )
    return schedule


def _county_region(value: Any, screen_id: int | None, group_id: int | None) -> str | None:
    """At the centre: the region whose halls play it ("" every hall); None at a hall."""
    if value is None:
        return None
    if screen_id is not None or group_id is not None:
        raise InputError("县级排期下发给区域内的大厅，不能再指定屏幕或分组。", "region")
    text = str(value).strip()
    return normalise_path(text) if text else ""


def remove_schedule(session: Session, schedule: Schedule, actor: str) -> None:
    if schedule.county_ref is not None:
        raise InputError("这是县级排期，只能由县中心修改。")
    record_removal(
        session,
        actor,
        "signage.schedule.remove",
        f"schedule:{schedule.id}",
        {"playlist_id": schedule.playlist_id},
        schedule,
    )


def list_schedules(session: Session) -> list[Schedule]:
    return list(session.scalars(select(Schedule).order_by(Schedule.priority.desc(), Schedule.id)))


def slot_of(schedule: Schedule) -> Slot:
    """A stored schedule as the rule sees it."""
    specificity = 2 if schedule.screen_id else 1 if schedule.group_id else 0
    return Slot(
        playlist_id=schedule.playlist_id,
        priority=schedule.priority,
        starts_on=schedule.starts_on,
        ends_on=schedule.ends_on,
        weekdays=frozenset(int(day) for day in schedule.weekdays),
        windows=tuple((time.fromisoformat(a), time.fromisoformat(b)) for a, b in schedule.windows),
        specificity=specificity,
        schedule_id=schedule.id,
        county=schedule.county_ref is not None,
    )


def screen_slots(session: Session, screen: Screen) -> tuple[list[Slot], int | None]:
    """The schedules that reach this screen, and its default playlist (group's, else global)."""
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
    return [slot_of(s) for s in schedules], default


def playlist_for(session: Session, screen: Screen, now: datetime, tz: tzinfo) -> Playlist | None:
    """The playlist this screen plays at `now`, by the schedule rule."""
    slots, default = screen_slots(session, screen)
    chosen = what_plays_now(now, tz, slots, default)
    return session.get(Playlist, chosen) if chosen is not None else None
