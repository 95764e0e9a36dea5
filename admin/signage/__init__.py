"""Signage management at /admin/signage/ (信息发布): one module per area — screens, groups,
playlists and their entries, media, schedules, emergency notices, proof of play — each a thin
caller of `kiosk.signage`; the request's unit of work commits what they change."""

from __future__ import annotations

from flask import Flask

# Each area adds its views to the one blueprint when imported.
from admin.signage import (  # noqa: F401
    emergency,
    entries,
    groups,
    halls,
    media,
    playlists,
    plays,
    remote,
    schedules,
    screens,
    web_origins,
)
from admin.signage.common import blueprint


def init_app(app: Flask) -> None:
    from admin.nav import add_admin_link

    app.register_blueprint(blueprint)
    add_admin_link(app, "signage_admin.screens", "信息发布", "viewer")
