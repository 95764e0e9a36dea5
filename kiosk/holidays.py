"""Working days (工作日) by the county's holiday calendar: the statutory clocks of questions
(KIOSK_ANSWER_DAYS) and of information applications count them.

The calendar is a CSV file the county keeps current each year from the State Council's
notice: `日期,安排,说明`, one line a day, 安排 is 休 (a holiday on a weekday) or 班 (an
official 调休 working weekend). Days not listed are working days Monday to Friday. A county
admin replaces the file in the admin (工作日历); it is read again when it changes.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from kiosk.errors import InputError

DEFAULT_FILE = Path(__file__).parent / "data" / "holidays.csv"
KINDS = {"休": False, "班": True}
MAX_LINES = 2000


@dataclass(frozen=True)
class Calendar:
    """Which days are worked: weekdays, minus 休 days, plus 班 days."""

    special: dict[date, bool] = field(default_factory=dict)
    notes: dict[date, str] = field(default_factory=dict)

    def is_working(self, day: date) -> bool:
        return self.special.get(day, day.isoweekday() <= 5)

    def add_working_days(self, start: date, days: int) -> date:
        """The `days`-th working day after `start` (the day itself is not counted, as
        "收到申请之日起20个工作日内")."""
        day = start
        counted = 0
        while counted < days:
            day += timedelta(days=1)
            if self.is_working(day):
                counted += 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end` (0 when end <= start)."""
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            count += self.is_working(day)
        return count

    def years(self) -> list[int]:
        return sorted({day.year for day in self.special})


def parse_calendar(text: str) -> Calendar:
    """A calendar from the CSV text, or InputError naming the first bad line in Chinese."""
    special: dict[date, bool] = {}
    notes: dict[date, str] = {}
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    if len(rows) > MAX_LINES:
        raise InputError(f"工作日历最多 {MAX_LINES} 行。")
    for number, row in enumerate(rows, start=1):
        cells = [cell.strip() for cell in row]
        if not any(cells) or (number == 1 and cells[0] == "日期"):
            continue
        if len(cells) < 2:
            raise InputError(
                f"工作日历第 {number} 行应为“日期,安排,说明”，例如 2026-10-01,休,国庆节。"
            )
        try:
            day = date.fromisoformat(cells[0])
        except ValueError:
            raise InputError(
                f"工作日历第 {number} 行的日期“{cells[0]}”不对，应写成 2026-10-01 这样。"
            ) from None
        if cells[1] not in KINDS:
            raise InputError(f"工作日历第 {number} 行的安排只能填“休”或“班”，不是“{cells[1]}”。")
        if day in special:
            raise InputError(f"工作日历第 {number} 行：{day.isoformat()} 写了两次。")
        special[day] = KINDS[cells[1]]
        notes[day] = cells[2] if len(cells) > 2 else ""
    return Calendar(special, notes)


def county_file(config: Mapping[str, Any]) -> Path:
    """Where the county's own calendar is kept: KIOSK_HOLIDAYS_FILE, default holidays.csv
    in the instance folder."""
    chosen = config["KIOSK_HOLIDAYS_FILE"]
    return Path(chosen) if chosen else Path(config["KIOSK_INSTANCE_PATH"]) / "holidays.csv"


def calendar_path(config: Mapping[str, Any]) -> Path:
    """The county's file when it exists, else the calendar shipped with the software."""
    chosen = county_file(config)
    return chosen if chosen.is_file() else DEFAULT_FILE


_cache: dict[Path, tuple[float, Calendar]] = {}


def working_calendar(config: Mapping[str, Any]) -> Calendar:
    """The calendar in force, read again whenever its file changes."""
    path = calendar_path(config)
    stamp = path.stat().st_mtime
    held = _cache.get(path)
    if held is None or held[0] != stamp:
        held = (stamp, parse_calendar(path.read_text(encoding="utf-8-sig")))
        _cache[path] = held
    return held[1]


def replace_calendar(config: Mapping[str, Any], text: str) -> Calendar:
    """Check `text` and make it the county's calendar file; InputError if it is wrong."""
    calendar = parse_calendar(text)
    target = county_file(config)
    temporary = target.with_suffix(".tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(target)
    return calendar
