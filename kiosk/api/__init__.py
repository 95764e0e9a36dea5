"""The JSON API under /api/v1/ (token-authenticated, so exempt from CSRF)."""

from flask import Flask

from kiosk.extensions import csrf


def init_app(app: Flask) -> None:
    from kiosk.api import blobs  # noqa: F401 - adds its route to the blueprint
    from kiosk.api.views import blueprint

    csrf.exempt(blueprint)
    app.register_blueprint(blueprint)
