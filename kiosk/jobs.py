"""Background jobs of `kiosk serve` (catalog sync, broadcast scheduler, outbox...).

Features register a job with the app's JobRunner; `kiosk serve` starts them all in
threads and stops them together on SIGTERM. A job returns normally after one round;
a failure is logged and retried with exponential back-off, never ending the loop.
"""

from __future__ import annotations

import logging
import random
import signal
import sys
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from types import FrameType

from flask import Flask

log = logging.getLogger("kiosk.jobs")

# A failing job waits at most this long between tries, so it recovers within minutes.
BACKOFF_MAX_SECONDS = 600.0


@dataclass
class Job:
    name: str
    run: Callable[[Flask], None]
    interval: float
    jitter: float = 0.1  # fraction of the interval, so many nodes don't poll in step
    on_stop: Callable[[Flask], None] | None = None  # a last round when the node stops
    # Failures foreseen (a network outage): logged in one line, without a traceback.
    expected: tuple[type[Exception], ...] = ()
    failures: int = field(default=0, init=False)

    def next_wait(self) -> float:
        if self.failures:
            base = min(self.interval * 2**self.failures, BACKOFF_MAX_SECONDS)
            base = max(base, min(self.interval, BACKOFF_MAX_SECONDS))
        else:
            base = self.interval
        spread = base * self.jitter
        return max(0.0, base + random.uniform(-spread, spread))  # noqa: S311 - not secret


class JobRunner:
    def __init__(self, app: Flask) -> None:
        self.app = app
        self.jobs: dict[str, Job] = {}
        self.stopping = threading.Event()
        self.threads: list[threading.Thread] = []

    def register(
        self,
        name: str,
        run: Callable[[Flask], None],
        interval: float,
        jitter: float = 0.1,
        on_stop: Callable[[Flask], None] | None = None,
        expected: tuple[type[Exception], ...] = (),
    ) -> Job:
        if name in self.jobs:
            raise ValueError(f"job {name!r} is registered twice")
        job = Job(name, run, interval, jitter, on_stop=on_stop, expected=expected)
        self.jobs[name] = job
        return job

    def start(self, names: Iterable[str] | None = None) -> None:
        """Start the jobs named (every job by default), each in its own thread."""
        self.stopping.clear()
        chosen = list(self.jobs.values()) if names is None else [self.jobs[n] for n in names]
        for job in chosen:
            thread = threading.Thread(
                target=self._loop, args=(job,), name=f"job-{job.name}", daemon=True
            )
            thread.start()
            self.threads.append(thread)
        log.info("started jobs: %s", ", ".join(job.name for job in chosen) or "none")

    def stop(self, timeout: float = 10.0) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout)
        self.threads.clear()
        for job in self.jobs.values():
            if job.on_stop is not None:
                try:
                    job.on_stop(self.app)
                except Exception:
                    log.exception("job %s failed while stopping", job.name)
        log.info("stopped jobs")

    def run_until_signalled(self, names: Iterable[str]) -> None:
        """Run these jobs until SIGTERM or Ctrl-C, then stop them (`kiosk sync`)."""
        exit_on_signals()
        self.start(names)
        try:
            while True:
                signal.pause()
        finally:
            self.stop()

    def run_once(self, name: str) -> None:
        """Run one round in the caller's thread (tests, `--once` commands)."""
        self.jobs[name].run(self.app)

    def _loop(self, job: Job) -> None:
        while not self.stopping.is_set():
            try:
                job.run(self.app)
                job.failures = 0
            except job.expected as failure:
                job.failures += 1
                log.error("job %s failed (%d in a row): %s", job.name, job.failures, failure)
            except Exception:
                job.failures += 1
                log.exception("job %s failed (%d in a row)", job.name, job.failures)
            if self.stopping.wait(job.next_wait()):
                break


def exit_on_signals() -> None:
    """SIGTERM and Ctrl-C end the process through SystemExit in the main thread, so its
    `finally` blocks stop the jobs and close the server."""

    def terminate(signum: int, _frame: FrameType | None) -> None:
        log.info("received %s, stopping", signal.Signals(signum).name)
        sys.exit(0)

    signal.signal(signal.SIGTERM, terminate)
    signal.signal(signal.SIGINT, terminate)
