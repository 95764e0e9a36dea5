import threading

from kiosk.jobs import BACKOFF_MAX_SECONDS, Job


def test_failures_back_off_exponentially_up_to_a_bound():
    job = Job("sync", lambda app: None, interval=10, jitter=0)
    assert job.next_wait() == 10
    job.failures = 1
    assert job.next_wait() == 20
    job.failures = 3
    assert job.next_wait() == 80
    job.failures = 30
    assert job.next_wait() == BACKOFF_MAX_SECONDS


def test_jitter_stays_within_its_fraction():
    job = Job("sync", lambda app: None, interval=100, jitter=0.1)
    waits = {job.next_wait() for _ in range(200)}
    assert all(90 <= wait <= 110 for wait in waits)
    assert len(waits) > 1


def test_runner_runs_jobs_survives_failures_and_stops(app):
    runner = app.extensions["kiosk_jobs"]
    ran = threading.Event()
    calls = []

    def flaky(_app):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("centre down")
        ran.set()

    runner.register("flaky", flaky, interval=0.01, jitter=0)
    runner.start()
    assert ran.wait(5)
    runner.stop()
    assert not any(
        thread.is_alive() for thread in threading.enumerate() if thread.name == "job-flaky"
    )


def test_runner_starts_only_the_jobs_named(app):
    runner = app.extensions["kiosk_jobs"]
    ran: dict[str, threading.Event] = {name: threading.Event() for name in ("wanted", "other")}
    for name, event in ran.items():
        runner.register(name, lambda _app, event=event: event.set(), interval=0.01, jitter=0)
    runner.start(["wanted"])
    try:
        assert ran["wanted"].wait(5)
    finally:
        runner.stop()
    assert not ran["other"].is_set()
