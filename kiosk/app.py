"""The application factory: settings, database, blueprints, security headers."""

from __future__ import annotations

import logging
import time
from typing import Any

from flask import Flask, Response, g, request
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from admin import init_app as init_admin
from kiosk import migrate, pages, web, writebehind
from kiosk.api import init_app as init_api
from kiosk.blobs import services as blobs
from kiosk.broadcast import init_app as init_broadcast
from kiosk.db import Database
from kiosk.errors import InputError
from kiosk.extensions import csrf
from kiosk.jobs import JobRunner
from kiosk.jsonio import StrictJSONProvider
from kiosk.settings import finish_settings, read_settings
from kiosk.signage import display as signage_display
from kiosk.signage import reports as signage_reports
from kiosk.signage import web_origins
from kiosk.sync import init_app as init_sync
from playlists import init_app as init_playlists
from screens import init_app as init_screens

request_log = logging.getLogger("kiosk.requests")

# Pages only load what the node serves: no third-party origin, no inline script.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; "
    "style-src 'self'; script-src 'self'; frame-ancestors 'self'; base-uri 'none'; "
    "form-action 'self'"
)


def create_app(overrides: dict[str, Any] | None = None, *, migrate_schema: bool = True) -> Flask:
    """Build the app from the environment; `overrides` replaces settings (tests)."""
    app = Flask(__name__)
    app.json = StrictJSONProvider(app)
    config = read_settings()
    config.update(overrides or {})
    finish_settings(config)
    app.config.update(config)
    app.config.update(
        SECRET_KEY=config["KIOSK_SECRET_KEY"],
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=bool(config["KIOSK_SESSION_SECURE"]),
        MAX_CONTENT_LENGTH=config.get("MAX_CONTENT_LENGTH", 64 * 1024 * 1024),
        WTF_I18N_ENABLED=False,  # kiosk.forms.Form picks WTForms' Chinese messages
    )
    app.instance_path = config["KIOSK_INSTANCE_PATH"]
    _register_request_hooks(app)  # first: its timing then covers the unit of work's commit

    database = open_database(config["KIOSK_DATABASE_URL"])
    if migrate_schema:
        try:
            migrate.upgrade(database.engine)
        except SQLAlchemyError as error:
            database.dispose()
            reason = str(getattr(error, "orig", error)).strip().splitlines()[0]
            raise InputError(f"cannot use database {database.engine.url!r}: {reason}") from None
    app.extensions["kiosk_db"] = database
    if config["KIOSK_DATABASE_READ_URL"]:
        # A replica is migrated by replication from the primary, never here.
        app.extensions["kiosk_read_db"] = open_database(
            config["KIOSK_DATABASE_READ_URL"], "KIOSK_DATABASE_READ_URL"
        )
    app.extensions["kiosk_jobs"] = JobRunner(app)
    csrf.init_app(app)
    web.init_app(app)
    pages.init_app(app)
    writebehind.init_app(app)
    blobs.init_app(app)
    web_origins.init_app(app)
    signage_reports.init_app(app)
    signage_display.init_app(app)
    init_broadcast(app)

    _register_blueprints(app)
    return app


def open_database(url: str, setting: str = "KIOSK_DATABASE_URL") -> Database:
    """The node's database; a URL that is not one, or names no installed driver, is one line."""
    try:
        return Database(url)
    except SQLAlchemyError as error:
        reason = str(error).splitlines()[0]
    except ImportError as error:
        reason = f"the driver is not installed ({error})"
    raise InputError(f"{setting} {url!r} cannot be used: {reason}")


def _register_blueprints(app: Flask) -> None:
    init_screens(app)
    init_playlists(app)
    init_admin(app)
    init_api(app)
    init_sync(app)

    @app.get("/healthz")
    def healthz() -> tuple[dict[str, str], int]:
        try:
            with app.extensions["kiosk_db"].session() as session:
                session.execute(text("SELECT 1"))
        except SQLAlchemyError as error:
            return {"status": "error", "database": str(error.__class__.__name__)}, 503
        return {"status": "ok", "role": app.config["KIOSK_ROLE"], "database": "ok"}, 200


def _register_request_hooks(app: Flask) -> None:
    @app.before_request
    def start_timer() -> None:
        g.request_started = time.perf_counter()

    @app.after_request
    def finish(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if request.path.startswith("/admin/") and not request.path.startswith("/admin/static/"):
            # Staff pages hold names, phone numbers and tokens: no cache keeps a copy.
            response.headers["Cache-Control"] = "no-store"
        elapsed_ms = (time.perf_counter() - g.pop("request_started", time.perf_counter())) * 1000
        # Lets monitors and `make bench` read the server's own time, without the network.
        response.headers["Server-Timing"] = f"app;dur={elapsed_ms:.2f}"
        request_log.info(
            '%s "%s %s" %s %d %.1fms',
            request.remote_addr,
            request.method,
            request.full_path.rstrip("?"),
            response.status_code,
            response.calculate_content_length() or 0,
            elapsed_ms,
        )
        return response
