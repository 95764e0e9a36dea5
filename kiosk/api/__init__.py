"""The JSON API under /api/v1/ (token-authenticated, so exempt from CSRF)."""

from flask import Flask


def init_app(app: Flask) -> None:
    from kiosk.api.views import blueprint
    from kiosk.app import csrf

    csrf.exempt(blueprint)
    app.register_blueprint(blueprint)
