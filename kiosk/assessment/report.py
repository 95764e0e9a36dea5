"""The assessment figures: per department and per domain, for a month or a quarter."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.answers.centre import QUESTION_KIND, asked_day
from kiosk.answers.models import Answer
from kiosk.applications.models import Application
from kiosk.catalog.elements import PUBLIC_STATUSES
from kiosk.catalog.models import Item
from kiosk.errors import InputError
from kiosk.holidays import Calendar
from kiosk.sync.models import ReceivedRecord

PERIOD = re.compile(r"(\d{4})-(?:(0[1-9]|1[0-2])|Q([1-4]))")
NO_ITEM = "（未关联事项）"


@dataclass(frozen=True)
class Period:
    label: str
    start: date  # first day
    end: date  # the day after the last

    def bounds(self, zone: ZoneInfo) -> tuple[datetime, datetime]:
        return (
            datetime.combine(self.start, time(), zone),
            datetime.combine(self.end, time(), zone),
        )


def parse_period(text: str) -> Period:
    """2026-11 (a month) or 2026-Q4 (a quarter)."""
    match = PERIOD.fullmatch(text.strip().upper())
    if match is None:
        raise InputError("统计期间要写成 2026-11（月）或 2026-Q4（季度）。", "period")
    year = int(match.group(1))
    if match.group(2):
        month, months, label = int(match.group(2)), 1, f"{year}年{int(match.group(2))}月"
    else:
        quarter = int(match.group(3))
        month, months, label = 3 * quarter - 2, 3, f"{year}年第{quarter}季度"
    after = month + months
    end = date(year + (after - 1) // 12, (after - 1) % 12 + 1, 1)
    return Period(label, date(year, month, 1), end)


@dataclass
class Figures:
    """One row of the report."""

    name: str
    items: int = 0
    views: int = 0
    ratings: Counter = field(default_factory=Counter)
    questions: int = 0
    answered: int = 0
    answered_in_time: int = 0
    applications: int = 0
    applications_in_time: int = 0

    @property
    def rated(self) -> int:
        return sum(self.ratings.values())

    @property
    def satisfaction(self) -> float | None:
        """满意 + 基本满意 as a share of all ratings."""
        return (
            (self.ratings["满意"] + self.ratings["基本满意"]) / self.rated if self.rated else None
        )

    @property
    def questions_in_time(self) -> float | None:
        return self.answered_in_time / self.questions if self.questions else None

    @property
    def applications_share(self) -> float | None:
        return self.applications_in_time / self.applications if self.applications else None


@dataclass
class Report:
    period: Period
    departments: list[Figures]
    domains: list[Figures]
    unfound: list[tuple[str, int]]  # words residents searched for that found nothing
    total: Figures


def assessment(
    session: Session, period: Period, zone: ZoneInfo, calendar: Calendar, answer_days: int
) -> Report:
    start, end = period.bounds(zone)
    items = {item.code: item for item in session.scalars(select(Item))}
    groups: dict[str, dict[str, Figures]] = {"department": {}, "domain": {}}
    total = Figures("合计")

    def rows_of(code: str) -> list[Figures]:
        item = items.get(code)
        keys = (
            (
                ("department", item.publisher or "（未填公开主体）"),
                ("domain", item.domain or "（未填业务领域）"),
            )
            if item
            else (("department", NO_ITEM), ("domain", NO_ITEM))
        )
        return [groups[kind].setdefault(name, Figures(name)) for kind, name in keys] + [total]

    for item in items.values():
        if item.status in PUBLIC_STATUSES:
            for row in rows_of(item.code):
                row.items += 1
    unfound: Counter = Counter()
    records = session.scalars(
        select(ReceivedRecord).where(
            ReceivedRecord.kind.in_(("usage.view", "usage.search", "usage.rating", QUESTION_KIND)),
            ReceivedRecord.created_at >= start,
            ReceivedRecord.created_at < end,
        )
    )
    answers = {answer.record_id: answer for answer in session.scalars(select(Answer))}
    for found in records:
        payload = found.payload
        if found.kind == "usage.search":
            if payload.get("hits") == 0 and payload.get("query"):
                unfound[str(payload["query"])] += 1
            continue
        for row in rows_of(str(payload.get("item_code") or "")):
            if found.kind == "usage.view":
                row.views += 1
            elif found.kind == "usage.rating":
                row.ratings[str(payload.get("value"))] += 1
            else:
                _question(row, answers.get(found.id), found, calendar, answer_days, zone)
    applications = session.scalars(
        select(Application).where(Application.submitted_at >= start, Application.submitted_at < end)
    )
    for application in applications:
        in_time = (
            application.answered_on is not None
            and application.due_on is not None
            and application.answered_on <= application.due_on
        )
        for row in rows_of(application.item_code):
            row.applications += 1
            row.applications_in_time += in_time
    return Report(
        period,
        sorted(groups["department"].values(), key=lambda row: row.name),
        sorted(groups["domain"].values(), key=lambda row: row.name),
        unfound.most_common(30),
        total,
    )


def _question(
    row: Figures,
    answer: Answer | None,
    record: ReceivedRecord,
    calendar: Calendar,
    answer_days: int,
    zone: ZoneInfo,
) -> None:
    row.questions += 1
    if answer is None or answer.state != "published" or answer.answered_at is None:
        return
    row.answered += 1
    due = calendar.add_working_days(asked_day(record, zone), answer_days)
    row.answered_in_time += answer.answered_at.astimezone(zone).date() <= due
