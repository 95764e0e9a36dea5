"""Weekdays, numbered one way in the whole project: ISO 8601, Monday = 1 … Sunday = 7, as
`date.isoweekday()`. Schedules (signage and broadcast) store the chosen days as a string of
those digits: "12345" is Monday to Friday."""

from __future__ import annotations

from collections.abc import Iterable

from kiosk.errors import InputError
from kiosk.parsing import whole_number

WEEKDAY_LABELS = {1: "周一", 2: "周二", 3: "周三", 4: "周四", 5: "周五", 6: "周六", 7: "周日"}
EVERY_DAY = "1234567"


def weekdays_text(days: str | Iterable[int | str], field: str | None = "weekdays") -> str:
    """The chosen days as sorted ISO digits ("135"); refuses none, and days outside 1-7."""
    chosen = {whole_number(day, "星期", low=1, high=7, field=field) for day in days}
    if not chosen:
        raise InputError("请至少选择一天（周一至周日）。", field)
    return "".join(str(day) for day in sorted(chosen))


def weekday_names(days: str) -> str:
    """ "135" → "周一、周三、周五"; every day → "每天"."""
    if days == EVERY_DAY:
        return "每天"
    return "、".join(WEEKDAY_LABELS[int(day)] for day in days)
