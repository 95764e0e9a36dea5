"""The scheduler with a controllable clock: once, late within grace, missed, retried."""

import threading
from datetime import timedelta

from sqlalchemy import select

from kiosk.broadcast.lease import start_playing
from kiosk.broadcast.models import BroadcastRun
from kiosk.broadcast.scheduler import RETRY_DELAYS, Scheduler
from kiosk.broadcast.services import queue_play_now
from kiosk.outbox.models import OutboxEntry
from tests.broadcast.conftest import EIGHT_LOCAL, RecordingSink, make_schedule_in


def _runs(app) -> list[BroadcastRun]:
    with app.extensions["kiosk_db"].session() as session:
        return list(session.scalars(select(BroadcastRun).order_by(BroadcastRun.id)))


def _outbox(app) -> list[dict]:
    with app.extensions["kiosk_db"].session() as session:
        return [
            entry.payload
            for entry in session.scalars(
                select(OutboxEntry).where(OutboxEntry.kind == "broadcast").order_by(OutboxEntry.id)
            )
        ]


def test_due_read_out_plays_once_and_is_logged(app, clock, make_schedule):
    make_schedule("08:00")
    sink = RecordingSink()
    scheduler = Scheduler(app, clock=clock, sink=sink)
    assert scheduler.tick() == []
    clock.set(EIGHT_LOCAL + timedelta(seconds=5))
    assert len(scheduler.tick()) == 1
    clock.advance(seconds=15)
    assert scheduler.tick() == []
    assert len(sink.played) == 1
    label, seconds = sink.played[0]
    assert label.startswith("20261201-0800-")
    assert seconds > 3  # chime and a spoken notice, not an empty file
    [run] = _runs(app)
    assert (run.status, run.trigger, run.attempts, run.sink) == (
        "played",
        "schedule",
        1,
        "test-sink",
    )
    assert run.due_at == EIGHT_LOCAL
    assert run.titles == "关于春季防火的通知"
    assert run.duration_seconds == round(seconds, 1)
    [sent] = _outbox(app)
    assert sent["status"] == "played" and sent["run"] == run.id


