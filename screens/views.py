from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template

from kiosk.catalog.services import get_visible_item
from kiosk.web import db_session
from screens.services import domain_counts, items_in_domain

blueprint = Blueprint("screens", __name__, template_folder="templates", static_folder="static",
                      static_url_path="/static/screens")


def hall_region() -> str:
    return current_app.config["KIOSK_REGION"]


@blueprint.get("/")
def home():
    return render_template("screens/home.html",
                           domains=domain_counts(db_session(), hall_region()))


@blueprint.get("/domains/<domain>")
def domain(domain: str):
    items = items_in_domain(db_session(), hall_region(), domain)
    if not items:
        abort(404)
    return render_template("screens/domain.html", domain=domain, items=items)


@blueprint.get("/items/<code>")
def item(code: str):
    found = get_visible_item(db_session(), code, hall_region())
    if found is None:
        abort(404)
    return render_template("screens/item.html", item=found)
