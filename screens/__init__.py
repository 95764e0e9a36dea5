"""Resident touch pages: home, browse, item, search, notices."""

from flask import Flask


def init_app(app: Flask) -> None:
    from screens.views import blueprint

    app.register_blueprint(blueprint)
