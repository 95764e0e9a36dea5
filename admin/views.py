from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue

from admin.dashboard import overview
from admin.forms import LoginForm
from admin.nav import admin_links
from kiosk.accounts.auth import current_user, require_role, sign_in
from kiosk.accounts.models import ROLE_LABELS
from kiosk.accounts.services import Throttled, authenticate, sign_out
from kiosk.answers.centre import overdue_count
from kiosk.audit.labels import action_label
from kiosk.audit.services import recent_entries
from kiosk.holidays import working_calendar
from kiosk.public_address import phones_cannot_reach
from kiosk.settings import hall_zone
from kiosk.web import db_session, keep_changes, local_path

blueprint = Blueprint(
    "admin",
    __name__,
    url_prefix="/admin",
    template_folder="templates",
    static_folder="static/admin",
    static_url_path="/static/admin",
)


@blueprint.app_context_processor
def admin_context() -> dict[str, Any]:
    return {
        "admin_user": current_user,
        "role_labels": ROLE_LABELS,
        "admin_links": lambda: admin_links(current_app),
    }


blueprint.add_app_template_filter(action_label, "action_label")


@blueprint.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        keep_changes()  # the attempt is counted for throttling, right or wrong
        try:
            user = authenticate(
                db_session(), form.name.data, form.password.data, request.remote_addr or "unknown"
            )
        except Throttled:
            flash("尝试次数过多，请 15 分钟后再试。", "error")
            return render_template("admin/login.html", form=form), 429
        if user is not None:
            sign_in(user)
            return redirect(local_path(request.args.get("next"), url_for("admin.dashboard")))
        flash("用户名或密码错误。", "error")
        status = 401
    return render_template("admin/login.html", form=form), status


@blueprint.post("/logout")
def logout() -> ResponseReturnValue:
    # CSRFProtect has already checked the token of this POST.
    user = current_user()
    if user is not None:
        sign_out(db_session(), user)  # a copy of the cookie stops working too
    session.clear()
    return redirect(url_for("admin.login"))


@blueprint.get("/")
@require_role("viewer")
def dashboard() -> ResponseReturnValue:
    config = current_app.config
    session = db_session()
    shown = overview(
        session,
        config["KIOSK_REGION"],
        syncing=config["KIOSK_ROLE"] == "hall" and bool(config["KIOSK_CENTRAL_URL"]),
        zone=hall_zone(config),
    )
    if config["KIOSK_ROLE"] == "central":
        shown.questions_overdue = overdue_count(
            session, working_calendar(config), config["KIOSK_ANSWER_DAYS"], hall_zone(config)
        )
    return render_template(
        "admin/dashboard.html",
        overview=shown,
        unreachable=phones_cannot_reach(config["KIOSK_PUBLIC_URL"], request.host),
    )


@blueprint.get("/audit")
@require_role("county_admin")
def audit() -> ResponseReturnValue:
    return render_template("admin/audit.html", entries=recent_entries(db_session()))
