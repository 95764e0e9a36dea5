"""Hall management at /admin/: sign-in, staff accounts, audit log."""

from flask import Flask


def init_app(app: Flask) -> None:
    from admin.views import blueprint

    app.register_blueprint(blueprint)