def test_two_schedulers_racing_play_each_moment_once(app_factory, clock, make_schedule, app):
    make_schedule("08:00,08:01,08:02")
    # A second process by mistake: another app over the same database file.
    other = app_factory(name="second", KIOSK_DATABASE_URL=app.config["KIOSK_DATABASE_URL"])
    sink = RecordingSink()
    schedulers = [
        Scheduler(app, clock=clock, sink=sink, name="first"),
        Scheduler(other, clock=clock, sink=sink, name="second"),
    ]
    for minute in range(3):
        clock.set(EIGHT_LOCAL + timedelta(minutes=minute, seconds=3))
        barrier = threading.Barrier(len(schedulers))
        taken: list[list[int]] = []

        def race(scheduler, barrier, taken):
            barrier.wait()
            taken.append(scheduler.tick())

        threads = [threading.Thread(target=race, args=(s, barrier, taken)) for s in schedulers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert sorted(len(ids) for ids in taken) == [0, 1]
    assert len(sink.played) == 3
    runs = _runs(app)
    assert [run.status for run in runs] == ["played"] * 3
    assert len({run.due_at for run in runs}) == 3


def test_restart_does_not_replay(app, clock, make_schedule):
    make_schedule("08:00")
    sink = RecordingSink()
    clock.set(EIGHT_LOCAL + timedelta(seconds=5))
    Scheduler(app, clock=clock, sink=sink).tick()
    clock.advance(minutes=2)
    restarted = Scheduler(app, clock=clock, sink=sink)
    assert restarted.tick() == []
    assert len(sink.played) == 1
    assert len(_runs(app)) == 1


def test_missed_within_grace_plays_late(app, clock, make_schedule):
    make_schedule("08:00")
    sink = RecordingSink()
    # The node was off at 08:00 and comes back at 08:07; grace is 10 minutes.
    clock.set(EIGHT_LOCAL + timedelta(minutes=7))
    assert len(Scheduler(app, clock=clock, sink=sink).tick()) == 1
    [run] = _runs(app)
    assert run.status == "played"
    assert run.due_at == EIGHT_LOCAL
    assert run.started_at == EIGHT_LOCAL + timedelta(minutes=7)


def test_missed_beyond_grace_is_logged_not_played(app_factory, clock):
    app = app_factory(KIOSK_BROADCAST_GRACE_MINUTES=5)
    make_schedule_in(app, "08:00")
    sink = RecordingSink()
    clock.set(EIGHT_LOCAL + timedelta(minutes=7))
    assert Scheduler(app, clock=clock, sink=sink).tick() == []
    assert sink.played == []
    [run] = _runs(app)
    assert run.status == "missed"
    assert "5分钟" in run.error
    [sent] = _outbox(app)
    assert sent["status"] == "missed"


def test_sink_failure_is_retried_then_recovers(app, clock, make_schedule):
    make_schedule("08:00")
    sink = RecordingSink(failures=1)
    scheduler = Scheduler(app, clock=clock, sink=sink)
    clock.set(EIGHT_LOCAL + timedelta(seconds=5))
    scheduler.tick()  # does not raise
    [run] = _runs(app)
    assert run.status == "retrying"
    assert "audio device busy" in run.error
    clock.advance(seconds=10)
    assert scheduler.tick() == []  # not yet: waits RETRY_DELAYS[0]
    clock.advance(seconds=RETRY_DELAYS[0].total_seconds())
    assert scheduler.tick() == [run.id]
    [run] = _runs(app)
    assert (run.status, run.attempts, run.error) == ("played", 2, "")
    assert [sent["status"] for sent in _outbox(app)] == ["retrying", "played"]
    assert len(sink.played) == 1


def test_sink_failing_every_time_ends_as_failed(app, clock, make_schedule):
    make_schedule("08:00")
    sink = RecordingSink(failures=100)
    scheduler = Scheduler(app, clock=clock, sink=sink)
    clock.set(EIGHT_LOCAL + timedelta(seconds=5))
    for _ in range(len(RETRY_DELAYS) + 3):
        scheduler.tick()
        clock.advance(minutes=3)
    [run] = _runs(app)
    assert run.status == "failed"
    assert run.attempts == len(RETRY_DELAYS) + 1
    assert sink.tries == len(RETRY_DELAYS) + 1


def test_unexpected_sink_error_does_not_stop_the_scheduler(app, clock, make_schedule):
    make_schedule("08:00")

    class Broken(RecordingSink):
        def play(self, wav, label):
            raise ZeroDivisionError("bug in a sink")

    scheduler = Scheduler(app, clock=clock, sink=Broken())
    clock.set(EIGHT_LOCAL + timedelta(seconds=5))
    scheduler.tick()
    [run] = _runs(app)
    assert run.status == "retrying"
    assert "ZeroDivisionError" in run.error


def test_play_now_is_played_on_the_next_round(app, clock, make_schedule):
    schedule_id = make_schedule("08:00", weekdays="7")  # Sundays only: not due today
    sink = RecordingSink()
    with app.extensions["kiosk_db"].session() as session:
        queue_play_now(session, schedule_id, "manager", now=clock())
    assert len(Scheduler(app, clock=clock, sink=sink).tick()) == 1
    [run] = _runs(app)
    assert (run.trigger, run.status) == ("manual", "played")
    assert len(sink.played) == 1


def test_weekdays_and_date_range_are_respected(app, clock, make_schedule):
    make_schedule("08:00", weekdays="67")  # 2026-12-01 is a Tuesday
    make_schedule("08:00", name="已结束", end_date=EIGHT_LOCAL.date() - timedelta(days=1))
    sink = RecordingSink()
    clock.set(EIGHT_LOCAL + timedelta(seconds=5))
    assert Scheduler(app, clock=clock, sink=sink).tick() == []
    assert _runs(app) == []


def test_a_run_whose_holder_died_before_playing_is_taken_over_within_grace(
    app, clock, make_schedule
):
    make_schedule("08:00")
    sink = RecordingSink()
    clock.set(EIGHT_LOCAL + timedelta(seconds=5))
    # The first process claims the read-out and dies before playing it.
    assert len(Scheduler(app, clock=clock, sink=sink, name="died")._claim_due(clock())) == 1
    clock.advance(seconds=30)
    assert Scheduler(app, clock=clock, sink=sink).tick() == []  # its lease still holds
    clock.advance(seconds=40)
    [run_id] = Scheduler(app, clock=clock, sink=sink, name="next").tick()
    assert len(sink.played) == 1
    [run] = _runs(app)
    assert (run.id, run.status, run.lease_until) == (run_id, "played", None)


def test_a_run_whose_holder_died_is_missed_past_grace_never_left_playing(app, clock, make_schedule):
    make_schedule("08:00")
    sink = RecordingSink()
    clock.set(EIGHT_LOCAL + timedelta(seconds=5))
    Scheduler(app, clock=clock, sink=sink, name="died")._claim_due(clock())
    clock.advance(minutes=11)
    assert Scheduler(app, clock=clock, sink=sink).tick() == []
    [run] = _runs(app)
    assert run.status == "missed"
    assert "died 领取后未能播放" in run.error
    assert _outbox(app)[-1]["status"] == "missed"


def test_run_of_a_process_that_died_mid_play_is_closed_not_replayed(app, clock, make_schedule):
    make_schedule("08:00")
    sink = RecordingSink()
    clock.set(EIGHT_LOCAL + timedelta(seconds=5))
    # The first process claims the read-out, starts playing 12 s of it and dies.
    [run_id] = Scheduler(app, clock=clock, sink=sink, name="died")._claim_due(clock())
    assert start_playing(app.extensions["kiosk_db"], run_id, "died", clock(), 12.0)
    clock.advance(seconds=70)
    assert Scheduler(app, clock=clock, sink=sink).tick() == []  # 12 s + a minute: still on
    clock.advance(seconds=5)
    assert Scheduler(app, clock=clock, sink=sink).tick() == []
    assert sink.played == []
    [run] = _runs(app)
    assert run.status == "interrupted"
    assert "died" in run.error
    assert _outbox(app)[-1]["status"] == "interrupted"


def test_two_schedulers_taking_over_one_expired_lease_play_it_once(
    app_factory, clock, make_schedule, app
):
    make_schedule("08:00")
    clock.set(EIGHT_LOCAL + timedelta(seconds=5))
    Scheduler(app, clock=clock, sink=RecordingSink(), name="died")._claim_due(clock())
    clock.advance(minutes=2)
    second = app_factory(name="second", KIOSK_DATABASE_URL=app.config["KIOSK_DATABASE_URL"])
    sinks = [RecordingSink(), RecordingSink()]
    schedulers = [
        Scheduler(app, clock=clock, sink=sinks[0], name="a"),
        Scheduler(second, clock=clock, sink=sinks[1], name="b"),
    ]
    start = threading.Barrier(2)

    def go(scheduler: Scheduler) -> None:
        start.wait()
        scheduler.tick()

    threads = [threading.Thread(target=go, args=(scheduler,)) for scheduler in schedulers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(len(sink.played) for sink in sinks) == 1
    assert [run.status for run in _runs(app)] == ["played"]
