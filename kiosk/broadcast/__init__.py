"""Village broadcast: scheduled read-outs of notices over the loudspeaker, with a log."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Hall nodes run the scheduler inside `kiosk serve`; the centre broadcasts nothing."""
    if app.config["KIOSK_ROLE"] != "hall":
        return
    from kiosk.broadcast.scheduler import SCHEDULER_INTERVAL_SECONDS, run_scheduler
    from kiosk.broadcast.sinks import sink_from_settings

    # Bad settings stop the node at start with one line, not the scheduler every round.
    sink_from_settings(app)
    app.extensions["kiosk_jobs"].register(
        "broadcast", run_scheduler, SCHEDULER_INTERVAL_SECONDS, jitter=0.0
    )
