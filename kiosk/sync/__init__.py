"""Catalog sync: the centre's change feed and node tokens, the hall's pull and outbox push."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the background job of this node's role."""
    jobs = app.extensions["kiosk_jobs"]
    if app.config["KIOSK_ROLE"] == "central":
        from kiosk.sync.changes import purge_job
        from kiosk.sync.local import file_job

        jobs.register("tombstone-purge", purge_job, 6 * 3600)
        jobs.register("public-site-records", file_job, 60)
    elif app.config["KIOSK_CENTRAL_URL"]:
        from kiosk.sync.hall.errors import SyncError
        from kiosk.sync.hall.rounds import JOB, sync_job

        jobs.register(JOB, sync_job, app.config["KIOSK_SYNC_INTERVAL"], expected=(SyncError,))
