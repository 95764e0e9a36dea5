"""Broadcast schedules (what, when), the audio of a read-out, and its log."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.audit.services import record, record_removal
from kiosk.broadcast.models import BroadcastRun, BroadcastSchedule
from kiosk.db import utcnow
from kiosk.errors import InputError
from kiosk.notices.models import Notice
from kiosk.notices.services import current_notices
from kiosk.parsing import time_of_day, whole_number
from kiosk.speech.audio import chime, read_samples, scaled, silence, write_wav
from kiosk.speech.engine import wav_duration
from kiosk.speech.services import notice_text, speech_of
from kiosk.weekdays import WEEKDAY_LABELS, weekdays_text

MAX_REPEATS = 5
MAX_NOTICES = 20
STATUS_LABELS = {
    "queued": "排队中",
    "claimed": "准备中",
    "playing": "播放中",
    "played": "已播放",
    "retrying": "重试中",
    "failed": "失败",
    "missed": "错过",
    "interrupted": "中断",
}


# Schedules -----------------------------------------------------------------------------


def parse_times(raw: str) -> list[time]:
    """ "07:30, 18:00" → sorted distinct times; names the piece it cannot read."""
    found = {
        time_of_day(piece, "播放时间", "times")
        for piece in re.split(r"[,，、;；\s]+", raw.strip())
        if piece
    }
    if not found:
        raise InputError("请至少填写一个播放时间（例如 07:30）", "times")
    return sorted(found)


def schedule_times(schedule: BroadcastSchedule) -> list[time]:
    return parse_times(schedule.times)


def _clean(session: Session, values: Mapping[str, Any]) -> dict[str, Any]:
    name = str(values.get("name") or "").strip()
    if not name:
        raise InputError("请填写广播名称", "name")
    if len(name) > 200:
        raise InputError("广播名称不能超过200个字", "name")
    notice_ids = [int(value) for value in values.get("notice_ids") or []]
    if not notice_ids:
        raise InputError("请至少选择一条公告", "notice_ids")
    if len(notice_ids) > MAX_NOTICES:
        raise InputError(f"一次广播最多 {MAX_NOTICES} 条公告", "notice_ids")
    known = set(session.scalars(select(Notice.id).where(Notice.id.in_(notice_ids))))
    unknown = [str(notice) for notice in notice_ids if notice not in known]
    if unknown:
        raise InputError(f"没有这些公告：{', '.join(unknown)}", "notice_ids")
    weekdays = weekdays_text(values.get("weekdays") or [])
    times = parse_times(str(values.get("times") or ""))
    start = values.get("start_date")
    end = values.get("end_date")
    if not isinstance(start, date):
        raise InputError("请填写开始日期", "start_date")
    if end is not None and end < start:
        raise InputError("结束日期不能早于开始日期", "end_date")
    repeats = whole_number(
        values.get("repeats") or 1, "重复遍数", low=1, high=MAX_REPEATS, field="repeats"
    )
    volume = values.get("volume")
    volume = whole_number(
        80 if volume is None else volume, "音量", low=10, high=100, field="volume"
    )
    return {
        "name": name,
        "notice_ids": notice_ids,
        "weekdays": weekdays,
        "times": ",".join(moment.strftime("%H:%M") for moment in times),
        "start_date": start,
        "end_date": end,
        "repeats": repeats,
        "chime": bool(values.get("chime")),
        "volume": volume,
        "active": bool(values.get("active", True)),
    }


def schedule_values(schedule: BroadcastSchedule) -> dict[str, Any]:
    """For the audit log: JSON-friendly."""
    return {
        "name": schedule.name,
        "notice_ids": list(schedule.notice_ids),
        "weekdays": schedule.weekdays,
        "times": schedule.times,
        "start_date": schedule.start_date.isoformat(),
        "end_date": schedule.end_date.isoformat() if schedule.end_date else None,
        "repeats": schedule.repeats,
        "chime": schedule.chime,
        "volume": schedule.volume,
        "active": schedule.active,
    }


def create_schedule(session: Session, values: Mapping[str, Any], actor: str) -> BroadcastSchedule:
    schedule = BroadcastSchedule(**_clean(session, values), created_by=actor)
    session.add(schedule)
    session.flush()
    record(
        session,
        actor,
        "broadcast.create",
        f"broadcast:{schedule.id}",
        None,
        schedule_values(schedule),
    )
    return schedule


def update_schedule(
    session: Session, schedule_id: int, values: Mapping[str, Any], actor: str
) -> BroadcastSchedule:
    schedule = get_schedule(session, schedule_id)
    before = schedule_values(schedule)
    for name, value in _clean(session, values).items():
        setattr(schedule, name, value)
    # Times added today count from now: no "missed" entries for a time already past.
    schedule.updated_at = utcnow()
    session.flush()
    record(
        session,
        actor,
        "broadcast.update",
        f"broadcast:{schedule.id}",
        before,
        schedule_values(schedule),
    )
    return schedule


def delete_schedule(session: Session, schedule_id: int, actor: str) -> None:
    schedule = get_schedule(session, schedule_id)
    record_removal(
        session,
        actor,
        "broadcast.delete",
        f"broadcast:{schedule.id}",
        schedule_values(schedule),
        schedule,
    )


def get_schedule(session: Session, schedule_id: int) -> BroadcastSchedule:
    schedule = session.get(BroadcastSchedule, schedule_id)
    if schedule is None:
        raise InputError(f"没有编号为 {schedule_id} 的广播")
    return schedule


def list_schedules(session: Session) -> list[BroadcastSchedule]:
    return list(session.scalars(select(BroadcastSchedule).order_by(BroadcastSchedule.id)))


def occurrences(
    schedule: BroadcastSchedule, zone: ZoneInfo, after: datetime, until: datetime
) -> list[datetime]:
    """Due moments (UTC) of a schedule in (after, until]."""
    due: list[datetime] = []
    day = after.astimezone(zone).date()
    last = until.astimezone(zone).date()
    times = schedule_times(schedule)
    while day <= last:
        in_range = schedule.start_date <= day and (
            schedule.end_date is None or day <= schedule.end_date
        )
        if in_range and str(day.isoweekday()) in schedule.weekdays:
            for moment in times:
                at = datetime.combine(day, moment, tzinfo=zone).astimezone(after.tzinfo)
                if after < at <= until:
                    due.append(at)
        day += timedelta(days=1)
    return due


@dataclass(frozen=True)
class WeekSlot:
    time: str
    schedule: BroadcastSchedule


def week_view(schedules: Iterable[BroadcastSchedule]) -> list[tuple[str, list[WeekSlot]]]:
    """Monday to Sunday, each day's read-outs in time order (active schedules)."""
    days: dict[int, list[WeekSlot]] = {day: [] for day in WEEKDAY_LABELS}
    for schedule in schedules:
        if not schedule.active:
            continue
        for day in schedule.weekdays:
            for moment in schedule_times(schedule):
                days[int(day)].append(WeekSlot(moment.strftime("%H:%M"), schedule))
    return [
        (WEEKDAY_LABELS[day], sorted(slots, key=lambda slot: slot.time))
        for day, slots in days.items()
    ]


