from __future__ import annotations

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

from admin.dashboard import overview
from admin.forms import LoginForm, UserForm
from admin.nav import admin_links
from kiosk.accounts.auth import acting_user, current_user, require_role
from kiosk.accounts.models import ROLE_LABELS
from kiosk.accounts.services import Throttled, authenticate, create_user, list_users
from kiosk.audit.labels import action_label
from kiosk.audit.services import recent_entries
from kiosk.settings import hall_zone
from kiosk.web import db_session, form_change, keep_changes, local_path

blueprint = Blueprint(
    "admin",
    __name__,
    url_prefix="/admin",
    template_folder="templates",
    static_folder="static/admin",
    static_url_path="/static/admin",
)


@blueprint.app_context_processor
def admin_context():
    return {
        "admin_user": current_user,
        "role_labels": ROLE_LABELS,
        "admin_links": lambda: admin_links(current_app),
    }


blueprint.add_app_template_filter(action_label, "action_label")


@blueprint.route("/login", methods=["GET", "POST"])
def login():
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
            session.clear()  # a fresh session on sign-in: no fixation
            session["user_id"] = user.id
            return redirect(local_path(request.args.get("next"), url_for("admin.dashboard")))
        flash("用户名或密码错误。", "error")
        status = 401
    return render_template("admin/login.html", form=form), status


@blueprint.post("/logout")
def logout():
    # CSRFProtect has already checked the token of this POST.
    session.clear()
    return redirect(url_for("admin.login"))


@blueprint.get("/")
@require_role("viewer")
def dashboard():
    config = current_app.config
    return render_template(
        "admin/dashboard.html",
        overview=overview(
            db_session(),
            config["KIOSK_REGION"],
            syncing=config["KIOSK_ROLE"] == "hall" and bool(config["KIOSK_CENTRAL_URL"]),
            zone=hall_zone(config),
        ),
    )


@blueprint.route("/users", methods=["GET", "POST"])
@require_role("county_admin")
def users():
    form = UserForm()
    database = db_session()
    if form.validate_on_submit():
        created = form_change(
            form,
            lambda: create_user(
                database, form.name.data, form.role.data, form.password.data,
                actor=acting_user().name,
            ),
        )  # fmt: skip
        if created is not None:
            flash(f"已创建用户 {created.name}", "ok")
            return redirect(url_for("admin.users"))
    status = 400 if form.errors else 200
    return render_template("admin/users.html", form=form, users=list_users(database)), status


@blueprint.get("/audit")
@require_role("county_admin")
def audit():
    return render_template("admin/audit.html", entries=recent_entries(db_session()))
