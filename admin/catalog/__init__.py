"""The county catalog desk at /admin/catalog/ (centre, or a stand-alone hall): imports with
preview and review, the items list and form, each item's history, the region tree."""

from __future__ import annotations

from flask import Blueprint, Flask, current_app, render_template
from flask.typing import ResponseReturnValue

from admin.nav import add_admin_link

blueprint = Blueprint(
    "admin_catalog",
    __name__,
    url_prefix="/admin/catalog",
    template_folder="templates",
    static_folder="static",
)


def review_steps() -> int:
    steps: int = current_app.config["KIOSK_REVIEW_STEPS"]
    return steps


def keeps_its_catalog(app: Flask) -> bool:
    """The centre, or a stand-alone hall; a hall pulling from a centre keeps a copy."""
    return app.config["KIOSK_ROLE"] == "central" or not app.config["KIOSK_CENTRAL_URL"]


@blueprint.before_request
def only_where_the_catalog_is_kept() -> ResponseReturnValue | None:
    if keeps_its_catalog(current_app):
        return None
    return render_template("admin/catalog/elsewhere.html"), 404


def init_app(app: Flask) -> None:
    from admin.catalog import attachments, imports, items, regions  # noqa: F401 - the views

    app.register_blueprint(blueprint)
    if keeps_its_catalog(app):
        add_admin_link(app, "admin_catalog.index", "目录", "county_admin")
        add_admin_link(app, "admin_catalog.regions", "区域", "county_admin")