def notices_by_id(session: Session, ids: Iterable[int]) -> list[Notice]:
    """Notices in the given order; deleted ones are skipped."""
    ids = list(ids)
    found = {
        notice.id: notice for notice in session.scalars(select(Notice).where(Notice.id.in_(ids)))
    }
    return [found[notice_id] for notice_id in ids if notice_id in found]


def list_notices(session: Session) -> list[Notice]:
    """Notices a schedule may read out: the published, current ones."""
    return current_notices(session)


# Audio ---------------------------------------------------------------------------------


def broadcast_audio(
    app: Flask, notices: list[Notice], repeats: int, with_chime: bool, volume: int
) -> Path:
    """One WAV: chime, then the notices read `repeats` times, at `volume` percent."""
    if not notices:
        raise InputError("这次广播的公告都已删除，没有可播放的内容")
    speech = speech_of(app)
    parts = [speech.speak(notice_text(notice)) for notice in notices]
    identity = "|".join(
        [*(part.name for part in parts), str(repeats), str(with_chime), str(volume)]
    )
    key = hashlib.sha256(identity.encode()).hexdigest()[:32]
    target = speech.cache_dir / "broadcast" / f"{key}.wav"
    if target.exists():
        return target
    pieces = []
    if with_chime:
        pieces += [chime(), silence(0.8)]
    for repeat in range(repeats):
        if repeat:
            pieces.append(silence(2.0))
        for index, part in enumerate(parts):
            if index:
                pieces.append(silence(1.5))
            pieces.append(read_samples(part))
    write_wav(target, [scaled(piece, volume / 100) for piece in pieces])
    return target


