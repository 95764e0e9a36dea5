"""The admin's first page: is this hall working? Catalog, sync, screens, broadcast, residents."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from kiosk.broadcast.models import BroadcastRun
from kiosk.broadcast.services import STATUS_LABELS, recent_runs
from kiosk.catalog.services import visible_items
from kiosk.db import utcnow
from kiosk.notices.services import current_notices_query
from kiosk.signage.screens import is_online, list_screens
from kiosk.sync.hall.status import sync_status
from kiosk.usage.models import UsageEvent

WEEK = timedelta(days=7)


@dataclass
class Overview:
    items_shown: int
    notices_current: int
    screens_online: int
    screens_total: int
    offline_screens: list[str]
    sync_lines: list[str]
    recent_broadcasts: list[BroadcastRun] = field(default_factory=list)
    failed_broadcasts_week: int = 0
    searches_week: int = 0
    unfound_week: int = 0
    questions_overdue: int | None = None  # centre: questions older than KIOSK_ANSWER_DAYS
    status_labels: dict[str, str] = field(default_factory=lambda: STATUS_LABELS)


def _count(session: Session, query: Select[Any]) -> int:
    return session.scalar(select(func.count()).select_from(query.subquery())) or 0


def overview(session: Session, region: str, syncing: bool, zone: ZoneInfo) -> Overview:
    """`syncing`: a hall that pulls from a centre (shows its sync status, times in `zone`)."""
    since = utcnow() - WEEK
    screens = [screen for screen in list_screens(session) if screen.claimed_at is not None]
    offline = [screen.name for screen in screens if not is_online(screen)]
    searches = select(UsageEvent).where(UsageEvent.kind == "search", UsageEvent.at >= since)
    return Overview(
        items_shown=_count(session, visible_items(region)),
        notices_current=_count(session, current_notices_query(region)),
        screens_online=len(screens) - len(offline),
        screens_total=len(screens),
        offline_screens=offline,
        sync_lines=sync_status(session).lines(zone) if syncing else [],
        recent_broadcasts=recent_runs(session, limit=5),
        failed_broadcasts_week=_count(
            session,
            select(BroadcastRun).where(
                BroadcastRun.status.in_(("failed", "missed")), BroadcastRun.due_at >= since
            ),
        ),
        searches_week=_count(session, searches),
        unfound_week=_count(session, searches.where(UsageEvent.hits == 0)),
    )
