"""A scheduler process killed with SIGKILL between claiming a read-out and playing it: the
next scheduler round plays it late within the grace period, or logs it missed; it is
never left "playing"."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from kiosk.broadcast.models import BroadcastRun
from kiosk.broadcast.scheduler import Scheduler
from kiosk.db import utcnow
from kiosk.notices.models import Notice
from kiosk.settings import hall_zone
from tests.broadcast.conftest import RecordingSink, make_schedule_in

ONE_ROUND = "from kiosk.app import create_app; from kiosk.broadcast.scheduler import Scheduler; "
ONE_ROUND += "Scheduler(create_app(), name='killed').tick()"


def _runs(app) -> list[BroadcastRun]:
    with app.extensions["kiosk_db"].session() as session:
        return list(session.scalars(select(BroadcastRun)))


def _killed_after_claiming(app) -> BroadcastRun:
    """Due this minute: a real scheduler process claims it and is killed while it makes
    the (long) audio."""
    with app.extensions["kiosk_db"].session() as session:
        notice = Notice(
            title="关于秋冬季防火的通知",
            body="请各户清理房前屋后的柴草，上山不带火种，发现火情立即拨打119。" * 30,
            region="示范县",
            publisher="示范县应急管理局",
        )
        session.add(notice)
        session.flush()
        notice_id = notice.id
    now = utcnow().astimezone(hall_zone(app.config))
    make_schedule_in(app, f"{now:%H:%M}", notice_ids=[notice_id], start_date=now.date())
    env = {name: value for name, value in os.environ.items() if not name.startswith("KIOSK_")}
    env["KIOSK_INSTANCE_PATH"] = app.instance_path
    process = subprocess.Popen([sys.executable, "-c", ONE_ROUND], env=env)
    try:
        deadline = time.monotonic() + 120
        while not _runs(app) and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.01)
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait()
    [run] = _runs(app)
    assert (run.status, run.claimed_by, run.started_at) == ("claimed", "killed", None)
    return run


@pytest.mark.parametrize(("later", "outcome"), [(2, "played"), (11, "missed")])
def test_a_read_out_claimed_by_a_killed_process_is_played_late_or_missed(app, later, outcome):
    run = _killed_after_claiming(app)
    sink = RecordingSink()
    at = run.created_at + timedelta(minutes=later)
    Scheduler(app, clock=lambda: at, sink=sink, name="next").tick()
    [after] = _runs(app)
    assert after.status == outcome
    assert len(sink.played) == (outcome == "played")
    assert after.lease_until is None
