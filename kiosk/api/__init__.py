"""The JSON API under /api/v1/ (token-authenticated, so exempt from CSRF): the sync
endpoints for hall nodes (node tokens) and the management API (staff keys, `manage/`)."""

from flask import Flask

from kiosk.extensions import csrf


def init_app(app: Flask) -> None:
    from kiosk.api import (
        blobs,  # noqa: F401 - adds its route to the blueprint
        manage,
    )
    from kiosk.api.views import blueprint

    csrf.exempt(blueprint)
    app.register_blueprint(blueprint)
    manage.init_app(app)
