"""The rule for "what plays now" on a screen: one pure function, no database, no clock.

Schedules are written in the node's wall-clock time (dates, weekdays, HH:MM windows).
`now` is an aware instant; it is turned into wall-clock time in `tz`, so daylight-saving
changes of the node's zone follow the wall clock: a window inside a skipped hour is
shortened, a window inside a repeated hour plays both times.

When schedules overlap (OVERLAP_RULE, shown in the admin): a county schedule beats every
hall schedule; among the same kind the higher priority wins, then the more specific
target (one screen > one group > every screen), then the newer schedule.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

ALL_WEEKDAYS = frozenset(range(1, 8))
OVERLAP_RULE = (
    "排期重叠时：县级排期优先于本厅的排期；同为县级或同为本厅时，优先级大的优先；"
    "再相同时，给单块屏幕的优先于给分组的，给分组的优先于给全部屏幕的；仍相同时，新建的优先。"
    "没有任何排期生效时，播放分组的默认列表，没有则播放全局默认列表。"
)  # ISO: Monday = 1 … Sunday = 7, as date.isoweekday()


@dataclass(frozen=True)
class Slot:
    """One schedule as the rule sees it."""

    playlist_id: int
    priority: int = 0
    starts_on: date | None = None
    ends_on: date | None = None  # inclusive
    weekdays: frozenset[int] = ALL_WEEKDAYS
    # (start, end) wall-clock windows; end <= start spans midnight into the next day and
    # belongs to the day it starts on; start == end is a whole 24 hours. Empty: all day.
    windows: tuple[tuple[time, time], ...] = ()
    # Screen-specific beats group-wide beats everyone at equal priority.
    specificity: int = 0
    schedule_id: int = 0  # newest wins a remaining tie
    county: bool = False  # a county schedule (from the centre) beats every hall schedule


def _day_applies(slot: Slot, day: date) -> bool:
    if slot.starts_on is not None and day < slot.starts_on:
        return False
    if slot.ends_on is not None and day > slot.ends_on:
        return False
    return day.isoweekday() in slot.weekdays


def is_active(slot: Slot, local: datetime) -> bool:
    """Whether `slot` covers the naive wall-clock time `local`."""
    today = local.date()
    clock = local.time()
    if not slot.windows:
        return _day_applies(slot, today)
    yesterday = today - timedelta(days=1)
    for start, end in slot.windows:
        if start < end:
            if start <= clock < end and _day_applies(slot, today):
                return True
            continue
        # Spans midnight (or is a whole day from `start`): tonight's part, then the
        # morning part that belongs to yesterday's window.
        if clock >= start and _day_applies(slot, today):
            return True
        if clock < end and _day_applies(slot, yesterday):
            return True
    return False


def what_plays_now(
    now: datetime, tz: tzinfo, slots: Iterable[Slot], default: int | None
) -> int | None:
    """The playlist id to play at instant `now`: the best active slot, else `default`."""
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    local = now.astimezone(tz).replace(tzinfo=None)
    active = [slot for slot in slots if is_active(slot, local)]
    if not active:
        return default
    best = max(
        active, key=lambda slot: (slot.county, slot.priority, slot.specificity, slot.schedule_id)
    )
    return best.playlist_id
