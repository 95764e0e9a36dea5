"""The management API under /api/v1/ (screens, groups, media, playlists and their entries,
schedules, emergency notices, proof of play) for programs holding a staff API key.

Thin like the admin views: each endpoint calls the same `kiosk.signage` service the admin
page calls, and the request's unit of work (kiosk/web.py) commits. A key acts with its role's
rights; every call, refused ones too, goes to the audit log (through the write-behind buffer,
so that reading never writes in the request)."""

from __future__ import annotations

from flask import Flask

from kiosk.extensions import csrf


def init_app(app: Flask) -> None:
    from kiosk.api.manage import (  # noqa: F401 - each adds its routes to the blueprint
        content,
        emergency,
        playlists,
        screens,
    )
    from kiosk.api.manage.common import blueprint

    csrf.exempt(blueprint)
    app.register_blueprint(blueprint)
