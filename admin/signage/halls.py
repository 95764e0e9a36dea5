"""At the centre: every hall's screens as the halls report them (online, what they show,
last seen), and the plays of each county playlist per hall."""

from __future__ import annotations

from flask import abort, current_app, render_template
from flask.typing import ResponseReturnValue

from admin.signage.common import blueprint
from kiosk.accounts.auth import require_role
from kiosk.signage.reports import county_plays, hall_screens
from kiosk.web import db_session


@blueprint.get("/halls")
@require_role("viewer")
def halls() -> ResponseReturnValue:
    if current_app.config["KIOSK_ROLE"] != "central":
        abort(404)
    database = db_session()
    return render_template(
        "admin/signage/halls.html", halls=hall_screens(database), plays=county_plays(database)
    )