def schedule_audio(app: Flask, session: Session, schedule_id: int, actor: str) -> Path:
    """'Download audio' of a schedule (for village WeChat groups); audited."""
    schedule = get_schedule(session, schedule_id)
    path = broadcast_audio(
        app,
        notices_by_id(session, schedule.notice_ids),
        schedule.repeats,
        schedule.chime,
        schedule.volume,
    )
    record(
        session,
        actor,
        "broadcast.download",
        f"broadcast:{schedule.id}",
        None,
        {"seconds": round(wav_duration(path), 1)},
    )
    return path


# Runs and the log ----------------------------------------------------------------------


def queue_play_now(
    session: Session, schedule_id: int, actor: str, now: datetime | None = None
) -> BroadcastRun:
    """'Play now': a manual run the scheduler picks up on its next round."""
    schedule = get_schedule(session, schedule_id)
    run = BroadcastRun(
        schedule_id=schedule.id,
        schedule_name=schedule.name,
        notice_ids=list(schedule.notice_ids),
        trigger="manual",
        due_at=now or utcnow(),
        status="queued",
        claimed_by=actor,
    )
    session.add(run)
    session.flush()
    record(session, actor, "broadcast.play_now", f"broadcast:{schedule.id}", None, {"run": run.id})
    return run


def recent_runs(session: Session, limit: int = 500) -> list[BroadcastRun]:
    query = select(BroadcastRun).order_by(BroadcastRun.due_at.desc(), BroadcastRun.id.desc())
    return list(session.scalars(query.limit(limit)))


def run_payload(run: BroadcastRun) -> dict[str, Any]:
    """A log entry as the outbox sends it upstream and the CSV shows it."""

    def stamp(moment: datetime | None) -> str | None:
        return moment.isoformat() if moment else None

    return {
        "run": run.id,
        "schedule": run.schedule_name,
        "notices": list(run.notice_ids),
        "titles": run.titles,
        "trigger": run.trigger,
        "due_at": stamp(run.due_at),
        "status": run.status,
        "sink": run.sink,
        "attempts": run.attempts,
        "started_at": stamp(run.started_at),
        "finished_at": stamp(run.finished_at),
        "duration_seconds": run.duration_seconds,
        "error": run.error,
    }


RUN_COLUMNS = (
    "编号",
    "广播名称",
    "公告标题",
    "方式",
    "预定时间",
    "结果",
    "输出",
    "尝试次数",
    "开始时间",
    "结束时间",
    "时长（秒）",
    "说明",
)
TRIGGER_LABELS = {"schedule": "定时", "manual": "立即播放"}
SHOWN_TIME = "%Y-%m-%d %H:%M:%S"


def run_rows(runs: Iterable[BroadcastRun], zone: tzinfo) -> list[list[object]]:
    """The broadcast log for staff, under RUN_COLUMNS, in the hall's local time."""

    def local(moment: datetime | None) -> str:
        return moment.astimezone(zone).strftime(SHOWN_TIME) if moment else ""

    return [
        [
            run.id,
            run.schedule_name,
            run.titles,
            TRIGGER_LABELS.get(run.trigger, run.trigger),
            local(run.due_at),
            STATUS_LABELS.get(run.status, run.status),
            run.sink,
            run.attempts,
            local(run.started_at),
            local(run.finished_at),
            f"{run.duration_seconds:.1f}" if run.duration_seconds is not None else "",
            run.error,
        ]
        for run in runs
    ]
