"""Signage player: /player/<screen>, the touch screens' attract loop, and its service worker."""

from flask import Flask


def init_app(app: Flask) -> None:
    from playlists.views import blueprint

    app.register_blueprint(blueprint)
