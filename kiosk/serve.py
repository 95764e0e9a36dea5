"""`kiosk serve`: waitress in front, background jobs beside it, clean stop on SIGTERM."""

from __future__ import annotations

import logging
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from waitress import create_server

log = logging.getLogger("kiosk.serve")


def serve_forever(app: Flask, host: str, port: int, threads: int) -> None:
    logging.getLogger().setLevel(app.config["KIOSK_LOG_LEVEL"].upper())
    server = create_server(app, host=host, port=port, threads=threads, ident="kiosk")
    jobs = app.extensions["kiosk_jobs"]

    def terminate(signum, _frame):
        log.info("received %s, stopping", signal.Signals(signum).name)
        sys.exit(0)  # waitress's loop catches SystemExit and shuts its threads down

    signal.signal(signal.SIGTERM, terminate)
    signal.signal(signal.SIGINT, terminate)
    jobs.start()
    log.info("serving on http://%s:%s with %d threads", host, server.effective_port, threads)
    try:
        server.run()
    finally:
        jobs.stop()
        server.close()
        app.extensions["kiosk_db"].dispose()
        log.info("stopped")


@contextmanager
def serve_in_thread(app: Flask, threads: int = 4, port: int = 0) -> Iterator[str]:
    """Serve `app` with waitress on 127.0.0.1 in a thread (tests, benchmarks); yields its URL."""
    server = create_server(app, host="127.0.0.1", port=port, threads=threads, ident="kiosk")
    thread = threading.Thread(target=server.run, name="waitress", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        def stop() -> None:
            # Runs in waitress's loop: a browser's keep-alive connections would otherwise
            # keep the loop (and the old server) alive after the listener closes.
            for channel in list(server._map.values()):
                if channel is not server and channel is not server.trigger:
                    channel.close()
            server.close()

        server.trigger.pull_trigger(stop)
        thread.join(5)
        server.task_dispatcher.shutdown()
