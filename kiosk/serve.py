"""`kiosk serve`: waitress in front, background jobs beside it, clean stop on SIGTERM."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from waitress import create_server, wasyncore

from kiosk.jobs import exit_on_signals
from kiosk.public_address import phones_cannot_reach

log = logging.getLogger("kiosk.serve")


def serve_forever(app: Flask, host: str, port: int, threads: int) -> None:
    logging.getLogger().setLevel(app.config["KIOSK_LOG_LEVEL"].upper())
    server = create_server(app, host=host, port=port, threads=threads, ident="kiosk")
    jobs = app.extensions["kiosk_jobs"]

    exit_on_signals()  # waitress's loop catches SystemExit and shuts its threads down
    jobs.start()
    log.info("serving on http://%s:%s with %d threads", host, server.effective_port, threads)
    warn_if_phones_cannot_reach(app, host)
    try:
        server.run()
    finally:
        jobs.stop()
        server.close()
        for name in ("kiosk_db", "kiosk_read_db"):
            if name in app.extensions:
                app.extensions[name].dispose()
        log.info("stopped")


def warn_if_phones_cannot_reach(app: Flask, host: str) -> None:
    """The startup log says when the QR codes would point where no phone can go."""
    unreachable = phones_cannot_reach(app.config["KIOSK_PUBLIC_URL"], host)
    if unreachable:
        log.warning("%s", unreachable)


@contextmanager
def serve_in_thread(app: Flask, threads: int = 4, port: int = 0) -> Iterator[str]:
    """Serve `app` with waitress on 127.0.0.1 in a thread (tests, benchmarks); yields its URL."""
    server = create_server(app, host="127.0.0.1", port=port, threads=threads, ident="kiosk")
    thread = threading.Thread(target=server.run, name="waitress", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        # Workers first (they pull the trigger when a response is ready). Then, rather than
        # server.close() (the listening socket only), close every connection clients left
        # open too, inside the server's own loop so it is never mid-select; the loop ends.
        server.task_dispatcher.shutdown()
        server.trigger.pull_trigger(lambda: wasyncore.close_all(server._map, ignore_all=True))
        thread.join(5)
