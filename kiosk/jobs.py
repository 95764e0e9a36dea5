"""Background jobs of `kiosk serve` (catalog sync, broadcast scheduler, outbox...).

Features register a job with the app's JobRunner; `kiosk serve` starts them all in
threads and stops them together on SIGTERM. A job returns normally after one round;
a failure is logged and retried with exponential back-off, never ending the loop.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

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
    ) -> Job:
        if name in self.jobs:
            raise ValueError(f"job {name!r} is registered twice")
        job = Job(name, run, interval, jitter, on_stop)
        self.jobs[name] = job
        return job

    def start(self) -> None:
        self.stopping.clear()
        for job in self.jobs.values():
            thread = threading.Thread(
                target=self._loop, args=(job,), name=f"job-{job.name}", daemon=True
            )
            thread.start()
            self.threads.append(thread)
        log.info("started jobs: %s", ", ".join(self.jobs) or "none")

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

    def run_once(self, name: str) -> None:
        """Run one round in the caller's thread (tests, `--once` commands)."""
        self.jobs[name].run(self.app)

    def _loop(self, job: Job) -> None:
        while not self.stopping.is_set():
            try:
                job.run(self.app)
                job.failures = 0
            except Exception:
                job.failures += 1
                log.exception("job %s failed (%d in a row)", job.name, job.failures)
            if self.stopping.wait(job.next_wait()):
                break
