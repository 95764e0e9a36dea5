"""What residents looked for and said: searches (unfound first), ratings, questions."""

from __future__ import annotations

from flask import Blueprint, Flask, render_template

from admin.nav import add_admin_link
from kiosk.accounts.auth import require_role
from kiosk.usage.services import rating_counts, recent_events, recent_searches
from kiosk.web import db_session

blueprint = Blueprint(
    "admin_usage", __name__, url_prefix="/admin/usage", template_folder="templates"
)


@blueprint.get("/")
@require_role("viewer")
def overview():
    session = db_session()
    return render_template(
        "admin/usage.html",
        unfound=recent_searches(session, only_unfound=True, limit=50),
        searches=recent_searches(session, limit=50),
        ratings=rating_counts(session),
        questions=recent_events(session, "question", limit=50),
    )


def init_app(app: Flask) -> None:
    app.register_blueprint(blueprint)
    add_admin_link(app, "admin_usage.overview", "群众查询与评价")
