from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.broadcast.services import create_schedule
from kiosk.broadcast.sinks import SinkError
from kiosk.notices.models import Notice

# 2026-12-01 is a Tuesday; 08:00 in Asia/Shanghai is 00:00 UTC.
EIGHT_LOCAL = datetime(2026, 12, 1, 0, 0, tzinfo=UTC)


class Clock:
    """The scheduler's clock, moved by the test."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def set(self, now: datetime) -> None:
        self.now = now

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)


class RecordingSink:
    """Keeps what it was given; fails the first `failures` times, as a cable pulled out."""

    name = "test-sink"

    def __init__(self, failures: int = 0) -> None:
        self.failures = failures
        self.played: list[tuple[str, float]] = []
        self.tries = 0

    def play(self, wav: Path, label: str) -> None:
        from kiosk.speech.engine import wav_duration

        self.tries += 1
        if self.tries <= self.failures:
            raise SinkError("aplay: audio device busy")
        self.played.append((label, wav_duration(wav)))


@pytest.fixture
def clock() -> Clock:
    return Clock(EIGHT_LOCAL - timedelta(minutes=5))


def add_notice(app) -> int:
    with app.extensions["kiosk_db"].session() as session:
        notice = Notice(
            title="关于春季防火的通知",
            body="请各户清理房前屋后的柴草，上山不带火种。咨询电话：0931-6123456。",
            region="示范县",
            publisher="示范县应急管理局",
        )
        session.add(notice)
        session.flush()
        return notice.id


def make_schedule_in(app, times: str = "08:00", **values) -> int:
    fields = {
        "name": "防火广播",
        "weekdays": "1234567",
        "times": times,
        "start_date": date(2026, 11, 1),
        "repeats": 1,
        "chime": True,
        "volume": 80,
    }
    fields.update(values)
    if "notice_ids" not in fields:
        fields["notice_ids"] = [add_notice(app)]
    with app.extensions["kiosk_db"].session() as session:
        schedule = create_schedule(session, fields, actor="test")
        # Made well before the first due moment the tests look at.
        schedule.updated_at = EIGHT_LOCAL - timedelta(hours=2)
        return schedule.id


@pytest.fixture
def make_schedule(app):
    def make(times: str = "08:00", **values) -> int:
        return make_schedule_in(app, times, **values)

    return make
