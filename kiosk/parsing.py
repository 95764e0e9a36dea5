"""One way to read a number, a date, a time of day or a piece of text from what a person
typed or a client sent, with a Chinese message naming what was wrong.

Numbers are written with ASCII digits; full-width digits (１２, what a Chinese input method
types) are read as the same digits. Other digits (², ①, ١٢) are not numbers here, and a
number is never longer than 18 digits, so it always fits the database's 64-bit integers.
"""

from __future__ import annotations

import math
import re
from datetime import date, time
from typing import Any

from kiosk.errors import InputError

FULL_WIDTH = str.maketrans("０１２３４５６７８９－．：", "0123456789-.:")
WHOLE = re.compile(r"-?[0-9]{1,18}")
ID = re.compile(r"[0-9]{1,18}")
DECIMAL = re.compile(r"-?[0-9]{1,12}(\.[0-9]{1,6})?")
DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
CLOCK = re.compile(r"([0-9]{1,2}):([0-9]{2})")
LARGEST = 2**63 - 1


def _typed(value: Any) -> str:
    return str(value).strip().translate(FULL_WIDTH)


def whole_number(
    value: Any,
    what: str,
    *,
    low: int = -LARGEST,
    high: int = LARGEST,
    field: str | None = None,
    typed: bool = True,
) -> int:
    """`value` as an int from `low` to `high`; `what` names it in the message (中文).
    `typed=False` for what a program sent (query parameters, JSON): ASCII digits only."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise InputError(f"{what}要填写整数。", field)
    if isinstance(value, str):
        text = _typed(value) if typed else value
        if not WHOLE.fullmatch(text):
            raise InputError(f"{what}要填写整数（如 10），不能是“{value[:40]}”。", field)
        value = int(text)
    if not low <= value <= high:
        raise InputError(f"{what}要在 {low} 到 {high} 之间。", field)
    return value


def database_id(text: str) -> int | None:
    """`text` as a row id if it is one (ASCII digits that fit 64 bits, as `<id:…>` takes)."""
    return int(text) if ID.fullmatch(text) else None


def optional_whole_number(value: Any, what: str, **limits: Any) -> int | None:
    """None for an empty value, else as `whole_number` (same keyword arguments)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return whole_number(value, what, **limits)


def decimal_number(
    value: Any, what: str, *, low: float, high: float, field: str | None = None
) -> float:
    """`value` as a finite float from `low` to `high` (seconds, sizes)."""
    if isinstance(value, bool):
        raise InputError(f"{what}要填写数字。", field)
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = _typed(value if value is not None else "")
        if not DECIMAL.fullmatch(text):
            shown = str(value)[:40]
            raise InputError(f"{what}要填写阿拉伯数字（如 10 或 7.5），不能是“{shown}”。", field)
        number = float(text)
    if not math.isfinite(number) or not low <= number <= high:
        raise InputError(f"{what}要在 {low:g} 到 {high:g} 之间。", field)
    return number


def optional_date(value: Any, what: str, field: str | None = None) -> date | None:
    """A date written 2026-12-01 (or already a date); None when empty."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    match = DATE.fullmatch(_typed(value))
    try:
        if match is None:
            raise ValueError
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        shown = str(value)[:40]
        raise InputError(f"{what}要写成 2026-12-01 这样的日期，不能是“{shown}”。", field) from None


def time_of_day(value: Any, what: str, field: str | None = None) -> time:
    """A wall-clock time written 8:30 or 08:30 (a full-width ８：３０ too)."""
    match = CLOCK.fullmatch(_typed(value if value is not None else ""))
    if match is None or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        shown = str(value)[:40]
        raise InputError(f"{what}要写成 时:分，如 08:30，不能是“{shown}”。", field)
    return time(int(match.group(1)), int(match.group(2)))


def required_text(value: Any, what: str, limit: int, field: str | None = None) -> str:
    """Text that must not be empty, at most `limit` characters, without control characters."""
    text = str(value or "").strip()
    if not text:
        raise InputError(f"请填写{what}。", field)
    if len(text) > limit:
        raise InputError(f"{what}最多 {limit} 个字。", field)
    if not text.isprintable():
        raise InputError(f"{what}里有不能显示的控制字符。", field)
    return text
