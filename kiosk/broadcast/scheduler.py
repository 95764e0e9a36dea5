"""The broadcast scheduler: each due read-out exactly once, however many schedulers run.

Every round: (1) for each due moment of each active schedule, insert its BroadcastRun row;
the unique (schedule_id, due_at) constraint lets exactly one scheduler (thread or process)
win, and after a restart the row shows the moment was already handled. A moment found
within the grace period plays late; an older one is logged as missed. (2) Queued "play now"
runs and runs waiting for a retry are taken with a compare-and-set update, so again only
one scheduler plays them. (3) Runs whose holder died (kiosk.broadcast.lease: its lease ran
out) are taken over within the grace period, or logged as missed or interrupted. (4) Each
run taken is played, once its holder has set it "playing" under its lease; a failing sink
is retried a few times, then reported as failed. Every outcome goes to the outbox. Nothing
escapes a round.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

from flask import Flask
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from kiosk.broadcast.lease import LEASE_MARGIN, start_playing, take_over_expired
from kiosk.broadcast.models import BroadcastRun, BroadcastSchedule
from kiosk.broadcast.services import (
    broadcast_audio,
    notices_by_id,
    occurrences,
    run_payload,
)
from kiosk.broadcast.sinks import Sink, SinkError, sink_from_settings
from kiosk.db import utcnow
from kiosk.errors import InputError
from kiosk.outbox.services import enqueue
from kiosk.settings import hall_zone
from kiosk.speech.engine import SpeechError, wav_duration

log = logging.getLogger("kiosk.broadcast")

SCHEDULER_INTERVAL_SECONDS = 15.0
# Moments older than this are not looked at: a node off for a week logs one day of misses.
LOOKBACK = timedelta(hours=24)
# Waits before the 2nd, 3rd and 4th try of a failing sink; then the run has failed.
RETRY_DELAYS = (timedelta(seconds=30), timedelta(minutes=1), timedelta(minutes=2))


class Scheduler:
    def __init__(
        self,
        app: Flask,
        clock: Callable[[], datetime] = utcnow,
        sink: Sink | None = None,
        name: str | None = None,
    ) -> None:
        self.app = app
        self.database = app.extensions["kiosk_db"]
        self.clock = clock
        self.sink = sink or sink_from_settings(app)
        self.zone = hall_zone(app.config)
        self.grace = timedelta(minutes=app.config["KIOSK_BROADCAST_GRACE_MINUTES"])
        self.name = name or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"

    def tick(self) -> list[int]:
        """One round; returns the ids of the runs this scheduler played or tried."""
        now = self.clock()
        taken = (
            self._claim_due(now)
            + self._take_waiting(now)
            + take_over_expired(self.database, self.name, now, self.grace)
        )
        for run_id in taken:
            try:
                self._perform(run_id)
            except Exception:  # one bad run must not stop the others or the loop
                log.exception("broadcast run %s failed unexpectedly", run_id)
        return taken

    # Claiming ---------------------------------------------------------------------------
    def _claim_due(self, now: datetime) -> list[int]:
        with self.database.session() as session:
            schedules = list(
                session.scalars(select(BroadcastSchedule).where(BroadcastSchedule.active.is_(True)))
            )
            due: list[tuple[BroadcastSchedule, datetime]] = []
            for schedule in schedules:
                after = max(schedule.updated_at, now - LOOKBACK)
                known = set(
                    session.scalars(
                        select(BroadcastRun.due_at).where(
                            BroadcastRun.schedule_id == schedule.id, BroadcastRun.due_at > after
                        )
                    )
                )
                due += [
                    (schedule, moment)
                    for moment in occurrences(schedule, self.zone, after, now)
                    if moment not in known
                ]
            session.expunge_all()
        claimed: list[int] = []
        for schedule, moment in sorted(due, key=lambda pair: pair[1]):
            run_id = self._claim(schedule, moment, now)
            if run_id is not None:
                claimed.append(run_id)
        return claimed

    def _claim(self, schedule: BroadcastSchedule, moment: datetime, now: datetime) -> int | None:
        late = now - moment > self.grace
        run = BroadcastRun(
            schedule_id=schedule.id,
            schedule_name=schedule.name,
            notice_ids=list(schedule.notice_ids),
            trigger="schedule",
            due_at=moment,
            status="missed" if late else "claimed",
            claimed_by=self.name,
            lease_until=None if late else now + LEASE_MARGIN,
        )
        if late:
            run.finished_at = now
            run.error = (
                f"节点在预定时间未运行，超过{int(self.grace.total_seconds() // 60)}"
                "分钟宽限期，未补播"
            )
        try:
            with self.database.session() as session:
                session.add(run)
                session.flush()
                if late:
                    enqueue(session, "broadcast", run_payload(run))
        except IntegrityError:
            return None  # another scheduler has this moment
        if late:
            log.warning(
                "broadcast %s due %s missed (node was not running)",
                schedule.name,
                moment.isoformat(),
            )
            return None
        return run.id

    def _take_waiting(self, now: datetime) -> list[int]:
        with self.database.session() as session:
            waiting = list(
                session.scalars(
                    select(BroadcastRun.id)
                    .where(
                        (BroadcastRun.status == "queued")
                        | (
                            (BroadcastRun.status == "retrying")
                            & (BroadcastRun.next_attempt_at <= now)
                        )
                    )
                    .order_by(BroadcastRun.due_at)
                )
            )
        taken: list[int] = []
        for run_id in waiting:
            with self.database.session() as session:
                changed = session.execute(
                    update(BroadcastRun)
                    .where(
                        BroadcastRun.id == run_id, BroadcastRun.status.in_(("queued", "retrying"))
                    )
                    .values(status="claimed", claimed_by=self.name, lease_until=now + LEASE_MARGIN)
                ).rowcount
            if changed == 1:
                taken.append(run_id)
        return taken

    # Playing ----------------------------------------------------------------------------
    def _perform(self, run_id: int) -> None:
        with self.database.session() as session:
            run = session.get(BroadcastRun, run_id)
            notices = notices_by_id(session, run.notice_ids)
            titles = "；".join(notice.title for notice in notices)
            schedule = (
                session.get(BroadcastSchedule, run.schedule_id)
                if run.schedule_id is not None
                else None
            )
            repeats, with_chime, volume = (
                (schedule.repeats, schedule.chime, schedule.volume)
                if schedule is not None
                else (1, True, 80)
            )
            due = run.due_at
        started = self.clock()
        error = ""
        duration: float | None = None
        try:
            wav = broadcast_audio(self.app, notices, repeats, with_chime, volume)
            seconds = wav_duration(wav)
            if not start_playing(self.database, run_id, self.name, self.clock(), seconds):
                log.warning("broadcast run %s was taken over meanwhile: not played here", run_id)
                return
            label = f"{due.astimezone(self.zone):%Y%m%d-%H%M}-{run_id}"
            self.sink.play(wav, label)
            duration = round(seconds, 1)
        except (SinkError, SpeechError, InputError, OSError) as failure:
            error = str(failure)
        except Exception as failure:  # a broken sink is reported and retried like any other
            log.exception("broadcast run %s: unexpected error", run_id)
            error = f"{failure.__class__.__name__}: {failure}"
        self._finish(run_id, titles, started, duration, error)

    def _finish(
        self, run_id: int, titles: str, started: datetime, duration: float | None, error: str
    ) -> None:
        now = self.clock()
        with self.database.session() as session:
            run = session.get(BroadcastRun, run_id)
            run.titles = titles
            run.sink = self.sink.name
            run.attempts += 1
            run.started_at = started
            run.finished_at = now
            run.error = error
            run.lease_until = None
            if not error:
                run.status = "played"
                run.duration_seconds = duration
                run.next_attempt_at = None
            elif run.attempts <= len(RETRY_DELAYS):
                run.status = "retrying"
                run.next_attempt_at = now + RETRY_DELAYS[run.attempts - 1]
            else:
                run.status = "failed"
                run.next_attempt_at = None
            enqueue(session, "broadcast", run_payload(run))
            status, attempts = run.status, run.attempts
        if error:
            log.error(
                "broadcast run %s (%s) attempt %d: %s; now %s",
                run_id,
                titles[:40],
                attempts,
                error,
                status,
            )
        else:
            log.info(
                "broadcast run %s played on %s (%.1f s)", run_id, self.sink.name, duration or 0.0
            )


def scheduler_of(app: Flask) -> Scheduler:
    if "kiosk_broadcast" not in app.extensions:
        app.extensions["kiosk_broadcast"] = Scheduler(app)
    return app.extensions["kiosk_broadcast"]


def run_scheduler(app: Flask) -> None:
    """The `kiosk serve` job: one round."""
    scheduler_of(app).tick()
