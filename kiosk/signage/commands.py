"""Remote commands for one screen (reload, test pattern, standby, resume) and its display
schedule (standby outside opening hours). The player fetches what waits with its poll and
acknowledges each command in its next heartbeat; the admin shows when it arrived."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, time, tzinfo
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.audit.services import record
from kiosk.db import utcnow
from kiosk.errors import InputError
from kiosk.signage.models import COMMANDS, Screen, ScreenCommand
from kiosk.signage.schedule_rule import Slot, is_active
from kiosk.signage.schedules import parse_windows
from kiosk.weekdays import EVERY_DAY, weekdays_text

RECENT = 10


def send_command(session: Session, screen: Screen, kind: str, actor: str) -> ScreenCommand:
    if kind not in COMMANDS:
        raise InputError(f"没有“{kind}”这个屏幕命令。", "kind")
    if screen.claimed_at is None:
        raise InputError("这块屏幕还没有配对，不能接收命令。")
    command = ScreenCommand(screen_id=screen.id, kind=kind, issued_by=actor)
    session.add(command)
    session.flush()
    record(session, actor, "signage.screen.command", f"screen:{screen.slug}", None, {"kind": kind})
    return command


def waiting_commands(session: Session, screen: Screen) -> list[dict[str, Any]]:
    """What the player has not acknowledged yet, oldest first."""
    query = (
        select(ScreenCommand)
        .where(ScreenCommand.screen_id == screen.id, ScreenCommand.acked_at.is_(None))
        .order_by(ScreenCommand.id)
    )
    return [{"id": command.id, "kind": command.kind} for command in session.scalars(query)]


def acknowledge(session: Session, screen: Screen, ids: Iterable[Any]) -> int:
    wanted = {i for i in ids if isinstance(i, int) and not isinstance(i, bool)}
    if not wanted:
        return 0
    query = select(ScreenCommand).where(
        ScreenCommand.screen_id == screen.id,
        ScreenCommand.id.in_(wanted),
        ScreenCommand.acked_at.is_(None),
    )
    done = list(session.scalars(query))
    for command in done:
        command.acked_at = utcnow()
    return len(done)


def manual_standby(session: Session, screen: Screen) -> bool:
    """Whether the admin's last standby or resume command for the screen was 待机."""
    last = session.scalar(
        select(ScreenCommand.kind)
        .where(
            ScreenCommand.screen_id == screen.id,
            ScreenCommand.kind.in_(("standby", "resume", "test_pattern")),
        )
        .order_by(ScreenCommand.id.desc())
        .limit(1)
    )
    return last == "standby"


def recent_commands(session: Session, screen: Screen) -> list[ScreenCommand]:
    query = (
        select(ScreenCommand)
        .where(ScreenCommand.screen_id == screen.id)
        .order_by(ScreenCommand.id.desc())
        .limit(RECENT)
    )
    return list(session.scalars(query))


def set_display_schedule(
    session: Session, screen: Screen, values: Mapping[str, Any], actor: str
) -> Screen:
    """Opening hours ('08:00-12:00, 14:00—18:00') and days; empty hours: always on."""
    before = {"hours": screen.opening_hours, "days": screen.opening_days}
    screen.opening_hours = parse_windows(str(values.get("hours") or ""))
    screen.opening_days = weekdays_text(values.get("days") or EVERY_DAY, "days")
    record(
        session,
        actor,
        "signage.screen.display",
        f"screen:{screen.slug}",
        before,
        {"hours": screen.opening_hours, "days": screen.opening_days},
    )
    return screen


def in_standby(screen: Screen, now: datetime, tz: tzinfo) -> bool:
    """Outside the screen's opening hours (the rule of schedules, applied to its display)."""
    if not screen.opening_hours:
        return False
    slot = Slot(
        playlist_id=0,
        weekdays=frozenset(int(day) for day in screen.opening_days),
        windows=tuple(
            (time.fromisoformat(a), time.fromisoformat(b)) for a, b in screen.opening_hours
        ),
    )
    return not is_active(slot, now.astimezone(tz).replace(tzinfo=None))
